import { fail, IssueCode, type IssuePath } from "../errors/index.js";

/** Milliseconds in a day of 24 hours. */
export const MS_PER_DAY = 86_400_000;

/** Day numbers this module accepts: 0001-01-01 … 9999-12-31. */
export const MIN_DAY = -719_162;
export const MAX_DAY = 2_932_896;

/** Day number (days since 1970-01-01) of a proleptic Gregorian date. H. Hinnant's days_from_civil. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `year * 10000 + month * 100 + day` of a day number, without allocating. */
export function civilFromDays(dayNumber: number): number {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10_000 + m * 100 + d;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  const w = (dayNumber + 4) % 7;
  return w < 0 ? w + 7 : w;
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber);
  return w === 0 || w === 6;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);

/** "YYYY-MM-DD" of a day number (years 0001–9999). */
export function formatDay(dayNumber: number): string {
  const c = civilFromDays(dayNumber);
  const y = Math.floor(c / 10_000);
  const md = c - y * 10_000;
  const m = Math.floor(md / 100);
  return (y >= 1000 ? String(y) : String(y).padStart(4, "0")) + "-" + PAD2[m] + "-" + PAD2[md - m * 100];
}

/** Lazily filled "YYYY-MM-DD" strings of 2000-01-01 … 2099-12-31. */
const DAY_STRINGS_START = 10_957;
const DAY_STRINGS_SIZE = 36_525;
let dayStrings: string[] | undefined;

/** {@link formatDay}, cached for 2000–2099. */
export function dayString(dayNumber: number): string {
  const i = dayNumber - DAY_STRINGS_START;
  if (i >= 0 && i < DAY_STRINGS_SIZE) {
    const cache = (dayStrings ??= new Array<string>(DAY_STRINGS_SIZE).fill(""));
    const s = cache[i]!;
    return s !== "" ? s : (cache[i] = formatDay(dayNumber));
  }
  return formatDay(dayNumber);
}

/** Reads two ASCII digits at `i`, or -1. */
export function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Reads the "YYYY-MM-DD" at the start of `s` as a day number, or NaN. */
export function readDate(s: string): number {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const m = digits2(s, 5);
  const d = digits2(s, 8);
  if (y1 < 0 || y2 < 0 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const y = y1 * 100 + y2;
  if (y < 1 || d > daysInMonth(y, m)) return Number.NaN;
  return daysFromCivil(y, m, d);
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + "…" : s;
}

/**
 * Parse a local calendar date `YYYY-MM-DD` into a day number (days since 1970-01-01).
 *
 * @example
 * parseLocalDate("2024-10-01"); // 19997
 * @throws JicengError `INVALID_DATE` when `date` is not a real `YYYY-MM-DD` date.
 * @see formatLocalDate
 */
export function parseLocalDate(date: string, path: IssuePath = []): number {
  const day = typeof date === "string" && date.length === 10 ? readDate(date) : Number.NaN;
  if (Number.isNaN(day)) {
    const shown = typeof date === "string" ? `"${clip(date)}"` : String(date);
    fail(IssueCode.INVALID_DATE, path, `无效的日期 ${shown}：须为 YYYY-MM-DD 格式的真实日期`, `Invalid date ${shown}: expected a real date as YYYY-MM-DD`);
  }
  return day;
}

/**
 * Format a day number (days since 1970-01-01) as a local calendar date `YYYY-MM-DD`.
 *
 * @example
 * formatLocalDate(19997); // "2024-10-01"
 * @throws JicengError `INVALID_DATE` when `day` is not an integer day number of years 0001–9999.
 * @see parseLocalDate
 */
export function formatLocalDate(day: number, path: IssuePath = []): string {
  checkDayNumber(day, path);
  return formatDay(day);
}

/** Throws `INVALID_DATE` unless `day` is an integer day number of years 0001–9999. */
export function checkDayNumber(day: number, path: IssuePath): void {
  if (!Number.isInteger(day) || day < MIN_DAY || day > MAX_DAY) {
    fail(IssueCode.INVALID_DATE, path, `无效的日序号 ${String(day)}：须为 0001 至 9999 年之间的整数日序号（自 1970-01-01 起的天数）`, `Invalid day number ${String(day)}: expected an integer count of days since 1970-01-01, within years 0001–9999`);
  }
}
