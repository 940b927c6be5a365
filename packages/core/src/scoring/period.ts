import { daysFromCivil, daysInMonth, formatDay, civilFromDays } from "../calendar/days.js";
import { DEFAULT_TIMEZONE, formatInstant, startOfLocalDay } from "../calendar/timezone.js";
import { IssueCode, fail, type IssuePath, type Text } from "../errors/index.js";

/** What kind of period a text names. */
export type PeriodKind = "year" | "half" | "quarter" | "month" | "day" | "range";

/**
 * An assessment period: whole local days [`firstDay`, `lastDay`] in the pack's time zone, as the
 * half-open instant range [`start`, `end`). A case event at `t` is in the period when
 * `start ≤ t < end`.
 */
export interface ScoringPeriod {
  /** Canonical text: `2022`, `2022H1`, `2022Q3`, `2022-07`, `2022-07-01`, or `A..B`. */
  id: string;
  kind: PeriodKind;
  label: Text;
  /** First and last local day, `YYYY-MM-DD`, both included. */
  firstDay: string;
  lastDay: string;
  /** ISO 8601 with the zone's offset: local midnight starting `firstDay`, and the one after `lastDay`. */
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  timeZone: string;
}

interface Span {
  kind: Exclude<PeriodKind, "range">;
  id: string;
  first: number;
  last: number;
  y: number;
  n: number;
}

const CN_NUM = ["", "一", "二", "三", "四"];
const MONTH_EN = ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function bad(text: string, path: IssuePath): never {
  fail(
    IssueCode.INVALID_PERIOD,
    path,
    `无法识别的时段 "${text.slice(0, 40)}"：可写 2022（年）、2022H1（半年）、2022Q3（季度）、2022-07（月）、2022-07-01（日），或 起..止（如 2022-07..2022-09）`,
    `Unrecognised period "${text.slice(0, 40)}": write 2022 (year), 2022H1 (half), 2022Q3 (quarter), 2022-07 (month), 2022-07-01 (day), or from..to (e.g. 2022-07..2022-09)`,
  );
}

function span(text: string, path: IssuePath): Span {
  const t = text.trim();
  let m: RegExpExecArray | null;
  const year = (s: string) => {
    const y = Number(s);
    if (y < 1000 || y > 9998) bad(text, path);
    return y;
  };
  if ((m = /^(\d{4})$/.exec(t))) {
    const y = year(m[1]!);
    return { kind: "year", id: `${y}`, first: daysFromCivil(y, 1, 1), last: daysFromCivil(y, 12, 31), y, n: 0 };
  }
  if ((m = /^(\d{4})-?[Hh]([12])$/.exec(t))) {
    const y = year(m[1]!);
    const h = Number(m[2]);
    return { kind: "half", id: `${y}H${h}`, first: daysFromCivil(y, h === 1 ? 1 : 7, 1), last: h === 1 ? daysFromCivil(y, 6, 30) : daysFromCivil(y, 12, 31), y, n: h };
  }
  if ((m = /^(\d{4})-?[Qq]([1-4])$/.exec(t))) {
    const y = year(m[1]!);
    const q = Number(m[2]);
    const lastMonth = q * 3;
    return { kind: "quarter", id: `${y}Q${q}`, first: daysFromCivil(y, lastMonth - 2, 1), last: daysFromCivil(y, lastMonth, daysInMonth(y, lastMonth)), y, n: q };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(t))) {
    const y = year(m[1]!);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) bad(text, path);
    return { kind: "month", id: `${y}-${m[2]}`, first: daysFromCivil(y, mo, 1), last: daysFromCivil(y, mo, daysInMonth(y, mo)), y, n: mo };
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) {
    const y = year(m[1]!);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) bad(text, path);
    const day = daysFromCivil(y, mo, d);
    return { kind: "day", id: t, first: day, last: day, y, n: mo };
  }
  bad(text, path);
}

function spanLabel(s: Span): Text {
  switch (s.kind) {
    case "year": return { zh: `${s.y}年`, en: `${s.y}` };
    case "half": return { zh: `${s.y}年${s.n === 1 ? "上" : "下"}半年`, en: `${s.y} H${s.n}` };
    case "quarter": return { zh: `${s.y}年第${CN_NUM[s.n]}季度`, en: `${s.y} Q${s.n}` };
    case "month": return { zh: `${s.y}年${s.n}月`, en: `${MONTH_EN[s.n]} ${s.y}` };
    case "day": return { zh: s.id, en: s.id };
  }
}

function build(id: string, kind: PeriodKind, label: Text, first: number, last: number, timeZone: string, path: IssuePath): ScoringPeriod {
  const startMs = startOfLocalDay(first, timeZone, path);
  const endMs = startOfLocalDay(last + 1, timeZone, path);
  return { id, kind, label, firstDay: formatDay(first), lastDay: formatDay(last), start: formatInstant(startMs, timeZone), end: formatInstant(endMs, timeZone), startMs, endMs, timeZone };
}

/**
 * Reads a period: `2022`, `2022H1`, `2022Q3`, `2022-07`, `2022-07-01`, or `from..to` with any two of
 * these (from the first day of `from` to the last day of `to`). Boundaries are local midnights in
 * `timeZone` (the pack's; Asia/Shanghai by default).
 *
 * @example
 * const q = parsePeriod("2022Q3");
 * q.start; // "2022-07-01T00:00:00+08:00"
 * q.end;   // "2022-10-01T00:00:00+08:00" (exclusive)
 * parsePeriod("2022-07..2022-08").lastDay; // "2022-08-31"
 * @throws JicengError `INVALID_PERIOD` for anything else, or a range that ends before it starts.
 */
export function parsePeriod(text: string, options: { timeZone?: string; path?: IssuePath } = {}): ScoringPeriod {
  const timeZone = options.timeZone ?? DEFAULT_TIMEZONE;
  const path = options.path ?? ["period"];
  if (typeof text !== "string" || text.length > 60) bad(String(text), path);
  const parts = text.split("..");
  if (parts.length === 1) {
    const s = span(text, path);
    return build(s.id, s.kind, spanLabel(s), s.first, s.last, timeZone, path);
  }
  if (parts.length !== 2) bad(text, path);
  const a = span(parts[0]!, path);
  const b = span(parts[1]!, path);
  if (b.last < a.first) {
    fail(IssueCode.INVALID_PERIOD, path, `时段 "${text}" 的结束早于开始`, `The period "${text}" ends before it starts`);
  }
  const first = formatDay(a.first);
  const last = formatDay(b.last);
  return build(`${a.id}..${b.id}`, "range", { zh: `${first} 至 ${last}`, en: `${first} to ${last}` }, a.first, b.last, timeZone, path);
}

const ymd = (day: number) => {
  const c = civilFromDays(day);
  const y = Math.floor(c / 10_000);
  return { y, m: Math.floor((c % 10_000) / 100), d: c % 100 };
};

const dayOfText = (s: string) => daysFromCivil(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));

/** The same day a year earlier (29 February → 28 February). */
function dayYearBefore(day: number): number {
  const { y, m, d } = ymd(day);
  return daysFromCivil(y - 1, m, Math.min(d, daysInMonth(y - 1, m)));
}

/**
 * The same period one year earlier, for year-on-year change (同比): 2022Q3 → 2021Q3.
 *
 * @example
 * previousYear(parsePeriod("2022-07..2022-09")).id; // "2021-07..2021-09"
 */
export function previousYear(p: ScoringPeriod): ScoringPeriod {
  if (p.kind === "day") return parsePeriod(formatDay(dayYearBefore(dayOfText(p.firstDay))), { timeZone: p.timeZone });
  if (p.kind !== "range") {
    const y = Number(p.id.slice(0, 4)) - 1;
    return parsePeriod(`${y}${p.id.slice(4)}`, { timeZone: p.timeZone });
  }
  const [a, b] = p.id.split("..") as [string, string];
  const shift = (s: string) => `${Number(s.slice(0, 4)) - 1}${s.slice(4)}`;
  // 2024-02-29 has no counterpart a year earlier: fall back to explicit days.
  try {
    return parsePeriod(`${shift(a)}..${shift(b)}`, { timeZone: p.timeZone });
  } catch {
    const first = dayYearBefore(dayOfText(p.firstDay));
    const last = dayYearBefore(dayOfText(p.lastDay));
    return parsePeriod(`${formatDay(first)}..${formatDay(last)}`, { timeZone: p.timeZone });
  }
}

/**
 * The calendar months a period touches, each clipped to the period (for monthly series).
 *
 * @example
 * monthsOf(parsePeriod("2022Q3")).map((m) => m.id); // ["2022-07", "2022-08", "2022-09"]
 */
export function monthsOf(p: ScoringPeriod): ScoringPeriod[] {
  const out: ScoringPeriod[] = [];
  const first = dayOfText(p.firstDay);
  const last = dayOfText(p.lastDay);
  let { y, m } = ymd(first);
  for (let guard = 0; guard < 1200; guard++) {
    const mFirst = daysFromCivil(y, m, 1);
    if (mFirst > last) break;
    const mLast = daysFromCivil(y, m, daysInMonth(y, m));
    const a = Math.max(first, mFirst);
    const b = Math.min(last, mLast);
    const id = `${y}-${String(m).padStart(2, "0")}`;
    const whole = a === mFirst && b === mLast;
    const label: Text = whole ? { zh: `${y}年${m}月`, en: `${MONTH_EN[m]} ${y}` } : { zh: `${formatDay(a)} 至 ${formatDay(b)}`, en: `${formatDay(a)} to ${formatDay(b)}` };
    out.push(build(whole ? id : `${formatDay(a)}..${formatDay(b)}`, whole ? "month" : "range", label, a, b, p.timeZone, []));
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
