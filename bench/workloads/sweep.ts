// Workload 4: engine.sweep over 1M in-memory snapshots at one instant, against the plain loop an
// app would write over the same array for the same answer. Two comparisons, like for like:
// - the six deadline lists: engine.sweep asked for them (`lists`) vs a loop computing them;
// - everything engine.sweep finds by default for Guyuan (the six and the regular return visits
//   due, 定期回访, on the pack's calendar) vs a loop computing those seven with core's computeDeadline.
import { computeDeadline, createEngine, type CaseSnapshot, type Engine, type SweepResult } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import type { Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { guyuanHistories } from "./histories.js";

const OPEN = new Set(["graded", "assigned", "resolving", "escalation-pending"]);

/** The deadline lists (engine.sweep has more, for stages the Guyuan pack does not use). */
export const LISTS = ["dueSoon", "overdue", "awaitingDecision", "reported", "awaitingReportDecision", "needsTick"] as const;
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

/** The same loop with Guyuan's return visits due (定期回访: `followUp.interval` after resolution or the last visit, on the engine's calendar). */
export function plainSweepWithVisits(engine: Engine, snapshots: readonly CaseSnapshot[], now: string): PlainResult & { followUpDue: number[] } {
  const t = Date.parse(now);
  const pack = engine.pack;
  const every = pack.lifecycle.followUp!.interval!;
  const calendar = { calendar: engine.calendar, timezone: pack.timezone, rollOverRestDays: pack.calendar.rollOverRestDays };
  const out = { dueSoon: [] as number[], overdue: [] as number[], awaitingDecision: [] as number[], reported: [] as number[], awaitingReportDecision: [] as number[], needsTick: [] as number[], followUpDue: [] as number[] };
  for (let i = 0; i < snapshots.length; i++) {
    const { state, context: c } = snapshots[i]!;
    if (state === "resolved") {
      const last = c.followUps.length ? c.followUps[c.followUps.length - 1]!.at : c.resolvedAt;
      if (last !== undefined && t >= computeDeadline(last, every, calendar).dueAtMs) out.followUpDue.push(i);
      continue;
    }
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
    let b: Pick<SweepResult, "at" | (typeof LISTS)[number]> | undefined;
    let c: ReturnType<typeof plainSweepWithVisits> | undefined;
    let d: SweepResult | undefined;
    const lists = { lists: LISTS };
    const sameLists: Variant[] = [
      { name: "plain loop (Date.parse)", ops: n, run: () => (a = plainSweep(snapshots, now)), baseline: true },
      { name: "jiceng engine.sweep, the same lists", ops: n, run: () => (b = engine.sweep(snapshots, now, lists)), note: "options.lists: the six lists of the loop; every snapshot still checked (one lookup each: the engine's or already checked)" },
      { name: "(for reference) engine.sweep, every list", ops: n, run: () => (d = engine.sweep(snapshots, now)), note: "not like for like: also counts Guyuan's return visits (followUpDue), which this loop does not; see the next table" },
    ];
    const everything: Variant[] = [
      { name: "plain loop + return visits (computeDeadline)", ops: n, run: () => (c = plainSweepWithVisits(engine, snapshots, now)), baseline: true },
      { name: "jiceng engine.sweep (default: every list)", ops: n, run: () => (d = engine.sweep(snapshots, now)), note: "all 15 lists; Guyuan fills 7 (the six and followUpDue)" },
    ];
    const same = () => {
      for (const k of LISTS) {
        if (JSON.stringify(a![k]) !== JSON.stringify(b![k])) throw new Error(`engine.sweep with lists and the plain loop disagree on ${k}`);
        if (JSON.stringify(c![k]) !== JSON.stringify(d![k]) || JSON.stringify(a![k]) !== JSON.stringify(d![k])) throw new Error(`engine.sweep and the plain loop with visits disagree on ${k}`);
      }
      if (Object.keys(b!).length !== LISTS.length + 1) throw new Error(`engine.sweep with lists returned ${Object.keys(b!).join(", ")}`);
      if (JSON.stringify(c!.followUpDue) !== JSON.stringify(d!.followUpDue)) throw new Error("engine.sweep and the plain loop with visits disagree on followUpDue");
      for (const [k, v] of Object.entries(d!)) if (Array.isArray(v) && !(LISTS as readonly string[]).includes(k) && k !== "followUpDue" && v.length) throw new Error(`engine.sweep lists ${v.length} snapshots under ${k}, which the Guyuan pack does not use`);
    };
    return {
      id: "sweep",
      title: `Sweep of ${n.toLocaleString("en")} in-memory snapshots at ${now}`,
      groups: [
        { title: "Sweep, the same lists", unit: "snapshots", variants: sameLists },
        { title: "Sweep, everything it finds", unit: "snapshots", variants: everything },
      ],
      async check() {
        a = plainSweep(snapshots, now);
        b = engine.sweep(snapshots, now, lists);
        c = plainSweepWithVisits(engine, snapshots, now);
        d = engine.sweep(snapshots, now);
        same();
        const open = snapshots.filter((s) => OPEN.has(s.state)).length;
        return [`engine.sweep (with lists and without) and the plain loops give the same lists (${LISTS.join(", ")}, followUpDue; ${open.toLocaleString("en")} open; ${d.overdue.length.toLocaleString("en")} overdue, ${d.dueSoon.length.toLocaleString("en")} due soon, ${d.awaitingDecision.length.toLocaleString("en")} awaiting a decision, ${d.reported.length.toLocaleString("en")} reported, ${d.followUpDue.length.toLocaleString("en")} due for a return visit).`];
      },
      async after() {
        same();
        return [];
      },
    };
  },
};
