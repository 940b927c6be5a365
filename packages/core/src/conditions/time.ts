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
function validDateAt(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = num4(s, 0);
  const m = num2(s, 5);
  const d = num2(s, 8);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function validDateTime(s: string): boolean {
  const n = s.length;
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

