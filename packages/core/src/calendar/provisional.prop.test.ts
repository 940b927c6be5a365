import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { measure, renderTable, README_FILES } from "../../test/provisional-agreement.js";
import { readFileSync } from "node:fs";
import { createCalendar, formatLocalDate, parseLocalDate, provisionalYear, statutoryDays } from "./index.js";
import { DEFAULT_MAKE_UP_RULE } from "./festivals.js";
import { isWeekend } from "./days.js";

const numRuns = process.env["JICENG_DEEP"] ? 50_000 : 2_000;
const official = createCalendar({ beyondSchedule: "refuse" });
const d = parseLocalDate;
const yearOf = (day: number) => Number(formatLocalDate(day).slice(0, 4));

describe("the provisional calendar against every notice 2008–2026 (the law of each year)", () => {
  it("every statutory day it computes (lunar dates, 清明 solar term) is a rest day in that year's notice", () => {
    let n = 0;
    for (let y = 2008; y <= 2026; y++)
      for (const f of statutoryDays(y)!)
        for (const day of f.days) {
          expect(official.isRestDay(day), `${f.festival} ${formatLocalDate(day)}`).toBe(true);
          n++;
        }
    expect(n).toBeGreaterThan(19 * 9);
  });

  it("property: provisional and official calendars differ only on 调休 days and make-up days", () => {
    const cache = new Map<number, Map<number, string>>();
    const prov = (y: number) => {
      let m = cache.get(y);
      if (!m) cache.set(y, (m = new Map(provisionalYear(y)!.map((p) => [p.day, p.kind] as const))));
      return m;
    };
    const statutory = (y: number) => new Set(statutoryDays(y)!.flatMap((f) => f.days));
    fc.assert(
      fc.property(fc.integer({ min: d("2008-01-01"), max: d("2026-12-31") }), (day) => {
        const y = yearOf(day);
        const p = prov(y).get(day) ?? prov(y - 1).get(day);
        const provisionalRest = isWeekend(day) || p !== undefined;
        const info = official.describeDay(day);
        if (provisionalRest === info.rest) return;
        const adjustedWorkday = info.kind === "adjusted-workday"; // 调休上班
        const weekdayOff = info.rest && !isWeekend(day) && !statutory(y).has(day); // 调休放假, 补假, a one-off holiday
        const makeUp = p === "make-up"; // the provisional calendar's 补假
        expect(adjustedWorkday || weekdayOff || makeUp, `${formatLocalDate(day)}: provisional ${provisionalRest}, official ${info.kind}`).toBe(true);
      }),
      { numRuns },
    );
  });

  it("the make-up rule in use is the candidate that agrees with history best, period by period", () => {
    const chosen = measure(DEFAULT_MAKE_UP_RULE);
    const other = measure(DEFAULT_MAKE_UP_RULE === "none" ? "next-working-day" : "none");
    chosen.forEach((r, i) => expect(r.identical / r.compared, r.period).toBeGreaterThanOrEqual(other[i]!.identical / other[i]!.compared));
    expect(chosen.every((r) => r.compared > 4000)).toBe(true);
  });

  it("the agreement figures in the root and core READMEs are the ones measured (npx tsx … test/provisional-agreement.ts --write)", () => {
    const table = renderTable();
    for (const f of README_FILES) expect(readFileSync(f, "utf8"), f).toContain(table);
  });
});
