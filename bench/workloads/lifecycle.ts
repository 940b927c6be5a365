// Workload 5: the case lifecycle. engine.transition (JSON snapshot in, JSON snapshot out, events
// validated) against XState's own pure transition() on the same machine, and replay of whole
// case histories.
import { createEngine } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { initialTransition, transition, type AnyMachineSnapshot } from "xstate";
import { si } from "../lib/report.js";
import type { Stats, Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { guyuanHistories } from "./histories.js";

export const lifecycle: Workload = {
  id: "lifecycle",
  async prepare(size: Size): Promise<Prepared> {
    const k = Math.max(20, Math.round(2_000 * size.scale));
    const replayTarget = 100_000;
    const engine = createEngine(guyuan);
    const machine = engine.lifecycle.machine;
    const histories = guyuanHistories(engine, k);
    const steps = histories.reduce((n, h) => n + h.events.length - 1, 0);
    const xsStart = histories.map((h) => machine.resolveState({ value: h.snapshots[0]!.state, context: h.snapshots[0]!.context }));
    const finals = { engine: new Array<unknown>(k), xstate: new Array<AnyMachineSnapshot>(k), resolve: new Array<AnyMachineSnapshot>(k), replay: new Array<unknown>(k), xreplay: new Array<AnyMachineSnapshot>(k) };

    const viaEngine = () => {
      for (let h = 0; h < k; h++) {
        const { events, snapshots } = histories[h]!;
        let s = snapshots[0]!;
        for (let i = 1; i < events.length; i++) s = engine.transition(s, events[i]!);
        finals.engine[h] = s;
      }
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
      { name: "jiceng engine.transition", ops: steps, run: viaEngine, note: "validates the event (zod), checks guards, returns a plain-JSON snapshot" },
    ];
    const replays: Variant[] = [
      { name: "XState initialTransition() + transition()", ops: k, run: xreplay, baseline: true, note: "intake context precomputed (no grading, no deadline)" },
      { name: "jiceng engine.replay", ops: k, run: replay, note: "intake validated, graded with reasons, timed, numbered" },
    ];
    const plain = (x: unknown) => JSON.stringify(x);
    const sameCase = (h: number, what: string, state: unknown, context: unknown) => {
      const want = histories[h]!.snapshots.at(-1)!;
      if (state !== want.state || plain(context) !== plain(want.context)) throw new Error(`${what} disagrees on history ${h}: ${String(state)} vs ${want.state}`);
    };
    const checkAll = () => {
      for (let h = 0; h < k; h++) {
        const e = finals.engine[h] as { state: string; context: unknown };
        sameCase(h, "engine.transition", e.state, e.context);
        sameCase(h, "XState transition()", finals.xstate[h]!.value, finals.xstate[h]!.context);
        sameCase(h, "XState resolveState() + transition()", finals.resolve[h]!.value, finals.resolve[h]!.context);
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
        { title: "Replay of a whole case history", unit: "cases", variants: replays },
      ],
      async check() {
        viaEngine();
        viaXState();
        viaResolve();
        replay();
        xreplay();
        checkAll();
        return [`engine.transition, XState transition() (with and without resolveState), engine.replay and an XState replay reach the same state and context on all ${k.toLocaleString("en")} histories.`];
      },
      async after(results: Map<string, Stats[]>) {
        checkAll();
        const r = results.get("Replay of a whole case history")?.find((s) => s.name === "jiceng engine.replay");
        const notes: string[] = [];
        if (r) notes.push(`Replay of ${replayTarget.toLocaleString("en")} histories, extrapolated from the ${k.toLocaleString("en")} timed: ${(replayTarget / r.median).toFixed(1)} s at the median rate of ${si(r.median)} cases/s (${si(r.median * (steps / k + 1))} events/s) on one core.`);
        return notes;
      },
    };
  },
};
