// One item's story, replayed from examples/three-centers/whistle.jsonl: an unlicensed food stall at
// a school gate, whistled to the wrong department and returned, reported in late, handled, failed at
// verification, handled again, verified, evaluated and closed (§四(七)三).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type RulePackInput } from "@jiceng/core";
import { parseEventLog, replaySteps } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const story = parseEventLog(readFileSync(new URL("../../../examples/three-centers/whistle.jsonl", import.meta.url), "utf8"));
const steps = replaySteps(engine, story);
const at = (i: number) => steps[i]!.context;

describe("问题收集 → 街道吹哨 → 部门报到 → 处理反馈 → 核实结项 → 综合评价", () => {
  it("问题收集: a grid worker reports it; the route suggests the market-supervision office on the supervision platform", () => {
    expect(steps[0]!.state).toBe("graded");
    expect(at(0).route).toMatchObject({ platform: "comprehensive-supervision", lead: "market-supervision-office" });
    // collected Mon 03-06 (not counted): 10 working days end Mon 03-20.
    expect(at(0).dueAt).toBe("2023-03-21T00:00:00+08:00");
  });

  it("街道吹哨 to the wrong department, which returns it with its reason (退回)", () => {
    expect(steps[1]!.state).toBe("assigned");
    expect(steps[2]!.state).toBe("graded");
    expect(at(2).returns).toEqual([{ at: "2023-03-06T15:00:00+08:00", by: "综合执法队", from: "综合执法队", reason: "无证食品经营属市场监管职责，非本队职责，退回重新吹哨" }]);
  });

  it("whistled again; 部门报到 is late (1 working day, local): the tick marks it, then the office reports in", () => {
    expect(at(3).ackDueAt).toBe("2023-03-08T00:00:00+08:00");
    expect(at(4).ackOverdue).toBe(true);
    expect(steps[5]!.state).toBe("resolving");
    expect(engine.listRow(steps[5]!).assessment.ackOverdue).toBe(true);
  });

  it("处理反馈, but 核实结项 finds the stall back: handled again", () => {
    expect(steps[7]!.state).toBe("resolved");
    expect(steps[8]!.state).toBe("resolving");
    expect(at(8).verifications).toEqual([{ at: "2023-03-13T08:30:00+08:00", by: "网格员 李某", passed: false, note: "核实：摊贩早上又回到校门口" }]);
  });

  it("核实结项 passes, 综合评价 is 满意, and it closes in time", () => {
    expect(at(11).verifiedAt).toBe("2023-03-17T09:00:00+08:00");
    expect(at(12).evaluation?.rating).toBe("satisfied");
    expect(steps[13]!.state).toBe("closed");
    expect(engine.listRow(steps[13]!).assessment).toMatchObject({ overdue: false, resolvedOnTime: true, returns: 1, verified: true, rating: "satisfied" });
  });

  it("replay equals the step-by-step snapshot", () => {
    expect(engine.replay(story)).toEqual(steps.at(-1));
  });
});
