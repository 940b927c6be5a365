// The Xiji "1133" article, paragraph by paragraph, through the engine; then every golden case.
import { describe, expect, it } from "vitest";
import { createEngine, describeReason, findUnreachableRules, lintPack, loadPack, safeLoadPack, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { expectRejected, loadGoldenCases, summarizeIssues } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const AT = "2022-09-05T10:00:00+08:00"; // a Monday
const CASE = { receivedAt: AT, township: "将台堡镇" };
const grade = (facts: Record<string, unknown> = {}) => engine.grade({ ...CASE, ...facts });
const FOUR = { responsibleLeader: "镇政法委员", responsiblePerson: "民警 李某", measures: "上门调解", deadline: "2022-09-12" };
const FIVE = ["problem-solved", "hazard-removed", "responsibility-fulfilled", "rectification-complete", "people-satisfied"];

/** A transition that must be rejected and leave the snapshot as it was: its issues' codes, paths and messages. */
const rejects = (snap: CaseSnapshot, event: CaseEvent) => summarizeIssues(expectRejected(engine, snap, event));
const run = (events: CaseEvent[], from?: CaseSnapshot) => events.reduce((s, e) => engine.transition(s, e), from ?? engine.start({ type: "intake", at: AT, facts: { ...CASE, area: "neighbour" } }));

describe("the pack", () => {
  it("passes core's validation with no errors and no warnings", () => {
    const r = safeLoadPack(pack);
    expect(r.success ? r.warnings : r.issues).toEqual([]);
  });
  it("jiceng lint: every point, threshold and time limit is a local value; no rule that can never fire", () => {
    const locals = lintPack(pack).map((i) => i.path.join("."));
    expect(locals.filter((p) => p.startsWith("grading.score.points"))).toHaveLength(pack.grading.score!.points.length);
    expect(locals.filter((p) => p.startsWith("grading.score.thresholds"))).toHaveLength(2);
    expect(locals.filter((p) => /^levels\.\d\.deadline$/.test(p))).toHaveLength(3);
    expect(findUnreachableRules(loadPack(pack))).toEqual([]);
  });
});

describe("§四¶2 问题清单: 评估赋分，自动生成“红、橙、黄”三色预警", () => {
  it("three warning levels, most severe first: 红 > 橙 > 黄", () => {
    expect([...loadPack(pack).levels].sort((a, b) => b.rank - a.rank).map((l) => l.label.zh)).toEqual(["红色预警", "橙色预警", "黄色预警"]);
  });

  it("a neighbour dispute with nothing else scores 5: yellow, and the reasons list the point awarded", () => {
    const g = grade({ area: "neighbour" });
    expect(g.level).toBe("yellow");
    expect(g.score).toMatchObject({ total: 5, items: [{ ruleId: "area-neighbour", points: 5, kind: "points" }] });
    expect(g.reasons.map((r) => [r.ruleId, r.points])).toEqual([["default", undefined], ["area-neighbour", 5]]);
  });

  it("every point awarded is a reason, and the points add up to the total", () => {
    const g = grade({ area: "wage-arrears", peopleInvolved: 40, instability: ["petition", "key-groups"], escalating: true });
    const points = g.reasons.filter((r) => r.kind === "points");
    expect(points.map((r) => r.ruleId).sort()).toEqual(["area-wage-arrears", "escalating", "instability-key-groups", "instability-petition", "people-30", "people-5"]);
    expect(points.reduce((n, r) => n + r.points!, 0)).toBe(g.score!.total);
    expect(g.score!.total).toBe(105);
    expect(g.reasons[0]).toMatchObject({ ruleId: "threshold-red", kind: "threshold", score: 105, min: 60, local: true });
  });

  it("each reason shows the conditions that held, with the values seen, and says the value is local", () => {
    const g = grade({ area: "neighbour", escalating: true, mediationFailed: true });
    const line = describeReason(loadPack(pack), g.reasons.find((r) => r.ruleId === "mediation-failed")!);
    expect(line.zh).toContain("多次调解未能化解 +10分");
    expect(line.zh).toContain("本地设定");
    expect(line.en).toContain("+10 points");
  });

  it("the thresholds are inclusive: 30 is orange, 60 is red", () => {
    expect(grade({ area: "land-requisition", instability: ["petition"] })).toMatchObject({ level: "orange", score: { total: 30 } });
    expect(grade({ area: "land-requisition", instability: ["key-groups"], escalating: true, mediationFailed: true })).toMatchObject({ level: "red", score: { total: 60 } });
    expect(grade({ area: "neighbour", escalating: true })).toMatchObject({ level: "yellow", score: { total: 25 } });
  });

  it("紧盯…群体性事件、个人极端案事件: either alone is red", () => {
    expect(grade({ instability: ["mass-incident"] }).level).toBe("red");
    expect(grade({ instability: ["extreme-incident"] }).level).toBe("red");
  });

  it("explain(): an orange case shows the total it has and the red line it did not reach", () => {
    const x = engine.explain({ ...CASE, area: "neighbour", escalating: true, mediationFailed: true });
    expect(x.level).toBe("orange");
    expect(x.rejected.map((r) => [r.level, r.score])).toEqual([["red", { total: 35, min: 60 }]]);
  });

  it("“动态管理”: new facts regrade a case upwards, with the new points as reasons, and restart its time limit", () => {
    const s0 = engine.start({ type: "intake", at: AT, facts: { ...CASE, area: "neighbour" } });
    const s1 = engine.transition(s0, { type: "update", at: "2022-09-08T10:00:00+08:00", facts: { escalating: true, mediationFailed: true } });
    expect([s0.context.level, s1.context.level]).toEqual(["yellow", "orange"]);
    expect(s1.context.clockStart).toBe("2022-09-08T10:00:00+08:00");
    const h = s1.context.history.at(-1)!;
    expect(h.reasons?.map((r) => r.ruleId)).toEqual(["threshold-orange", "area-neighbour", "escalating", "mediation-failed"]);
    // …and never downwards: facts that lower the score leave the level where it is.
    const s2 = engine.transition(s1, { type: "update", at: "2022-09-09T10:00:00+08:00", facts: { escalating: false, mediationFailed: false } });
    expect(s2.context.level).toBe("orange");
  });
});

describe("§四¶4 责任清单: 四定三包", () => {
  const s0 = engine.start({ type: "intake", at: AT, facts: { ...CASE, area: "neighbour" } });

  it("an assignment without the 四定 is refused, naming what is missing in Chinese and English", () => {
    const e = rejects(s0, { type: "assign", at: "2022-09-05T11:00:00+08:00", responsibleUnit: "派出所", responsiblePerson: "民警 李某" });
    expect(e.codes).toEqual(["MISSING_FIELDS"]);
    expect(e.zh).toBe("交办缺少必填项（四定）：责任领导、化解措施、化解时限");
    expect(e.en).toBe("The assignment is missing required fields (the four fixed): responsible leader, resolution measures, resolution deadline");
  });

  it("one missing 定 is named alone, with its path", () => {
    const { measures: _m, ...three } = FOUR;
    const e = rejects(s0, { type: "assign", at: "2022-09-05T11:00:00+08:00", ...three });
    expect(e.zh).toBe("交办缺少必填项（四定）：化解措施");
    expect(e.paths).toEqual(["event.measures"]);
  });

  it("with the four 定 it is assigned, and the responsibility list shows the 三包", () => {
    const s1 = engine.transition(s0, { type: "assign", at: "2022-09-05T11:00:00+08:00", ...FOUR });
    expect(s1.state).toBe("resolving");
    const row = engine.listRow(s1).responsibility;
    expect(row).toMatchObject({ responsibleLeader: "镇政法委员", responsiblePerson: "民警 李某", measures: "上门调解" });
    expect(row.duties?.map((d) => d.zh)).toEqual(["包风险化解", "包教育管控", "包长效跟踪管理"]);
  });
});

describe("§四¶5 整改清单: 超期未办结的事项，描述原因、困难、是否需上级协调，制定整改措施，销号管理", () => {
  const assigned = run([{ type: "assign", at: "2022-09-05T11:00:00+08:00", ...FOUR }]);
  const overdue = engine.transition(assigned, { type: "tick", at: "2022-09-14T08:00:00+08:00" });
  const RECORD = { reason: "双方各执一词", difficulty: "地界无测量依据", needsCoordination: true, measures: "提请联合调解" };

  it("an item that is not overdue does not go on the rectification list", () => {
    const e = rejects(assigned, { type: "rectify", at: "2022-09-06T10:00:00+08:00", ...RECORD });
    expect(e.codes).toEqual(["EVENT_NOT_ALLOWED"]);
    expect(e.zh).toContain("整改清单只记录超期未办结的事项");
  });

  it("an overdue item's record must give all four, and names what is missing", () => {
    expect(overdue.context.overdue).toBe(true);
    const e = rejects(overdue, { type: "rectify", at: "2022-09-14T10:00:00+08:00", reason: "双方各执一词" });
    expect(e.zh).toBe("整改清单缺少必填项：存在的主要困难、是否需要上级部门协调、整改措施");
    expect(e.en).toContain("the main difficulty; whether a higher level must coordinate; rectification measures");
  });

  it("a complete record goes on the list; one that asks for a higher level's coordination shows on the sweep", () => {
    const s = engine.transition(overdue, { type: "rectify", at: "2022-09-14T10:00:00+08:00", ...RECORD });
    expect(s.context.rectifications).toEqual([{ n: 1, at: "2022-09-14T10:00:00+08:00", ...RECORD }]);
    const sw = engine.sweep([overdue, s], "2022-09-15T08:00:00+08:00");
    expect(sw.rectificationOpen).toEqual([1]);
    expect(sw.needsCoordination).toEqual([1]);
    expect(engine.listRow(s).rectification).toHaveLength(1);
  });

  it("销号: a record is struck off; only open records can be", () => {
    const s = engine.transition(overdue, { type: "rectify", at: "2022-09-14T10:00:00+08:00", ...RECORD });
    const done = engine.transition(s, { type: "strikeOff", at: "2022-09-20T10:00:00+08:00", by: "功能型党支部", item: 1 });
    expect(done.context.rectifications![0]).toMatchObject({ struckOffAt: "2022-09-20T10:00:00+08:00", struckOffBy: "功能型党支部" });
    expect(rejects(done, { type: "strikeOff", at: "2022-09-21T10:00:00+08:00" }).codes).toEqual(["EVENT_NOT_ALLOWED"]);
    expect(rejects(s, { type: "strikeOff", at: "2022-09-21T10:00:00+08:00", item: 2 }).codes).toEqual(["INVALID_EVENT"]);
  });
});

describe("§四¶5 五不放过: a case is closed only when all five are confirmed", () => {
  const resolved = run([
    { type: "assign", at: "2022-09-05T11:00:00+08:00", ...FOUR },
    { type: "resolve", at: "2022-09-08T16:00:00+08:00" },
  ]);

  it("closing with no confirmation is refused, naming all five", () => {
    const e = rejects(resolved, { type: "close", at: "2022-09-09T10:00:00+08:00" });
    expect(e.codes).toEqual(["MISSING_FIELDS"]);
    expect(e.zh).toBe("结案前须确认（五不放过），尚缺：问题已解决、隐患已消除、责任已落实、整改已到位、群众满意");
    expect(e.en).toBe("Before closing, confirm (the five not-let-go); missing: the problem is solved; the hazard is removed; responsibility is carried out; rectification is complete; the people are satisfied");
  });

  it("closing with three of five names the two missing", () => {
    const e = rejects(resolved, { type: "close", at: "2022-09-09T10:00:00+08:00", confirmations: ["problem-solved", "hazard-removed", "responsibility-fulfilled"] });
    expect(e.zh).toBe("结案前须确认（五不放过），尚缺：整改已到位、群众满意");
  });

  it("an unknown confirmation is refused, listing the ones that exist", () => {
    const e = rejects(resolved, { type: "close", at: "2022-09-09T10:00:00+08:00", confirmations: [...FIVE, "all-good"] });
    expect(e.codes).toEqual(["INVALID_EVENT"]);
    expect(e.en).toContain("all-good");
  });

  it("with all five it closes, and the snapshot records what was confirmed", () => {
    const closed = engine.transition(resolved, { type: "close", at: "2022-09-09T10:00:00+08:00", by: "功能型党支部", confirmations: FIVE });
    expect(closed.state).toBe("closed");
    expect(closed.context.confirmed).toEqual([{ checklist: "five-not-let-go", before: "close", at: "2022-09-09T10:00:00+08:00", by: "功能型党支部", items: FIVE }]);
  });

  it("整改不到位不放过: a record not struck off keeps the case open, whatever is confirmed", () => {
    const overdueResolved = run([
      { type: "assign", at: "2022-09-05T11:00:00+08:00", ...FOUR },
      { type: "tick", at: "2022-09-14T08:00:00+08:00" },
      { type: "rectify", at: "2022-09-14T10:00:00+08:00", reason: "r", difficulty: "d", needsCoordination: false, measures: "m" },
      { type: "resolve", at: "2022-09-16T16:00:00+08:00" },
    ]);
    const e = rejects(overdueResolved, { type: "close", at: "2022-09-17T10:00:00+08:00", confirmations: FIVE });
    expect(e.zh).toBe("结案前须将整改清单全部销号，尚有 1 项未销号（第 1 项）");
    const struck = engine.transition(overdueResolved, { type: "strikeOff", at: "2022-09-17T09:00:00+08:00" });
    expect(engine.transition(struck, { type: "close", at: "2022-09-17T10:00:00+08:00", confirmations: FIVE }).state).toBe("closed");
  });
});

describe("§一¶3 周碰头、月研判、季考核", () => {
  const s = engine.start({ type: "intake", at: AT, facts: { ...CASE, area: "neighbour" } });
  it.each([["weekly", "周碰头"], ["monthly", "月研判"], ["quarterly", "季考核"]] as const)("the %s agenda is called %s", (kind, name) => {
    expect(engine.agenda([s], kind, "2022-09-07T09:00:00+08:00").label.zh).toBe(name);
  });
});

describe("golden cases (cases/*.json)", () => {
  type Golden = { clause: string; description: { en: string }; input: Record<string, unknown>; expected: { level: string; score: number; pointIds: string[]; dueAt: string } };
  // Lifecycle cases (lifecycle-*.json) are run by readings.test.ts.
  for (const { file, case: c } of loadGoldenCases<Golden>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("score-"))) {
    it(`${c.clause} ${file}: ${c.description.en.split(".")[0]}`, () => {
      const a = engine.assess(c.input);
      expect(a.level).toBe(c.expected.level);
      expect(a.score?.total).toBe(c.expected.score);
      expect(a.score?.items.map((i) => i.ruleId).sort()).toEqual(c.expected.pointIds);
      expect(a.dueAt).toBe(c.expected.dueAt);
    });
  }
});
