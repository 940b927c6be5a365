import { transition as xstateTransition } from "xstate";
import { describe, expect, it } from "vitest";
import { createEngine } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import type { CaseEvent } from "./events.js";
import type { CaseSnapshot } from "./lifecycle.js";

const local = { local: true, note: { zh: "本地设定，测试用", en: "local, for the test" } } as const;
const L = (zh: string, en = zh) => ({ zh, en });

/** A pack that turns every optional stage on. */
function pack(lifecycle: object = {}, extra: object = {}) {
  return {
    id: "stages-test",
    version: "1.0.0",
    name: L("环节", "stages"),
    source: { documents: [{ id: "doc", title: L("文件", "doc") }] },
    facts: [
      { name: "receivedAt", type: "datetime", label: L("受理时间") },
      { name: "kind", type: "enum", label: L("类别"), values: ["a", "b", "c"].map((v) => ({ value: v, label: L(v) })), default: "a", ...local },
    ],
    levels: [
      { id: "high", rank: 2, label: L("高"), colour: "red", deadline: { amount: 15, ...local }, ...local },
      { id: "low", rank: 1, label: L("低"), colour: "yellow", deadline: { amount: 7, ...local }, ...local },
    ],
    grading: { default: { level: "low", ...local }, rules: [] },
    lifecycle: {
      checklists: [{ id: "before-resolve", before: "resolve", label: L("化解清单", "resolve list"), items: [{ id: "met", label: L("已见面", "met the parties") }], ...local }],
      timeLimits: [
        { id: "kind-b", label: L("乙类"), when: { all: [{ fact: "kind", operator: "equal", value: "b" }] }, deadline: { amount: 3, ...local }, warn: { before: { amount: 1 }, ...local }, extension: { maxDays: 5, ...local }, ...local },
        { id: "kind-b-or-c", label: L("乙丙类"), when: { any: [{ fact: "kind", operator: "in", value: ["b", "c"] }] }, deadline: { amount: 20, ...local }, ...local },
      ],
      reviews: { label: L("复查"), stages: [{ id: "once", label: L("复查"), deadline: { amount: 10, ...local }, ...local }], terminal: { label: L("终结"), ...local }, ...local },
      verification: { required: false, label: L("核实"), ...local },
      evaluation: { required: false, label: L("评价"), ratings: [{ value: "ok", label: L("好") }], ...local },
      rectification: { label: L("整改清单"), required: ["measures"], strikeOffBeforeClose: false, ...local },
      ...lifecycle,
    },
    escalation: { decidedBy: { id: "branch", label: L("支部"), ...local }, extend: { allowed: true, ...local } },
    ...extra,
  };
}
const engine = createEngine(pack());
const AT = "2022-06-20T10:00:00+08:00"; // a Monday
const start = (facts: object = {}) => engine.start({ type: "intake", at: AT, facts: { receivedAt: AT, ...facts } });
const run = (s: CaseSnapshot, events: CaseEvent[]) => events.reduce((x, e) => engine.transition(x, e), s);
function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isJicengError(e)) return `${e.code} ${e.issues[0]!.message.zh}`;
    throw e;
  }
  return "accepted";
}
const assigned = run(start(), [{ type: "assign", at: "2022-06-20T11:00:00+08:00", responsibleUnit: "unit" }]);

describe("time limits by item type", () => {
  it("the first that holds applies, before the level's; its warning and id are on the case", () => {
    expect(start({ kind: "b" }).context).toMatchObject({ timeLimit: "kind-b", dueAt: "2022-06-24T00:00:00+08:00", warnAt: "2022-06-23T00:00:00+08:00" });
    // 06-20 + 20 days is Sun 07-10, a rest day → Mon 07-11.
    expect(start({ kind: "c" }).context).toMatchObject({ timeLimit: "kind-b-or-c", dueAt: "2022-07-12T00:00:00+08:00" });
    expect(start({ kind: "a" }).context.timeLimit).toBeUndefined();
  });
  it("upgrades are not allowed unless the pack says so: only an extension can be applied for", () => {
    const s = run(start({ kind: "b" }), [{ type: "assign", at: AT, responsibleUnit: "u" }, { type: "requestEscalation", at: AT, reason: "r" }]);
    expect(code(() => engine.transition(s, { type: "decideEscalation", at: AT, by: "支部", decision: "upgrade" }))).toBe("EVENT_NOT_ALLOWED 当前状态“待研究决定（升级或延期）”不接受事件 decideEscalation：规则包不允许升级");
    expect(code(() => engine.transition(s, { type: "decideEscalation", at: AT, by: "支部", decision: "extend", days: 6 }))).toBe("INVALID_EVENT 延期累计不得超过 5 天（已延期 0 天）");
  });
  it("lint proves the second limit is never the one that applies to kind b, and says which one takes it", async () => {
    const { findUnreachableRules } = await import("../cli/lint-rules.js");
    const { loadPack } = await import("../pack/load.js");
    const shadowed = pack({ timeLimits: [{ id: "any", label: L("全部"), when: { any: [{ fact: "kind", operator: "in", value: ["a", "b", "c"] }] }, deadline: { amount: 3, ...local }, ...local }, { id: "b-only", label: L("乙"), when: { all: [{ fact: "kind", operator: "equal", value: "b" }] }, deadline: { amount: 9, ...local }, ...local }] });
    expect(findUnreachableRules(loadPack(shadowed)).map((i) => [i.path.join("."), i.message.zh])).toEqual([["lifecycle.timeLimits.1", "时限 b-only 永远不会适用：凡它成立时，前面的时限（any）已先适用"]]);
  });
});

describe("a checklist before resolving", () => {
  it("resolve needs the confirmations; they are recorded", () => {
    expect(code(() => engine.transition(assigned, { type: "resolve", at: "2022-06-21T10:00:00+08:00" }))).toBe("MISSING_FIELDS 化解前须确认（化解清单），尚缺：已见面");
    const r = engine.transition(assigned, { type: "resolve", at: "2022-06-21T10:00:00+08:00", confirmations: ["met"] });
    expect(r.context.confirmed).toEqual([{ checklist: "before-resolve", before: "resolve", at: "2022-06-21T10:00:00+08:00", items: ["met"] }]);
  });
});

describe("optional stages that are not required", () => {
  const resolved = engine.transition(assigned, { type: "resolve", at: "2022-06-21T10:00:00+08:00", confirmations: ["met"] });
  it("a case closes without verification or evaluation when the pack does not require them", () => {
    expect(engine.transition(resolved, { type: "close", at: "2022-06-22T10:00:00+08:00" }).state).toBe("closed");
  });
  it("verification and evaluation happen once each", () => {
    const v = engine.transition(resolved, { type: "verify", at: "2022-06-22T10:00:00+08:00", passed: true });
    expect(code(() => engine.transition(v, { type: "verify", at: "2022-06-22T11:00:00+08:00", passed: true }))).toContain("已核实通过");
    const e = engine.transition(v, { type: "evaluate", at: "2022-06-22T12:00:00+08:00", rating: "ok" });
    expect(code(() => engine.transition(e, { type: "evaluate", at: "2022-06-22T13:00:00+08:00", rating: "ok" }))).toContain("已评价");
  });
  it("a review without appliesWhen or requestWithin applies to every item, any time before closing; one level, then terminated", () => {
    const r = engine.transition(resolved, { type: "requestReview", at: "2023-06-01T10:00:00+08:00", reason: "不服" });
    // 06-01 + 10 days is Sun 06-11 → Mon 06-12.
    expect(r.context).toMatchObject({ clockStart: "2023-06-01T10:00:00+08:00", dueAt: "2023-06-13T00:00:00+08:00" });
    const again = engine.transition(r, { type: "resolve", at: "2023-06-05T10:00:00+08:00", confirmations: ["met"] });
    expect(code(() => engine.transition(again, { type: "requestReview", at: "2023-06-06T10:00:00+08:00", reason: "仍不服" }))).toContain("终结：已经复查，不再受理");
  });
  it("a rectification record that need not be struck off before closing", () => {
    const overdue = run(assigned, [{ type: "tick", at: "2022-06-28T10:00:00+08:00" }, { type: "rectify", at: "2022-06-28T11:00:00+08:00", measures: "m" }]);
    expect(code(() => engine.transition(overdue, { type: "rectify", at: "2022-06-28T12:00:00+08:00" }))).toBe("MISSING_FIELDS 整改清单缺少必填项：整改措施");
    const closed = run(overdue, [{ type: "resolve", at: "2022-06-29T10:00:00+08:00", confirmations: ["met"] }, { type: "close", at: "2022-06-29T11:00:00+08:00" }]);
    expect(closed.state).toBe("closed");
  });
});

describe("events a pack does not define are refused, saying so", () => {
  const bare = createEngine(pack({ checklists: undefined, reviews: undefined, verification: undefined, evaluation: undefined, rectification: undefined }));
  const s = bare.transition(bare.start({ type: "intake", at: AT, facts: { receivedAt: AT } }), { type: "assign", at: AT, responsibleUnit: "u" });
  it.each([
    [{ type: "return", at: AT, reason: "r" }, "规则包未规定退回"],
    [{ type: "rectify", at: AT, measures: "m" }, "规则包未规定整改清单"],
    [{ type: "strikeOff", at: AT }, "规则包未规定整改清单"],
  ] as const)("%o", (event, zh) => expect(code(() => bare.transition(s, event as CaseEvent))).toContain(zh));
  it("selfClose without the permission", () => {
    expect(code(() => bare.transition(bare.start({ type: "intake", at: AT, facts: { receivedAt: AT } }), { type: "selfClose", at: AT, role: "grid-worker" }))).toContain("规则包未规定自行办结的权限");
  });
});

describe("the machine's own guard agrees with check() on closing", () => {
  it("run directly through XState, a close missing its checklist does not move the case", () => {
    const strict = createEngine(pack({ checklists: [{ id: "close-list", before: "close", label: L("结案清单"), items: [{ id: "done", label: L("完成") }], ...local }] }));
    const s = run.call(null, strict.start({ type: "intake", at: AT, facts: { receivedAt: AT } }), []);
    const r = [{ type: "assign", at: AT, responsibleUnit: "u" }, { type: "resolve", at: AT }].reduce((x, e) => strict.transition(x, e as CaseEvent), s);
    const machine = strict.lifecycle.machine;
    const xs = machine.resolveState({ value: r.state, context: r.context });
    expect(xstateTransition(machine, xs, { type: "close", at: AT })[0].value).toBe("resolved");
    expect(xstateTransition(machine, xs, { type: "close", at: AT, confirmations: ["done"] })[0].value).toBe("closed");
  });
});
