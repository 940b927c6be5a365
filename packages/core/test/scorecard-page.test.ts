// Issue 18: scorecards a policy officer trusts — integer ticks for counts, thousands separators,
// Chinese dates (ISO in the JSON), "无上年数据 / no baseline", the cases each KPI counts on the page.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { countScale, groupDigits, scorecardHtml, zhDateTime } from "../src/scoring/html.js";
import { guyuanEngine, guyuanStories } from "./scoring-fixtures.js";

const ticksOf = (html: string) => [...html.matchAll(/class="tick">([^<]*)</g)].map((m) => m[1]!);

describe("scorecard page", () => {
  const engine = guyuanEngine();
  const one = guyuanStories(engine, { from: "2022-07-01T00:00:00+08:00", to: "2022-07-10T00:00:00+08:00", count: 1, seed: 3 });

  it("one case: count charts tick 0 and 1, never 0.2; no baseline is neither met nor missed (JSON too)", () => {
    const card = engine.score(one, "2022Q3");
    const html = scorecardHtml(card);
    const levelChart = html.slice(html.indexOf("Items found by level"), html.indexOf("by month"));
    expect(ticksOf(levelChart).filter((t) => /^[\d.,]+$/.test(t))).toEqual(["0", "1"]);
    expect(html).not.toMatch(/class="tick">0\.\d</);
    expect(card.baseline).toBe(false);
    expect(card.total.trends.every((t) => t.met === null && t.noBaseline === true)).toBe(true);
    expect(Object.values(card.total.change!).every((c) => c.noBaseline === true && c.delta === null)).toBe(true);
    expect(html).toContain("无上年数据 <span class=\"en\">no baseline</span>");
    expect(html).not.toContain("未达到同比下降");
    // The JSON keeps ISO instants; the page writes Chinese dates.
    expect(card.asOf).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(html).toContain(`数据截至 ${zhDateTime(card.asOf).zh}`);
    expect(html).toMatch(/数据截至 2022年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
    expect(html).toContain("2022年7月1日 – 2022年9月30日");
    // Which cases each figure counts, on the page.
    expect(html).toContain("计入 counts: 本期受理的案件（按受理时间）");
    expect(html).toContain("数据中共 1 个案件（不限时段）");
  });

  it("with last year's data there is a baseline and the goal is judged", () => {
    const both = [...guyuanStories(engine, { from: "2021-07-01T00:00:00+08:00", to: "2021-09-20T00:00:00+08:00", count: 20, seed: 4 }), ...one];
    const card = engine.score(both, "2022Q3");
    expect(card.baseline).toBe(true);
    expect(card.total.trends.every((t) => t.met !== null && t.noBaseline === undefined)).toBe(true);
  });

  it("thousands separators in counts, fractions and the case count", () => {
    expect(groupDigits(100000)).toBe("100,000");
    expect(groupDigits("1234567.5")).toBe("1,234,567.5");
    expect(groupDigits(999)).toBe("999");
    const card = engine.score(one, "2022Q3");
    const big = structuredClone(card);
    big.cases = 100000;
    big.total.kpis["found"]!.value = 84831;
    big.total.kpis["found"]!.display = "84831";
    const html = scorecardHtml(big);
    expect(html).toContain("数据中共 100,000 个案件");
    expect(html).toContain(">84,831<");
    expect(html).not.toMatch(/>\d{5,}</);
  });

  it("count scales: whole-number steps of 1, 2 or 5 × 10ⁿ covering the largest count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (v) => {
        const { max, step } = countScale(v);
        expect(Number.isInteger(step) && step >= 1).toBe(true);
        expect(max % step).toBe(0);
        expect(max).toBeGreaterThanOrEqual(Math.max(1, v));
        expect(max / step).toBeLessThanOrEqual(10);
        expect(String(step)).toMatch(/^[125]0*$/);
      }),
    );
  });

  it("Chinese dates from the scorecard's ISO instants and days", () => {
    expect(zhDateTime("2022-09-28T09:00:00+08:00")).toEqual({ zh: "2022年9月28日 09:00", en: "2022-09-28 09:00 (UTC+08:00)" });
    expect(zhDateTime("2022-07-01")).toEqual({ zh: "2022年7月1日", en: "2022-07-01" });
  });
});
