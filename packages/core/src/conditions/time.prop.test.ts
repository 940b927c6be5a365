// The yes/no validators of date and datetime facts accept exactly what the parsers parse.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDate, isIsoDateTime, parseIsoDate, parseIsoDateTime } from "./time.js";

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
