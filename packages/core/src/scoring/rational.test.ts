import { describe, expect, it } from "vitest";
import { add, cmp, formatDecimal, formatPercent, fromDecimal, mul, rat, sum, toFractionString, toNumber } from "./rational.js";

describe("exact fractions for scores and rates", () => {
  it("reads decimals as written: 0.6 is 3/5, 1e-7 is 1/10000000, 1.5e21 is whole", () => {
    expect(toFractionString(fromDecimal(0.6))).toBe("3/5");
    expect(toFractionString(fromDecimal(1e-7))).toBe("1/10000000");
    expect(toFractionString(fromDecimal(1.5e21))).toBe("1500000000000000000000");
    expect(toFractionString(fromDecimal(-2.25))).toBe("-9/4");
    expect(() => fromDecimal(Number.NaN)).toThrow();
  });

  it("0.6 × 80 + 0.4 × 90 is exactly 84, and 0.6 × 60 + 0.4 × 61 exactly 60.4 (floating point: 60.400000000000006)", () => {
    expect(toNumber(add(mul(fromDecimal(0.6), rat(80)), mul(fromDecimal(0.4), rat(90))))).toBe(84);
    expect(0.6 * 60 + 0.4 * 61).not.toBe(60.4);
    expect(toNumber(add(mul(fromDecimal(0.6), rat(60)), mul(fromDecimal(0.4), rat(61))))).toBe(60.4);
  });

  it("0.1 + 0.2 + 0.7 sums to exactly 1", () => {
    expect(cmp(sum([0.1, 0.2, 0.7].map((x) => fromDecimal(x))), rat(1))).toBe(0);
  });

  it("rounds half away from zero on the exact value, for display only", () => {
    expect(formatPercent(rat(2942, 2953), 1)).toBe("99.6%");
    expect(formatDecimal(rat(1005, 1000), 2)).toBe("1.01"); // (1.005).toFixed(2) is "1.00"
    expect(formatDecimal(rat(-1005, 1000), 2)).toBe("-1.01");
    expect(formatDecimal(rat(-1, 1000), 2)).toBe("0.00");
    expect(formatPercent(rat(1899, 2000), 1)).toBe("95.0%");
    expect(formatDecimal(rat(84), 0)).toBe("84");
  });

  it("compares 949/1000 < 95/100 ≤ 950/1000 exactly, for every denominator", () => {
    const th = rat(95, 100);
    for (let den = 1; den <= 2000; den++) {
      const num = Math.ceil((95 * den) / 100);
      expect(cmp(rat(num, den), th)).toBeGreaterThanOrEqual(0);
      if (num > 0) expect(cmp(rat(num - 1, den), th)).toBe(-1);
    }
  });
});
