import { describe, expect, it } from "vitest";
import { isJicengError } from "../errors/index.js";
import { monthsOf, parsePeriod, previousYear } from "./period.js";

describe("periods: boundaries at local midnight in the pack's time zone", () => {
  it("2022Q3 is [2022-07-01 00:00, 2022-10-01 00:00) Beijing time", () => {
    const q = parsePeriod("2022Q3");
    expect(q).toMatchObject({ id: "2022Q3", kind: "quarter", firstDay: "2022-07-01", lastDay: "2022-09-30", start: "2022-07-01T00:00:00+08:00", end: "2022-10-01T00:00:00+08:00" });
    expect(q.startMs).toBe(Date.parse("2022-06-30T16:00:00Z"));
    expect(q.label).toEqual({ zh: "2022年第三季度", en: "2022 Q3" });
  });

  it("reads a year, a half, a month, a day, and ranges of any two", () => {
    expect(parsePeriod("2022")).toMatchObject({ kind: "year", firstDay: "2022-01-01", lastDay: "2022-12-31" });
    expect(parsePeriod("2022H2")).toMatchObject({ kind: "half", firstDay: "2022-07-01", lastDay: "2022-12-31" });
    expect(parsePeriod("2024-02")).toMatchObject({ kind: "month", lastDay: "2024-02-29", label: { zh: "2024年2月", en: "February 2024" } });
    expect(parsePeriod("2022-07-01")).toMatchObject({ kind: "day", end: "2022-07-02T00:00:00+08:00" });
    expect(parsePeriod("2022-07..2022Q4")).toMatchObject({ id: "2022-07..2022Q4", kind: "range", firstDay: "2022-07-01", lastDay: "2022-12-31" });
    expect(parsePeriod("2022q3").id).toBe("2022Q3");
  });

  it("uses the given zone", () => {
    expect(parsePeriod("2022-07", { timeZone: "UTC" }).start).toBe("2022-07-01T00:00:00Z".replace("Z", "+00:00"));
  });

  it("rejects what it cannot read, with INVALID_PERIOD and a bilingual message", () => {
    for (const bad of ["2022Q5", "2022-13", "2022-02-30", "22Q3", "2022-09..2022-07", "yesterday", ""]) {
      try {
        parsePeriod(bad);
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect(isJicengError(e)).toBe(true);
        if (isJicengError(e)) {
          expect(e.code).toBe("INVALID_PERIOD");
          expect(e.issues[0]!.message.zh).toMatch(/时段/);
        }
      }
    }
  });

  it("previous year: the same period a year earlier (同比)", () => {
    expect(previousYear(parsePeriod("2022Q3")).id).toBe("2021Q3");
    expect(previousYear(parsePeriod("2022-07..2022-09")).id).toBe("2021-07..2021-09");
    expect(previousYear(parsePeriod("2024-02-29")).id).toBe("2023-02-28");
    expect(previousYear(parsePeriod("2024-02-29..2024-03-31"))).toMatchObject({ firstDay: "2023-02-28", lastDay: "2023-03-31" });
  });

  it("months of a period, clipped to it", () => {
    expect(monthsOf(parsePeriod("2022Q3")).map((m) => m.id)).toEqual(["2022-07", "2022-08", "2022-09"]);
    const r = monthsOf(parsePeriod("2022-07-15..2022-08-10"));
    expect(r.map((m) => [m.firstDay, m.lastDay])).toEqual([["2022-07-15", "2022-07-31"], ["2022-08-01", "2022-08-10"]]);
  });
});
