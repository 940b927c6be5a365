// The flat-machine interpreter (src/lifecycle/flat.ts) against xstate.transition on the machine of
// every pack: for every (snapshot, event) pair of random case histories, the same next state, the
// same context, the same accepted-or-refused, the same error. And replay, which appends to the
// history in place, equals transition by transition, leaving every input untouched.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { assign, initialTransition as xstateInitialTransition, setup, transition as xstateTransition } from "xstate";
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, loadPack, type CaseEvent, type CreateEngineInput, type CaseSnapshot, type IntakeEvent } from "../src/index.js";
import { CaseEventSchema } from "../src/lifecycle/events.js";
import { compileFlatMachine } from "../src/lifecycle/flat.js";
import type { CaseContext } from "../src/lifecycle/machine.js";
import { caseHistoryArbitrary } from "../src/testing/index.js";

const root = new URL("../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => ({ dir: d, pack: JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as unknown }));
// A report chain of three bodies: the decision to report on moves the pending mark on (a key
// dropped and set again in one step), which the five packs' chains of one or two never do.
{
  const g = structuredClone(packs.find((p) => p.dir === "rules-guyuan")!.pack) as { id: string; escalation: { report: { chain: Array<{ id: string; label: { zh: string; en: string }; local?: boolean; note?: unknown }> } }; lifecycle: { assignment: { assignedDeadline: { beyondLimit: string } } } };
  g.id = "guyuan-chain3";
  // An overdue case can still be assigned a day of its own (flagged): a key added after the pending mark.
  g.lifecycle.assignment.assignedDeadline.beyondLimit = "flag";
  g.escalation.report.chain.push({ id: "city-commission", label: { zh: "市委政法委", en: "The city commission" }, local: true, note: { zh: "测试用的第三级", en: "a third body, for this test" } });
  packs.push({ dir: "guyuan-chain3 (a test variant)", pack: g });
}
const deep = Boolean(process.env["JICENG_DEEP"]);

/** The JSON text of a context as a snapshot stores it (keys set to undefined dropped; key order kept, so compared as text it is held too). */
const plain = (c: unknown) => JSON.stringify(c);
type Outcome = { value: unknown; context: unknown; taken: boolean } | { error: string };
function run(f: () => { value: unknown; context: unknown; taken: boolean }): Outcome {
  try {
    const r = f();
    return { value: r.value, context: plain(r.context), taken: r.taken };
  } catch (e) {
    return { error: isJicengError(e) ? JSON.stringify(e.issues) : String(e) };
  }
}

describe("the flat interpreter runs every pack's machine as xstate.transition does", () => {
  it("finds the packs", () => expect(packs.length).toBeGreaterThanOrEqual(5));
  for (const { dir, pack: input } of packs) {
    it(`${dir}: next state, context, accepted or refused, errors — on every (snapshot, event) pair of random histories`, () => {
      const engine = createEngine(input as CreateEngineInput);
      const xengine = createEngine(input as CreateEngineInput, { interpretMachine: false });
      expect(xengine.lifecycle.runner).toBe("xstate");
      const pack = loadPack(input);
      expect(engine.lifecycle.runner).toBe("flat");
      const machine = engine.lifecycle.machine;
      const flat = compileFlatMachine<CaseContext, CaseEvent>(machine)!;
      let pairs = 0;
      let taken = 0;
      let refused = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(pack, { maxEvents: deep ? 40 : 18 }), ({ intake, events }) => {
          const snaps: CaseSnapshot[] = [engine.start(intake)];
          // The start: the interpreter's initial step against XState's initialTransition, through
          // the engine (JSON, key order included) and on the machine itself.
          expect(run(() => ({ value: null, context: xengine.start(intake), taken: true }))).toEqual(run(() => ({ value: null, context: engine.start(intake), taken: true })));
          expect(JSON.stringify(xengine.start(intake))).toBe(JSON.stringify(snaps[0]));
          const input = structuredClone(snaps[0]!.context);
          const mine = flat.initial(input);
          const [theirs] = xstateInitialTransition(machine, input);
          expect({ value: mine.value, context: mine.context }).toEqual({ value: theirs.value, context: theirs.context });
          expect(JSON.stringify(mine.context)).toBe(JSON.stringify(theirs.context));
          for (const e of events) {
            // The whole engine.transition (checks, errors, snapshot) with either runner.
            const viaXState = run(() => ({ value: null, context: xengine.transition(snaps.at(-1)!, e), taken: true }));
            try {
              snaps.push(engine.transition(snaps.at(-1)!, e));
              expect(viaXState).toEqual({ value: null, context: plain(snaps.at(-1)), taken: true });
            } catch (err) {
              if (!isJicengError(err)) throw err;
              expect(viaXState).toEqual({ error: JSON.stringify(err.issues) });
            }
          }
          const parsed = events.map((e) => CaseEventSchema.safeParse(e)).filter((r) => r.success).map((r) => r.data);
          // Every event against every snapshot the case went through: most of them the engine's
          // own checks would refuse first, which makes them a harder test of the machine itself.
          for (const s of snaps) {
            const before = JSON.stringify(s);
            for (const e of parsed) {
              const ours = run(() => {
                const n = flat.transition(s.state, s.context, e);
                return { value: n.value, context: n.context, taken: n.value !== s.state || n.context !== s.context };
              });
              const theirs = run(() => {
                const xs = machine.resolveState({ value: s.state, context: s.context });
                const [n] = xstateTransition(machine, xs, e);
                return { value: n.value, context: n.context, taken: n.value !== xs.value || n.context !== xs.context };
              });
              expect(ours).toEqual(theirs);
              pairs++;
              if ("taken" in ours && ours.taken) taken++;
              else refused++;
            }
            expect(JSON.stringify(s)).toBe(before);
          }
          // Replay appends to the history in place; it must equal the step-by-step fold exactly.
          const accepted: CaseEvent[] = [];
          let s = snaps[0]!;
          for (const e of events) {
            try {
              s = engine.transition(s, e);
              accepted.push(e);
            } catch {
              /* refused: not in the log */
            }
          }
          const frozen = JSON.stringify(snaps);
          const replayed = engine.replay([intake, ...accepted]);
          expect(replayed).toEqual(s);
          expect(JSON.stringify(replayed)).toBe(JSON.stringify(s));
          expect(JSON.stringify(snaps)).toBe(frozen);
        }),
        { numRuns: deep ? 2000 : 60 },
      );
      // Both outcomes must really be exercised.
      expect(taken).toBeGreaterThan(50);
      expect(refused).toBeGreaterThan(50);
      console.log(`[flat] ${dir}: ${pairs} pairs, ${taken} taken, ${refused} refused`);
    }, deep ? 1_800_000 : 120_000);
  }
});

describe("whole-context actions keep the context's key order (flat.ts WHOLE_CONTEXT)", () => {
  it("a report passed on along a chain of three keeps its pending mark where the context had it, as XState's merge does", () => {
    const input = packs.find((p) => p.dir.startsWith("guyuan-chain3"))!.pack as CreateEngineInput;
    const engine = createEngine(input);
    const xengine = createEngine(input, { interpretMachine: false });
    const facts = { receivedAt: "2022-08-22T09:00:00+08:00", source: "public", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "major" };
    const events: CaseEvent[] = [
      { type: "intake", at: "2022-08-22T09:00:00+08:00", by: "综治中心", facts },
      { type: "tick", at: "2022-10-10T09:00:00+08:00" },
      { type: "assign", at: "2022-10-10T10:00:00+08:00", by: "功能型党支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2022-10-20", measures: "上门调解" },
      { type: "decideReport", at: "2022-10-11T10:00:00+08:00", by: "乡镇党委", report: true },
    ];
    const mine = engine.replay(events);
    const theirs = xengine.replay(events);
    // The mark was set before the assignment was: it stays before it.
    const keys = Object.keys(mine.context);
    expect(mine.context.reportPending).toBe(2);
    expect(keys.indexOf("reportPending")).toBeLessThan(keys.indexOf("assignment"));
    expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
    let s = engine.start(events[0] as IntakeEvent);
    let x = xengine.start(events[0] as IntakeEvent);
    for (const e of events.slice(1)) {
      s = engine.transition(s, e);
      x = xengine.transition(x, e);
      expect(JSON.stringify(s)).toBe(JSON.stringify(x));
    }
    expect(JSON.stringify(s)).toBe(JSON.stringify(mine));
  });
});

describe("compileFlatMachine refuses what is not flat", () => {
  const guards = { yes: () => true };
  const base = () => setup({ types: {} as { context: { n: number }; events: { type: "go" } }, guards, actions: {} });
  it("accepts a flat machine and steps it like XState", () => {
    const m = setup({ types: {} as { context: { n: number }; events: { type: "go" } }, guards, actions: {} }).createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: { target: "b", guard: "yes" } } }, b: {} } });
    const f = compileFlatMachine<{ n: number }, { type: "go" }>(m)!;
    expect(f.transition("a", { n: 0 }, { type: "go" }).value).toBe("b");
    const [x] = xstateInitialTransition(m);
    expect(f.initial(undefined)).toEqual({ value: x.value, context: x.context });
  });
  it("makes the initial context from the input as XState does", () => {
    const m = setup({ types: {} as { context: { n: number }; events: { type: "go" }; input: { start: number } }, guards, actions: {} }).createMachine({ context: ({ input }) => ({ n: input.start * 2 }), initial: "b", states: { a: {}, b: {} } });
    const f = compileFlatMachine<{ n: number }, { type: "go" }>(m)!;
    const [x] = xstateInitialTransition(m, { start: 21 });
    expect(f.initial({ start: 21 })).toEqual({ value: x.value, context: x.context });
    expect(f.initial({ start: 21 })).toEqual({ value: "b", context: { n: 42 } });
  });
  const cases: Array<[string, () => { config: unknown; implementations: { guards?: unknown; actions?: unknown } }]> = [
    ["nested states", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { initial: "x", states: { x: {} } } } })],
    ["entry actions", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { entry: () => undefined } } })],
    ["delayed transitions", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { after: { 10: "b" } }, b: {} } })],
    ["eventless transitions", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { always: "b" }, b: {} } })],
    ["root transitions", () => base().createMachine({ context: { n: 0 }, initial: "a", on: { go: ".b" }, states: { a: {}, b: {} } })],
    ["parallel states", () => base().createMachine({ context: { n: 0 }, type: "parallel", states: { a: {}, b: {} } })],
    ["inline guards", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: { target: "b", guard: () => true } } }, b: {} } })],
    ["inline actions", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: { actions: () => undefined } } } } })],
    ["wildcards", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { "*": "b" } }, b: {} } })],
    ["targets by id", () => base().createMachine({ id: "m", context: { n: 0 }, initial: "a", states: { a: { on: { go: "#m.b" } }, b: {} } })],
    ["an initial state that does not exist", () => base().createMachine({ context: { n: 0 }, initial: "c", states: { a: {}, b: {} } })],
    ["self-targets (re-entry)", () => base().createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: "a" } } } })],
    ["named actions that are not assign", () => setup({ types: {} as { context: { n: number }; events: { type: "go" } }, actions: { log: () => undefined } }).createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: { actions: "log" } } } } })],
    ["assign with an object of assigners", () => setup({ types: {} as { context: { n: number }; events: { type: "go" } }, actions: { set: assign({ n: 1 }) } }).createMachine({ context: { n: 0 }, initial: "a", states: { a: { on: { go: { actions: "set" } } } } })],
  ];
  for (const [what, make] of cases) it(`refuses ${what}`, () => expect(compileFlatMachine(make())).toBeUndefined());
  it("runs assign actions by name, in order, each on the context the one before left", () => {
    const m = setup({
      types: {} as { context: { n: number }; events: { type: "go" } },
      actions: { inc: assign(({ context }) => ({ n: context.n + 1 })), double: assign(({ context }) => ({ n: context.n * 2 })) },
    }).createMachine({ context: { n: 1 }, initial: "a", states: { a: { on: { go: { target: "b", actions: ["inc", "double"] } } }, b: { on: { go: { actions: "double" } } } } });
    const f = compileFlatMachine<{ n: number }, { type: "go" }>(m)!;
    const one = f.transition("a", { n: 1 }, { type: "go" });
    expect(one).toEqual({ value: "b", context: { n: 4 } });
    const [x] = xstateTransition(m, m.resolveState({ value: "a", context: { n: 1 } }), { type: "go" });
    expect({ value: x.value, context: x.context }).toEqual(one);
    expect(f.transition("b", { n: 4 }, { type: "go" })).toEqual({ value: "b", context: { n: 8 } });
  });
});
