import { fail, isJicengError, issue, IssueCode, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { Period, PeriodUnit, Warn } from "../vocabulary/index.js";
import { createCalendar, type Calendar, type CalendarOptions } from "./calendar.js";
import { MS_PER_DAY } from "./days.js";
import { dayOf, DEFAULT_TIMEZONE, formatIn, getZone, localToInstant, offsetAt, startOfDay, toEpochMs, type Zone } from "./timezone.js";

/** Options for {@link computeDeadline} and {@link computeWarnAt}. */
export interface DeadlineOptions {
  /**
   * Working days and rest days: a {@link createCalendar} calendar, or the options to build one
   * (e.g. `{ schedules: [notice2027] }`, indexed once per options object). Default: the shipped
   * schedules, provisional past the last one.
   */
  calendar?: Calendar | CalendarOptions;
  /** IANA zone whose local dates count; default `Asia/Shanghai`. */
  timezone?: string;
  /** A last day that is a rest day moves to the next working day (Civil Code art. 203); default true. */
  rollOverRestDays?: boolean;
  /** JSON path of `from` in the caller's input, for error messages. */
  path?: IssuePath;
}

/** A time limit counted from an instant. */
export type DeadlinePeriod = Pick<Period, "amount" | "unit">;

/** When a period ends, and why. */
export interface Deadline {
  /** The instant the period ends (ISO 8601 with the zone's offset): overdue iff now ≥ dueAt. */
  dueAt: string;
  /** `dueAt` as epoch milliseconds. */
  dueAtMs: number;
  /** Local date of `from`, the starting day (not counted). */
  startDay: string;
  /** The last day of the period, after any roll-over; the period runs to 24:00 of it. */
  lastDay: string;
  /** True when the last day was a rest day and moved to the next working day. */
  rolledOver: boolean;
  explanation: Text;
  /**
   * True when a day past the last loaded notice was counted (the provisional calendar): the
   * deadline is corrected once the notice is loaded. Absent otherwise.
   */
  provisional?: true;
  /** `CALENDAR_PROVISIONAL` naming the years whose notice is missing, in zh and en (only when provisional). */
  warnings?: JicengIssue[];
}

/** When to warn before a deadline (the pack's `warn`). */
export type DeadlineWarning = Pick<Warn, "before" | "fraction">;

/** The warning time of a deadline. */
export interface WarnTime {
  warnAt: string;
  warnAtMs: number;
}

const MAX_AMOUNT = 3660;
const builtCalendars = new WeakMap<CalendarOptions, Calendar>();
let defaultCalendar: Calendar | undefined;

/** The calendar of a deadline's options: given, built once per options object, or the default. */
function calendarOf(c: Calendar | CalendarOptions | undefined): Calendar {
  if (c === undefined) return (defaultCalendar ??= createCalendar());
  if (typeof (c as Calendar).isRestDay === "function") return c as Calendar;
  let cal = builtCalendars.get(c as CalendarOptions);
  if (cal === undefined) builtCalendars.set(c as CalendarOptions, (cal = createCalendar(c as CalendarOptions)));
  return cal;
}

/** The `CALENDAR_PROVISIONAL` warning for the years whose notice is missing. */
export function provisionalWarning(years: readonly number[], path: IssuePath): JicengIssue {
  const zh = years.map((y) => `${y}年`).join("、");
  const en = years.join(", ");
  return issue(
    IssueCode.CALENDAR_PROVISIONAL,
    path,
    `${zh}放假安排尚未加载，时限按法定节假日暂行计算（《全国年节及纪念日放假办法》），加载后自动更正`,
    `The ${en} holiday schedule (State Council notice) is not loaded: the deadline is provisional, counted on the statutory holidays of the national holidays regulation, and is corrected once the schedule is loaded`,
    { severity: "warning" },
  );
}
const MS_PER_HOUR = 3_600_000;
const NO_PATH: IssuePath = [];

function badArgument(name: string, v: unknown): never {
  return fail(IssueCode.INVALID_ARGUMENT, [name], `${name} 须为对象，实际为 ${v === null ? "null" : typeof v}`, `${name} must be an object, got ${v === null ? "null" : typeof v}`);
}
const TIMEZONE_PATH: IssuePath = ["timezone"];

function checkAmount(amount: number, path: IssuePath): void {
  if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) {
    fail(IssueCode.SCHEMA, path, `期限时长 ${String(amount)} 无效：须为 1 至 ${MAX_AMOUNT} 的整数`, `Invalid period amount ${String(amount)}: expected an integer from 1 to ${MAX_AMOUNT}`);
  }
}

function badUnit(unit: unknown, path: IssuePath): never {
  return fail(IssueCode.SCHEMA, path, `期限单位 ${JSON.stringify(unit)} 无效：须为 calendar-days、working-days 或 hours`, `Invalid period unit ${JSON.stringify(unit)}: expected calendar-days, working-days or hours`);
}

function ordinal(n: number): string {
  const t = n % 100;
  const o = n % 10;
  return n + (t >= 11 && t <= 13 ? "th" : o === 1 ? "st" : o === 2 ? "nd" : o === 3 ? "rd" : "th");
}

function dueText(zone: Zone, cal: Calendar, day: number, ms: number): string {
  // Local midnight inside the zone's fixed-offset stretch needs no formatting, only the cached date.
  return ms >= zone.lo && ms <= zone.hi && ms === day * MS_PER_DAY - zone.offset ? cal.formatDate(day) + zone.midnightSuffix : formatIn(zone, ms);
}

/**
 * Day-unit results depend only on (calendar, zone, start day, amount, unit, roll-over), not on the
 * time of day of `from`, so a memo of them keeps string building off the hot path. Set-associative,
 * 8 ways (one cache line of keys): hot keys that collide do not evict each other, which a direct-
 * mapped table did often enough to cost half the throughput (bench/: five years of start days × 4
 * working-day periods hit 90% direct-mapped, 99.6% with 8 ways). Entries are flat, so a hit reads
 * one object. A key is admitted on its second sighting: a stream of one-off keys retains nothing.
 */
interface Memo {
  calendar: Calendar;
  zone: Zone;
  seen: Float64Array;
  keys: Float64Array;
  values: MemoEntry[];
  /** Per set: the way to replace next (round robin). */
  next: Uint8Array;
  /** computeWarnAt's `before` results, direct-mapped: key, instant, text. */
  warnKeys: Float64Array;
  warnAt: Float64Array;
  warnText: string[];
  /** {@link levelDeadline}'s whole results by (start day, level spec), 2-way: created on first use. */
  levelKeys: Float64Array | undefined;
  levelValues: LevelEntry[] | undefined;
}
/** What both memos keep of a deadline: its instants, days and explanation. */
interface MemoEntry {
  dueAt: string;
  dueAtMs: number;
  startDay: string;
  lastDay: string;
  rolledOver: boolean;
  zh: string;
  en: string;
  /** Years without a notice the result counted on. */
  provisional?: number[];
}
interface LevelEntry extends Omit<MemoEntry, "provisional"> {
  warnAt: string | undefined;
  warnAtMs: number;
}

function markProvisional(d: Deadline, years: readonly number[], path: IssuePath): void {
  d.provisional = true;
  d.warnings = [provisionalWarning(years, path)];
  const zh = years.map((y) => `${y}年`).join("、");
  d.explanation = {
    zh: `${d.explanation.zh}【暂行：${zh}放假安排尚未加载，按法定节假日计算】`,
    en: `${d.explanation.en} [Provisional: the ${years.join(", ")} holiday schedule is not loaded; counted on the statutory holidays]`,
  };
}
const MEMO_BITS = 14;
const MEMO_SIZE = 1 << MEMO_BITS;
const MEMO_WAYS = 8;
const WARN_BITS = 12;
const MS_PER_MINUTE = 60_000;
const memos = new WeakMap<Calendar, Map<Zone, Memo>>();
let lastMemo: Memo | undefined;

function memoFor(calendar: Calendar, zone: Zone): Memo {
  let byZone = memos.get(calendar);
  if (byZone === undefined) memos.set(calendar, (byZone = new Map()));
  let memo = byZone.get(zone);
  if (memo === undefined) {
    memo = {
      calendar,
      zone,
      seen: new Float64Array(MEMO_SIZE).fill(Number.NaN),
      keys: new Float64Array(MEMO_SIZE).fill(Number.NaN),
      values: new Array<MemoEntry>(MEMO_SIZE),
      next: new Uint8Array(MEMO_SIZE / MEMO_WAYS),
      warnKeys: new Float64Array(1 << WARN_BITS).fill(Number.NaN),
      warnAt: new Float64Array(1 << WARN_BITS),
      warnText: new Array<string>(1 << WARN_BITS),
      levelKeys: undefined,
      levelValues: undefined,
    };
    byZone.set(zone, memo);
  }
  return (lastMemo = memo);
}

/**
 * When a period counted from `from` ends, following the Civil Code (民法典 第二百零一条至第二百零三条):
 * the starting day (the local date of `from`) is not counted; `N` calendar days end on the
 * start day + N; `N` working days end on the Nth working day after the start day; the period
 * ends at 24:00 of its last day, so `dueAt` is the start of the following local day and a case
 * is overdue iff now ≥ `dueAt`; a last day that is a rest day (weekend or statutory holiday, per
 * the State Council schedule with its adjusted working days) moves to the next working day
 * unless `rollOverRestDays` is false. `hours` periods end exactly N hours after `from`.
 * `from` is ISO 8601 with an offset (a text without one is ambiguous and rejected), a `Date`,
 * or epoch milliseconds; the local dates are those of `options.timezone` (default Asia/Shanghai).
 *
 * @example
 * const calendar = createCalendar();
 * computeDeadline("2024-09-29T10:00:00+08:00", { amount: 7, unit: "calendar-days" }, { calendar });
 * // → { dueAt: "2024-10-09T00:00:00+08:00", startDay: "2024-09-29", lastDay: "2024-10-08", rolledOver: true, … }
 * //   (2024-10-06 falls in the National Day holiday; 2024-10-08 is the next working day)
 * @throws JicengError `INVALID_DATE` for an invalid or offset-less `from`; `CALENDAR_OUT_OF_RANGE`
 *   when a day outside the holiday data must be looked at; `SCHEMA` for a bad period.
 * @see 民法典 第二百零一条、第二百零三条; DESIGN.md decision 6
 */
export function computeDeadline(from: string | Date | number, period: DeadlinePeriod, options: DeadlineOptions): Deadline {
  if (typeof period !== "object" || period === null) badArgument("period", period);
  if (typeof options !== "object" || options === null) badArgument("options", options);
  const path = options.path ?? NO_PATH;
  const ms = toEpochMs(from, path);
  const zone = getZone(options.timezone ?? DEFAULT_TIMEZONE, TIMEZONE_PATH);
  const cal = calendarOf(options.calendar);
  const amount = period.amount;
  const unit = period.unit;
  if ((amount | 0) !== amount || amount < 1 || amount > MAX_AMOUNT) checkAmount(amount, ["period", "amount"]);
  const start = dayOf(zone, ms);

  if (unit === "hours") {
    const dueAtMs = ms + amount * MS_PER_HOUR;
    const dueAt = formatIn(zone, dueAtMs);
    const fromText = formatIn(zone, ms);
    return {
      dueAt,
      dueAtMs,
      startDay: cal.formatDate(start),
      lastDay: cal.formatDate(dayOf(zone, dueAtMs - 1)),
      rolledOver: false,
      explanation: {
        zh: `自 ${fromText} 起算 ${amount} 小时，至 ${dueAt} 届满。（民法典第二百零一条第二款）`,
        en: `${amount} hours from ${fromText} end at ${dueAt}. (Civil Code art. 201 para. 2)`,
      },
    };
  }

  const code = unit === "calendar-days" ? (options.rollOverRestDays === false ? 0 : 1) : unit === "working-days" ? 2 : badUnit(unit, ["period", "unit"]);
  const memo = lastMemo !== undefined && lastMemo.calendar === cal && lastMemo.zone === zone ? lastMemo : memoFor(cal, zone);
  const key = (start * 4 + code) * 4096 + amount;
  const slot = (Math.imul(start * 4 + code, 0x9e3779b1) + Math.imul(amount, 0x85ebca6b)) >>> (32 - MEMO_BITS);
  const set = slot & -MEMO_WAYS;
  const keys = memo.keys;
  for (let w = set; w < set + MEMO_WAYS; w++) {
    if (keys[w] !== key) continue;
    const v = memo.values[w]!;
    const hit: Deadline = { dueAt: v.dueAt, dueAtMs: v.dueAtMs, startDay: v.startDay, lastDay: v.lastDay, rolledOver: v.rolledOver, explanation: { zh: v.zh, en: v.en } };
    if (v.provisional !== undefined) markProvisional(hit, v.provisional, path);
    return hit;
  }

  let last: number;
  let rolledOver = false;
  if (code === 2) {
    last = cal.addWorkingDays(start, amount, path);
  } else {
    last = start + amount;
    if (code === 1 && cal.isRestDay(last, path)) {
      last = cal.nextWorkingDay(last, path);
      rolledOver = true;
    }
  }
  const dueDay = last + 1;
  const dueAtMs = startOfDay(zone, dueDay);
  const dueAt = dueText(zone, cal, dueDay, dueAtMs);
  const startDay = cal.formatDate(start);
  const lastDay = cal.formatDate(last);
  const explanation = explain(cal, unit, amount, startDay, start + amount, lastDay, rolledOver, path);
  const out: Deadline = { dueAt, dueAtMs, startDay, lastDay, rolledOver, explanation };
  // Days looked at: start + 1 … last (working days), start + amount … last (calendar days).
  const provisional = last > cal.officialLastDay ? cal.provisionalYears(start + 1, last) : undefined;
  if (provisional !== undefined && provisional.length) markProvisional(out, provisional, path);
  if (memo.seen[slot] === key) {
    const k = memo.next[set / MEMO_WAYS]!;
    memo.next[set / MEMO_WAYS] = (k + 1) % MEMO_WAYS;
    const w = set + k;
    memo.keys[w] = key;
    const entry: MemoEntry = { dueAt, dueAtMs, startDay, lastDay, rolledOver, zh: explanation.zh, en: explanation.en };
    if (out.provisional) entry.provisional = provisional!;
    memo.values[w] = entry;
  } else {
    memo.seen[slot] = key;
  }
  return out;
}

function explain(cal: Calendar, unit: PeriodUnit, amount: number, startDay: string, counted: number, lastDay: string, rolledOver: boolean, path: IssuePath): Text {
  if (unit === "working-days") {
    return {
      zh: `起算日 ${startDay} 不计入，其后第 ${amount} 个工作日为 ${lastDay}，期限至该日 24:00 届满。（民法典第二百零一条、第二百零三条；工作日依国务院放假调休安排）`,
      en: `The starting day ${startDay} is not counted; the ${ordinal(amount)} working day after it is ${lastDay}, and the period ends at 24:00 on that day. (Civil Code arts. 201, 203; working days per the State Council schedule)`,
    };
  }
  if (!rolledOver) {
    return {
      zh: `起算日 ${startDay} 不计入，${amount} 日期间的最后一日为 ${lastDay}，期限至该日 24:00 届满。（民法典第二百零一条、第二百零三条）`,
      en: `The starting day ${startDay} is not counted; the last of ${amount} calendar days is ${lastDay}, and the period ends at 24:00 on that day. (Civil Code arts. 201, 203)`,
    };
  }
  const info = cal.describeDay(counted, path);
  const why: Text = info.name !== undefined && info.kind === "holiday" ? info.name : { zh: "周末", en: "a weekend" };
  return {
    zh: `起算日 ${startDay} 不计入，${amount} 日期间的最后一日 ${info.date} 为休息日（${why.zh}），顺延至下一工作日 ${lastDay}，期限至该日 24:00 届满。（民法典第二百零一条、第二百零三条）`,
    en: `The starting day ${startDay} is not counted; the last of ${amount} calendar days, ${info.date}, is a rest day (${why.en}), so the period runs to the next working day, ${lastDay}, and ends at 24:00 on that day. (Civil Code arts. 201, 203)`,
  };
}

/**
 * `amount` working days before `day`. Counting back past the start of the data means counting
 * back past `from` (inside the data), where the warning is clamped to `from` anyway.
 */
function workingDaysBack(cal: Calendar, day: number, amount: number, fromMs: number, zone: Zone, path: IssuePath): number {
  try {
    return cal.addWorkingDays(day, -amount, path);
  } catch (e) {
    if (isJicengError(e) && e.code === IssueCode.CALENDAR_OUT_OF_RANGE && day <= cal.lastDay && dayOf(zone, fromMs) >= cal.firstDay) return Number.NEGATIVE_INFINITY;
    throw e;
  }
}

/**
 * When to warn about a deadline: `before` N hours / calendar days / working days before `dueAt`
 * (calendar and working days keep the wall-clock time; a `dueAt` at midnight counts as 24:00 of
 * the day before), or `fraction` of the way from `from` to `dueAt`. Never earlier than `from`,
 * never later than `dueAt`.
 *
 * @example
 * const calendar = createCalendar();
 * const d = computeDeadline("2024-09-29T10:00:00+08:00", { amount: 7, unit: "calendar-days" }, { calendar });
 * computeWarnAt("2024-09-29T10:00:00+08:00", d, { before: { amount: 1, unit: "working-days" } }, { calendar });
 * // → { warnAt: "2024-10-01T00:00:00+08:00", … } (24:00 of 2024-09-30, the working day before 10-08)
 * computeWarnAt("2024-09-29T10:00:00+08:00", d, { fraction: 0.5 }, { calendar }).warnAt;
 * // → "2024-10-04T05:00:00+08:00"
 * @throws JicengError `INVALID_DATE`, `CALENDAR_OUT_OF_RANGE`, or `SCHEMA` when not exactly one of before / fraction is given.
 * @see computeDeadline
 */
export function computeWarnAt(from: string | Date | number, deadline: Pick<Deadline, "dueAtMs">, warn: DeadlineWarning, options: DeadlineOptions): WarnTime {
  if (typeof deadline !== "object" || deadline === null) badArgument("deadline", deadline);
  if (typeof warn !== "object" || warn === null) badArgument("warn", warn);
  if (typeof options !== "object" || options === null) badArgument("options", options);
  const path = options.path ?? NO_PATH;
  const fromMs = toEpochMs(from, path);
  const zone = getZone(options.timezone ?? DEFAULT_TIMEZONE, TIMEZONE_PATH);
  const dueAtMs = toEpochMs(deadline.dueAtMs, ["deadline", "dueAtMs"]);
  const { before, fraction } = warn;
  if ((before === undefined) === (fraction === undefined)) {
    fail(IssueCode.SCHEMA, ["warn"], "预警须二选一：before 或 fraction", "A warning needs exactly one of before or fraction");
  }
  let at: number;
  let memo: Memo | undefined;
  let slot = 0;
  let key = 0;
  if (fraction !== undefined) {
    if (!(fraction > 0 && fraction < 1)) fail(IssueCode.SCHEMA, ["warn", "fraction"], `预警比例 ${String(fraction)} 须大于 0 且小于 1`, `Warning fraction ${String(fraction)} must be greater than 0 and less than 1`);
    at = fromMs + Math.floor(fraction * (dueAtMs - fromMs));
  } else {
    const { amount, unit } = before!;
    checkAmount(amount, ["warn", "before", "amount"]);
    // A warning `before` the due time depends on (calendar, zone, dueAt, amount, unit) only, until
    // it is clamped to `from`: memoized like computeDeadline's day results, keyed by the due minute.
    const code = unit === "hours" ? 0 : unit === "calendar-days" ? 1 : unit === "working-days" ? 2 : badUnit(unit, ["warn", "before", "unit"]);
    const dueMin = dueAtMs / MS_PER_MINUTE;
    const calendar = calendarOf(options.calendar);
    memo = dueMin === Math.floor(dueMin) ? (lastMemo !== undefined && lastMemo.calendar === calendar && lastMemo.zone === zone ? lastMemo : memoFor(calendar, zone)) : undefined;
    key = (dueMin * 4096 + amount) * 4 + code;
    slot = memo === undefined ? 0 : (Math.imul(dueMin | 0, 0x9e3779b1) + Math.imul(amount * 4 + code, 0x85ebca6b)) >>> (32 - WARN_BITS);
    if (memo !== undefined && memo.warnKeys[slot] === key) {
      const at = memo.warnAt[slot]!;
      if (at >= fromMs) return { warnAt: memo.warnText[slot]!, warnAtMs: at };
    }
    if (unit === "hours") {
      at = dueAtMs - amount * MS_PER_HOUR;
    } else {
      const local = dueAtMs + offsetAt(zone, dueAtMs);
      let day = Math.floor(local / MS_PER_DAY);
      const msOfDay = local - day * MS_PER_DAY;
      if (unit === "calendar-days") {
        day -= amount;
      } else if (unit === "working-days") {
        const cal = calendarOf(options.calendar);
        day = msOfDay === 0 ? workingDaysBack(cal, day - 1, amount, fromMs, zone, path) + 1 : workingDaysBack(cal, day, amount, fromMs, zone, path);
      } else {
        badUnit(unit, ["warn", "before", "unit"]);
      }
      if (day === Number.NEGATIVE_INFINITY) {
        at = fromMs;
        memo = undefined; // depends on `from`
      } else at = localToInstant(zone, day * MS_PER_DAY + msOfDay);
    }
  }
  if (at < fromMs) {
    // Clamped to `from` (never later than dueAt): depends on `from`, not memoized.
    const clamped = fromMs > dueAtMs ? dueAtMs : fromMs;
    return { warnAt: formatIn(zone, clamped), warnAtMs: clamped };
  }
  if (at > dueAtMs) at = dueAtMs;
  const warnAt = formatIn(zone, at);
  if (memo !== undefined) {
    memo.warnKeys[slot] = key;
    memo.warnAt[slot] = at;
    memo.warnText[slot] = warnAt;
  }
  return { warnAt, warnAtMs: at };
}

// ── A level's deadline and warning, memoized whole ──────────────────────────

/** A level's deadline and its warning time, with the level's id (engine.deadline's result). */
export interface LevelDeadlineResult extends Deadline {
  level: string;
  warnAt?: string;
  warnAtMs?: number;
}

/** The deadline rules of a level, prepared once by {@link levelDeadlineSpec}. */
export interface LevelDeadlineSpec {
  readonly period: DeadlinePeriod;
  readonly warn: DeadlineWarning | undefined;
  /** Small number naming (period, warning, roll-over) in the memo's keys; -1: never memoized. */
  readonly id: number;
}

const LEVEL_BITS = 14;
const LEVEL_SPECS = 4096;
/** Every distinct (period, warning, roll-over) seen, numbered: the level part of a memo key. */
const specIds = new Map<string, number>();

/**
 * Prepares a level's deadline rules for {@link levelDeadline}. Levels with the same period, warning
 * and roll-over rule share one number, so two packs (or engines) on one calendar share entries and
 * never see each other's: the key is the rule, not the level's name or position.
 */
export function levelDeadlineSpec(period: DeadlinePeriod, warn: DeadlineWarning | undefined, rollOverRestDays: boolean | undefined): LevelDeadlineSpec {
  // A day-unit deadline depends on the start day only, a `before` warning on the due instant only
  // (unless clamped to `from`, which a hit checks): hours and fractions depend on the time of day.
  const memoizable = period.unit !== "hours" && (warn === undefined || (warn.before !== undefined && warn.fraction === undefined));
  let id = -1;
  if (memoizable) {
    const key = JSON.stringify([period.amount, period.unit, rollOverRestDays !== false, warn?.before?.amount ?? null, warn?.before?.unit ?? null]);
    const known = specIds.get(key);
    if (known !== undefined) id = known;
    else if (specIds.size < LEVEL_SPECS) specIds.set(key, (id = specIds.size));
  }
  return { period, warn, id };
}

/**
 * {@link computeDeadline} of a level's period from `from`, then {@link computeWarnAt} of its warning
 * if it has one, as one object with the level's id (keys in this order: dueAt, dueAtMs, startDay,
 * lastDay, rolledOver, explanation, level, warnAt, warnAtMs; provisional results add provisional and
 * warnings). Memoized with computeDeadline's day results, per (calendar, zone), by (start day,
 * level rule): each hit is one fresh literal. Hour periods, fraction warnings, provisional results
 * and warnings clamped to `from` are computed every time.
 */
export function levelDeadline(from: string | Date | number, level: string, spec: LevelDeadlineSpec, options: DeadlineOptions): LevelDeadlineResult {
  let memo: Memo | undefined;
  let key = 0;
  let home = 0;
  let ms = 0;
  if (spec.id >= 0) {
    ms = toEpochMs(from, options.path ?? NO_PATH);
    const zone = getZone(options.timezone ?? DEFAULT_TIMEZONE, TIMEZONE_PATH);
    const cal = calendarOf(options.calendar);
    memo = lastMemo !== undefined && lastMemo.calendar === cal && lastMemo.zone === zone ? lastMemo : memoFor(cal, zone);
    const keys = (memo.levelKeys ??= new Float64Array(1 << LEVEL_BITS).fill(Number.NaN));
    const values = (memo.levelValues ??= new Array<LevelEntry>(1 << LEVEL_BITS));
    key = dayOf(zone, ms) * LEVEL_SPECS + spec.id;
    home = Math.imul(key | 0, 0x9e3779b1) >>> (32 - LEVEL_BITS);
    const slot = keys[home] === key ? home : home ^ 1;
    if (keys[slot] === key) {
      const e = values[slot]!;
      if (e.warnAt === undefined) return { dueAt: e.dueAt, dueAtMs: e.dueAtMs, startDay: e.startDay, lastDay: e.lastDay, rolledOver: e.rolledOver, explanation: { zh: e.zh, en: e.en }, level };
      // A warning before `from` would be clamped to it: not a function of the start day alone.
      if (e.warnAtMs >= ms) return { dueAt: e.dueAt, dueAtMs: e.dueAtMs, startDay: e.startDay, lastDay: e.lastDay, rolledOver: e.rolledOver, explanation: { zh: e.zh, en: e.en }, level, warnAt: e.warnAt, warnAtMs: e.warnAtMs };
    }
  }
  const d = computeDeadline(from, spec.period, options);
  // One object literal per shape, keys in one order: a spread plus added keys gives results of
  // many hidden classes, and every later call takes V8's slow path (bench/ANALYSIS.md).
  let out: LevelDeadlineResult;
  if (spec.warn === undefined) out = { dueAt: d.dueAt, dueAtMs: d.dueAtMs, startDay: d.startDay, lastDay: d.lastDay, rolledOver: d.rolledOver, explanation: d.explanation, level };
  else {
    const w = computeWarnAt(from, d, spec.warn, options);
    out = { dueAt: d.dueAt, dueAtMs: d.dueAtMs, startDay: d.startDay, lastDay: d.lastDay, rolledOver: d.rolledOver, explanation: d.explanation, level, warnAt: w.warnAt, warnAtMs: w.warnAtMs };
  }
  if (d.provisional) return { ...out, provisional: true, warnings: d.warnings ?? [] };
  // A warning at `from` may have been clamped: not memoized.
  if (memo !== undefined && (out.warnAt === undefined || out.warnAtMs! > ms)) {
    const keys = memo.levelKeys!;
    // The second way of the pair when the first holds another key (the first keeps the older key).
    let slot = home;
    if (keys[slot] === keys[slot] && keys[slot] !== key) slot ^= 1;
    keys[slot] = key;
    memo.levelValues![slot] = { dueAt: out.dueAt, dueAtMs: out.dueAtMs, startDay: out.startDay, lastDay: out.lastDay, rolledOver: out.rolledOver, zh: out.explanation.zh, en: out.explanation.en, warnAt: out.warnAt, warnAtMs: out.warnAtMs ?? 0 };
  }
  return out;
}
