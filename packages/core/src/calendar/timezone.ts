import { fail, IssueCode, type IssuePath } from "../errors/index.js";
import { daysFromCivil, dayString, digits2, MS_PER_DAY, PAD2, readDate } from "./days.js";

/** The time zone jiceng uses unless a pack says otherwise. */
export const DEFAULT_TIMEZONE = "Asia/Shanghai";

/** Instants this module accepts: years 0001–9999 in every zone. */
const MIN_MS = -62_135_596_800_000 + MS_PER_DAY;
const MAX_MS = 253_402_300_799_999 - MS_PER_DAY;
const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** A stretch of time [lo, hi] over which a zone's offset is verified constant. */
export interface Stretch {
  /** Offset (ms) over [lo, hi]. */
  offset: number;
  lo: number;
  hi: number;
  /** Whether the stretch may still grow downwards / upwards (false once a transition is found). */
  loOpen: boolean;
  hiOpen: boolean;
  /** `+08:00` for `offset`. */
  offsetText: string;
  /** `T00:00:00+08:00`: what follows the date in the ISO text of a local midnight at `offset`. */
  midnightSuffix: string;
}

/**
 * A resolved IANA zone. Its own stretch fields are the most recently used stretch of constant
 * offset (sampled weekly, transitions found to the millisecond); instants inside are converted by
 * arithmetic alone, the rest ask `Intl.DateTimeFormat`. Stretches grow lazily around the instants
 * asked for, so Asia/Shanghai (+08:00, no daylight saving since 1991) takes the arithmetic path
 * for every modern date after a few Intl calls; daylight-saving zones keep a few seasons.
 */
export interface Zone extends Stretch {
  readonly name: string;
  /** Made on first need: a zone of the fixed-offset table starts without one (no ICU at start-up). */
  formatter: Intl.DateTimeFormat | undefined;
  /** Less recently used stretches. */
  readonly others: Stretch[];
  /** Stretches started so far; after MAX_SEEDS, instants outside every stretch just ask Intl. */
  seeds: number;
}

const WEEK = 7 * MS_PER_DAY;
/** A new or grown stretch reaches this far beyond the instant asked for. */
const MARGIN = 62 * MS_PER_DAY;
/** Grow a stretch by at most this much at once; farther instants start a new stretch. */
const MAX_GROW = 25 * 366 * MS_PER_DAY;
const MAX_OTHERS = 7;
const MAX_SEEDS = 64;

const zones = new Map<string, Zone>();
let lastName = "";
let lastZone: Zone | undefined;

/** The offset (ms) at instant `ms`, from Intl. */
function intlOffset(formatter: Intl.DateTimeFormat, ms: number): number {
  // "1/1/2024, GMT+08:00" | "GMT+08:05:43" | "GMT"
  const s = formatter.format(ms);
  const i = s.lastIndexOf("GMT");
  if (i < 0 || i + 3 === s.length) return 0;
  const sign = s.charCodeAt(i + 3) === 45 || s.charCodeAt(i + 3) === 0x2212 ? -1 : 1;
  const h = digits2(s, i + 4);
  const m = s.length >= i + 9 ? digits2(s, i + 7) : 0;
  const sec = s.length >= i + 12 ? digits2(s, i + 10) : 0;
  return sign * (h * MS_PER_HOUR + m * MS_PER_MINUTE + sec * 1000);
}

function offsetText(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(Math.round(offset / 1000));
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  return sign + PAD2[h] + ":" + PAD2[m] + (s ? ":" + PAD2[s] : "");
}

/**
 * The zone named `name` (IANA), resolved once and cached.
 * @throws JicengError `INVALID_DATE` for an unknown zone.
 */
export function getZone(name: string = DEFAULT_TIMEZONE, path: IssuePath = []): Zone {
  if (name === lastName && lastZone !== undefined) return lastZone;
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = resolveZone(name, path);
    zones.set(name, zone);
  }
  lastName = name;
  lastZone = zone;
  return zone;
}

/**
 * Zones whose offset has not changed since before the shipped holiday data starts, with the first
 * instant of that offset: their stretch is known without asking Intl, so a fresh process grades and
 * counts deadlines without loading ICU's zone data. Asia/Shanghai (and its tzdata links) has been
 * +08:00 since daylight saving ended at 1991-09-15 02:00 local (1991-09-14T17:00Z). Earlier
 * instants ask Intl as any zone does; a test holds the table to Intl.
 */
export const FIXED_OFFSET_ZONES: ReadonlyMap<string, { offset: number; since: number }> = new Map(
  ["Asia/Shanghai", "PRC", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin"].map((n) => [n, { offset: 8 * MS_PER_HOUR, since: Date.UTC(1991, 8, 14, 17) }] as const),
);

function makeFormatter(name: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "longOffset" });
}

function resolveZone(name: string, path: IssuePath): Zone {
  const fixed = FIXED_OFFSET_ZONES.get(name);
  if (fixed !== undefined) {
    const text = offsetText(fixed.offset);
    return { name, formatter: undefined, others: [], seeds: 0, offset: fixed.offset, lo: fixed.since, hi: MAX_MS, loOpen: false, hiOpen: false, offsetText: text, midnightSuffix: "T00:00:00" + text };
  }
  let formatter: Intl.DateTimeFormat;
  try {
    if (typeof name !== "string" || name.length === 0 || name.length > 64) throw new RangeError();
    formatter = makeFormatter(name);
  } catch {
    const shown = typeof name === "string" ? `"${name.slice(0, 64)}"` : String(name);
    return fail(IssueCode.INVALID_DATE, path, `未知的时区 ${shown}：须为 IANA 时区名，如 Asia/Shanghai`, `Unknown time zone ${shown}: expected an IANA zone name such as Asia/Shanghai`);
  }
  return {
    name,
    formatter,
    others: [],
    seeds: 0,
    offset: Number.NaN,
    lo: Number.POSITIVE_INFINITY,
    hi: Number.NEGATIVE_INFINITY,
    loOpen: false,
    hiOpen: false,
    offsetText: "",
    midnightSuffix: "",
  };
}

/** Extends [lo, hi] up to `target`, or to the last instant before the next transition. */
function growUp(f: Intl.DateTimeFormat, s: Stretch, target: number): void {
  let t = s.hi;
  while (t < target) {
    const next = Math.min(t + WEEK, MAX_MS);
    if (intlOffset(f, next) !== s.offset) {
      let same = t;
      let other = next;
      while (other - same > 1) {
        const mid = same + Math.floor((other - same) / 2);
        if (intlOffset(f, mid) === s.offset) same = mid;
        else other = mid;
      }
      s.hi = same;
      s.hiOpen = false;
      return;
    }
    t = next;
    if (t === MAX_MS) {
      s.hiOpen = false;
      break;
    }
  }
  s.hi = t;
}

function growDown(f: Intl.DateTimeFormat, s: Stretch, target: number): void {
  let t = s.lo;
  while (t > target) {
    const next = Math.max(t - WEEK, MIN_MS);
    if (intlOffset(f, next) !== s.offset) {
      let same = t;
      let other = next;
      while (same - other > 1) {
        const mid = other + Math.floor((same - other) / 2);
        if (intlOffset(f, mid) === s.offset) same = mid;
        else other = mid;
      }
      s.lo = same;
      s.loOpen = false;
      return;
    }
    t = next;
    if (t === MIN_MS) {
      s.loOpen = false;
      break;
    }
  }
  s.lo = t;
}

/** Grows `s` to cover `ms` if it may; true when it then does. */
function tryGrow(f: Intl.DateTimeFormat, s: Stretch, ms: number): boolean {
  if (ms > s.hi && s.hiOpen && ms - s.hi <= MAX_GROW) growUp(f, s, Math.min(ms + MARGIN, MAX_MS));
  else if (ms < s.lo && s.loOpen && s.lo - ms <= MAX_GROW) growDown(f, s, Math.max(ms - MARGIN, MIN_MS));
  return ms >= s.lo && ms <= s.hi;
}

function copyStretch(from: Stretch, to: Stretch): void {
  to.offset = from.offset;
  to.lo = from.lo;
  to.hi = from.hi;
  to.loOpen = from.loOpen;
  to.hiOpen = from.hiOpen;
  to.offsetText = from.offsetText;
  to.midnightSuffix = from.midnightSuffix;
}

/** Offset at `ms` outside the current stretch: grow it, switch to another, start one, or ask Intl. */
function slowOffset(zone: Zone, ms: number): number {
  const f = (zone.formatter ??= makeFormatter(zone.name));
  if (ms !== ms || ms < MIN_MS || ms > MAX_MS) return intlOffset(f, ms);
  if (tryGrow(f, zone, ms)) return zone.offset;
  const others = zone.others;
  for (let i = 0; i < others.length; i++) {
    const s = others[i]!;
    if (tryGrow(f, s, ms)) {
      const current: Stretch = { offset: 0, lo: 0, hi: 0, loOpen: false, hiOpen: false, offsetText: "", midnightSuffix: "" };
      copyStretch(zone, current);
      copyStretch(s, zone);
      others[i] = current;
      return zone.offset;
    }
  }
  const offset = intlOffset(f, ms);
  if (zone.seeds < MAX_SEEDS) {
    zone.seeds++;
    if (zone.lo <= zone.hi) {
      const current: Stretch = { offset: 0, lo: 0, hi: 0, loOpen: false, hiOpen: false, offsetText: "", midnightSuffix: "" };
      copyStretch(zone, current);
      others.unshift(current);
      if (others.length > MAX_OTHERS) others.pop();
    }
    zone.offset = offset;
    zone.lo = ms;
    zone.hi = ms;
    zone.loOpen = true;
    zone.hiOpen = true;
    zone.offsetText = offsetText(offset);
    zone.midnightSuffix = "T00:00:00" + zone.offsetText;
    growUp(f, zone, Math.min(ms + MARGIN, MAX_MS));
    growDown(f, zone, Math.max(ms - MARGIN, MIN_MS));
  }
  return offset;
}

/** Offset (ms) of `zone` at instant `ms`. */
export function offsetAt(zone: Zone, ms: number): number {
  return ms >= zone.lo && ms <= zone.hi ? zone.offset : slowOffset(zone, ms);
}

/** Local day number (days since 1970-01-01 of the local date) of instant `ms`. */
export function dayOf(zone: Zone, ms: number): number {
  return Math.floor((ms + (ms >= zone.lo && ms <= zone.hi ? zone.offset : slowOffset(zone, ms))) / MS_PER_DAY);
}

/**
 * The instant of a local wall-clock time (ms since 1970-01-01T00:00 as if it were UTC).
 * In a gap (clocks go forward) it moves forward by the gap; in an overlap it takes the earlier instant.
 */
export function localToInstant(zone: Zone, local: number): number {
  // Two days of margin below lo: no other offset can map an earlier instant to the same wall time.
  const fast = local - zone.offset;
  if (fast >= zone.lo + 2 * MS_PER_DAY && fast <= zone.hi) return fast;
  const before = offsetAt(zone, local - MS_PER_DAY);
  const after = offsetAt(zone, local + MS_PER_DAY);
  const tBefore = local - before;
  if (before === after && offsetAt(zone, tBefore) === before) return tBefore;
  const tAfter = local - after;
  const okBefore = offsetAt(zone, tBefore) === before;
  const okAfter = offsetAt(zone, tAfter) === after;
  if (okBefore && okAfter) return Math.min(tBefore, tAfter);
  if (okBefore) return tBefore;
  if (okAfter) return tAfter;
  return local - Math.min(before, after);
}

/** First instant of local day `day` in `zone`. */
export function startOfDay(zone: Zone, day: number): number {
  const local = day * MS_PER_DAY;
  const fast = local - zone.offset;
  if (fast >= zone.lo + 2 * MS_PER_DAY && fast <= zone.hi) return fast;
  return localToInstant(zone, local);
}

/**
 * "THH:mm:" for each minute of the day, each made on its first use: building all 1,440 when the
 * module loads cost a fresh process about a millisecond (issue 17's cold start) that grading never needs.
 */
const MINUTE_PREFIX: Array<string | undefined> = new Array<string | undefined>(1440);

/** ISO 8601 text of instant `ms` with the offset of `zone`. */
export function formatIn(zone: Zone, ms: number): string {
  const offset = offsetAt(zone, ms);
  const local = ms + offset;
  const day = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - day * MS_PER_DAY;
  const minute = Math.floor(msOfDay / MS_PER_MINUTE);
  const rest = msOfDay - minute * MS_PER_MINUTE;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  return (
    dayString(day) +
    (MINUTE_PREFIX[minute] ??= "T" + PAD2[Math.floor(minute / 60)]! + ":" + PAD2[minute % 60]! + ":") +
    PAD2[s]! +
    (frac ? "." + String(frac).padStart(3, "0") : "") +
    (offset === zone.offset ? zone.offsetText : offsetText(offset))
  );
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + "…" : s;
}

function invalidInstant(s: unknown, path: IssuePath, why: "format" | "offset" | "range"): never {
  const shown = typeof s === "string" ? `"${clip(s)}"` : s instanceof Date ? "Invalid Date" : String(s);
  if (why === "offset") {
    fail(IssueCode.INVALID_DATE, path, `时间 ${shown} 缺少时区偏移（Z 或 ±hh:mm），含义不明确；请写成如 2024-09-29T10:00:00+08:00`, `The time ${shown} has no offset (Z or ±hh:mm), so it is ambiguous; write it as e.g. 2024-09-29T10:00:00+08:00`);
  }
  if (why === "range") {
    fail(IssueCode.INVALID_DATE, path, `时间 ${shown} 超出支持范围（0001 至 9999 年）`, `The time ${shown} is out of the supported range (years 0001–9999)`);
  }
  fail(IssueCode.INVALID_DATE, path, `无效的时间 ${shown}：须为带时区偏移的 ISO 8601，如 2024-09-29T10:00:00+08:00`, `Invalid time ${shown}: expected ISO 8601 with an offset, e.g. 2024-09-29T10:00:00+08:00`);
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads an ISO 8601 instant with an offset; returns NaN for a malformed text,
 * -Infinity for one without an offset. Straight-line charCodeAt: no RegExp, no allocation.
 */
function readInstant(s: string): number {
  const n = s.length;
  if (n < 16) return n >= 10 && !Number.isNaN(readDate(s)) ? Number.NEGATIVE_INFINITY : Number.NaN;
  const y0 = s.charCodeAt(0) - 48;
  const y1 = s.charCodeAt(1) - 48;
  const y2 = s.charCodeAt(2) - 48;
  const y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48;
  const m1 = s.charCodeAt(6) - 48;
  const d0 = s.charCodeAt(8) - 48;
  const d1 = s.charCodeAt(9) - 48;
  const h0 = s.charCodeAt(11) - 48;
  const h1 = s.charCodeAt(12) - 48;
  const i0 = s.charCodeAt(14) - 48;
  const i1 = s.charCodeAt(15) - 48;
  // (x >>> 0) > 9 catches both non-digits above '9' and below '0' (negative → huge).
  if (
    y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 1 || m1 >>> 0 > 9 || d0 >>> 0 > 3 || d1 >>> 0 > 9 ||
    h0 >>> 0 > 2 || h1 >>> 0 > 9 || i0 >>> 0 > 5 || i1 >>> 0 > 9 ||
    s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58
  ) {
    return Number.NaN;
  }
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return Number.NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  const h = h0 * 10 + h1;
  if (y < 1 || m < 1 || m > 12 || d < 1 || h > 23) return Number.NaN;
  if (d > 28 && d > (m === 2 ? ((y & 3) === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28 : MONTH_DAYS[m]!)) return Number.NaN;
  let ms = daysFromCivil(y, m, d) * MS_PER_DAY + h * MS_PER_HOUR + (i0 * 10 + i1) * MS_PER_MINUTE;
  let i = 16;
  if (i < n && s.charCodeAt(i) === 58) {
    if (n < 19) return Number.NaN;
    const s0 = s.charCodeAt(17) - 48;
    const s1 = s.charCodeAt(18) - 48;
    if (s0 >>> 0 > 5 || s1 >>> 0 > 9) return Number.NaN;
    ms += (s0 * 10 + s1) * 1000;
    i = 19;
    const c = s.charCodeAt(i);
    if (c === 46 || c === 44) {
      i++;
      const start = i;
      let frac = 0;
      let scale = 100;
      for (; i < n; i++) {
        const dgt = s.charCodeAt(i) - 48;
        if (dgt >>> 0 > 9) break;
        frac += dgt * scale;
        scale /= 10;
      }
      if (i === start || i - start > 9) return Number.NaN;
      ms += Math.floor(frac);
    }
  }
  if (i >= n) return Number.NEGATIVE_INFINITY;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) return i + 1 === n ? ms : Number.NaN;
  if (z !== 43 && z !== 45) return Number.NaN;
  const a = s.charCodeAt(i + 1) - 48;
  const b = s.charCodeAt(i + 2) - 48;
  if (a >>> 0 > 2 || b >>> 0 > 9 || a * 10 + b > 23) return Number.NaN;
  let om = 0;
  const rest = n - i - 3;
  if (rest === 3 || rest === 2) {
    const k = rest === 3 ? i + 4 : i + 3;
    if (rest === 3 && s.charCodeAt(i + 3) !== 58) return Number.NaN;
    const c0 = s.charCodeAt(k) - 48;
    const c1 = s.charCodeAt(k + 1) - 48;
    if (c0 >>> 0 > 5 || c1 >>> 0 > 9) return Number.NaN;
    om = c0 * 10 + c1;
  } else if (rest !== 0) {
    return Number.NaN;
  }
  const offset = (a * 10 + b) * MS_PER_HOUR + om * MS_PER_MINUTE;
  return z === 43 ? ms - offset : ms + offset;
}

/**
 * Parse an ISO 8601 instant that carries an offset (`Z` or `±hh:mm`) into epoch milliseconds.
 * A text without an offset is rejected: its meaning depends on a time zone it does not name.
 *
 * @example
 * parseInstant("2024-09-29T23:59:00+08:00"); // 1727625540000
 * parseInstant("2024-09-29T15:59:00Z");      // 1727625540000, the same instant
 * parseInstant("2024-09-29T23:59:00");       // throws INVALID_DATE (no offset: ambiguous)
 * @throws JicengError `INVALID_DATE` for a malformed or offset-less text, or an impossible date.
 * @see formatInstant
 */
export function parseInstant(s: string, path: IssuePath = []): number {
  if (typeof s !== "string") invalidInstant(s, path, "format");
  const ms = readInstant(s);
  if (ms !== ms) invalidInstant(s, path, "format");
  if (ms === Number.NEGATIVE_INFINITY) invalidInstant(s, path, "offset");
  if (ms < MIN_MS || ms > MAX_MS) invalidInstant(s, path, "range");
  return ms;
}

/** Epoch ms of an instant given as ISO text with offset, a `Date`, or epoch ms. */
export function toEpochMs(from: string | Date | number, path: IssuePath): number {
  let ms: number;
  if (typeof from === "string") {
    ms = readInstant(from);
    if (ms !== ms) invalidInstant(from, path, "format");
    if (ms === Number.NEGATIVE_INFINITY) invalidInstant(from, path, "offset");
  } else if (typeof from === "number") {
    ms = from;
    if (ms !== ms || ms === Number.POSITIVE_INFINITY || ms === Number.NEGATIVE_INFINITY) invalidInstant(from, path, "format");
  } else if (from instanceof Date) {
    ms = from.getTime();
    if (ms !== ms) invalidInstant(from, path, "format");
  } else {
    return invalidInstant(from, path, "format");
  }
  if (ms < MIN_MS || ms > MAX_MS) invalidInstant(from, path, "range");
  return ms;
}

/**
 * Format an instant (epoch ms) as ISO 8601 with the offset the zone has at that instant.
 * Milliseconds are shown only when not zero.
 *
 * @example
 * formatInstant(1656345600000);                     // "2022-06-28T00:00:00+08:00"
 * formatInstant(1656345600000, "America/New_York"); // "2022-06-27T12:00:00-04:00"
 * @throws JicengError `INVALID_DATE` for an unknown zone or an instant outside years 0001–9999.
 * @see parseInstant
 */
export function formatInstant(ms: number, timeZone: string = DEFAULT_TIMEZONE, path: IssuePath = []): string {
  return formatIn(getZone(timeZone, path), toEpochMs(ms, path));
}

/** A local calendar day and wall-clock time of an instant in a zone. */
export interface LocalDateTime {
  /** Days since 1970-01-01 of the local date. */
  day: number;
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  /** Milliseconds since local midnight (wall clock). */
  msOfDay: number;
  /** The zone's offset from UTC at that instant, in ms (+08:00 → 28 800 000). */
  offsetMs: number;
}

/**
 * The local calendar day and wall-clock time of an instant in an IANA zone.
 *
 * @example
 * toLocalDateTime("2024-09-29T15:59:00Z");
 * // { day: 19995, date: "2024-09-29", msOfDay: 86340000, offsetMs: 28800000 }
 * @throws JicengError `INVALID_DATE` for an invalid instant or an unknown zone.
 * @see startOfLocalDay
 */
export function toLocalDateTime(instant: string | Date | number, timeZone: string = DEFAULT_TIMEZONE, path: IssuePath = []): LocalDateTime {
  const zone = getZone(timeZone, path);
  const ms = toEpochMs(instant, path);
  const offsetMs = offsetAt(zone, ms);
  const local = ms + offsetMs;
  const day = Math.floor(local / MS_PER_DAY);
  return { day, date: dayString(day), msOfDay: local - day * MS_PER_DAY, offsetMs };
}

/**
 * The local date (`YYYY-MM-DD`) of an instant in an IANA zone.
 *
 * @example
 * localDate("2024-09-29T16:30:00Z");        // "2024-09-30" (00:30 in Shanghai)
 * localDate("2024-09-29T16:30:00Z", "UTC"); // "2024-09-29"
 * @throws JicengError `INVALID_DATE` for an invalid instant or an unknown zone.
 * @see toLocalDateTime
 */
export function localDate(instant: string | Date | number, timeZone: string = DEFAULT_TIMEZONE, path: IssuePath = []): string {
  return dayString(dayOf(getZone(timeZone, path), toEpochMs(instant, path)));
}

/**
 * The first instant (epoch ms) of a local day in an IANA zone: local midnight, or the end of
 * the gap where clocks skip midnight.
 *
 * @example
 * startOfLocalDay(parseLocalDate("2022-06-28")); // 1656345600000 = 2022-06-28T00:00:00+08:00
 * @throws JicengError `INVALID_DATE` for a day number outside years 0001–9999 or an unknown zone.
 * @see toLocalDateTime
 */
export function startOfLocalDay(day: number, timeZone: string = DEFAULT_TIMEZONE, path: IssuePath = []): number {
  if (!Number.isInteger(day) || day < -719_161 || day > 2_932_895) {
    fail(IssueCode.INVALID_DATE, path, `无效的日序号 ${String(day)}`, `Invalid day number ${String(day)}`);
  }
  return startOfDay(getZone(timeZone, path), day);
}
