/**
 * Strict ISO 8601 parsing and time-zone day arithmetic for conditions.
 *
 * The parsers read char codes and return numbers (NaN when invalid), so compiled conditions can
 * call them per evaluation without allocating. `Date.parse` is not used: it accepts `2022-02-30`
 * (as 2 March), a lowercase `z`, and offset-less strings in local time.
 */

import { daysFromCivil, daysInMonth, formatDay } from "../calendar/days.js";
import { dayOf, getZone, offsetAt, startOfDay } from "../calendar/timezone.js";

export { daysFromCivil, formatDay };
export const DAY_MS = 86_400_000;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function num2(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function num4(s: string, i: number): number {
  const a = num2(s, i);
  const b = num2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

function dateAt(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const y = num4(s, 0);
  const m = num2(s, 5);
  const d = num2(s, 8);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  // days_from_civil for years ≥ 1, in integer arithmetic.
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const doy = (((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) | 0) + d - 1;
  return era * 146097 + yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy - 719468;
}

/** `YYYY-MM-DD` (years 0001–9999, a real calendar day) → days since 1970-01-01, or NaN. */
export function parseIsoDate(s: string): number {
  return s.length === 10 ? dateAt(s) : NaN;
}

/**
 * `YYYY-MM-DDTHH:mm[:ss[.fff…]](Z|±HH:mm)` → epoch milliseconds, or NaN. The offset is required;
 * fractions beyond milliseconds are truncated.
 */
export function parseIsoDateTime(s: string): number {
  const n = s.length;
  if (n < 17 || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58) return NaN;
  const day = dateAt(s);
  if (Number.isNaN(day)) return NaN;
  const hh = num2(s, 11);
  const mi = num2(s, 14);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59) return NaN;
  let i = 16;
  let ss = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58 /* : */) {
    ss = num2(s, i + 1);
    if (ss < 0 || ss > 59) return NaN;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      i++;
      let digits = 0;
      while (i < n) {
        const c = digit(s, i);
        if (c < 0) break;
        if (digits < 3) ms = ms * 10 + c;
        digits++;
        i++;
      }
      if (digits === 0 || digits > 9) return NaN;
      for (let k = digits; k < 3; k++) ms *= 10;
    }
  }
  let offsetMin: number;
  const c = s.charCodeAt(i);
  if (c === 90 /* Z */ && i + 1 === n) {
    offsetMin = 0;
  } else if ((c === 43 || c === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = num2(s, i + 1);
    const om = num2(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return NaN;
  }
  return day * DAY_MS + hh * 3_600_000 + mi * 60_000 + ss * 1000 + ms - offsetMin * 60_000;
}

/** {@link isIsoDateTime} for a value known to be a string (the generated grading tests `typeof` inline). @internal */
export function isIsoDateTimeString(s: string): boolean {
  return validDateTime(s);
}

/** {@link isIsoDate} for a string of length 10. @internal */
export function isIsoDateString10(s: string): boolean {
  return validDateAt(s);
}

/** A date fact value is exactly `YYYY-MM-DD`; true when `s` has that shape and names a real day. */
export function isIsoDate(s: unknown): s is string {
  return typeof s === "string" && s.length === 10 && validDateAt(s);
}

/** A datetime fact value is ISO 8601 with an offset (`Z` or `±HH:mm`). */
export function isIsoDateTime(s: unknown): s is string {
  return typeof s === "string" && validDateTime(s);
}

// The validators answer yes or no without computing the instant: no arithmetic on epoch
// milliseconds (a heap number per call when not inlined), for the per-case checks of facts.
// They accept exactly what parseIsoDate / parseIsoDateTime parse (a property test holds it).
//
// The shapes apps send almost always (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm:ss±HH:mm`,
// `YYYY-MM-DDTHH:mm:ssZ`) are checked by flat functions of char codes (no helper calls, so V8
// can inline them whole into the generated grading); anything else goes to the general validator.

/** Days of each month in a common year (index 1–12); 29 February is checked by the leap rule. */
const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Digits at 0–3, 5–6, 8–9 form a real day of years 0001–9999 (the separators are the caller's).
 * A digit's value x is in 0…9 exactly when both x and 9 − x are non-negative, so one OR of them all
 * is negative when any character is not a digit.
 */
function dayDigits(s: string): boolean {
  const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
  if ((y0 | (9 - y0) | y1 | (9 - y1) | y2 | (9 - y2) | y3 | (9 - y3) | m0 | (9 - m0) | m1 | (9 - m1) | d0 | (9 - d0) | d1 | (9 - d1)) < 0) return false;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  if (d <= MONTH_DAYS[m]!) return true;
  return m === 2 && d === 29 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
}

function validDateAt(s: string): boolean {
  return s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && dayDigits(s);
}

/**
 * `YYYY-MM-DDTHH:mm:ss+HH:mm` / `-HH:mm` (25 characters) or `YYYY-MM-DDTHH:mm:ssZ` (20): true
 * when valid, false when not; undefined when `s` does not have one of these shapes (a separator
 * elsewhere), for the general validator to decide.
 */
function canonicalDateTime(s: string, n: number): boolean | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const z = s.charCodeAt(19);
  let oh = 0;
  let om = 0;
  if (n === 25) {
    if ((z !== 43 && z !== 45) || s.charCodeAt(22) !== 58) return undefined;
    const a = s.charCodeAt(20) - 48, b = s.charCodeAt(21) - 48, c = s.charCodeAt(23) - 48, d = s.charCodeAt(24) - 48;
    if ((a | (9 - a) | b | (9 - b) | c | (9 - c) | d | (9 - d)) < 0) return false;
    oh = a * 10 + b;
    om = c * 10 + d;
  } else if (z !== 90) return undefined;
  const h0 = s.charCodeAt(11) - 48, h1 = s.charCodeAt(12) - 48, i0 = s.charCodeAt(14) - 48, i1 = s.charCodeAt(15) - 48, s0 = s.charCodeAt(17) - 48, s1 = s.charCodeAt(18) - 48;
  if ((h0 | (9 - h0) | h1 | (9 - h1) | i0 | (9 - i0) | i1 | (9 - i1) | s0 | (9 - s0) | s1 | (9 - s1)) < 0) return false;
  if (h0 * 10 + h1 > 23 || i0 * 10 + i1 > 59 || s0 * 10 + s1 > 59 || oh > 23 || om > 59) return false;
  return dayDigits(s);
}

function validDateTime(s: string): boolean {
  const n = s.length;
  if (n === 25 || n === 20) {
    const c = canonicalDateTime(s, n);
    if (c !== undefined) return c;
  }
  return generalDateTime(s, n);
}

/** The general datetime validator alone, without the fast path of the canonical shapes (for tests). @internal */
export function isIsoDateTimeGeneral(s: string): boolean {
  return generalDateTime(s, s.length);
}

function generalDateTime(s: string, n: number): boolean {
  if (n < 17 || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 || !validDateAt(s)) return false;
  const hh = num2(s, 11);
  const mi = num2(s, 14);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59) return false;
  let i = 16;
  if (s.charCodeAt(i) === 58 /* : */) {
    const ss = num2(s, i + 1);
    if (ss < 0 || ss > 59) return false;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      i++;
      let digits = 0;
      while (i < n && digit(s, i) >= 0) (digits++, i++);
      if (digits === 0 || digits > 9) return false;
    }
  }
  const c = s.charCodeAt(i);
  if (c === 90 /* Z */) return i + 1 === n;
  if ((c !== 43 && c !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = num2(s, i + 1);
  const om = num2(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

// ── Time zones (compile time and the json-rules-engine bridge only) ────────────

// Zone arithmetic is calendar/timezone.ts's (one cache of zones, arithmetic on stretches of
// constant offset, no allocation per call); these names keep the conditions' vocabulary.

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    getZone(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at the instant `ms`, in milliseconds (local − UTC). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return offsetAt(getZone(timeZone), ms);
}

/** The calendar day (days since 1970-01-01) that the instant `ms` falls on in `timeZone`. */
export function zoneDay(ms: number, timeZone: string): number {
  return dayOf(getZone(timeZone), ms);
}

/**
 * The first instant whose calendar day in `timeZone` is `day` or later. For any instant `x`:
 * `zoneDay(x) >= day` ⟺ `x >= zoneStartOfDay(day)` (days only move forward in every IANA zone).
 */
export function zoneStartOfDay(day: number, timeZone: string): number {
  return startOfDay(getZone(timeZone), day);
}

