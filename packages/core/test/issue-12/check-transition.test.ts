import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, type CaseEvent, type CaseSnapshot, type Engine, type JicengIssue } from "../../src/index.js";
import { caseHistoryArbitrary, catchJicengError } from "../../src/testing/index.js";

// Issue 12 part 6: check ≡ transition for every event, calendar-range errors included; calendar
// errors carry the path of the field that caused them.
const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as Record<string, unknown> & { id: string; variants?: { id: string }[]; calendar?: Record<string, unknown> });
const runs = Number(process.env["FUZZ_RUNS"] ?? 30);
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** transition's outcome as check reports it: [] on success, else the issues. */
function outcome(engine: Engine, s: CaseSnapshot, e: unknown): { issues: readonly JicengIssue[]; next?: CaseSnapshot } {
  try {
    return { issues: [], next: engine.transition(s, e as CaseEvent) };
  } catch (err) {
    if (!isJicengError(err)) throw err;
    return { issues: err.issues };
  }
}

describe("check(s, e) is empty iff transition(s, e) succeeds, and the issues are equal (every pack, random pairs)", () => {
  for (const raw of packs) {
    // The pack as shipped, and refusing to count past the loaded holiday schedules (calendar-range errors).
    for (const [name, pack] of [[raw.id, raw], [`${raw.id} (beyondSchedule refuse)`, { ...raw, calendar: { ...(raw.calendar ?? {}), beyondSchedule: "refuse" } }]] as const) {
      it(name, () => {
        const engine: Engine = createEngine(pack as never);
        let pairs = 0;
        let refused = 0;
        fc.assert(
          fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 20 }), caseHistoryArbitrary(engine.pack, { maxEvents: 8 }), (a, b) => {
            let s: CaseSnapshot;
            try {
              s = engine.start(a.intake);
            } catch {
              return;
            }
            // The case's own events, then events of another case (other times, other stages) on each snapshot.
            for (const e of [...a.events, ...b.events]) {
              for (const from of [s, plain(s)]) {
                const got = engine.check(from, e);
                const want = outcome(engine, from, e);
                expect(got).toEqual([...want.issues]);
                pairs++;
                if (got.length) refused++;
              }
              const r = outcome(engine, s, e);
              if (r.next) s = r.next;
            }
          }),
          { numRuns: runs, seed: 6 },
        );
        expect(refused).toBeGreaterThan(0);
        expect(pairs - refused).toBeGreaterThan(0);
      });
    }
  }
});

describe("calendar errors at the field that caused them", () => {
  const guyuan = packs.find((p) => p.id === "guyuan")!;
  const refuse: Engine = createEngine({ ...guyuan, calendar: { ...(guyuan.calendar ?? {}), beyondSchedule: "refuse" } } as never);
  const facts = (at: string) => ({ receivedAt: at, unitCode: "01", subunitCode: "01", difficulty: "complex", scope: "multi-unit" });
  it("an intake past the loaded schedules: CALENDAR_OUT_OF_RANGE at the start fact", () => {
    const at = "2099-06-20T10:00:00+08:00";
    const err = catchJicengError(() => refuse.start({ type: "intake", at, facts: facts(at) }));
    expect(err.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["CALENDAR_OUT_OF_RANGE", "event.facts.receivedAt"]]);
  });
  it("an upgrade decided past the loaded schedules: check and transition both refuse it, at event.at", () => {
    // A case received in the loaded range, upgraded years later (the clock restarts at the decision).
    const at = "2022-06-20T10:00:00+08:00";
    let s = refuse.start({ type: "intake", at, facts: facts(at) });
    s = refuse.transition(s, { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "司法所", responsibleLeader: "王", responsibleUnit: "司法所", responsiblePerson: "李", measures: "调解", deadline: "2022-06-25" });
    const decideAt = "2099-06-21T10:00:00+08:00";
    s = refuse.transition(s, { type: "requestEscalation", at: "2099-06-21T09:00:00+08:00", by: "x", reason: "y" });
    const e: CaseEvent = { type: "decideEscalation", at: decideAt, by: "branch", decision: "upgrade" };
    const issues = refuse.check(s, e);
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([["CALENDAR_OUT_OF_RANGE", "event.at"]]);
    expect(catchJicengError(() => refuse.transition(s, e)).issues).toEqual(issues);
  });
  it("an update validated with the deep merge the machine applies", () => {
    const engine: Engine = createEngine(guyuan as never);
    const at = "2022-06-20T10:00:00+08:00";
    const s = engine.start({ type: "intake", at, facts: facts(at) });
    const e = { type: "update", at: "2022-06-21T10:00:00+08:00", facts: { risks: { homicide: "yes" } } };
    const issues = engine.check(s, e);
    expect(issues.length).toBeGreaterThan(0);
    expect(catchJicengError(() => engine.transition(s, e as CaseEvent)).issues).toEqual(issues);
    expect(issues[0]!.path.slice(0, 2)).toEqual(["event", "facts"]);
  });
});
