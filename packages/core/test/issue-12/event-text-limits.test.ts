// What an assignment names (units, people, measures) is as bounded as every other text an event
// carries: names ≤ 200 characters like `by`, at most 100 cooperating units, measures ≤ 5000 like a
// note. The limits are the same in the zod schema and the fast path (event-check.test.ts holds the
// two equal field by field); here, through the engine, at the field, with nothing changed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, type CaseEvent, type CreateEngineInput } from "../../src/index.js";

const engine = createEngine(JSON.parse(readFileSync(new URL("../../../rules-guyuan/pack.json", import.meta.url), "utf8")) as CreateEngineInput);
const at = "2022-06-20T10:00:00+08:00";
const snap = engine.start({ type: "intake", at, facts: { receivedAt: at, source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01" }, seq: 1 });
const assign = { type: "assign", at: "2022-06-20T11:00:00+08:00", leadUnit: "司法所", responsiblePerson: "王某", deadline: "2022-06-27" };

describe("an assignment's texts are bounded like every event text", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["leadUnit of 201 characters", { leadUnit: "所".repeat(201) }, "event.leadUnit"],
    ["responsiblePerson of 201 characters", { responsiblePerson: "王".repeat(201) }, "event.responsiblePerson"],
    ["responsibleLeader of 201 characters", { responsibleLeader: "李".repeat(201) }, "event.responsibleLeader"],
    ["responsibleUnit of 201 characters", { responsibleUnit: "镇".repeat(201) }, "event.responsibleUnit"],
    ["a cooperating unit of 201 characters", { cooperatingUnits: ["派出所", "所".repeat(201)] }, "event.cooperatingUnits.1"],
    ["101 cooperating units", { cooperatingUnits: Array.from({ length: 101 }, (_, i) => `单位${i}`) }, "event.cooperatingUnits"],
    ["measures of 5001 characters", { measures: "x".repeat(5001) }, "event.measures"],
  ];
  for (const [name, fields, path] of cases) {
    it(`${name}: INVALID_EVENT at ${path}, zh + en, the snapshot unchanged`, () => {
      const before = JSON.stringify(snap);
      const event = { ...assign, ...fields } as unknown as CaseEvent;
      const issues = engine.check(snap, event);
      expect(issues.map((i) => [i.code, i.path.join(".")])).toContainEqual(["INVALID_EVENT", path]);
      expect(issues.every((i) => i.message.zh.length > 0 && i.message.en.length > 0)).toBe(true);
      let thrown: unknown;
      try {
        engine.transition(snap, event);
      } catch (e) {
        thrown = e;
      }
      expect(isJicengError(thrown) && thrown.code).toBe("INVALID_EVENT");
      expect(JSON.stringify(snap)).toBe(before);
    });
  }
  it("at the limits exactly: accepted", () => {
    const next = engine.transition(snap, { ...assign, leadUnit: "所".repeat(200), responsiblePerson: "王".repeat(200), cooperatingUnits: Array.from({ length: 100 }, (_, i) => `单位${i}`), measures: "x".repeat(5000) } as CaseEvent);
    expect(next.state).toBe("resolving");
    expect(next.context.assignment?.leadUnit).toHaveLength(200);
  });
});
