import type * as z from "zod";
import { fail, issue, IssueCode, JicengError, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { CalendarSchema } from "./schema.js";
import { CN_STATE_COUNCIL, type HolidayDataset } from "./dataset.js";
import { checkDayNumber, civilFromDays, daysFromCivil, formatDay, isWeekend, readDate } from "./days.js";
import { DEFAULT_MAKE_UP_RULE, FESTIVALS_LAST_YEAR, provisionalYear, type MakeUpRule } from "./festivals.js";
import { periodName, safeParseSchedule, type HolidaySchedule, type HolidayScheduleInput } from "./schedule.js";

/** What to do with a date the holiday data does not cover (from the pack's `calendar.outOfRange`). */
export type OutOfRange = z.output<typeof CalendarSchema>["outOfRange"];

/**
 * Past the last loaded notice: `"provisional"` counts on the provisional calendar (weekends, the
 * statutory days of 《全国年节及纪念日放假办法》 and make-up days), every result marked; `"refuse"`
 * throws `CALENDAR_OUT_OF_RANGE`.
 */
export type BeyondSchedule = "provisional" | "refuse";

/** A loaded schedule: the schedule file's JSON, or it with where it came from (shown by `status`). */
export type ScheduleSource = HolidayScheduleInput | { source: string; schedule: unknown };

/** Options for {@link createCalendar}. */
export interface CalendarOptions {
  /**
   * Outside the data's years (and past the provisional calendar's): `"error"` (default) throws
   * `CALENDAR_OUT_OF_RANGE`; `"weekends-only"` treats Saturdays and Sundays as the only rest days
   * (an explicit choice).
   */
  outOfRange?: OutOfRange;
  /** Past the last notice: provisional deadlines (default) or refuse. */
  beyondSchedule?: BeyondSchedule;
  /** Notices published after this release: schedule files, validated strictly. */
  schedules?: readonly ScheduleSource[];
  /** A loaded year replaces the shipped one only with `override: true`; otherwise it is ignored, with a warning. */
  override?: boolean;
  /** Another base dataset in place of {@link CN_STATE_COUNCIL} (validated like a loaded schedule). */
  dataset?: HolidayDataset;
  /** How the provisional calendar makes up statutory days on weekends (for measurement). */
  makeUp?: MakeUpRule;
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
  /** True when the day is past the last loaded notice: on the provisional calendar. */
  provisional?: true;
}

/** One year of the calendar: which notice it comes from. */
export interface CalendarYear {
  year: number;
  /** `shipped` (in this release of @jiceng/core) or `loaded` (a schedule file). */
  source: "shipped" | "loaded";
  /** Where a loaded schedule came from (a file name), when given. */
  file?: string;
  notice: { title: string; number?: string; date?: string };
  /** A loaded schedule that replaced the shipped one (`override`). */
  overridesShipped?: true;
}

/**
 * Working days and rest days over day numbers (days since 1970-01-01 of a local date),
 * precomputed from the holiday schedules. Every method is O(1) inside the data's years.
 */
export interface Calendar {
  /** Dataset id, e.g. `cn-state-council`. */
  readonly dataset: string;
  /** Dataset version, e.g. `chinese-days@1.5.7`. */
  readonly version: string;
  /** First year of the index. */
  readonly firstYear: number;
  /** Last year of the index: the last notice's, or the provisional calendar's last. */
  readonly lastYear: number;
  /** Day number of `firstYear-01-01`. */
  readonly firstDay: number;
  /** Day number of `lastYear-12-31`. */
  readonly lastDay: number;
  /** The year of the last notice (shipped or loaded). */
  readonly officialLastYear: number;
  /** Day number of `officialLastYear-12-31`: later days are provisional. */
  readonly officialLastDay: number;
  readonly outOfRange: OutOfRange;
  readonly beyondSchedule: BeyondSchedule;
  /** The years with a notice, and where each came from. */
  readonly years: readonly CalendarYear[];
  /** Loaded schedules that were not used (a shipped year without `override`). */
  readonly warnings: readonly JicengIssue[];
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
  /** The years without a notice that days `from` … `to` reach (empty when all are official). */
  provisionalYears(from: number, to: number): number[];
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
  officialLastYear: number;
  officialLast: number;
  years: CalendarYear[];
  warnings: JicengIssue[];
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

/** Indexes of the shipped data alone, per mode; of loaded schedules, per schedules array and mode. */
const shippedIndexes = new WeakMap<HolidayDataset, Map<string, CalendarIndex>>();
const loadedIndexes = new WeakMap<readonly ScheduleSource[], Map<string, CalendarIndex>>();

interface Entry {
  schedule: HolidaySchedule;
  info: CalendarYear;
}

/** The schedules of the base dataset and the loaded ones, merged by year, validated. */
function collect(base: HolidayDataset, trustedBase: boolean, loaded: readonly ScheduleSource[], override: boolean): { entries: Entry[]; warnings: JicengIssue[] } {
  const errors: JicengIssue[] = [];
  const warnings: JicengIssue[] = [];
  const byYear = new Map<number, Entry>();
  const notice = (s: HolidaySchedule): CalendarYear["notice"] => {
    const n: CalendarYear["notice"] = { title: s.notice.title };
    if (s.notice.number !== undefined) n.number = s.notice.number;
    if (s.notice.date !== undefined) n.date = s.notice.date;
    return n;
  };
  if (!Array.isArray(base.schedules)) fail(IssueCode.INVALID_SCHEDULE, ["dataset", "schedules"], "节假日数据须有 schedules 列表", "A holiday dataset needs a schedules list");
  base.schedules.forEach((raw, i) => {
    let s: HolidaySchedule;
    if (trustedBase) s = { ...(raw as HolidaySchedule), workdays: (raw as HolidaySchedule).workdays ?? [] };
    else {
      const r = safeParseSchedule(raw, ["dataset", "schedules", i]);
      if (!r.success) return void errors.push(...r.issues);
      s = r.data;
    }
    byYear.set(s.year, { schedule: s, info: { year: s.year, source: "shipped", notice: notice(s) } });
  });
  const loadedYears = new Map<number, number>();
  loaded.forEach((item, i) => {
    const wrapped = typeof item === "object" && item !== null && "schedule" in item && "source" in item && !("year" in item);
    const raw = wrapped ? (item as { schedule: unknown }).schedule : item;
    const file = wrapped ? String((item as { source: unknown }).source) : undefined;
    const path: IssuePath = ["calendar", "schedules", i];
    const r = safeParseSchedule(raw, path);
    if (!r.success) return void errors.push(...r.issues.map((x) => (file === undefined ? x : { ...x, message: { zh: `${file}：${x.message.zh}`, en: `${file}: ${x.message.en}` } })));
    const s = r.data;
    const info: CalendarYear = { year: s.year, source: "loaded", notice: notice(s) };
    if (file !== undefined) info.file = file;
    const twice = loadedYears.get(s.year);
    if (twice !== undefined) {
      errors.push(issue(IssueCode.INVALID_SCHEDULE, [...path, "year"], `${s.year}年的放假安排加载了两次（第 ${twice + 1} 个与第 ${i + 1} 个）`, `The ${s.year} holiday schedule is loaded twice (no. ${twice + 1} and no. ${i + 1})`));
      return;
    }
    loadedYears.set(s.year, i);
    const shipped = byYear.get(s.year);
    if (shipped !== undefined && !override) {
      warnings.push(issue(IssueCode.INVALID_SCHEDULE, [...path, "year"], `${s.year}年的放假安排已随本版本提供，加载的${file ?? "文件"}未使用；如需替换，请使用 --override（override: true）`, `The ${s.year} holiday schedule ships with this release; the loaded ${file ?? "file"} is not used. To replace it, use --override (override: true)`, { severity: "warning" }));
      return;
    }
    if (shipped !== undefined) info.overridesShipped = true;
    byYear.set(s.year, { schedule: s, info });
  });
  if (errors.length) throw new JicengError(errors);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  if (years.length === 0) fail(IssueCode.INVALID_SCHEDULE, ["calendar", "schedules"], "没有任何年份的放假安排", "No year has a holiday schedule");
  const missing: number[] = [];
  for (let y = years[0]!; y <= years[years.length - 1]!; y++) if (!byYear.has(y)) missing.push(y);
  if (missing.length) {
    fail(IssueCode.INVALID_SCHEDULE, ["calendar", "schedules"], `放假安排须逐年连续：缺少 ${missing.join("、")} 年（已有 ${years[0]}–${years[years.length - 1]} 年中的其余年份）`, `Holiday schedules must be consecutive years: ${missing.join(", ")} missing (between ${years[0]} and ${years[years.length - 1]})`);
  }
  return { entries: years.map((y) => byYear.get(y)!), warnings };
}

function buildIndex(base: HolidayDataset, trustedBase: boolean, loaded: readonly ScheduleSource[], override: boolean, beyond: BeyondSchedule, makeUp: MakeUpRule): CalendarIndex {
  if (typeof base !== "object" || base === null) fail(IssueCode.SCHEMA, ["dataset"], "节假日数据无效：须为对象", "Invalid holiday data: expected an object");
  const { entries, warnings } = collect(base, trustedBase, loaded, override);
  const firstYear = entries[0]!.schedule.year;
  const officialLastYear = entries[entries.length - 1]!.schedule.year;
  const lastYear = beyond === "provisional" ? Math.max(officialLastYear, FESTIVALS_LAST_YEAR) : officialLastYear;
  const first = daysFromCivil(firstYear, 1, 1);
  const officialLast = daysFromCivil(officialLastYear, 12, 31);
  const last = daysFromCivil(lastYear, 12, 31);
  const size = last - first + 1;
  const kinds = new Uint8Array(size);
  const nameOf = new Uint16Array(size);
  const names: Text[] = [{ zh: "", en: "" }];
  const nameIds = new Map<string, number>();
  const nameId = (t: Text): number => {
    const key = `${t.zh}/${t.en}`;
    let id = nameIds.get(key);
    if (id === undefined) {
      names.push({ zh: t.zh, en: t.en });
      id = names.length - 1;
      nameIds.set(key, id);
    }
    return id;
  };
  for (let i = 0; i < size; i++) kinds[i] = isWeekend(first + i) ? KIND_WEEKEND : KIND_WORKDAY;
  for (const { schedule } of entries) {
    for (const p of schedule.holidays) {
      const id = nameId(periodName(p));
      for (let day = Math.max(readDate(p.from), first); day <= readDate(p.to); day++) {
        kinds[day - first] = KIND_HOLIDAY;
        nameOf[day - first] = id;
      }
    }
    for (const w of schedule.workdays) {
      const i = readDate(w.date) - first;
      if (i < 0) continue;
      kinds[i] = KIND_ADJUSTED;
      nameOf[i] = 0;
    }
  }
  for (let y = officialLastYear + 1; y <= lastYear; y++) {
    for (const p of provisionalYear(y, makeUp) ?? []) {
      const i = p.day - first;
      if (i < 0 || i >= size) continue;
      kinds[i] = KIND_HOLIDAY;
      nameOf[i] = nameId(p.name);
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
  // Filled on first use: formatting every day up front was most of a cold createCalendar
  // (bench/: 17 → 7 ms of CPU in a fresh process).
  const dates = new Array<string | undefined>(size + 1).fill(undefined);
  return {
    dataset: String(base.dataset),
    version: String(base.version),
    firstYear,
    lastYear,
    officialLastYear,
    officialLast,
    years: entries.map((e) => e.info),
    warnings,
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
  readonly officialLastYear: number;
  readonly officialLastDay: number;
  readonly outOfRange: OutOfRange;
  readonly beyondSchedule: BeyondSchedule;
  readonly years: readonly CalendarYear[];
  readonly warnings: readonly JicengIssue[];
  readonly #x: CalendarIndex;
  readonly #first: number;
  readonly #size: number;
  readonly #kinds: Uint8Array;
  readonly #weekendsOnly: boolean;

  constructor(x: CalendarIndex, outOfRange: OutOfRange, beyond: BeyondSchedule) {
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
    this.officialLastYear = x.officialLastYear;
    this.officialLastDay = x.officialLast;
    this.outOfRange = outOfRange;
    this.beyondSchedule = beyond;
    this.years = x.years;
    this.warnings = x.warnings;
  }

  provisionalYears(from: number, to: number): number[] {
    if (to <= this.officialLastDay) return [];
    const a = Math.max(from, this.officialLastDay + 1);
    const y1 = Math.floor(civilFromDays(a) / 10_000);
    const y2 = Math.floor(civilFromDays(to) / 10_000);
    const out: number[] = [];
    for (let y = y1; y <= y2; y++) out.push(y);
    return out;
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
    if (day > this.officialLastDay) info.provisional = true;
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
    if (day > x.officialLast && this.beyondSchedule === "refuse") {
      const year = x.officialLastYear + 1;
      return fail(
        IssueCode.CALENDAR_OUT_OF_RANGE,
        path,
        `日期 ${date} 晚于已加载的放假安排（至 ${formatDay(x.officialLast)}）：${year}年放假安排尚未加载，且 calendar.beyondSchedule 为 "refuse"（不按暂行日历计算）。请加载${year}年的放假安排文件（--calendar 文件 或 JICENG_CALENDAR_DIR），或改用 "provisional"`,
        `The date ${date} is past the loaded holiday schedules (to ${formatDay(x.officialLast)}): the ${year} schedule is not loaded, and calendar.beyondSchedule is "refuse" (no provisional calendar). Load the ${year} schedule file (--calendar FILE or JICENG_CALENDAR_DIR), or use "provisional"`,
      );
    }
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
 * schedules shipped with this release plus any `schedules` loaded (a notice published since).
 * Days are day numbers: days since 1970-01-01 of a local date (see {@link parseLocalDate}). A rest
 * day is a Saturday or Sunday that is not an adjusted working day (调休上班), or a listed holiday.
 * Past the last notice, days follow the provisional calendar (weekends, the statutory days of
 * 《全国年节及纪念日放假办法》, make-up days) up to 2100, unless `beyondSchedule: "refuse"`. A day
 * outside all of it throws `CALENDAR_OUT_OF_RANGE` unless `outOfRange: "weekends-only"` is chosen.
 *
 * @example
 * const cal = createCalendar();
 * cal.isRestDay(parseLocalDate("2024-10-07"));    // true  (National Day holiday, a Monday)
 * cal.isRestDay(parseLocalDate("2024-10-12"));    // false (adjusted working Saturday)
 * formatLocalDate(cal.addWorkingDays(parseLocalDate("2024-09-30"), 1)); // "2024-10-08"
 * cal.describeDay(parseLocalDate("2027-02-08"));  // { rest: true, name: { zh: "春节", … }, provisional: true, … }
 * createCalendar({ beyondSchedule: "refuse" }).isRestDay(parseLocalDate("2027-02-08")); // throws CALENDAR_OUT_OF_RANGE
 * @throws JicengError `INVALID_SCHEDULE` for a loaded schedule that is invalid, loaded twice, or leaves a year out.
 * @see 国务院办公厅关于部分节假日安排的通知 (the yearly State Council notice)
 */
export function createCalendar(options: CalendarOptions = {}): Calendar {
  const outOfRange = options.outOfRange ?? "error";
  if (outOfRange !== "error" && outOfRange !== "weekends-only") {
    fail(IssueCode.SCHEMA, ["outOfRange"], `calendar.outOfRange 须为 "error" 或 "weekends-only"`, `calendar.outOfRange must be "error" or "weekends-only"`);
  }
  const beyond = options.beyondSchedule ?? "provisional";
  if (beyond !== "provisional" && beyond !== "refuse") {
    fail(IssueCode.SCHEMA, ["beyondSchedule"], `calendar.beyondSchedule 须为 "provisional" 或 "refuse"`, `calendar.beyondSchedule must be "provisional" or "refuse"`);
  }
  const makeUp = options.makeUp ?? DEFAULT_MAKE_UP_RULE;
  const loaded = options.schedules ?? [];
  if (!Array.isArray(loaded)) fail(IssueCode.INVALID_SCHEDULE, ["calendar", "schedules"], "schedules 须为放假安排的列表", "schedules must be a list of holiday schedules");
  const override = options.override === true;
  const ds = options.dataset ?? CN_STATE_COUNCIL;
  const key = `${beyond}|${makeUp}|${override}`;
  let cache: Map<string, CalendarIndex> | undefined;
  if (loaded.length === 0) {
    cache = shippedIndexes.get(ds);
    if (cache === undefined) shippedIndexes.set(ds, (cache = new Map()));
  } else {
    cache = loadedIndexes.get(loaded);
    if (cache === undefined) loadedIndexes.set(loaded, (cache = new Map()));
  }
  let x = cache.get(ds === CN_STATE_COUNCIL ? key : key + "|custom");
  if (x === undefined) {
    x = buildIndex(ds, ds === CN_STATE_COUNCIL, loaded, override, beyond, makeUp);
    cache.set(ds === CN_STATE_COUNCIL ? key : key + "|custom", x);
  }
  return new IndexedCalendar(x, outOfRange, beyond);
}
