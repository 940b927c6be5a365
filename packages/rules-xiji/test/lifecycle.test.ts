// The article's story (§四¶3), replayed from examples/xiji/boundary-dispute.jsonl: a land-boundary
// dispute between neighbours on 2021-08-10 that escalates, overruns, goes on the rectification list
// and is resolved the next April under the functional branch's coordination.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { parseEventLog, replaySteps } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const story = parseEventLog(readFileSync(new URL("../../../examples/xiji/boundary-dispute.jsonl", import.meta.url), "utf8"));

const steps = replaySteps(engine, story);
const at = (i: number) => steps[i]!.context;

describe("§四¶3 2021年8月10日，将台堡镇崔中村七组高某某与邻居马某某因为地界发生纠纷", () => {
  it("taken in as a neighbour dispute: 5 points, yellow, 7 days (local) — due 2021-08-18 00:00", () => {
    expect(at(0).level).toBe("yellow");
    expect(at(0).history[0]!.reasons?.map((r) => [r.ruleId, r.points])).toEqual([["default", undefined], ["area-neighbour", 5]]);
    // received Tue 08-10 (not counted); day 7 is Tue 08-17, a working day.
    expect(at(0).dueAt).toBe("2021-08-18T00:00:00+08:00");
  });

  it("assigned with the 四定: leader, person, measures, deadline", () => {
    expect(steps[1]!.state).toBe("resolving");
    expect(at(1).assignment).toMatchObject({ responsibleLeader: "将台堡镇政法委员", responsiblePerson: "社区民警", deadline: "2021-08-17" });
  });

  it("几天后…把羊抓走不还，双方矛盾不断升级: 25 points, still yellow", () => {
    expect(at(2).facts["escalating"]).toBe(true);
    expect(at(2).level).toBe("yellow");
    expect(engine.grade(at(2).facts).score?.total).toBe(25);
  });

  it("overdue on 2021-08-18: it goes on the 整改清单 with reason, difficulty, coordination and measures", () => {
    expect(at(4).overdue).toBe(true);
    expect(at(5).rectifications).toHaveLength(1);
    expect(at(5).rectifications![0]).toMatchObject({ n: 1, needsCoordination: false });
  });

  it("…多次上门调解，均未能处理: 35 points, regraded orange — the colour changes, the 四定's 化解时限 (08-17) stands, still overdue", () => {
    expect(at(6).level).toBe("orange");
    expect(at(6).escalations).toEqual([{ at: "2021-08-25T17:00:00+08:00", decision: "regrade", from: "yellow", to: "orange", by: "将台堡镇司法所" }]);
    expect(at(6).dueAt).toBe("2021-08-18T00:00:00+08:00");
    expect(at(6).overdue).toBe(true);
  });

  it("overdue again; the second record asks for a higher level's coordination, and the sweeps show it all winter", () => {
    expect(at(7).overdue).toBe(true);
    expect(at(8).rectifications![1]).toMatchObject({ n: 2, needsCoordination: true });
    const sw = engine.sweep([steps[8]!], "2022-01-10T08:00:00+08:00");
    expect(sw.overdue).toEqual([0]);
    expect(sw.needsCoordination).toEqual([0]);
    expect(engine.agenda([steps[8]!], "monthly", "2022-01-10T08:00:00+08:00")).toMatchObject({ label: { zh: "月研判" }, overdue: [0], toDecide: [0] });
  });

  it("今年4月，在功能型党支部的协调下…双方握手言和，地界纠纷也彻底解决", () => {
    expect(steps[11]!.state).toBe("resolved");
    expect(at(11).resolvedAt).toBe("2022-04-12T18:00:00+08:00");
    const row = engine.listRow(steps[11]!);
    expect(row.assessment).toMatchObject({ overdue: true, resolvedOnTime: false });
  });

  it("整改清单销号, 长效跟踪, then closed with the five confirmations of 五不放过", () => {
    expect(at(12).rectifications!.every((r) => r.struckOffAt === "2022-04-13T09:00:00+08:00")).toBe(true);
    expect(steps[14]!.state).toBe("closed");
    expect(at(14).confirmed![0]!.items).toHaveLength(5);
    expect(at(14).history.map((h) => h.type)).toEqual([
      "intake", "assign", "update", "progress", "overdue", "rectify", "update", "rectify", "progress", "progress", "resolve", "strikeOff", "followUp", "close",
    ]);
  });

  it("replay of the log equals the step-by-step snapshot, and survives a JSON round trip", () => {
    expect(engine.replay(story)).toEqual(steps.at(-1));
    const mid = JSON.parse(JSON.stringify(engine.replay(story.slice(0, 9)))) as CaseSnapshot;
    expect(story.slice(9).reduce((s, e) => engine.transition(s, e), mid)).toEqual(steps.at(-1));
  });
});
