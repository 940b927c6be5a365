// Workload 5: the case lifecycle. engine.transition (JSON snapshot in, JSON snapshot out, events
// validated) against XState's own pure transition() on the same machine, and replay of whole
// case histories.
import { createEngine, type RulePackInput } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { initialTransition, transition, type AnyMachineSnapshot } from "xstate";
import { record, si } from "../lib/report.js";
import { getGc, sink } from "../lib/harness.js";
import type { CaseEvent, CaseSnapshot, Engine, IntakeEvent } from "@jiceng/core";
import { iso8 } from "./histories.js";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One Guyuan case: intake, assignment, then `n - 1` progress notes a minute apart. */
function longHistory(engine: Engine, n: number): CaseEvent[] {
  let t = Date.parse("2023-03-01T09:00:00+08:00");
  const intake: IntakeEvent = { type: "intake", at: iso8(t), by: "综治中心", facts: { receivedAt: iso8(t), unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 1 };
  const events: CaseEvent[] = [intake, { type: "assign", at: iso8((t += 60_000)), by: "功能型党支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2023-03-05", measures: "上门调解" }];
  for (let i = 1; i < n; i++) events.push({ type: "progress", at: iso8((t += 60_000)), by: "司法所", note: `第 ${i} 次` });
  void engine;
  return events;
}
import type { Stats, Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { guyuanHistories } from "./histories.js";

export const lifecycle: Workload = {
  id: "lifecycle",
  async prepare(size: Size): Promise<Prepared> {
    const k = Math.max(20, Math.round(2_000 * size.scale));
    const replayTarget = 100_000;
    const engine = createEngine<RulePackInput>(guyuan);
    // The same engine running XState's transition() (the code before issue 17), in the same process.
    const xengine = createEngine<RulePackInput>(guyuan, { interpretMachine: false });
    const machine = engine.lifecycle.machine;
    const histories = guyuanHistories(engine, k);
    const steps = histories.reduce((n, h) => n + h.events.length - 1, 0);
    const xsStart = histories.map((h) => machine.resolveState({ value: h.snapshots[0]!.state, context: h.snapshots[0]!.context }));
    const finals = { xengine: new Array<unknown>(k), xengineReplay: new Array<unknown>(k), engine: new Array<unknown>(k), xstate: new Array<AnyMachineSnapshot>(k), resolve: new Array<AnyMachineSnapshot>(k), replay: new Array<unknown>(k), xreplay: new Array<AnyMachineSnapshot>(k), stored: new Array<unknown>(k), own: new Array<unknown>(k) };

    const viaEngine = () => {
      for (let h = 0; h < k; h++) {
        const { events, snapshots } = histories[h]!;
        let s = snapshots[0]!;
        for (let i = 1; i < events.length; i++) s = engine.transition(s, events[i]!);
        finals.engine[h] = s;
      }
    };
    // The desk's path: every snapshot read back from the database (JSON), so checked against the
    // whole snapshot schema at each call; beside it the same single steps from the engine's own
    // snapshots, which skip the check.
    const stored = histories.map((h) => h.snapshots.map((x) => JSON.parse(JSON.stringify(x)) as CaseSnapshot));
    const stepFromStored = () => {
      for (let h = 0; h < k; h++) {
        const { events } = histories[h]!;
        const from = stored[h]!;
        for (let i = 1; i < events.length; i++) finals.stored[h] = engine.transition(from[i - 1]!, events[i]!);
      }
    };
    const stepFromOwn = () => {
      for (let h = 0; h < k; h++) {
        const { events, snapshots } = histories[h]!;
        for (let i = 1; i < events.length; i++) finals.own[h] = engine.transition(snapshots[i - 1]!, events[i]!);
      }
    };
    const viaXEngine = () => {
      for (let h = 0; h < k; h++) {
        const { events, snapshots } = histories[h]!;
        let s = snapshots[0]!;
        for (let i = 1; i < events.length; i++) s = xengine.transition(s, events[i]!);
        finals.xengine[h] = s;
      }
    };
    const xengineReplay = () => {
      for (let h = 0; h < k; h++) finals.xengineReplay[h] = xengine.replay(histories[h]!.events);
    };
    const viaXState = () => {
      for (let h = 0; h < k; h++) {
        const { events } = histories[h]!;
        let xs: AnyMachineSnapshot = xsStart[h]!;
        for (let i = 1; i < events.length; i++) xs = transition(machine, xs, events[i]!)[0];
        finals.xstate[h] = xs;
      }
    };
    const viaResolve = () => {
      for (let h = 0; h < k; h++) {
        const { events } = histories[h]!;
        let xs: AnyMachineSnapshot = xsStart[h]!;
        for (let i = 1; i < events.length; i++) {
          const restored = machine.resolveState({ value: xs.value, context: xs.context });
          xs = transition(machine, restored, events[i]!)[0];
        }
        finals.resolve[h] = xs;
      }
    };
    const replay = () => {
      for (let h = 0; h < k; h++) finals.replay[h] = engine.replay(histories[h]!.events);
    };
    const xreplay = () => {
      for (let h = 0; h < k; h++) {
        const { events, snapshots } = histories[h]!;
        let xs: AnyMachineSnapshot = initialTransition(machine, snapshots[0]!.context)[0];
        for (let i = 1; i < events.length; i++) xs = transition(machine, xs, events[i]!)[0];
        finals.xreplay[h] = xs;
      }
    };
    const transitions: Variant[] = [
      { name: "XState transition() (raw, snapshot chained)", ops: steps, run: viaXState, baseline: true },
      { name: "XState resolveState() + transition()", ops: steps, run: viaResolve, note: "restores from plain JSON at every step, as engine.transition must" },
      { name: "jiceng engine.transition", ops: steps, run: viaEngine, note: "flat interpreter of the XState machine; validates the event (hand-written check ≡ zod), checks guards, returns a plain-JSON snapshot" },
      { name: "jiceng engine.transition on XState", ops: steps, run: viaXEngine, note: "interpretMachine: false (resolveState + XState transition(), as before issue 17)" },
    ];
    const checked: Variant[] = [
      { name: "engine.transition from the engine's own snapshot", ops: steps, run: stepFromOwn, baseline: true, note: "the snapshot the engine made: trusted, not checked again" },
      { name: "engine.transition from a snapshot read back from JSON", ops: steps, run: stepFromStored, note: "as the desk does: the whole snapshot checked (schema, enums, instants, facts) at every call" },
    ];
    const replays: Variant[] = [
      { name: "XState initialTransition() + transition()", ops: k, run: xreplay, baseline: true, note: "intake context precomputed (no grading, no deadline)" },
      { name: "jiceng engine.replay", ops: k, run: replay, note: "intake validated, graded with reasons, timed, numbered" },
      { name: "jiceng engine.replay on XState", ops: k, run: xengineReplay, note: "interpretMachine: false" },
    ];
    const plain = (x: unknown) => JSON.stringify(x);
    // XState's own transition() does not record the holiday schedules the deadlines were counted
    // with (the engine does, after each step): those two fields are left out for it.
    const withoutMarks = (c: unknown) => plain({ ...(c as object), schedules: undefined, provisional: undefined });
    const sameCase = (h: number, what: string, state: unknown, context: unknown) => {
      const want = histories[h]!.snapshots.at(-1)!;
      const raw = what.startsWith("XState");
      if (state !== want.state || (raw ? withoutMarks(context) !== withoutMarks(want.context) : plain(context) !== plain(want.context))) throw new Error(`${what} disagrees on history ${h}: ${String(state)} vs ${want.state}`);
    };
    const checkAll = () => {
      for (let h = 0; h < k; h++) {
        const e = finals.engine[h] as { state: string; context: unknown };
        sameCase(h, "engine.transition", e.state, e.context);
        sameCase(h, "XState transition()", finals.xstate[h]!.value, finals.xstate[h]!.context);
        sameCase(h, "XState resolveState() + transition()", finals.resolve[h]!.value, finals.resolve[h]!.context);
        const xe = finals.xengine[h] as { state: string; context: unknown };
        sameCase(h, "engine.transition on XState", xe.state, xe.context);
        if (plain(finals.xengineReplay[h]) !== plain(histories[h]!.snapshots.at(-1))) throw new Error(`engine.replay on XState differs on history ${h}`);
        const r = finals.replay[h] as { state: string; context: unknown };
        sameCase(h, "engine.replay", r.state, r.context);
        if (plain(finals.replay[h]) !== plain(histories[h]!.snapshots.at(-1))) throw new Error(`engine.replay snapshot differs on history ${h}`);
        sameCase(h, "XState replay", finals.xreplay[h]!.value, finals.xreplay[h]!.context);
      }
    };
    return {
      id: "lifecycle",
      title: `Lifecycle: ${k.toLocaleString("en")} Guyuan case histories, ${steps.toLocaleString("en")} transitions (${(steps / k + 1).toFixed(1)} events per case)`,
      groups: [
        { title: "One transition", unit: "transitions", variants: transitions },
        { title: "The snapshot check: one step from a trusted or a stored snapshot", unit: "transitions", variants: checked },
        { title: "Replay of a whole case history", unit: "cases", variants: replays },
      ],
      async check() {
        viaEngine();
        viaXEngine();
        xengineReplay();
        viaXState();
        viaResolve();
        replay();
        xreplay();
        stepFromStored();
        stepFromOwn();
        checkAll();
        for (let h = 0; h < k; h++) if (plain(finals.stored[h]) !== plain(histories[h]!.snapshots.at(-1)) || plain(finals.own[h]) !== plain(histories[h]!.snapshots.at(-1))) throw new Error(`a step from a stored snapshot differs on history ${h}`);
        return [`engine.transition, XState transition() (with and without resolveState), engine.replay and an XState replay reach the same state and context on all ${k.toLocaleString("en")} histories.`];
      },
      async after(results: Map<string, Stats[]>) {
        checkAll();
        const r = results.get("Replay of a whole case history")?.find((s) => s.name === "jiceng engine.replay");
        const notes: string[] = [];
        if (r) notes.push(`Replay of ${replayTarget.toLocaleString("en")} histories, extrapolated from the ${k.toLocaleString("en")} timed: ${(replayTarget / r.median).toFixed(1)} s at the median rate of ${si(r.median)} cases/s (${si(r.median * (steps / k + 1))} events/s) on one core.`);
        if (!size.smoke) {
          // Measured, not extrapolated: the histories cycled to 100,000, replayed once.
          const n = replayTarget * Math.min(1, size.scale);
          const c0 = cpuMs();
          let last: unknown;
          for (let i = 0; i < n; i++) last = engine.replay(histories[i % k]!.events);
          const ms = cpuMs() - c0;
          sink(last);
          record("lifecycle.replay100k.s", (ms / 1000) * (replayTarget / n));
          notes.push(`Replay of ${n.toLocaleString("en")} histories (the ${k.toLocaleString("en")} above, cycled), measured in one pass: ${(ms / 1000).toFixed(1)} s of CPU${n < replayTarget ? ` (${((ms / 1000) * (replayTarget / n)).toFixed(1)} s scaled to ${replayTarget.toLocaleString("en")})` : ""}.`);
          // One case with 20,000 events: replay must stay linear (history appended, not copied).
          const long = longHistory(engine, 20_000);
          for (const [name, eng] of [["engine.replay", engine], ["engine.replay on XState", xengine]] as const) {
            const times: number[] = [];
            let out: unknown;
            for (let rep = 0; rep < 3; rep++) {
              const t0 = cpuMs();
              out = eng.replay(long);
              times.push(cpuMs() - t0);
            }
            sink(out);
            times.sort((a, b) => a - b);
            if (name === "engine.replay") record("lifecycle.replay20k.s", times[1]! / 1000);
            notes.push(`${name} of one case with ${(long.length - 1).toLocaleString("en")} events after intake: ${(times[1]! / 1000).toFixed(3)} s of CPU (median of 3; ${(times[0]! / 1000).toFixed(3)} – ${(times[2]! / 1000).toFixed(3)}).`);
          }
          // Retained heap per closed snapshot (issue 17): the closed snapshots of the histories,
          // kept in an array, measured by heapUsed after a full GC before and after. Two forms: read
          // back from their JSON (as a store returns them: every string its own), and as replay
          // returns them (strings shared with the event log, which is kept too).
          const gc = getGc();
          if (gc) {
            const closed = histories.map((h) => h.snapshots.at(-1)!).filter((x) => x.state === "closed");
            const texts = closed.map((x) => JSON.stringify(x));
            const retained = (make: () => unknown[]) => {
              gc();
              gc();
              const h0 = process.memoryUsage().heapUsed;
              const kept = make();
              gc();
              gc();
              const h1 = process.memoryUsage().heapUsed;
              sink(kept);
              return (h1 - h0) / kept.length;
            };
            const fromJson = retained(() => texts.map((t) => JSON.parse(t) as unknown));
            const events = histories.filter((h) => h.snapshots.at(-1)!.state === "closed").map((h) => h.events);
            const replayed = retained(() => events.map((e) => engine.replay(e)));
            const jsonBytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / texts.length;
            record("lifecycle.closedSnapshot.bytes", fromJson);
            notes.push(`Retained heap per closed snapshot (${closed.length.toLocaleString("en")} closed Guyuan cases, heapUsed after a full GC): ${(fromJson / 1024).toFixed(2)} KiB read back from its JSON (as from a store), ${(replayed / 1024).toFixed(2)} KiB as engine.replay returns it (strings shared with the kept event log); its JSON is ${(jsonBytes / 1024).toFixed(2)} KiB of UTF-8.`);
          }
        }
        return notes;
      },
    };
  },
};
