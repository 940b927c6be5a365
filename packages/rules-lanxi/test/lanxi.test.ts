// The Lanxi plan, clause by clause, through the engine — and the 信访工作条例 time limits for
// petitions; then every golden case.
import { describe, expect, it } from "vitest";
import { createEngine, findUnreachableRules, lintPack, loadPack, safeLoadPack, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { expectRejected, loadGoldenCases, summarizeIssues } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const AT = "2022-06-06T09:30:00+08:00"; // a Monday
const intake = (facts: Record<string, unknown>, by = "网格员 张某", at = AT) => engine.start({ type: "intake", at, by, facts: { receivedAt: at, township: "诸葛镇", source: "grid-worker", ...facts } });

/** A transition that must be rejected and leave the snapshot as it was: its issues' codes, paths and messages. */
const rejects = (snap: CaseSnapshot, event: CaseEvent) => summarizeIssues(expectRejected(engine, snap, event));
const run = (snap: CaseSnapshot, events: CaseEvent[]) => events.reduce((s, e) => engine.transition(s, e), snap);

describe("the pack", () => {
  it("passes core's validation with no errors and no warnings", () => {
    const r = safeLoadPack(pack);
    expect(r.success ? r.warnings : r.issues).toEqual([]);
  });
  it("jiceng lint lists its local values (platforms, routing rows, limits) and finds no rule that can never fire", () => {
    const paths = lintPack(pack).map((i) => i.path.join("."));
    expect(paths).toContain("levels.0.deadline");
    expect(paths).toContain("lifecycle.acknowledge.deadline");
    expect(paths.filter((p) => p.startsWith("routing.platforms"))).toHaveLength(4);
    expect(findUnreachableRules(loadPack(pack))).toEqual([]);
  });
});

describe("§四(三)2 信息收集——分流交办: 网格员上报事项…通过信息系统自动派单流转", () => {
  it("a reported item is dispatched at intake to the lead department its category routes to", () => {
    const s = intake({ category: "food-drug" });
    expect(s.state).toBe("assigned");
    expect(s.context.assignment).toMatchObject({ leadUnit: "market-regulation-office", responsibleUnit: "market-regulation-office", by: "auto-dispatch" });
    expect(s.context.route).toMatchObject({ platform: "market-supervision", lead: "market-regulation-office", coordinated: false });
    expect(engine.history(s).map((h) => h.summary.zh)).toEqual([expect.stringContaining("受理并定级"), "自动派单：市场监管所（market-regulation-office）"]);
  });

  it("an item several departments share goes to the command room, which coordinates (§四(三)1)", () => {
    const s = intake({ category: "city-management", multiDepartment: true });
    expect(s.context.assignment).toMatchObject({ leadUnit: "township-command-room", cooperatingUnits: ["law-enforcement-squad"] });
    expect(s.context.route?.reasons.map((r) => r.ruleId)).toEqual(["multi-department", "city-management", "coordinator"]);
  });

  it("every routing reason says where it comes from: the plan's clause, or a local note", () => {
    for (const cat of ["petition", "dispute", "other"]) {
      for (const r of engine.route({ receivedAt: AT, category: cat }).reasons) expect(r.cite !== undefined || (r.local === true && r.note !== undefined)).toBe(true);
    }
  });

  it("the stages carry the plan's names: 信息收集、分流交办、执行处置、日常督办、信息反馈、督查考核", () => {
    const s = intake({ category: "dispute" });
    expect(engine.listRow(s).assessment.stage.zh).toBe("分流交办（待签收）");
    const acked = engine.transition(s, { type: "acknowledge", at: "2022-06-06T10:00:00+08:00" });
    expect(engine.listRow(acked).assessment.stage.zh).toBe("执行处置");
  });
});

describe("§四(三)2 建立信息首问责任制，实现事件及时签收", () => {
  const s = intake({ category: "dispute" });

  it("the first receiver is recorded and stays on the responsibility list", () => {
    expect(s.context.firstReceiver).toBe("网格员 张某");
    expect(engine.listRow(s).responsibility.firstReceiver).toBe("网格员 张某");
  });

  it("签收 within 24 hours (local): not signed for by then, the tick marks it and the sweep lists it", () => {
    expect(s.context.ackDueAt).toBe("2022-06-07T09:30:00+08:00");
    expect(engine.sweep([s], "2022-06-07T08:00:00+08:00").ackOverdue).toEqual([]);
    const sw = engine.sweep([s], "2022-06-07T10:00:00+08:00");
    expect(sw.ackOverdue).toEqual([0]);
    expect(sw.needsTick).toEqual([0]);
    const t = engine.transition(s, { type: "tick", at: "2022-06-07T10:00:00+08:00" });
    expect(t.context.ackOverdue).toBe(true);
    expect(engine.history(t).at(-1)).toMatchObject({ type: "ackOverdue", summary: { zh: "逾期未签收：时限 2022-06-07T09:30:00+08:00" } });
    expect(engine.sweep([t], "2022-06-07T11:00:00+08:00").needsTick).toEqual([]);
    // Signed for late: the item goes on to be handled; the late sign-for stays on record.
    const acked = engine.transition(t, { type: "acknowledge", at: "2022-06-07T11:00:00+08:00", by: "司法所" });
    expect([acked.state, acked.context.ackOverdue]).toEqual(["resolving", true]);
  });

  it("a wrongly dispatched item is returned with its reason, back to the first receiver, and dispatched again", () => {
    const back = engine.transition(s, { type: "return", at: "2022-06-06T11:00:00+08:00", by: "司法所", reason: "属劳动保障事项，非司法所职责" });
    expect(back.state).toBe("graded");
    expect(back.context.assignment).toBeUndefined();
    expect(back.context.returns).toEqual([{ at: "2022-06-06T11:00:00+08:00", by: "司法所", from: "justice-office", reason: "属劳动保障事项，非司法所职责" }]);
    expect(engine.history(back).at(-1)!.summary.zh).toContain("由网格员 张某重新分流");
    expect(engine.sweep([back], "2022-06-06T12:00:00+08:00").returned).toEqual([0]);
    const again = engine.transition(back, { type: "assign", at: "2022-06-06T13:00:00+08:00", by: "网格员 张某", responsibleUnit: "service-window" });
    expect(again.state).toBe("assigned");
    expect(again.context.firstReceiver).toBe("网格员 张某");
  });

  it("a return needs a reason", () => {
    expect(rejects(s, { type: "return", at: "2022-06-06T11:00:00+08:00", reason: "" } as CaseEvent).codes).toEqual(["INVALID_EVENT"]);
  });
});

describe("信访工作条例: 信访事项的办理、复查、复核时限", () => {
  const p0 = run(intake({ category: "petition" }), [{ type: "acknowledge", at: "2022-06-06T14:00:00+08:00", by: "信访办" }]);

  it("第三十四条 信访事项应当自受理之日起60日内办结 (an ordinary item gets the plan's local 15 days)", () => {
    expect(p0.context).toMatchObject({ timeLimit: "petition", dueAt: "2022-08-06T00:00:00+08:00" });
    expect(intake({ category: "dispute" }).context.dueAt).toBe("2022-06-22T00:00:00+08:00");
  });

  it("第三十四条 …延长期限不得超过30日: extensions add up to 30 days at most", () => {
    const applied = engine.transition(p0, { type: "requestEscalation", at: "2022-07-29T10:00:00+08:00", reason: "须重新测量" });
    const e = rejects(applied, { type: "decideEscalation", at: "2022-08-01T09:00:00+08:00", by: "指挥室", decision: "extend", days: 31 });
    expect(e.zh).toBe("延期累计不得超过 30 天（已延期 0 天）");
    const twenty = engine.transition(applied, { type: "decideEscalation", at: "2022-08-01T09:00:00+08:00", by: "指挥室", decision: "extend", days: 20 });
    const again = engine.transition(twenty, { type: "requestEscalation", at: "2022-08-20T10:00:00+08:00", reason: "仍需时间" });
    expect(rejects(again, { type: "decideEscalation", at: "2022-08-21T09:00:00+08:00", by: "指挥室", decision: "extend", days: 11 }).zh).toBe("延期累计不得超过 30 天（已延期 20 天）");
    expect(engine.transition(again, { type: "decideEscalation", at: "2022-08-21T09:00:00+08:00", by: "指挥室", decision: "extend", days: 10 }).context.escalations.filter((x) => x.decision === "extend").map((x) => x.days)).toEqual([20, 10]);
  });

  it("an upgrade is not possible: the plan does not grade items", () => {
    const applied = engine.transition(p0, { type: "requestEscalation", at: "2022-07-29T10:00:00+08:00", reason: "r" });
    expect(rejects(applied, { type: "decideEscalation", at: "2022-08-01T09:00:00+08:00", by: "指挥室", decision: "upgrade" }).codes).toEqual(["EVENT_NOT_ALLOWED"]);
  });

  const replied = run(p0, [{ type: "supervise", at: "2022-06-20T09:00:00+08:00", by: "指挥室" }, { type: "resolve", at: "2022-08-30T16:00:00+08:00", note: "出具信访处理意见书" }]);

  it("第三十五条 复查: requested within 30 days of the written reply; the review has 30 days", () => {
    const late = rejects(replied, { type: "requestReview", at: "2022-09-30T10:00:00+08:00", reason: "不服" });
    expect(late.zh).toContain("请求期限已过：须在 2022-09-30T00:00:00+08:00 之前提出");
    const r = engine.transition(replied, { type: "requestReview", at: "2022-09-15T10:00:00+08:00", by: "信访人", reason: "不服处理意见" });
    expect(r.state).toBe("resolving");
    // requested Thu 09-15 (not counted); day 30 is Sat 10-15, a rest day → Mon 10-17.
    expect(r.context).toMatchObject({ clockStart: "2022-09-15T10:00:00+08:00", dueAt: "2022-10-18T00:00:00+08:00", overdue: false });
    expect(r.context.reviews).toEqual([{ stage: "review", at: "2022-09-15T10:00:00+08:00", by: "信访人", reason: "不服处理意见", previousResolvedAt: "2022-08-30T16:00:00+08:00" }]);
  });

  it("第三十六条 复核, then 三级终结 (§四(四)5): a third request is not accepted", () => {
    const terminated = run(replied, [
      { type: "requestReview", at: "2022-09-15T10:00:00+08:00", reason: "不服处理意见" },
      { type: "resolve", at: "2022-10-12T16:00:00+08:00", note: "复查意见" },
      { type: "requestReview", at: "2022-10-28T10:00:00+08:00", reason: "不服复查意见" },
    ]);
    expect(terminated.context.reviews?.map((r) => r.stage)).toEqual(["review", "re-review"]);
    expect(terminated.context.dueAt).toBe("2022-11-29T00:00:00+08:00");
    const done = engine.transition(terminated, { type: "resolve", at: "2022-11-21T16:00:00+08:00", note: "复核意见" });
    expect(engine.listRow(done).assessment.terminated).toBe(true);
    const e = rejects(done, { type: "requestReview", at: "2022-11-25T10:00:00+08:00", reason: "仍不服" });
    expect(e.zh).toContain("三级终结");
    expect(e.zh).toContain("不再受理");
  });

  it("only petitions can be reviewed", () => {
    const d = run(intake({ category: "dispute" }), [{ type: "acknowledge", at: "2022-06-06T10:00:00+08:00" }, { type: "supervise", at: "2022-06-08T10:00:00+08:00" }, { type: "resolve", at: "2022-06-10T10:00:00+08:00" }]);
    const e = rejects(d, { type: "requestReview", at: "2022-06-11T10:00:00+08:00", reason: "不服" });
    expect(e.zh).toContain("此事项不适用复查、复核");
    expect(e.zh).toContain("事项类别");
  });
});

describe("§四(二)2, §四(五)3: the targets", () => {
  // 20 disputes received in the third quarter of 2022, 19 of them resolved by its end: 95%.
  const snaps = Array.from({ length: 20 }, (_, i) => {
    const at = `2022-07-${String(4 + i).padStart(2, "0")}T09:00:00+08:00`;
    const s = intake({ category: "dispute" }, "网格员", at);
    const day = `2022-07-${String(4 + i).padStart(2, "0")}`;
    return i === 0 ? s : run(s, [{ type: "acknowledge", at: `${day}T10:00:00+08:00` }, { type: "supervise", at: `${day}T11:00:00+08:00` }, { type: "resolve", at: `2022-08-${String(1 + i).padStart(2, "0")}T09:00:00+08:00` }]);
  });
  it("矛盾纠纷化解率达到95%以上: 19 of 20 resolved meets the target", () => {
    const card = engine.score(snaps, "2022Q3");
    expect(card.total.kpis["dispute-resolution-rate"]).toMatchObject({ value: 0.95, exact: "19/20" });
    expect(card.total.targets.find((t) => t.target === "dispute-resolution-95")).toMatchObject({ pass: true });
    const fewer = engine.score(snaps.slice(0, 10), "2022Q3");
    expect(fewer.total.targets.find((t) => t.target === "dispute-resolution-95")).toMatchObject({ pass: false });
  });
});

describe("golden cases (cases/*.json)", () => {
  type Golden = { clause: string; description: { en: string }; input: Record<string, unknown>; expected: Record<string, unknown> };
  for (const { file, case: c } of loadGoldenCases<Golden>(new URL("../cases/", import.meta.url)).filter((g) => /^(route|deadline)-/.test(g.file))) {
    it(`${c.clause} ${file}: ${c.description.en.split(/[.:]/)[0]}`, () => {
      if (file.startsWith("route-")) {
        const r = engine.route(c.input);
        const { ruleIds, ...rest } = c.expected;
        expect({ lead: r.lead, coordinated: r.coordinated, cooperating: r.cooperating, ...(r.platform ? { platform: r.platform } : {}) }).toEqual(rest);
        expect(r.reasons.map((x) => x.ruleId)).toEqual(ruleIds);
      } else {
        const s = engine.start({ type: "intake", at: c.input["receivedAt"] as string, by: "网格员", facts: c.input });
        expect({ dueAt: s.context.dueAt, ackDueAt: s.context.ackDueAt, ...(s.context.timeLimit ? { timeLimit: s.context.timeLimit } : {}) }).toEqual(c.expected);
      }
    });
  }
});
