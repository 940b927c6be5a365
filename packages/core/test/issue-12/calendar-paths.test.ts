import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computeDeadline, createEngine, type Engine, type RulePackJson } from "../../src/index.js";
import { catchJicengError } from "../../src/testing/index.js";

// Issue 12 part 6: a calendar error carries the path of the field that caused it — the case's start
// fact in `assess`, the `from` argument of `engine.deadline` — as `start` already did (event.facts.…).
const guyuan = JSON.parse(readFileSync(new URL("../../../rules-guyuan/pack.json", import.meta.url), "utf8")) as unknown;
const engine: Engine = createEngine(guyuan as RulePackJson);
const facts = (receivedAt: string) => ({ receivedAt, unitCode: "01", subunitCode: "01", source: "grid-worker", type: "dispute", difficulty: "simple" });

describe("calendar errors at the field that caused them", () => {
  for (const at of ["1900-06-20T10:00:00+08:00", "2101-06-20T10:00:00+08:00"]) {
    it(`assess with receivedAt ${at.slice(0, 4)} (outside the holiday data): CALENDAR_OUT_OF_RANGE at facts.receivedAt`, () => {
      const err = catchJicengError(() => engine.assess(facts(at)));
      expect(err.issues.map((i) => [i.code, i.path])).toEqual([["CALENDAR_OUT_OF_RANGE", ["facts", "receivedAt"]]]);
    });
    it(`start agrees: event.facts.receivedAt`, () => {
      const err = catchJicengError(() => engine.start({ type: "intake", at, facts: facts(at) }));
      expect(err.issues.map((i) => [i.code, i.path])).toEqual([["CALENDAR_OUT_OF_RANGE", ["event", "facts", "receivedAt"]]]);
    });
  }

  it("engine.deadline: an impossible or out-of-range `from` is refused at from", () => {
    for (const from of ["2022-06-31T10:00:00+08:00", "2022-06-20T10:00:00", "1900-01-02T00:00:00+08:00", new Date(Number.NaN)]) {
      const err = catchJicengError(() => engine.deadline("red", from as string));
      expect(err.issues.every((i) => i.path.length === 1 && i.path[0] === "from"), JSON.stringify(err.issues)).toBe(true);
      expect(err.issues[0]!.message.zh.length).toBeGreaterThan(0);
    }
  });

  it("a valid from still gives the deadline (the wrapper changes only errors)", () => {
    const red = engine.pack.levels.find((l) => l.id === "red")!;
    const from = "2022-06-20T10:00:00+08:00";
    expect(engine.deadline("red", from).dueAt).toBe(computeDeadline(from, red.deadline, { calendar: engine.calendar, timezone: engine.pack.timezone }).dueAt);
    expect(engine.assess(facts("2022-06-20T10:00:00+08:00")).level).toBe("yellow");
  });
});
