import { describe, expect, it } from "vitest";
import { createEngine, type Engine, type CreateEngineInput } from "../engine/engine.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { loadPack, safeLoadPack } from "../pack/load.js";
import type { RulePack } from "../pack/schema.js";
import { catchJicengError } from "../testing/helpers.js";
import { compileScoring, compositeScore, scoreCases } from "./score.js";

const T = (zh: string, en = zh) => ({ zh, en });
const LOCAL = { local: true, note: T("测试用本地值", "A local value for the test") } as const;

/** A small pack: one level (7 days), a unit, a reporter and two flags; `scoring` as given. */
function testPack<S extends Record<string, unknown>>(scoring: S, extra: Record<string, unknown> = {}) {
  return {
    id: "test-scoring",
    version: "0.0.1",
    name: T("测试规则包", "Test pack"),
    source: {
      documents: [
        { id: "xiji", title: T("西吉县“1133”工作机制", "Xiji 1133") },
        { id: "lanxi", title: T("兰溪“三四五六”", "Lanxi 3456") },
      ],
    },
    facts: [
      { name: "receivedAt", type: "datetime", label: T("受理时间", "Received") },
      { name: "unitCode", type: "string", label: T("单位", "Unit") },
      { name: "reportedBy", type: "string", label: T("上报人", "Reported by"), default: "" },
      { name: "important", type: "boolean", label: T("涉稳重要信息", "Important stability information"), default: false },
      { name: "major", type: "boolean", label: T("重大矛盾纠纷", "Major dispute"), default: false },
      { name: "red", type: "boolean", label: T("红色", "Red"), default: false },
    ],
    levels: [
      { id: "yellow", rank: 1, label: T("黄色", "Yellow"), colour: "yellow", deadline: { amount: 7, unit: "calendar-days", ...LOCAL }, ...LOCAL },
      { id: "red", rank: 2, label: T("红色", "Red"), colour: "red", deadline: { amount: 30, unit: "calendar-days", ...LOCAL }, ...LOCAL },
    ],
    grading: { default: { level: "yellow", ...LOCAL }, rules: [{ id: "red", level: "red", conditions: { all: [{ fact: "red", operator: "equal", value: true }] }, ...LOCAL }] },
    ...extra,
    scoring: (scoring as { groupBy?: object }).groupBy ? { ...scoring, groupBy: { ...(scoring as unknown as { groupBy: object }).groupBy, ...LOCAL } } : scoring,
  };
}

const received = { event: "received" };
const resolutionRate = {
  id: "resolution-rate",
  label: T("化解率", "Resolution rate"),
  kind: "rate",
  definition: T("本期受理的事项中期末前已化解的比例", "Share of items received in the period resolved by its end"),
  numerator: { event: "resolved", when: "by-end" },
  denominator: received,
};
const found = { id: "found", label: T("排查数", "Found"), kind: "count", definition: T("本期受理件数", "Items received"), count: received, breakdown: "level" };

interface Story {
  at: string;
  unit: string;
  resolveAt?: string;
  facts?: Record<string, unknown>;
}

function run(engine: Engine, stories: readonly Story[]): CaseSnapshot[] {
  return stories.map((s, i) => {
    let snap = engine.start({ type: "intake", at: s.at, id: `c${i + 1}`, facts: { receivedAt: s.at, unitCode: s.unit, ...s.facts } });
    snap = engine.transition(snap, { type: "assign", at: s.at, responsibleUnit: s.unit });
    if (s.resolveAt) snap = engine.transition(snap, { type: "resolve", at: s.resolveAt });
    return snap;
  });
}

/** `n` cases in `unit`, `resolved` of them resolved a day later; received from `from` on, an hour apart. */
function batch(unit: string, n: number, resolved: number, from = "2022-07-01T08:00:00+08:00"): Story[] {
  const t0 = Date.parse(from);
  return Array.from({ length: n }, (_, i) => {
    const at = new Date(t0 + (i % 1000) * 3_600_000).toISOString().replace("Z", "+00:00");
    const s: Story = { at, unit };
    if (i < resolved) s.resolveAt = new Date(Date.parse(at) + 86_400_000).toISOString().replace("Z", "+00:00");
    return s;
  });
}

/** The issues of the JicengError `f` throws. */
const issuesOf = (f: () => unknown) => catchJicengError(f).issues;

describe("Xiji: 2,953 found and 2,942 resolved display as 99.6%", () => {
  const pack = testPack({
    groupBy: { field: "facts.unitCode", label: T("乡镇", "Township") },
    kpis: [
      { ...found, cite: { doc: "xiji", clause: "排查机制", quote: "排查矛盾纠纷2953件" } },
      { ...resolutionRate, cite: { doc: "xiji", clause: "整改清单", quote: "排查矛盾纠纷2953件,化解2942件,化解率为99.6%" } },
    ],
  });
  const engine = createEngine(pack);
  // 截至9月底: received January to September 2022, spread over ten townships.
  const stories = Array.from({ length: 2953 }, (_, i) => {
    const at = new Date(Date.parse("2022-01-01T08:00:00+08:00") + i * 2 * 3_600_000).toISOString().replace("Z", "+00:00");
    const s: Story = { at, unit: `${String((i % 10) + 1).padStart(2, "0")}` };
    if (i >= 11) s.resolveAt = new Date(Date.parse(at) + 3 * 86_400_000).toISOString().replace("Z", "+00:00");
    return s;
  });
  const snaps = run(engine, stories);
  const card = engine.score(snaps, "2022-01..2022-09");

  it("排查矛盾纠纷2953件，化解2942件，化解率为99.6%", () => {
    expect(card.total.kpis["found"]!.value).toBe(2953);
    const r = card.total.kpis["resolution-rate"]!;
    expect(r).toMatchObject({ numerator: 2942, denominator: 2953, exact: "2942/2953", display: "99.6%" });
    // Full precision in the data; rounding only in `display`.
    expect(r.value).toBe(2942 / 2953);
    expect(r.value).not.toBe(0.996);
  });

  it("per township and in total; the townships add up to the total", () => {
    expect(card.units).toHaveLength(10);
    expect(card.units.reduce((n, u) => n + u.kpis["found"]!.value!, 0)).toBe(2953);
    expect(card.units.reduce((n, u) => n + u.kpis["resolution-rate"]!.numerator!, 0)).toBe(2942);
  });
});

describe("Lanxi: resolution rate ≥ 95% — 94.9% fails, 95.0% passes", () => {
  const pack = testPack({
    groupBy: { field: "facts.unitCode", label: T("乡镇（街道）", "Township") },
    kpis: [{ ...resolutionRate, ...LOCAL }],
    targets: [
      {
        id: "resolution-95",
        kpi: "resolution-rate",
        op: ">=",
        value: 95,
        unit: "percent",
        cite: { doc: "lanxi", clause: "§四(二)2", quote: "全市矛盾纠纷化解率达到95%以上" },
      },
    ],
  });
  const engine = createEngine(pack);
  const snaps = run(engine, [...batch("A", 1000, 949), ...batch("B", 1000, 950), ...batch("C", 60, 57), ...batch("D", 2000, 1899), ...batch("E", 20, 19)]);
  const card = engine.score(snaps, "2022Q3");
  const unit = (k: string) => card.units.find((u) => u.key === k)!;
  const target = (k: string) => unit(k).targets[0]!;

  it("a unit at 94.9% (949/1000) fails", () => {
    expect(unit("A").kpis["resolution-rate"]!.display).toBe("94.9%");
    expect(target("A")).toMatchObject({ pass: false, threshold: "≥ 95%", cite: { clause: "§四(二)2" } });
    expect(target("A").reason.zh).toContain("未达到目标 ≥ 95%");
  });

  it("a unit at 95.0% (950/1000) passes", () => {
    expect(unit("B").kpis["resolution-rate"]!.display).toBe("95.0%");
    expect(target("B").pass).toBe(true);
  });

  it("the comparison is exact: 57/60 and 19/20 are exactly 95% and pass", () => {
    expect(target("C").pass).toBe(true);
    expect(target("E").pass).toBe(true);
  });

  it("94.95% fails, and the reason shows 94.95% rather than a misleading 95.0%", () => {
    expect(unit("D").kpis["resolution-rate"]!.display).toBe("95.0%");
    expect(target("D")).toMatchObject({ pass: false, value: "94.95%" });
  });

  it("the total is judged too", () => {
    expect(card.total.targets[0]!.pass).toBe(false); // 3874/4080 = 94.95…%
  });
});

describe("weighted assessment (Guyuan §二(三)9: township 60%, county department 40%)", () => {
  const assessment = (extra: Record<string, unknown> = {}) => ({
    label: T("考核", "Assessment"),
    scale: { min: 0, max: 100, ...LOCAL },
    assessors: [
      { id: "township", label: T("乡镇（街道）", "Township"), weight: 0.6, ...LOCAL },
      { id: "county-department", label: T("县直部门（单位）", "County department"), weight: 0.4, ...LOCAL },
    ],
    ...extra,
  });
  const scoring = (extra: Record<string, unknown> = {}, kpis: unknown[] = [{ ...found, ...LOCAL }, { ...resolutionRate, ...LOCAL }]) => ({
    groupBy: { field: "facts.unitCode", label: T("单位", "Unit") },
    kpis,
    assessment: assessment(extra),
  });

  it("80 from the township and 90 from the county department make 84", () => {
    const engine = createEngine(testPack(scoring()));
    const card = engine.score([], "2022Q3", { assessments: [{ subject: "司法所", scores: { township: 80, "county-department": 90 } }] });
    const s = card.assessment!.subjects[0]!;
    expect(s).toMatchObject({ subject: "司法所", composite: 84, exact: "84", display: "84", rank: 1 });
    expect(s.reason.zh).toBe("综合得分 = 0.6 × 80 + 0.4 × 90 = 84");
    expect(compositeScore([{ weight: 0.6, score: 80 }, { weight: 0.4, score: 90 }])).toBe(84);
  });

  it("exact, not floating point: 0.6 × 60 + 0.4 × 61 = 60.4", () => {
    expect(compositeScore([{ weight: 0.6, score: 60 }, { weight: 0.4, score: 61 }])).toBe(60.4);
  });

  it("ranks by composite; equal composites share a rank; a missing assessor score leaves no composite", () => {
    const engine = createEngine(testPack(scoring({ bands: [{ id: "good", label: T("良好", "Good"), min: 80, ...LOCAL }, { id: "pass", label: T("合格", "Pass"), min: 60, ...LOCAL }] })));
    const card = engine.score([], "2022Q3", {
      assessments: {
        assessments: [
          { subject: "b", scores: { township: 80, "county-department": 90 } },
          { subject: "a", scores: { township: 90, "county-department": 75 } },
          { subject: "c", scores: { township: 95, "county-department": 95 } },
          { subject: "d", scores: { township: 50 } },
          { subject: "e", scores: { township: 60, "county-department": 55 } },
        ],
      },
    });
    const rows = card.assessment!.subjects.map((s) => [s.subject, s.composite, s.rank, s.band?.id]);
    expect(rows).toEqual([
      ["c", 95, 1, "good"],
      ["a", 84, 2, "good"],
      ["b", 84, 2, "good"],
      ["e", 58, 4, undefined],
      ["d", null, null, undefined],
    ]);
    expect(card.assessment!.subjects[4]!.missing).toEqual(["county-department"]);
    expect(card.assessment!.subjects[4]!.reason.en).toMatch(/No score from County department/);
  });

  it("indicator scores from KPIs, with a per-case deduction capped, and the assessor's score capped at the scale", () => {
    const kpis = [
      { ...found, ...LOCAL },
      { ...resolutionRate, ...LOCAL },
      { id: "red-found", label: T("红色件数", "Red items"), kind: "count", definition: T("红色", "Red"), count: { all: [received, { level: ["red"] }] }, ...LOCAL },
    ];
    const indicators = [
      { id: "resolution", label: T("化解率", "Resolution"), assessor: "township", kpi: "resolution-rate", method: "proportional", points: 100, ...LOCAL },
      { id: "bonus", label: T("加分", "Bonus"), assessor: "township", kpi: "found", method: "per-case", points: 1, max: 5, ...LOCAL },
      { id: "red", label: T("红色扣分", "Red deduction"), assessor: "township", kpi: "red-found", method: "per-case", points: -4, max: 10, ...LOCAL },
    ];
    const engine = createEngine(testPack(scoring({ indicators }, kpis)));
    const snaps = run(engine, [
      ...batch("01", 10, 10),
      ...batch("02", 10, 8).map((s, i) => (i < 4 ? { ...s, facts: { red: true } } : s)),
    ]);
    const card = engine.score(snaps, "2022Q3", { assessments: [{ subject: "01", scores: { "county-department": 70 } }, { subject: "02", scores: { "county-department": 70 } }] });
    const s1 = card.assessment!.subjects.find((s) => s.subject === "01")!;
    const s2 = card.assessment!.subjects.find((s) => s.subject === "02")!;
    // 01: 100% × 100 + min(10 × 1, 5) = 105 → capped at 100; composite 0.6 × 100 + 0.4 × 70 = 88.
    expect(s1.assessors[0]).toMatchObject({ source: "indicators", score: 100, capped: "max" });
    expect(s1.assessors[0]!.items.map((i) => i.points)).toEqual([100, 5, 0]);
    expect(s1.composite).toBe(88);
    // 02: 80% × 100 + 5 − min(4 × 4, 10) = 75; composite 0.6 × 75 + 0.4 × 70 = 73.
    expect(s2.assessors[0]!.items.map((i) => i.points)).toEqual([80, 5, -10]);
    expect(s2.assessors[0]!.items[2]!.detail.zh).toContain("以 10 分为限");
    expect(s2.composite).toBe(73);
    // An input score overrides the indicators.
    const card2 = engine.score(snaps, "2022Q3", { assessments: [{ subject: "02", scores: { township: 90, "county-department": 70 } }] });
    expect(card2.assessment!.subjects.find((s) => s.subject === "02")).toMatchObject({ composite: 82 });
  });

  it("weights must sum to 1: an error with its path", () => {
    const bad = testPack(scoring());
    (bad.scoring.assessment.assessors[1] as { weight: number }).weight = 0.5;
    const r = safeLoadPack(bad);
    expect(r.success).toBe(false);
    if (!r.success) {
      const i = r.issues.find((x) => x.code === "INVALID_WEIGHTS")!;
      expect(i.path).toEqual(["scoring", "assessment", "assessors"]);
      expect(i.message.zh).toContain("权重之和须为 1，现为 11/10");
    }
    const three = testPack(scoring());
    three.scoring.assessment.assessors = [
      { id: "a", label: T("甲"), weight: 0.1, ...LOCAL },
      { id: "b", label: T("乙"), weight: 0.2, ...LOCAL },
      { id: "c", label: T("丙"), weight: 0.7, ...LOCAL },
    ] as never;
    expect(safeLoadPack(three).success).toBe(true); // 0.1 + 0.2 + 0.7 is exactly 1 as written
  });

  it("a bad assessments file is rejected with paths: unknown assessor, score out of range, duplicate subject", () => {
    const engine = createEngine(testPack(scoring()));
    const issues = issuesOf(() =>
      engine.score([], "2022Q3", {
        assessments: [
          { subject: "x", scores: { township: 80, county: 90 } },
          { subject: "y", scores: { township: 180 } },
          { subject: "x", scores: { township: 80 } },
        ],
      }),
    );
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["INVALID_ASSESSMENT", "assessments.0.scores.county"],
      ["INVALID_ASSESSMENT", "assessments.1.scores.township"],
      ["INVALID_ASSESSMENT", "assessments.2.subject"],
    ]);
    expect(issuesOf(() => engine.score([], "2022Q3", { assessments: { subjects: [] } }))[0]!.code).toBe("INVALID_ASSESSMENT");
  });
});

describe("what counts: periods, on-time rules, overdue, denominators, grouping", () => {
  const kpis = [
    { ...found, ...LOCAL },
    { ...resolutionRate, ...LOCAL, alternatives: [{ id: "should-resolve", label: T("应化解"), definition: T("本期化解 ÷（本期受理 + 期初未化解）"), numerator: { event: "resolved" }, denominator: { any: [received, { open: "at-start" }] }, ...LOCAL }] },
    { id: "on-time-rate", label: T("按期化解率", "On-time rate"), kind: "rate", definition: T("按期"), numerator: { resolvedOnTime: true }, denominator: { event: "resolved" }, ...LOCAL },
    { id: "overdue", label: T("逾期数", "Overdue"), kind: "count", definition: T("逾期"), count: { event: "overdue" }, better: "lower", ...LOCAL },
    { id: "reported-by-li", label: T("李某上报"), kind: "count", definition: T("李某上报"), count: { all: [received, { facts: { all: [{ fact: "reportedBy", operator: "equal", value: "李某" }] } }] }, ...LOCAL },
  ];
  const escalation = {
    decidedBy: { id: "branch", label: T("支部", "Branch"), ...LOCAL },
    requestRequired: true,
    fieldProvenance: { requestRequired: LOCAL },
    upgrade: { clock: "restart", ...LOCAL },
    extend: { allowed: true, ...LOCAL },
  };
  const pack = (onTime?: "final-deadline" | "never-overdue") =>
    testPack({ groupBy: { field: "assignment.responsibleUnit", label: T("责任单位", "Responsible unit") }, ...(onTime ? { onTime: { rule: onTime, ...LOCAL } } : {}), kpis }, { escalation });

  function stories(engine: Engine): CaseSnapshot[] {
    const out: CaseSnapshot[] = [];
    // 1. June, still open at the start of Q3, resolved in July.
    let s = engine.start({ type: "intake", at: "2022-06-28T09:00:00+08:00", id: "carried", facts: { receivedAt: "2022-06-28T09:00:00+08:00", unitCode: "01", reportedBy: "李某" } });
    s = engine.transition(s, { type: "assign", at: "2022-06-28T10:00:00+08:00", responsibleUnit: "司法所" });
    out.push(engine.transition(s, { type: "resolve", at: "2022-07-02T10:00:00+08:00" }));
    // 2. July, overdue, extended 10 days, resolved before the new deadline.
    s = engine.start({ type: "intake", at: "2022-07-04T09:00:00+08:00", id: "extended", facts: { receivedAt: "2022-07-04T09:00:00+08:00", unitCode: "01", reportedBy: "李某" } });
    s = engine.transition(s, { type: "assign", at: "2022-07-04T10:00:00+08:00", responsibleUnit: "司法所", cooperatingUnits: ["派出所"] });
    s = engine.transition(s, { type: "tick", at: "2022-07-12T08:00:00+08:00" });
    s = engine.transition(s, { type: "requestEscalation", at: "2022-07-12T09:00:00+08:00", reason: "需要更多时间" });
    s = engine.transition(s, { type: "decideEscalation", at: "2022-07-12T10:00:00+08:00", by: "支部", decision: "extend", days: 10 });
    out.push(engine.transition(s, { type: "resolve", at: "2022-07-15T10:00:00+08:00" }));
    // 3. August, never ticked, still open long past its deadline.
    s = engine.start({ type: "intake", at: "2022-08-01T09:00:00+08:00", id: "silent", facts: { receivedAt: "2022-08-01T09:00:00+08:00", unitCode: "02" } });
    out.push(engine.transition(s, { type: "assign", at: "2022-08-01T10:00:00+08:00", responsibleUnit: "派出所" }));
    // 4. September, resolved on time; no unit.
    s = engine.start({ type: "intake", at: "2022-09-01T09:00:00+08:00", id: "unassigned", facts: { receivedAt: "2022-09-01T09:00:00+08:00", unitCode: "02" } });
    out.push(s);
    return out;
  }

  it("the default denominator counts items received in the period; should-resolve adds those open at its start", () => {
    const engine = createEngine(pack());
    const snaps = stories(engine);
    const asOf = "2022-09-20T00:00:00+08:00";
    const card = engine.score(snaps, "2022Q3", { asOf });
    expect(card.total.kpis["found"]!.value).toBe(3);
    expect(card.total.kpis["resolution-rate"]).toMatchObject({ numerator: 1, denominator: 3 });
    const alt = engine.score(snaps, "2022Q3", { asOf, denominators: { "resolution-rate": "should-resolve" } });
    expect(alt.total.kpis["resolution-rate"]).toMatchObject({ numerator: 2, denominator: 4 });
    expect(alt.kpis.find((k) => k.id === "resolution-rate")!.denominator).toBe("should-resolve");
    expect(issuesOf(() => engine.score(snaps, "2022Q3", { denominators: { "resolution-rate": "nope" } }))[0]!.path).toEqual(["denominators", "resolution-rate"]);
  });

  it("on time: final-deadline counts an approved extension; never-overdue does not", () => {
    const a = createEngine(pack());
    expect(a.score(stories(a), "2022Q3").total.kpis["on-time-rate"]).toMatchObject({ numerator: 2, denominator: 2 });
    const b = createEngine(pack("never-overdue"));
    expect(b.score(stories(b), "2022Q3").total.kpis["on-time-rate"]).toMatchObject({ numerator: 1, denominator: 2 });
  });

  it("overdue: the tick that marked it, and an unmarked deadline that passed before the data's time", () => {
    const engine = createEngine(pack());
    const snaps = stories(engine);
    // By 09-20 three: the ticked one, and the August and September cases whose deadlines passed unmarked.
    expect(engine.score(snaps, "2022Q3", { asOf: "2022-09-20T00:00:00+08:00" }).total.kpis["overdue"]!.value).toBe(3);
    // Before the August case's deadline (08-09) passed, only the ticked one is known.
    expect(engine.score(snaps, "2022Q3", { asOf: "2022-08-05T00:00:00+08:00" }).total.kpis["overdue"]!.value).toBe(1);
    // The default "as of" is the latest event in the snapshots (2022-09-01 09:00): the September case is not yet due.
    const card = engine.score(snaps, "2022Q3");
    expect(card.asOf).toBe("2022-09-01T09:00:00+08:00");
    expect(card.total.kpis["overdue"]!.value).toBe(2);
  });

  it("groups by the pack's field, or another; a list field counts for each; a case without one is Unspecified", () => {
    const engine = createEngine(pack());
    const snaps = stories(engine);
    const card = engine.score(snaps, "2022Q3");
    expect(card.units.map((u) => [u.key, u.kpis["found"]!.value])).toEqual([["", 1], ["司法所", 1], ["派出所", 1]]);
    expect(card.units[0]!.label).toEqual({ zh: "未指定", en: "Unspecified" });
    const coop = engine.score(snaps, "2022Q3", { groupBy: "assignment.cooperatingUnits" });
    expect(coop.units.map((u) => [u.key, u.kpis["found"]!.value])).toEqual([["", 2], ["派出所", 1]]);
    expect(coop.total.kpis["found"]!.value).toBe(3);
    const byCode = engine.score(snaps, "2022Q3", { groupBy: "facts.unitCode" });
    expect(byCode.units.map((u) => [u.key, u.kpis["found"]!.value])).toEqual([["01", 1], ["02", 2]]);
    expect(issuesOf(() => engine.score(snaps, "2022Q3", { groupBy: "context.secret" }))[0]!.path).toEqual(["groupBy"]);
  });

  it("a fact condition counts cases by their facts; explain lists them", () => {
    const engine = createEngine(pack());
    const card = engine.score(stories(engine), "2022Q3", { explain: true });
    expect(card.total.kpis["reported-by-li"]).toMatchObject({ value: 1, cases: { count: ["extended"] } });
    expect(card.total.kpis["resolution-rate"]!.cases).toEqual({ numerator: ["extended"], denominator: ["extended", "silent", "unassigned"] });
  });

  it("the monthly series splits the period by calendar month", () => {
    const engine = createEngine(pack());
    const card = engine.score(stories(engine), "2022Q3");
    expect(card.monthly.map((m) => [m.period.id, m.kpis["found"]!.value])).toEqual([["2022-07", 1], ["2022-08", 1], ["2022-09", 1]]);
  });

  it("snapshots of another pack, or not snapshots at all, are rejected with their index", () => {
    const engine = createEngine(pack());
    const [one] = stories(engine);
    const other = { ...one!, pack: { id: "guyuan", version: "1.0.0" } };
    expect(issuesOf(() => engine.score([one!, other], "2022Q3"))[0]).toMatchObject({ code: "INVALID_SNAPSHOT", path: ["snapshots", 1, "pack", "id"] });
    expect(issuesOf(() => engine.score([{} as CaseSnapshot], "2022Q3"))[0]).toMatchObject({ code: "INVALID_SNAPSHOT", path: ["snapshots", 0] });
  });
});

describe("verification, evaluation and sign-for: rework (返工) and satisfaction (满意率) as GB/T 30428 and 12345 count them", () => {
  const lifecycle = {
    acknowledge: { label: T("部门报到", "Reporting in"), deadline: { amount: 1, unit: "calendar-days", ...LOCAL }, ...LOCAL },
    verification: { required: true, label: T("核实结项", "Verification"), ...LOCAL },
    evaluation: { required: true, label: T("综合评价", "Evaluation"), ratings: [{ value: "satisfied", label: T("满意") }, { value: "basically-satisfied", label: T("基本满意") }, { value: "dissatisfied", label: T("不满意") }], ...LOCAL },
  };
  const kpis = [
    { id: "rework-rate", label: T("返工率", "Rework rate"), kind: "rate", better: "lower", definition: T("核实未通过 ÷ 本期核实"), numerator: { event: "verification-failed" }, denominator: { any: [{ event: "verified" }, { event: "verification-failed" }] }, ...LOCAL },
    { id: "satisfaction", label: T("满意率", "Satisfaction"), kind: "rate", definition: T("满意、基本满意 ÷ 本期评价"), numerator: { evaluation: ["satisfied", "basically-satisfied"] }, denominator: { event: "evaluated" }, ...LOCAL },
    { id: "ack-on-time", label: T("按时报到率", "Reported in on time"), kind: "rate", definition: T("按时报到 ÷ 本期报到"), numerator: { ackOverdue: false }, denominator: { event: "acknowledged" }, ...LOCAL },
  ];
  const engine = createEngine(testPack({ groupBy: { field: "facts.unitCode", label: T("单位") }, kpis }, { lifecycle }));

  function story(id: string, steps: Array<Record<string, unknown>>): CaseSnapshot {
    let s = engine.start({ type: "intake", at: "2022-07-01T09:00:00+08:00", id, facts: { receivedAt: "2022-07-01T09:00:00+08:00", unitCode: "01" } });
    for (const e of steps) s = engine.transition(s, e as never);
    return s;
  }
  const assign = { type: "assign", at: "2022-07-01T10:00:00+08:00", responsibleUnit: "城管" };

  it("a failed verification is rework; ratings count toward satisfaction; late sign-for is counted", () => {
    const snaps = [
      story("a", [assign, { type: "acknowledge", at: "2022-07-01T12:00:00+08:00" }, { type: "resolve", at: "2022-07-03T10:00:00+08:00" }, { type: "verify", at: "2022-07-04T10:00:00+08:00", passed: false }, { type: "resolve", at: "2022-07-05T10:00:00+08:00" }, { type: "verify", at: "2022-07-06T10:00:00+08:00", passed: true }, { type: "evaluate", at: "2022-07-07T10:00:00+08:00", rating: "dissatisfied" }]),
      story("b", [assign, { type: "acknowledge", at: "2022-07-01T12:00:00+08:00" }, { type: "resolve", at: "2022-07-03T10:00:00+08:00" }, { type: "verify", at: "2022-07-04T10:00:00+08:00", passed: true }, { type: "evaluate", at: "2022-07-05T10:00:00+08:00", rating: "basically-satisfied" }]),
      // Assigned Friday 07-01: one day, rolled over the weekend, ends 24:00 Monday 07-04.
      story("c", [assign, { type: "tick", at: "2022-07-05T09:00:00+08:00" }, { type: "acknowledge", at: "2022-07-05T10:00:00+08:00" }]),
      story("d", [assign, { type: "acknowledge", at: "2022-07-05T10:00:00+08:00" }]),
    ];
    const k = engine.score(snaps, "2022Q3").total.kpis;
    expect(k["rework-rate"]).toMatchObject({ numerator: 1, denominator: 2 });
    expect(k["satisfaction"]).toMatchObject({ numerator: 1, denominator: 2 });
    // c was marked late by the tick; d was signed for late without a tick.
    expect(k["ack-on-time"]).toMatchObject({ numerator: 2, denominator: 4 });
  });

  it("a rating the pack does not have is an error with its path", () => {
    const bad = testPack({ groupBy: { field: "facts.unitCode", label: T("单位") }, kpis: [{ ...kpis[1]!, numerator: { evaluation: ["happy"] } }] }, { lifecycle });
    expect(issuesOf(() => createEngine(bad))[0]).toMatchObject({ code: "SCHEMA", path: ["scoring", "kpis", 0, "numerator", "evaluation", 0] });
  });
});

describe("year on year (同比) and goals", () => {
  const pack = testPack({
    groupBy: { field: "facts.unitCode", label: T("单位", "Unit") },
    kpis: [{ ...found, ...LOCAL, better: "lower" }, { ...resolutionRate, ...LOCAL }],
    trends: [{ id: "disputes-down-10", kpi: "found", goal: "decrease", by: { percent: 10 }, cite: { doc: "lanxi", clause: "§四(五)3", quote: "实现全市矛盾纠纷下降幅度达10%以上" } }],
  });
  const engine = createEngine(pack);
  const snaps = run(engine, [...batch("A", 100, 90, "2021-07-01T08:00:00+08:00"), ...batch("A", 90, 90), ...batch("B", 100, 100, "2021-07-01T08:00:00+08:00"), ...batch("B", 91, 91)]);
  const card = engine.score(snaps, "2022Q3");
  const unit = (k: string) => card.units.find((u) => u.key === k)!;

  it("compares with the same period a year earlier", () => {
    expect(card.previousPeriod?.id).toBe("2021Q3");
    expect(unit("A").previous!["found"]!.value).toBe(100);
    expect(unit("A").change!["found"]).toMatchObject({ current: 90, previous: 100, delta: -10, ratio: -0.1, display: { zh: "-10（-10.0%）" } });
    expect(unit("A").change!["resolution-rate"]).toMatchObject({ delta: 0.1, display: { zh: "+10.0 个百分点", en: "+10.0 pp" } });
  });

  it("disputes down at least 10%: 100 → 90 meets it, 100 → 91 does not", () => {
    expect(unit("A").trends[0]).toMatchObject({ met: true, cite: { clause: "§四(五)3" } });
    expect(unit("B").trends[0]!.met).toBe(false);
    expect(unit("B").trends[0]!.reason.zh).toContain("未达到同比下降至少 10%");
  });
});

describe("grid-worker scoring from their reported items (Lanxi §四(三)4; points are local)", () => {
  const pack = testPack({
    groupBy: { field: "facts.unitCode", label: T("单位", "Unit") },
    kpis: [{ ...found, ...LOCAL }],
    persons: {
      ...LOCAL,
      field: "facts.reportedBy",
      label: T("专职网格员考评", "Full-time grid workers"),
      items: [
        { id: "important-info", label: T("涉稳重要信息", "Important stability information"), source: "cases", when: { all: [received, { facts: { all: [{ fact: "important", operator: "equal", value: true }] } }] }, points: 2, ...LOCAL },
        { id: "major-disputes", label: T("重大矛盾纠纷发现上报", "Major disputes found and reported"), source: "cases", when: { all: [received, { facts: { all: [{ fact: "major", operator: "equal", value: true }] } }] }, points: 3, max: 6, ...LOCAL },
        { id: "visits", label: T("重点场所（人员）走访", "Visits to key places and people"), source: "input", points: 0.5, ...LOCAL },
      ],
      cap: { max: 20, ...LOCAL },
    },
  });
  const engine = createEngine(pack);
  const snaps = run(engine, [
    { at: "2022-07-01T08:00:00+08:00", unit: "01", facts: { reportedBy: "张三", important: true } },
    { at: "2022-07-02T08:00:00+08:00", unit: "01", facts: { reportedBy: "张三", major: true } },
    { at: "2022-07-03T08:00:00+08:00", unit: "01", facts: { reportedBy: "张三", major: true } },
    { at: "2022-07-04T08:00:00+08:00", unit: "01", facts: { reportedBy: "张三", major: true, important: true } },
    { at: "2022-07-05T08:00:00+08:00", unit: "01", facts: { reportedBy: "李四", important: true } },
    { at: "2021-07-05T08:00:00+08:00", unit: "01", facts: { reportedBy: "李四", important: true } },
  ]);

  it("points per item reported, capped per item and in total, plus counts from the assessments file", () => {
    const card = engine.score(snaps, "2022Q3", { assessments: { persons: [{ person: "李四", counts: { visits: 30 } }, { person: "王五", counts: { visits: 6 } }] } });
    const p = card.persons!.scores;
    expect(p.map((x) => [x.person, x.total, x.rank, x.capped])).toEqual([
      ["李四", 17, 1, false], // 1 × 2 + 30 × 0.5
      ["张三", 10, 2, false], // 2 × 2 + min(3 × 3, 6)
      ["王五", 3, 3, false],
    ]);
    expect(p[1]!.items.map((i) => [i.item, i.count, i.points])).toEqual([["important-info", 2, 4], ["major-disputes", 3, 6], ["visits", 0, 0]]);
    const capped = engine.score(snaps, "2022Q3", { assessments: { persons: [{ person: "李四", counts: { visits: 100 } }] } });
    expect(capped.persons!.scores[0]).toMatchObject({ person: "李四", total: 20, capped: true });
  });

  it("a count for an item that is not counted from the file is an error", () => {
    expect(issuesOf(() => engine.score(snaps, "2022Q3", { assessments: { persons: [{ person: "李四", counts: { "important-info": 3 } }] } }))[0]!.path).toEqual(["assessments", "persons", 0, "counts", "important-info"]);
  });
});

describe("pack validation of the scoring section", () => {
  const ok = () => testPack({ groupBy: { field: "facts.unitCode", label: T("单位") }, kpis: [{ ...found, ...LOCAL }, { ...resolutionRate, ...LOCAL }] });

  it("every KPI needs its provenance: cite, or local with a note", () => {
    const p = ok();
    delete (p.scoring.kpis[1] as { local?: true }).local;
    const r = safeLoadPack(p);
    expect(!r.success && r.issues.map((i) => [i.code, i.path.join(".")])).toContainEqual(["MISSING_CITE", "scoring.kpis.1.cite"]);
  });

  it("references are checked: a target's KPI and its unit; duplicate ids", () => {
    const p = ok() as ReturnType<typeof ok> & { scoring: Record<string, unknown> };
    p.scoring["targets"] = [{ id: "t", kpi: "nope", op: ">=", value: 95, unit: "percent", ...LOCAL }, { id: "t", kpi: "found", op: ">=", value: 95, unit: "percent", ...LOCAL }];
    const r = safeLoadPack(p);
    expect(!r.success && r.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["DUPLICATE_ID", "scoring.targets.1.id"],
      ["UNKNOWN_KPI", "scoring.targets.0.kpi"],
      ["SCHEMA", "scoring.targets.1.unit"],
    ]);
  });

  it("a rate needs a numerator and a denominator; KPI ids are unique", () => {
    const p = ok();
    (p.scoring.kpis as unknown[]).push({ id: "found", label: T("x"), kind: "rate", definition: T("x"), denominator: received, ...LOCAL });
    const r = safeLoadPack(p);
    expect(!r.success && r.issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["SCHEMA", "scoring.kpis.2.numerator"],
      ["DUPLICATE_ID", "scoring.kpis.2.id"],
    ]);
  });

  it("unknown levels and facts in what counts are reported by createEngine with their path", () => {
    const p = ok();
    (p.scoring.kpis as unknown[]).push({ id: "x", label: T("x"), kind: "count", definition: T("x"), count: { all: [{ level: ["purple"] }, { facts: { all: [{ fact: "nope", operator: "equal", value: 1 }] } }] }, ...LOCAL });
    const issues = issuesOf(() => createEngine(p));
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual(expect.arrayContaining([["UNKNOWN_LEVEL", "scoring.kpis.2.count.all.0.level.0"], ["UNKNOWN_FACT", "scoring.kpis.2.count.all.1.facts.all.0.fact"]]));
  });

  it("a pack without a scoring section cannot score", () => {
    const p = ok() as Record<string, unknown>;
    delete p["scoring"];
    expect(issuesOf(() => createEngine(p as CreateEngineInput).score([], "2022Q3"))[0]!.code).toBe("USAGE");
  });

  it("scoreCases takes a loaded pack directly as well, and refuses raw JSON (scoring never loads a pack)", () => {
    expect(scoreCases(loadPack(ok()), [], "2022").total.kpis["found"]!.value).toBe(0);
    const raw = issuesOf(() => scoreCases(ok() as unknown as RulePack, [], "2022"));
    expect(raw.map((i) => i.code)).toEqual(["USAGE"]);
    expect(raw[0]!.message.en).toContain("loadPack");
    expect(raw[0]!.message.zh).toContain("loadPack");
    expect(issuesOf(() => compileScoring(JSON.parse(JSON.stringify(loadPack(ok()))) as RulePack))[0]!.code).toBe("USAGE");
  });
});
