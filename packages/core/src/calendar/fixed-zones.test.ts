// The fixed-offset table (no Intl at start-up) must say what Intl says.
import { describe, expect, it } from "vitest";
import { FIXED_OFFSET_ZONES, formatInstant, getZone, offsetAt } from "./timezone.js";

function intlOffset(zone: string, ms: number): number {
  const s = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(ms).find((p) => p.type === "timeZoneName")!.value;
  const m = /GMT([+-−])(\d\d):(\d\d)/.exec(s);
  return m ? (m[1] === "+" ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}

describe("FIXED_OFFSET_ZONES ≡ Intl", () => {
  for (const [name, { offset, since }] of FIXED_OFFSET_ZONES) {
    it(`${name}: ${offset / 3_600_000} h from ${new Date(since).toISOString()} on (every 9 days to 2100), another offset just before`, () => {
      const end = Date.UTC(2100, 0, 1);
      for (let t = since; t < end; t += 9 * 86_400_000 + 3_601_000) expect(intlOffset(name, t)).toBe(offset);
      expect(intlOffset(name, since - 1)).not.toBe(offset);
      // The zone object answers the same on both sides of the boundary (before it, through Intl).
      const z = getZone(name);
      expect(offsetAt(z, since)).toBe(offset);
      expect(offsetAt(z, since - 1)).toBe(intlOffset(name, since - 1));
      expect(formatInstant(since - 1, name)).toBe("1991-09-15T01:59:59.999+09:00");
    });
  }
});
