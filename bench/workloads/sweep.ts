// Workload 4: engine.sweep over 1M in-memory snapshots at one instant, against the plain loop an
// app would write over the same array.
import { createEngine, type CaseSnapshot, type SweepResult } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import type { Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { guyuanHistories } from "./histories.js";

const OPEN = new Set(["graded", "assigned", "resolving", "escalation-pending"]);

/** The lists both variants compute (engine.sweep has more, for stages the Guyuan pack does not use). */
const LISTS = ["dueSoon", "overdue", "awaitingDecision", "reported", "awaitingReportDecision", "needsTick"] as const;
type PlainResult = Record<(typeof LISTS)[number], number[]>;

/** The loop written by hand: Date.parse on the stored ISO strings, the deadline lists of engine.sweep. */
export function plainSweep(snapshots: readonly CaseSnapshot[], now: string): PlainResult {
  const t = Date.parse(now);
  const out: PlainResult = { dueSoon: [], overdue: [], awaitingDecision: [], reported: [], awaitingReportDecision: [], needsTick: [] };
  for (let i = 0; i < snapshots.length; i++) {
    const { state, context: c } = snapshots[i]!;
    if (!OPEN.has(state)) continue;
    const due = Date.parse(c.dueAt);
    if (t >= due) {
      out.overdue.push(i);
      if (!c.overdue) out.needsTick.push(i);
    } else if (t >= (c.warnAt ? Date.parse(c.warnAt) : due - 86_400_000)) {
      out.dueSoon.push(i);
    }
    if (state === "escalation-pending") out.awaitingDecision.push(i);
    if (c.reportedTo.length) out.reported.push(i);
    if (c.reportPending !== undefined) out.awaitingReportDecision.push(i);
  }
  return out;
}

export const sweep: Workload = {
  id: "sweep",
  async prepare(size: Size): Promise<Prepared> {
    const n = Math.max(300, Math.round(1_000_000 * size.scale));
    const engine = createEngine(guyuan);
    // Every intermediate snapshot of real histories (all states, warned, overdue, reported…),
    // copied into n distinct objects as a store would hand them over after JSON.parse.
    const base = guyuanHistories(engine, Math.max(30, Math.min(3_000, Math.round(n / 10)))).flatMap((h) => h.snapshots);
    const snapshots: CaseSnapshot[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const s = base[(i * 7919) % base.length]!;
      snapshots[i] = { ...s, context: { ...s.context } };
    }
    const now = "2023-06-15T08:00:00+08:00";
    let a: PlainResult | undefined;
    let b: SweepResult | undefined;
    const variants: Variant[] = [
      { name: "plain loop (Date.parse)", ops: n, run: () => (a = plainSweep(snapshots, now)), baseline: true },
      { name: "jiceng engine.sweep", ops: n, run: () => (b = engine.sweep(snapshots, now)) },
    ];
    const same = () => {
      for (const k of LISTS) if (JSON.stringify(a![k]) !== JSON.stringify(b![k])) throw new Error(`engine.sweep and the plain loop disagree on ${k}`);
      // followUpDue: Guyuan's regular return visits (定期回访), which the plain loop does not model.
      for (const [k, v] of Object.entries(b!)) if (Array.isArray(v) && !(LISTS as readonly string[]).includes(k) && k !== "followUpDue" && v.length) throw new Error(`engine.sweep lists ${v.length} snapshots under ${k}, which the Guyuan pack does not use`);
    };
    return {
      id: "sweep",
      title: `Sweep of ${n.toLocaleString("en")} in-memory snapshots at ${now}`,
      groups: [{ title: "Sweep", unit: "snapshots", variants }],
      async check() {
        a = plainSweep(snapshots, now);
        b = engine.sweep(snapshots, now);
        same();
        const open = snapshots.filter((s) => OPEN.has(s.state)).length;
        return [`engine.sweep and the plain loop give the same lists (${LISTS.join(", ")}; ${open.toLocaleString("en")} open; ${b!.overdue.length.toLocaleString("en")} overdue, ${b!.dueSoon.length.toLocaleString("en")} due soon, ${b!.awaitingDecision.length.toLocaleString("en")} awaiting a decision, ${b!.reported.length.toLocaleString("en")} reported).`];
      },
      async after() {
        same();
        return [];
      },
    };
  },
};
