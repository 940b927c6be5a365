// The yes/no validators of date and datetime facts accept exactly what the parsers parse.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDate, isIsoDateTime, isIsoDateTimeGeneral, parseIsoDate, parseIsoDateTime } from "./time.js";

const numRuns = process.env["JICENG_DEEP"] ? 200_000 : 5_000;

/** Valid-looking dates and datetimes, then one character replaced, inserted or removed. */
const CHARS = "0123456789-:T.Z+z ";
const arbBase = fc
  .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.option(fc.integer({ min: 0, max: 61 })), fc.option(fc.stringMatching(/^[0-9]{0,11}$/)), fc.constantFrom("Z", "+08:00", "-05:30", "+24:00", "+08:60", "", "+0800", "z"))
  .map(([y, m, d, h, mi, s, frac, off]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const date = `${p(y, 4)}-${p(m)}-${p(d)}`;
    return [date, `${date}T${p(h)}:${p(mi)}${s === null ? "" : `:${p(s)}${frac === null ? "" : `.${frac}`}`}${off}`] as [string, string];
  });
const arbText = fc.oneof(
  arbBase.chain(([a, b]) => fc.constantFrom<string>(a, b)),
  fc.tuple(arbBase, fc.nat(), fc.constantFrom(...CHARS), fc.constantFrom("replace", "insert", "remove")).map(([[a, b], i, c, how]) => {
    const s: string = i % 2 ? a : b;
    const k = i % (s.length + 1);
    return how === "replace" ? s.slice(0, k) + c + s.slice(k + 1) : how === "insert" ? s.slice(0, k) + c + s.slice(k) : s.slice(0, k) + s.slice(k + 1);
  }),
  fc.string({ maxLength: 30 }),
);

describe("isIsoDate / isIsoDateTime ≡ the parsers", () => {
  it("accept exactly the strings parseIsoDate / parseIsoDateTime give a number for", () => {
    let accepted = 0;
    fc.assert(
      fc.property(arbText, (s) => {
        expect(isIsoDate(s)).toBe(!Number.isNaN(parseIsoDate(s)));
        expect(isIsoDateTime(s)).toBe(!Number.isNaN(parseIsoDateTime(s)));
        if (isIsoDate(s) || isIsoDateTime(s)) accepted++;
      }),
      { numRuns },
    );
    // Both answers must really occur.
    expect(accepted).toBeGreaterThan(numRuns / 20);
    expect(accepted).toBeLessThan(numRuns);
  });
});

/**
 * Strings of the canonical shapes' lengths (10, 20, 25) built character by character: mostly what
 * the shape expects there, sometimes any character of a hostile alphabet (other separators,
 * non-ASCII digits, a lowercase t or z, U+2028, NUL), so both the fast path and its way out to
 * the general validator are taken.
 */
const HOSTILE = "0123456789-:T.Z+ztz \u2028\u0000\uff10\u0660/";
const arbShaped = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom("Z", "+", "-", "date"), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE)), { maxLength: 2 }))
  .map(([y, m, d, h, mi, sec, zone, oh, om, edits]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    const date = `${p(y, 4)}-${p(m)}-${p(d)}`;
    let s = zone === "date" ? date : `${date}T${p(h)}:${p(mi)}:${p(sec)}${zone === "Z" ? "Z" : `${zone}${p(oh)}:${p(om)}`}`;
    for (const [at, c] of edits) {
      const k = at % s.length;
      s = s.slice(0, k) + c + s.slice(k + 1);
    }
    return s;
  });

describe("the canonical-shape fast path ≡ the general validator", () => {
  it("agrees with the general validator and the parser on strings of the canonical lengths", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(arbShaped, (s) => {
        const want = !Number.isNaN(parseIsoDateTime(s));
        expect(isIsoDateTime(s)).toBe(want);
        expect(isIsoDateTimeGeneral(s)).toBe(want);
        expect(isIsoDate(s)).toBe(!Number.isNaN(parseIsoDate(s)));
        if (want || isIsoDate(s)) accepted++;
        else refused++;
      }),
      { numRuns },
    );
    expect(accepted).toBeGreaterThan(numRuns / 20);
    expect(refused).toBeGreaterThan(numRuns / 20);
  });

  it("knows every month's length and the leap rule (days 00–32 of every month of leap and common years)", () => {
    const years = [1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 2400, 9996, 9999];
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    for (const y of years) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const date = `${p(y, 4)}-${p(m)}-${p(d)}`;
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
          const real = m >= 1 && m <= 12 && d >= 1 && d <= days;
          expect(isIsoDate(date)).toBe(real);
          for (const s of [`${date}T23:59:59+08:00`, `${date}T00:00:00Z`, `${date}T12:30:00-23:59`]) {
            expect(isIsoDateTime(s)).toBe(real);
            expect(isIsoDateTimeGeneral(s)).toBe(real);
          }
        }
      }
    }
    expect(isIsoDate("0000-01-01")).toBe(false);
    expect(isIsoDateTime("0000-01-01T00:00:00Z")).toBe(false);
  });
});
