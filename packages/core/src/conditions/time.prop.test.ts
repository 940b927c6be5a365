// The yes/no validators of date and datetime facts accept exactly what the parsers parse.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDate, isIsoDateString10, isIsoDateTime, isIsoDateTimeGeneral, isIsoDateTimeString, parseIsoDate, parseIsoDateTime } from "./time.js";

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

describe("every near miss of a valid instant or date (exhaustive, not sampled)", () => {
  // The validators the generated grading calls (isIsoDateTimeString, isIsoDateString10 for a
  // string of length 10) and the public ones, against the parsers: every single-character
  // replacement of valid strings of every shape by a hostile alphabet, every deletion and every
  // insertion (lengths ±1), and the edges of each field.
  const ALPHABET = ["0", "1", "2", "3", "4", "5", "6", "8", "9", "-", ":", "T", "t", "Z", "z", "+", ".", "/", " ", "\0", "\u2028", "\uff10", "\u0660", "\u0966", "a", "\u00b2", "\ud835"];
  const VALID = [
    "2024-02-29",
    "0001-01-01",
    "9999-12-31",
    "2024-02-29T23:59:59+08:00",
    "2023-12-31T00:00:00Z",
    "2022-06-20T10:00+08:00",
    "2022-06-20T10:00Z",
    "2022-06-20T10:00:00.5-05:30",
    "2022-06-20T10:00:00.123Z",
    "2022-06-20T10:00:00.123456789+14:00",
    "2000-02-29T12:30:45-23:59",
  ];
  const agree = (s: string) => {
    const dt = !Number.isNaN(parseIsoDateTime(s));
    const d = !Number.isNaN(parseIsoDate(s));
    expect(isIsoDateTime(s), s).toBe(dt);
    expect(isIsoDateTimeString(s), s).toBe(dt);
    expect(isIsoDateTimeGeneral(s), s).toBe(dt);
    expect(isIsoDate(s), s).toBe(d);
    if (s.length === 10) expect(isIsoDateString10(s), s).toBe(d);
    return dt || d;
  };
  it("single-character replacements, deletions and insertions agree with the parsers", () => {
    let accepted = 0;
    let refused = 0;
    for (const base of VALID) {
      expect(agree(base)).toBe(true);
      for (let i = 0; i <= base.length; i++) {
        const variants = [base.slice(0, i) + base.slice(i + 1)];
        for (const c of ALPHABET) variants.push(base.slice(0, i) + c + base.slice(i + 1), base.slice(0, i) + c + base.slice(i));
        for (const v of variants) (agree(v) ? accepted++ : refused++);
      }
    }
    // Both answers occur (a replacement by the same or another digit often stays valid).
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(5_000);
  });
  it("the edges of each field: 24:00, 23:60, seconds 60, offsets ±14:00 / ±15:00 / ±23:59 / ±24:00 / :60, 29 February", () => {
    const want: Array<[string, boolean]> = [
      ["2022-06-20T24:00:00Z", false],
      ["2022-06-20T23:60:00Z", false],
      ["2022-06-20T23:59:60Z", false],
      ["2022-06-20T00:00:00+14:00", true],
      ["2022-06-20T00:00:00-14:00", true],
      ["2022-06-20T00:00:00+15:00", true],
      ["2022-06-20T00:00:00-15:00", true],
      ["2022-06-20T00:00:00+23:59", true],
      ["2022-06-20T00:00:00+24:00", false],
      ["2022-06-20T00:00:00-08:60", false],
      ["2022-06-20T00:00:00+0800", false],
      ["2022-06-20T00:00:00", false],
      ["2022-06-20 00:00:00Z", false],
      ["2022-06-20t00:00:00Z", false],
      ["2022-06-20T00:00:00z", false],
      ["2022-06-20T00:00:00.Z", false],
      ["2022-06-20T00:00:00.1234567890Z", false],
      ["2023-02-29T00:00:00Z", false],
      ["2024-02-29T00:00:00Z", true],
      ["1900-02-29T00:00:00Z", false],
      ["2000-02-29T00:00:00Z", true],
      ["2024-04-31T00:00:00Z", false],
      ["0000-01-01T00:00:00Z", false],
      ["\uff12\uff10\uff12\uff12-06-20T00:00:00Z", false],
    ];
    for (const [s, ok] of want) {
      expect(agree(s), s).toBe(ok);
      expect(agree(s.slice(0, 10)), s.slice(0, 10)).toBe(!Number.isNaN(parseIsoDate(s.slice(0, 10))));
    }
  });
});
