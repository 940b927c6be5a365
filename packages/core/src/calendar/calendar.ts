import type * as z from "zod";
import { fail, IssueCode, type IssuePath, type Text } from "../errors/index.js";
import type { CalendarSchema } from "../pack/schema.js";
import { CN_STATE_COUNCIL, type HolidayDataset } from "./dataset.js";
import { checkDayNumber, daysFromCivil, formatDay, isWeekend, readDate } from "./days.js";

/** What to do with a date the holiday data does not cover (from the pack's `calendar.outOfRange`). */
export type OutOfRange = z.output<typeof CalendarSchema>["outOfRange"];

/** Options for {@link createCalendar}. */
export interface CalendarOptions {
  /**
   * Outside the data's years: `"error"` (default) throws `CALENDAR_OUT_OF_RANGE`;
   * `"weekends-only"` treats Saturdays and Sundays as the only rest days (an explicit choice).
   */
  outOfRange?: OutOfRange;
  /** Another dataset, e.g. a newer schedule published before jiceng's next release. */
  dataset?: HolidayDataset;
}

/** What kind of day a date is. */
export type DayKind = "workday" | "weekend" | "holiday" | "adjusted-workday";

/** A day described for people: {@link Calendar.describeDay}. */
export interface DayInfo {
  day: number;
  date: string;
  rest: boolean;
  kind: DayKind;
  /** The festival a holiday or adjusted working day belongs to. */
  name?: Text;
  /** False when the date is outside the data and only weekends were counted. */
  inData: boolean;
}

/**
 * Working days and rest days over day numbers (days since 1970-01-01 of a local date),
 * precomputed from a holiday dataset. Every method is O(1) inside the data's years.
 */
export interface Calendar {
  /** Dataset id, e.g. `cn-state-council`. */
  readonly dataset: string;
  /** Dataset version, e.g. `chinese-days@1.5.7`. */
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  /** Day number of `firstYear-01-01`. */
  readonly firstDay: number;
  /** Day number of `lastYear-12-31`. */
  readonly lastDay: number;
  readonly outOfRange: OutOfRange;
  /** A weekend day that is not an adjusted working day, or a listed holiday. */
  isRestDay(day: number, path?: IssuePath): boolean;
  isWorkingDay(day: number, path?: IssuePath): boolean;
  /** The first working day strictly after `day`. */
  nextWorkingDay(day: number, path?: IssuePath): number;
  /** The `n`th working day after `day` (`day` itself not counted); `n < 0` counts backwards; `n = 0` is `day`. */
  addWorkingDays(day: number, n: number, path?: IssuePath): number;
  describeDay(day: number, path?: IssuePath): DayInfo;
  /** `YYYY-MM-DD` of a day number (cached inside the data's years). */
  formatDate(day: number): string;
}

const KIND_WORKDAY = 0;
const KIND_WEEKEND = 1;
const KIND_ADJUSTED = 2;
const KIND_HOLIDAY = 3;
const KIND_NAMES: readonly DayKind[] = ["workday", "weekend", "adjusted-workday", "holiday"];
const NO_PATH: IssuePath = [];
/** Upper bound on |n| for addWorkingDays: counting is never an unbounded loop. */
const MAX_WORKING_DAYS = 100_000;

interface CalendarIndex {
  dataset: string;
  version: string;
  firstYear: number;
  lastYear: number;
  first: number;
  size: number;
  /** KIND_* of each day; bit 0 set = rest day. */
  kinds: Uint8Array;
  /** Index into `names` (0 = none). */
  nameOf: Uint16Array;
  names: Text[];
  /** cum[i] = working days in [first, first + i). */
  cum: Int32Array;
  /** Day numbers of the working days, ascending. */
  work: Int32Array;
  /** YYYY-MM-DD of first … first + size (one past the end: the day a last-day deadline ends on). */
  dates: Array<string | undefined>;
}

const indexes = new WeakMap<HolidayDataset, CalendarIndex>();

function bad(path: IssuePath, zh: string, en: string): never {
  return fail(IssueCode.SCHEMA, path, `节假日数据无效：${zh}`, `Invalid holiday data: ${en}`);
}

function buildIndex(ds: HolidayDataset): CalendarIndex {
  const root: IssuePath = ["dataset"];
  if (typeof ds !== "object" || ds === null) bad(root, "须为对象", "expected an object");
  const { firstYear, lastYear } = ds;
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || firstYear < 1900 || lastYear > 2999 || firstYear > lastYear || lastYear - firstYear > 300) {
    bad([...root, "firstYear"], "firstYear / lastYear 须为 1900–2999 之间的整数且不倒置", "firstYear / lastYear must be integers in 1900–2999, in order");
  }
  const first = daysFromCivil(firstYear, 1, 1);
  const last = daysFromCivil(lastYear, 12, 31);
  const size = last - first + 1;
  const kinds = new Uint8Array(size);
  const nameOf = new Uint16Array(size);
  const names: Text[] = [{ zh: "", en: "" }];
  const nameIds = new Map<string, number>();
  const nameId = (label: string): number => {
    let id = nameIds.get(label);
    if (id === undefined) {
      const slash = label.indexOf("/");
      names.push(slash < 0 ? { zh: label, en: label } : { zh: label.slice(0, slash), en: label.slice(slash + 1) });
      id = names.length - 1;
      nameIds.set(label, id);
    }
    return id;
  };
  for (let i = 0; i < size; i++) kinds[i] = isWeekend(first + i) ? KIND_WEEKEND : KIND_WORKDAY;
  const dayIn = (date: string, year: number, path: IssuePath): number => {
    const day = typeof date === "string" && date.length === 10 ? readDate(date) : Number.NaN;
    if (Number.isNaN(day) || date.slice(0, 4) !== String(year)) bad(path, `日期 ${String(date)} 不是 ${year} 年的 YYYY-MM-DD 日期`, `${String(date)} is not a YYYY-MM-DD date in ${year}`);
    return day - first;
  };
  for (let y = firstYear; y <= lastYear; y++) {
    const path: IssuePath = [...root, "years", String(y)];
    const year = ds.years?.[String(y)];
    if (typeof year !== "object" || year === null || typeof year.holidays !== "object" || year.holidays === null || !Array.isArray(year.workdays)) {
      bad(path, `缺少 ${y} 年的数据（须有 holidays 与 workdays）`, `year ${y} is missing (needs holidays and workdays)`);
    }
    for (const [date, label] of Object.entries(year.holidays)) {
      const i = dayIn(date, y, [...path, "holidays", date]);
      kinds[i] = KIND_HOLIDAY;
      nameOf[i] = nameId(String(label));
    }
    for (const [k, date] of year.workdays.entries()) {
      const i = dayIn(date, y, [...path, "workdays", k]);
      if (kinds[i] === KIND_HOLIDAY) bad([...path, "workdays", k], `${date} 同时列为假日与调休上班日`, `${date} is listed both as a holiday and as a working day`);
      kinds[i] = KIND_ADJUSTED;
    }
  }
  const cum = new Int32Array(size + 1);
  let total = 0;
  for (let i = 0; i < size; i++) {
    if ((kinds[i]! & 1) === 0) total++;
    cum[i + 1] = total;
  }
  const work = new Int32Array(total);
  for (let i = 0, k = 0; i < size; i++) if ((kinds[i]! & 1) === 0) work[k++] = first + i;
  // Filled on first use: formatting all ~8,400 days up front was most of a cold createCalendar
  // (bench/: 17 → 7 ms of CPU in a fresh process).
  const dates = new Array<string | undefined>(size + 1).fill(undefined);
  return {
    dataset: String(ds.dataset),
    version: String(ds.version),
    firstYear,
    lastYear,
    first,
    size,
    kinds,
    nameOf,
    names,
    cum,
    work,
    dates,
  };
}

class IndexedCalendar implements Calendar {
  readonly dataset: string;
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly outOfRange: OutOfRange;
  readonly #x: CalendarIndex;
  readonly #first: number;
  readonly #size: number;
  readonly #kinds: Uint8Array;
  readonly #weekendsOnly: boolean;

  constructor(x: CalendarIndex, outOfRange: OutOfRange) {
    this.#x = x;
    this.#first = x.first;
    this.#size = x.size;
    this.#kinds = x.kinds;
    this.#weekendsOnly = outOfRange === "weekends-only";
    this.dataset = x.dataset;
    this.version = x.version;
    this.firstYear = x.firstYear;
    this.lastYear = x.lastYear;
    this.firstDay = x.first;
    this.lastDay = x.first + x.size - 1;
    this.outOfRange = outOfRange;
  }

  isRestDay(day: number, path: IssuePath = NO_PATH): boolean {
    const i = day - this.#first;
    if ((day | 0) === day && i >= 0 && i < this.#size) return (this.#kinds[i]! & 1) === 1;
    return this.#outside(day, path);
  }

  isWorkingDay(day: number, path: IssuePath = NO_PATH): boolean {
    return !this.isRestDay(day, path);
  }

  nextWorkingDay(day: number, path: IssuePath = NO_PATH): number {
    return this.addWorkingDays(day, 1, path);
  }

  addWorkingDays(day: number, n: number, path: IssuePath = NO_PATH): number {
    const i = day - this.#first;
    if ((day | 0) === day && (n | 0) === n) {
      const x = this.#x;
      if (n > 0 && i >= -1 && i < this.#size) {
        const ordinal = x.cum[i + 1]! + n;
        if (ordinal <= x.work.length) return x.work[ordinal - 1]!;
      } else if (n < 0 && i >= 0 && i <= this.#size) {
        const ordinal = x.cum[i]! + n + 1;
        if (ordinal >= 1) return x.work[ordinal - 1]!;
      }
    }
    return this.#countSlowly(day, n, path);
  }

  describeDay(day: number, path: IssuePath = NO_PATH): DayInfo {
    const rest = this.isRestDay(day, path);
    const i = day - this.#first;
    const date = this.formatDate(day);
    if (i < 0 || i >= this.#size) return { day, date, rest, kind: rest ? "weekend" : "workday", inData: false };
    const kind = this.#kinds[i]!;
    const info: DayInfo = { day, date, rest, kind: KIND_NAMES[kind]!, inData: true };
    const name = this.#x.nameOf[i]!;
    if (name !== 0) info.name = { ...this.#x.names[name]! };
    else if (kind === KIND_ADJUSTED) {
      const near = this.#festivalNear(i);
      if (near !== undefined) info.name = near;
    }
    return info;
  }

  formatDate(day: number): string {
    const i = day - this.#first;
    if ((day | 0) === day && i >= 0 && i <= this.#size) return (this.#x.dates[i] ??= formatDay(day));
    checkDayNumber(day, NO_PATH);
    return formatDay(day);
  }

  /** Out of the data, weekends-only mode, or a bad argument: day by day (n is bounded). */
  #countSlowly(day: number, n: number, path: IssuePath): number {
    checkDayNumber(day, path);
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
      fail(IssueCode.SCHEMA, path, `工作日数 ${String(n)} 无效：须为绝对值不超过 ${MAX_WORKING_DAYS} 的整数`, `Invalid number of working days ${String(n)}: expected an integer of at most ${MAX_WORKING_DAYS} in absolute value`);
    }
    const step = n > 0 ? 1 : -1;
    let d = day;
    for (let k = Math.abs(n); k > 0; ) {
      d += step;
      if (!this.isRestDay(d, path)) k--;
    }
    return d;
  }

  #outside(day: number, path: IssuePath): boolean {
    checkDayNumber(day, path);
    if (this.#weekendsOnly) return isWeekend(day);
    const x = this.#x;
    const date = formatDay(day);
    const from = formatDay(x.first);
    const to = formatDay(x.first + x.size - 1);
    return fail(
      IssueCode.CALENDAR_OUT_OF_RANGE,
      path,
      `日期 ${date} 超出节假日数据范围（${from} 至 ${to}，${x.version}），无法判断是否为休息日；请更新节假日数据，或在规则包中明确设置 calendar.outOfRange 为 "weekends-only"（仅按周末计算）`,
      `The date ${date} is outside the holiday data (${from} to ${to}, ${x.version}), so whether it is a rest day is unknown; update the holiday data, or set calendar.outOfRange to "weekends-only" in the pack to count weekends only`,
    );
  }

  /** The festival an adjusted working day serves: the nearest named holiday within three weeks. */
  #festivalNear(i: number): Text | undefined {
    const x = this.#x;
    for (let d = 1; d <= 21; d++) {
      for (const j of [i + d, i - d]) {
        if (j >= 0 && j < x.size && x.nameOf[j] !== 0) return { ...x.names[x.nameOf[j]!]! };
      }
    }
    return undefined;
  }
}

/**
 * A calendar of working days and rest days, indexed once from the State Council holiday
 * schedule (or `options.dataset`). Days are day numbers: days since 1970-01-01 of a local date
 * (see {@link parseLocalDate}). A rest day is a Saturday or Sunday that is not an adjusted
 * working day (调休上班), or a listed holiday. A day outside the data's years throws
 * `CALENDAR_OUT_OF_RANGE` unless `outOfRange: "weekends-only"` is chosen.
 *
 * @example
 * const cal = createCalendar();
 * cal.isRestDay(parseLocalDate("2024-10-07"));    // true  (National Day holiday, a Monday)
 * cal.isRestDay(parseLocalDate("2024-10-12"));    // false (adjusted working Saturday)
 * formatLocalDate(cal.addWorkingDays(parseLocalDate("2024-09-30"), 1)); // "2024-10-08"
 * cal.isRestDay(parseLocalDate("2099-01-01"));    // throws CALENDAR_OUT_OF_RANGE
 * @see 国务院办公厅关于部分节假日安排的通知 (the yearly State Council notice)
 */
export function createCalendar(options: CalendarOptions = {}): Calendar {
  const outOfRange = options.outOfRange ?? "error";
  if (outOfRange !== "error" && outOfRange !== "weekends-only") {
    fail(IssueCode.SCHEMA, ["outOfRange"], `calendar.outOfRange 须为 "error" 或 "weekends-only"`, `calendar.outOfRange must be "error" or "weekends-only"`);
  }
  const ds = options.dataset ?? CN_STATE_COUNCIL;
  let x = indexes.get(ds);
  if (x === undefined) {
    x = buildIndex(ds);
    indexes.set(ds, x);
  }
  return new IndexedCalendar(x, outOfRange);
}
