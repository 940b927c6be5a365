// The district "三中心一平台" plan, clause by clause, through the engine; then every golden case.
import { describe, expect, it } from "vitest";
import { checkUnits, createEngine, findUnreachableRules, lintPack, loadPack, safeLoadPack, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { expectRejected, loadGoldenCases, summarizeIssues } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const AT = "2023-03-06T09:00:00+08:00"; // a Monday
const collect = (facts: Record<string, unknown> = {}, at = AT) => engine.start({ type: "intake", at, by: "网格员 李某", facts: { receivedAt: at, source: "grid", ...facts } });

/** A transition that must be rejected and leave the snapshot as it was: its issues' codes, paths and messages. */
const rejects = (snap: CaseSnapshot, event: CaseEvent) => summarizeIssues(expectRejected(engine, snap, event));
const run = (snap: CaseSnapshot, events: CaseEvent[]) => events.reduce((s, e) => engine.transition(s, e), snap);

describe("the pack", () => {
  it("passes core's validation with no errors and no warnings", () => {
    const r = safeLoadPack(pack);
    expect(r.success ? r.warnings : r.issues).toEqual([]);
  });
  it("jiceng lint lists the local values, and finds no rule that can never fire", () => {
    const paths = lintPack(pack).map((i) => i.path.join("."));
    for (const p of ["levels.0.deadline", "lifecycle.acknowledge.deadline", "lifecycle.evaluation.ratings", "lifecycle.evaluation.required", "lifecycle.return", "facts.5"]) expect(paths).toContain(p);
    expect(findUnreachableRules(loadPack(pack))).toEqual([]);
  });
});

describe("§三、§四(三) 四个功能性平台: items are routed by category", () => {
  it("a problem with a clear owner goes to its platform's stationed agency (§四(六))", () => {
    expect(engine.route({ receivedAt: AT, category: "food-drug" })).toMatchObject({ platform: "comprehensive-supervision", lead: "market-supervision-office", coordinated: false });
    expect(engine.route({ receivedAt: AT, category: "medical" })).toMatchObject({ platform: "convenience-services", lead: "health-centre" });
  });
  it("§四(六) 对职责交叉、需多部门协同解决的问题，由乡(街道)综合协调", () => {
    const r = engine.route({ receivedAt: AT, category: "commerce", crossCutting: true });
    expect(r).toMatchObject({ lead: "township-command-room", cooperating: ["market-supervision-office"], coordinated: true, platform: "comprehensive-supervision" });
    expect(r.reasons.at(-1)?.label?.zh).toBe("须统筹协调，由乡（街道）社会治理综合指挥室统筹协调");
  });
  it("§四(七)五 重大疑难…由综合指挥中心统一调配人员力量，协调各部门共同处置", () => {
    const r = engine.route({ receivedAt: AT, category: "dispute", major: true });
    expect(r).toMatchObject({ lead: "district-command-centre", cooperating: ["justice-office"] });
    expect(r.reasons[0]).toMatchObject({ ruleId: "major", cite: { clause: "§四(七)五" } });
  });
  it("the route is kept on the case as the command room's suggestion; the whistle (assignment) is by hand", () => {
    const s = collect({ category: "food-drug" });
    expect(s.state).toBe("graded");
    expect(s.context.route?.lead).toBe("market-supervision-office");
  });
});

describe("§四(七)三 问题收集—街道吹哨—部门报到—处理反馈—核实结项—综合评价", () => {
  const s0 = collect({ category: "food-drug" });

  it("街道吹哨 names the department called in; without it the whistle is refused", () => {
    const e = rejects(s0, { type: "assign", at: "2023-03-06T10:00:00+08:00", responsibleUnit: "市场监管所" });
    expect(e.zh).toBe("交办缺少必填项（街道吹哨）：报到部门");
    const s1 = engine.transition(s0, { type: "assign", at: "2023-03-06T10:00:00+08:00", leadUnit: "市场监管所" });
    expect(engine.listRow(s1).assessment.stage.zh).toBe("街道吹哨（待部门报到）");
  });

  it("部门报到 within 1 working day (local): across Labour Day 2023 the limit is 05-05 00:00", () => {
    const s = engine.transition(collect({ category: "dispute" }, "2023-04-28T09:00:00+08:00"), { type: "assign", at: "2023-04-28T16:00:00+08:00", leadUnit: "司法所" });
    // assigned Fri 04-28 (not counted); 04-29 … 05-03 are holidays; the first working day is Thu 05-04.
    expect(s.context.ackDueAt).toBe("2023-05-05T00:00:00+08:00");
    expect(engine.sweep([s], "2023-05-04T18:00:00+08:00").ackOverdue).toEqual([]);
    expect(engine.sweep([s], "2023-05-05T08:00:00+08:00").ackOverdue).toEqual([0]);
  });

  const handled = run(s0, [
    { type: "assign", at: "2023-03-06T10:00:00+08:00", leadUnit: "市场监管所" },
    { type: "acknowledge", at: "2023-03-06T11:00:00+08:00", by: "市场监管所" },
    { type: "resolve", at: "2023-03-08T16:00:00+08:00", by: "市场监管所", note: "处理反馈" },
  ]);

  it("处理反馈 is not the end: closing without 核实结项 and 综合评价 is refused, naming both", () => {
    const e = rejects(handled, { type: "close", at: "2023-03-09T10:00:00+08:00" });
    expect(e.codes).toEqual(["MISSING_FIELDS", "MISSING_FIELDS"]);
    expect(e.zh).toBe("结案前须核实（核实结项）\n结案前须评价（综合评价）");
    expect(engine.sweep([handled], "2023-03-09T08:00:00+08:00").awaitingVerification).toEqual([0]);
  });

  it("核实结项 that fails sends the item back to be handled, with the same time limit", () => {
    const back = engine.transition(handled, { type: "verify", at: "2023-03-09T09:00:00+08:00", by: "网格员", passed: false, note: "仍有摊贩" });
    expect(back.state).toBe("resolving");
    expect(back.context.resolvedAt).toBeUndefined();
    expect(back.context.dueAt).toBe(handled.context.dueAt);
  });

  it("综合评价 comes after 核实结项, with a rating on the scale", () => {
    expect(rejects(handled, { type: "evaluate", at: "2023-03-09T10:00:00+08:00", rating: "satisfied" }).zh).toContain("须先核实结项");
    const verified = engine.transition(handled, { type: "verify", at: "2023-03-09T09:00:00+08:00", passed: true });
    expect(engine.sweep([verified], "2023-03-09T09:30:00+08:00").awaitingEvaluation).toEqual([0]);
    expect(rejects(verified, { type: "evaluate", at: "2023-03-09T10:00:00+08:00", rating: "great" }).zh).toContain("可选：satisfied（满意）、basically-satisfied（基本满意）、dissatisfied（不满意）");
    const evaluated = engine.transition(verified, { type: "evaluate", at: "2023-03-09T10:00:00+08:00", by: "群众", rating: "basically-satisfied" });
    const closed = engine.transition(evaluated, { type: "close", at: "2023-03-09T11:00:00+08:00" });
    expect(closed.state).toBe("closed");
    expect(engine.listRow(closed).assessment).toMatchObject({ verified: true, rating: "basically-satisfied", stage: { zh: "结项" } });
  });
});

describe("§四(四) 对部分适合网格员初期处置办结的事项，赋予其关闭事项的权限", () => {
  it("a grid worker closes a listed simple item on the spot", () => {
    const s = collect({ simpleItem: "small-ads" });
    const c = engine.transition(s, { type: "selfClose", at: "2023-03-06T09:20:00+08:00", by: "网格员 李某", role: "grid-worker", note: "已清除小广告" });
    expect(c.state).toBe("closed");
    expect(c.context).toMatchObject({ selfClosed: { role: "grid-worker", by: "网格员 李某" }, resolvedAt: "2023-03-06T09:20:00+08:00", closedAt: "2023-03-06T09:20:00+08:00" });
  });
  it("an item not on the list is refused, saying which condition failed", () => {
    const e = rejects(collect({ category: "food-drug" }), { type: "selfClose", at: "2023-03-06T09:20:00+08:00", role: "grid-worker" });
    expect(e.codes).toEqual(["EVENT_NOT_ALLOWED"]);
    expect(e.zh).toContain("此事项不在可自行办结的所列事项之内");
    expect(e.zh).toContain("网格员可自行办结的简单事项");
  });
  it("someone who is not a grid worker is refused", () => {
    expect(rejects(collect({ simpleItem: "small-ads" }), { type: "selfClose", at: "2023-03-06T09:20:00+08:00", role: "volunteer" }).zh).toContain("身份 \"volunteer\" 无权自行办结");
  });
  it("once the township has whistled a department in, the item is theirs", () => {
    const s = engine.transition(collect({ simpleItem: "small-ads" }), { type: "assign", at: "2023-03-06T10:00:00+08:00", leadUnit: "综合执法队" });
    expect(rejects(s, { type: "selfClose", at: "2023-03-06T11:00:00+08:00", role: "grid-worker" }).codes).toEqual(["EVENT_NOT_ALLOWED"]);
  });
});

describe("§四(二) 区综合指挥中心督办: an overdue item is reported to it at the next tick (local)", () => {
  it("10 working days pass without 处理反馈", () => {
    const s = engine.transition(collect({ category: "dispute" }), { type: "assign", at: "2023-03-06T10:00:00+08:00", leadUnit: "司法所" });
    const t = engine.transition(s, { type: "tick", at: "2023-03-21T08:00:00+08:00" });
    expect(t.context.reportedTo.map((r) => r.body)).toEqual(["district-command-centre"]);
  });
});

describe("golden cases (cases/*.json)", () => {
  type Golden = { clause: string; description: { en: string }; input: Record<string, unknown>; expected: Record<string, unknown> };
  for (const { file, case: c } of loadGoldenCases<Golden>(new URL("../cases/", import.meta.url))) {
    it(`${c.clause} ${file}: ${c.description.en.split(/[.:]/)[0]}`, () => {
      if (file.startsWith("route-")) {
        const r = engine.route(c.input);
        const { ruleIds, ...rest } = c.expected;
        expect({ lead: r.lead, coordinated: r.coordinated, cooperating: r.cooperating, ...(r.platform ? { platform: r.platform } : {}), ...(r.oversight ? { oversight: r.oversight.body } : {}) }).toEqual(rest);
        expect(r.reasons.map((x) => x.ruleId)).toEqual(ruleIds);
      } else if (file.startsWith("units-")) {
        const r = checkUnits(engine.pack.units!, c.input["units"]);
        const { ok, violations } = c.expected as { ok: boolean; violations: Array<[string, string]> };
        expect({ ok: r.ok, violations: r.violations.filter((v) => v.severity === "error").map((v) => [v.rule, v.unitId]) }).toEqual({ ok, violations });
        for (const v of r.violations) expect(v.cite ?? v.note).toBeDefined();
      } else {
        expect({ dueAt: engine.start({ type: "intake", at: c.input["receivedAt"] as string, facts: c.input }).context.dueAt }).toEqual(c.expected);
      }
    });
  }
});

describe("§四(六) 乡(街道)负责配合和监督: on an item a stationed agency leads", () => {
  const at = "2023-03-06T09:00:00+08:00";
  it("the responsibility list names the township's part, and its supervision may be recorded without being required", () => {
    const s0 = engine.start({ type: "intake", at, facts: { receivedAt: at, category: "food-drug" } });
    expect(engine.listRow(s0).responsibility.oversight).toMatchObject({ body: "township-command-room", role: { zh: "配合和监督" } });
    const handled = [
      { type: "assign", at: "2023-03-06T10:00:00+08:00", leadUnit: "market-supervision-office" },
      { type: "acknowledge", at: "2023-03-06T11:00:00+08:00" },
      { type: "supervise", at: "2023-03-07T09:00:00+08:00", by: "乡（街道）指挥室", note: "监督处置进度" },
      { type: "resolve", at: "2023-03-08T09:00:00+08:00" },
    ] as CaseEvent[];
    const s = handled.reduce((x, e) => engine.transition(x, e), s0);
    expect(s.context.supervisions).toEqual([{ at: "2023-03-07T09:00:00+08:00", by: "乡（街道）指挥室", note: "监督处置进度" }]);
    const unsupervised = handled.filter((e) => e.type !== "supervise").reduce((x, e) => engine.transition(x, e), s0);
    expect(unsupervised.state).toBe("resolved");
  });
});
