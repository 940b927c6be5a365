// One petition's story, replayed from examples/lanxi/petition.jsonl: reported by a grid worker,
// dispatched automatically (§四(三)2), signed for, supervised by the command room (日常督办),
// extended within the 信访工作条例's 30 days,
// answered, reviewed (复查) and re-reviewed (复核), and terminated at the third level (§四(四)5).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type RulePackInput } from "@jiceng/core";
import { parseEventLog, replaySteps } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const story = parseEventLog(readFileSync(new URL("../../../examples/lanxi/petition.jsonl", import.meta.url), "utf8"));
const steps = replaySteps(engine, story);
const at = (i: number) => steps[i]!.context;

describe("a petition through the closed loop, 2022-06-06 → 2022-11-25", () => {
  it("信息收集 → 分流交办: reported by a grid worker, who stays responsible, and dispatched automatically to the petitions office", () => {
    expect(steps[0]!.state).toBe("assigned");
    expect(at(0)).toMatchObject({ firstReceiver: "网格员 张某", timeLimit: "petition", dueAt: "2022-08-06T00:00:00+08:00", ackDueAt: "2022-06-07T09:30:00+08:00" });
    expect(at(0).assignment?.leadUnit).toBe("petitions-office");
    expect(engine.listRow(steps[0]!).responsibility).toMatchObject({ firstReceiver: "网格员 张某", platform: "comprehensive-governance" });
  });

  it("签收 the same afternoon, in time", () => {
    expect(steps[1]!.state).toBe("resolving");
    expect(at(1).ackOverdue).toBeUndefined();
  });

  it("执行处置, then 日常督办: the command room's supervision record moves the item to the supervision link", () => {
    expect(engine.listRow(steps[2]!).assessment.stage.zh).toBe("执行处置");
    expect(steps[3]!.state).toBe("resolving");
    expect(engine.listRow(steps[3]!).assessment).toMatchObject({ stage: { zh: "日常督办" }, supervisions: 1, lastSupervisedAt: "2022-06-27T09:00:00+08:00" });
  });

  it("extended by 30 days on application, the most the 条例 allows: due 2022-09-06", () => {
    expect(steps[4]!.state).toBe("escalation-pending");
    expect(engine.listRow(steps[4]!).assessment.stage.zh).toBe("日常督办（待决定延期）");
    // 08-06 00:00 is the end of 08-05; 30 days later is Sun 09-04 → Mon 09-05, a working day.
    expect(at(5).dueAt).toBe("2022-09-06T00:00:00+08:00");
  });

  it("answered on 08-30 (信息反馈), reviewed and re-reviewed within 30 days each", () => {
    expect(steps[6]!.state).toBe("resolved");
    expect(engine.listRow(steps[6]!).assessment.stage.zh).toBe("信息反馈");
    expect(at(7)).toMatchObject({ dueAt: "2022-10-18T00:00:00+08:00", clockStart: "2022-09-15T10:00:00+08:00" });
    expect(at(9)).toMatchObject({ dueAt: "2022-11-29T00:00:00+08:00", clockStart: "2022-10-28T10:00:00+08:00" });
    expect(at(10).reviews?.map((r) => r.stage)).toEqual(["review", "re-review"]);
  });

  it("三级终结: terminated after the re-review, then closed (督查考核)", () => {
    expect(engine.listRow(steps[10]!).assessment.terminated).toBe(true);
    expect(steps[11]!.state).toBe("closed");
    expect(engine.listRow(steps[11]!).assessment.stage.zh).toBe("督查考核");
  });

  it("the story passes the six links of §四(三)2, each in its order", () => {
    // The intake's own history entry is the collection (信息收集); automatic dispatch follows at once.
    const collected = engine.pack.lifecycle.stages![steps[0]!.context.history[0]!.state as "graded"]!.zh;
    const names = [collected, ...steps.map((s) => engine.listRow(s).assessment.stage.zh.replace(/（.*）$/, ""))];
    expect([...new Set(names)]).toEqual(["信息收集", "分流交办", "执行处置", "日常督办", "信息反馈", "督查考核"]);
  });

  it("replay equals the step-by-step snapshot", () => {
    expect(engine.replay(story)).toEqual(steps.at(-1));
  });
});
