import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type CaseEvent, type CaseSnapshot, type IntakeEvent, type JicengError } from "@jiceng/core";
import { expectRejected, parseEventLog, replaySteps } from "@jiceng/core/testing";
import pack from "../pack.json";

const engine = createEngine(pack);
const story = parseEventLog(readFileSync(new URL("../../../examples/guyuan/escalation.jsonl", import.meta.url), "utf8"));

/** A transition that must be rejected with `code` and leave the snapshot as it was. */
function rejects(snap: CaseSnapshot, event: unknown, code: string): JicengError {
  const e = expectRejected(engine, snap, event as CaseEvent);
  expect(e.issues.map((i) => i.code)).toContain(code);
  return e;
}

describe("§二(三)8 — the escalation ladder, replayed from examples/guyuan/escalation.jsonl", () => {
  const steps = replaySteps(engine, story);
  const at = (i: number) => steps[i]!.context;

  it("§二(三)7/8: a simple dispute is yellow, numbered 0620010101, due at 24:00 on the 7th day", () => {
    expect(at(0).level).toBe("yellow");
    expect(at(0).number).toBe("0620010101");
    expect(at(0).dueAt).toBe("2022-06-28T00:00:00+08:00");
    expect(steps[0]!.state).toBe("graded");
  });

  it("a yellow item not resolved in 7 days is overdue and waits for an application", () => {
    expect(steps[2]!.state).toBe("escalation-pending");
    expect(at(2).overdue).toBe(true);
    expect(at(2).escalation?.phase).toBe("awaiting-request");
    expect(engine.status(steps[2]!).label.zh).toBe("升级或延期化解");
  });

  it("黄色…须提出申请，说明原因，经功能型党支部研究决定，可升级为橙色: 15 days counted from the decision", () => {
    expect(at(3).escalation).toMatchObject({ phase: "awaiting-decision", reason: expect.stringContaining("界址") });
    expect(at(4).level).toBe("orange");
    expect(steps[4]!.state).toBe("resolving");
    // decided 2022-06-29 → day 1 is 06-30, day 15 is 07-14 (Thu) → due 07-15 00:00
    expect(at(4).dueAt).toBe("2022-07-15T00:00:00+08:00");
    expect(at(4).clockStart).toBe("2022-06-29T10:00:00+08:00");
  });

  it("an orange item overdue, applied for and approved, becomes red with 45 days", () => {
    expect(steps[5]!.state).toBe("escalation-pending");
    expect(at(7).level).toBe("red");
    // decided 2022-07-16 (Sat) → day 45 is 08-30 (Tue) → due 08-31 00:00
    expect(at(7).dueAt).toBe("2022-08-31T00:00:00+08:00");
    expect(at(7).escalations.map((e) => `${e.from}→${e.to}`)).toEqual(["yellow→orange", "orange→red"]);
  });

  it("红色…在规定时限内不能化解的，由功能型党支部及时上报乡镇（街道）党委研究 — at the tick, at once", () => {
    expect(at(9).overdue).toBe(true);
    expect(steps[9]!.state).toBe("resolving");
    expect(at(9).reportedTo.map((r) => r.body)).toEqual(["township-party-committee"]);
    expect(at(9).reportPending).toBe(1);
  });

  it("…决定是否报送县（区）党委政法委", () => {
    expect(at(10).reportedTo.map((r) => r.body)).toEqual(["township-party-committee", "county-political-legal-commission"]);
    expect(at(10).reportPending).toBeUndefined();
  });

  it("resolution, the return visit (事后回访), then closing", () => {
    expect(steps[11]!.state).toBe("resolved");
    expect(engine.status(steps[11]!).label.zh).toBe("已化解");
    expect(steps[13]!.state).toBe("closed");
    expect(at(13).history.map((h) => h.type)).toEqual([
      "intake", "assign", "overdue", "requestEscalation", "decideEscalation", "overdue", "requestEscalation", "decideEscalation",
      "progress", "overdue", "reported", "decideReport", "resolve", "followUp", "close",
    ]);
  });

  it("replay of the log equals the step-by-step snapshot", () => {
    expect(engine.replay(story)).toEqual(steps[steps.length - 1]);
  });

  it("the three lists of the appendix read off a snapshot", () => {
    const row = engine.listRow(steps[13]!);
    expect(row.problem.number).toBe("0620010101");
    expect(row.responsibility).toMatchObject({ leadUnit: "司法所", responsiblePerson: "李某", measures: "上门调解" });
    expect(row.assessment.escalations).toBe(2);
  });
});

describe("events that are not allowed now are rejected with a typed error and change nothing", () => {
  const s0 = engine.start(story[0] as IntakeEvent);
  it("resolve before assignment", () => rejects(s0, { type: "resolve", at: "2022-06-21T10:00:00+08:00" }, "EVENT_NOT_ALLOWED"));
  it("a decision without an application", () => rejects(s0, { type: "decideEscalation", at: "2022-06-21T10:00:00+08:00", by: "支部", decision: "upgrade" }, "EVENT_NOT_ALLOWED"));
  it("time going backwards", () => rejects(s0, { type: "tick", at: "2022-06-19T10:00:00+08:00" }, "EVENT_NOT_ALLOWED"));
  it("a malformed event", () => rejects(s0, { type: "assign", at: "2022-06-21 10:00" }, "INVALID_EVENT"));
  it("an unknown event", () => rejects(s0, { type: "teleport", at: "2022-06-21T10:00:00+08:00" }, "INVALID_EVENT"));
  it("§二(三)8 明确牵头单位、责任人、办结时限: an assignment without them is refused, naming what is missing", () => {
    const e = rejects(s0, { type: "assign", at: "2022-06-20T11:00:00+08:00", responsibleUnit: "司法所" }, "MISSING_FIELDS");
    expect(e.issues[0]!.message.zh).toContain("牵头单位");
    expect(e.issues[0]!.message.zh).toContain("时限");
  });
  it("§二(三)8: a red item is neither upgraded nor extended — overdue, it is reported", () => {
    const red = engine.start({ type: "intake", at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "major" } });
    const assigned = engine.transition(red, { type: "assign", at: "2022-06-20T11:00:00+08:00", leadUnit: "派出所", responsiblePerson: "张某", deadline: "2022-08-04" });
    rejects(assigned, { type: "requestEscalation", at: "2022-06-21T10:00:00+08:00", reason: "需延期" }, "EVENT_NOT_ALLOWED");
    const overdue = engine.transition(assigned, { type: "tick", at: red.context.dueAt });
    expect(overdue.context.reportedTo.map((r) => r.body)).toEqual(["township-party-committee"]);
  });
  it("a resolved case never becomes overdue", () => {
    let s = engine.transition(s0, story[1]!);
    s = engine.transition(s, { type: "resolve", at: "2022-06-22T10:00:00+08:00" });
    const later = engine.transition(s, { type: "tick", at: "2023-01-01T00:00:00+08:00" });
    expect(later.context.overdue).toBe(false);
    expect(later).toEqual(s);
  });
});

describe("sweep and agenda", () => {
  const s0 = engine.start(story[0] as IntakeEvent);
  const s1 = engine.transition(s0, story[1]!);
  const red = engine.start({ type: "intake", at: "2022-06-21T09:00:00+08:00", seq: 2, facts: { receivedAt: "2022-06-21T09:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } } });
  it("finds overdue cases that still need a tick", () => {
    const r = engine.sweep([s1, red], "2022-06-28T08:00:00+08:00");
    expect(r.overdue).toEqual([0]);
    expect(r.needsTick).toEqual([0]);
  });
  it("周例会 lists the week's new cases and what needs deciding", () => {
    const a = engine.agenda([s1, red], "weekly", "2022-06-24T09:00:00+08:00");
    expect(a.label.zh).toBe("周例会");
    expect(a.newCases).toEqual([0, 1]);
    expect(a.totals.byLevel).toMatchObject({ yellow: 1, red: 1 });
  });
});
