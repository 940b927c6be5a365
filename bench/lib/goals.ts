// The goals of issue 17 (and those of issue 7 still held), checked against the figures of the same run.
import type { Stats } from "./harness.js";
import { ratio, recorded, si, type Section } from "./report.js";

export interface GoalRow {
  goal: string;
  measured: string;
  met: boolean | undefined;
}

function find(sections: Section[], workload: string, group: string, variant: string): Stats | undefined {
  return sections.find((s) => s.id === workload)?.groups.find((g) => g.title === group)?.stats.find((x) => x.name.startsWith(variant));
}

export function evaluateGoals(sections: Section[]): GoalRow[] {
  const rows: GoalRow[] = [];
  const add = (goal: string, measured: string | undefined, met: boolean | undefined) => rows.push({ goal, measured: measured ?? "not measured", met: measured === undefined ? undefined : met });
  const UNIFORM = "Guyuan grading, every fact present (one shape)";
  const SPARSE = "Guyuan grading, sparse facts (defaults left out, ~10 shapes)";

  // Issue 17.
  for (const [group, label, limit] of [[UNIFORM, "uniform", 3], [SPARSE, "sparse", 1.5]] as const) {
    const hand = find(sections, "grading", group, "hand-written");
    const fast = find(sections, "grading", group, "jiceng gradeLevel (checked)");
    add(`Checked grading vs hand-written, ${label} ≤ ${limit}×`, fast && hand ? `${ratio(fast.ratio)} (${si(fast.median)}/s vs ${si(hand.median)}/s)` : undefined, fast?.ratio !== undefined && fast.ratio <= limit);
  }
  for (const [group, label] of [[UNIFORM, "uniform"], [SPARSE, "sparse"]] as const) {
    const trusted = find(sections, "grading", group, "jiceng gradeLevel of a ValidCase");
    const jle = find(sections, "grading", group, "json-logic-engine");
    add(`Trusted path (facts validated before) ≥ 2× faster than json-logic-engine, ${label}`, trusted && jle ? `${(trusted.median / jle.median).toFixed(2)}× as fast (${si(trusted.median)}/s vs ${si(jle.median)}/s)` : undefined, !!trusted && !!jle && trusted.median >= 2 * jle.median);
  }
  const reasons = find(sections, "grading", SPARSE, "jiceng grade (");
  add("grade with reasons ≥ 4M/s (sparse)", reasons ? `${si(reasons.median)}/s` : undefined, !!reasons && reasons.median >= 4e6);
  const dl = find(sections, "deadlines", "engine.deadline(level, Date), Guyuan levels (7 / 15 / 45 calendar days, warning 7 / 3 / 2 days before)", "jiceng engine.deadline");
  add("engine.deadline ≥ 5M/s", dl ? `${si(dl.median)}/s` : undefined, !!dl && dl.median >= 5e6);
  const tr = find(sections, "lifecycle", "One transition", "jiceng engine.transition");
  add("engine.transition vs raw XState ≤ 0.4×", tr ? ratio(tr.ratio) : undefined, tr?.ratio !== undefined && tr.ratio <= 0.4);
  const r100k = recorded("lifecycle.replay100k.s");
  add("Replay of 100k histories ≤ 10 s", r100k === undefined ? undefined : `${r100k.toFixed(1)} s of CPU`, r100k !== undefined && r100k <= 10);
  const r20k = recorded("lifecycle.replay20k.s");
  add("Replay of 20,000 events on one case ≤ 0.2 s", r20k === undefined ? undefined : `${r20k.toFixed(3)} s of CPU`, r20k !== undefined && r20k <= 0.2);
  for (const [key, label] of [["esm", "ESM"], ["cjs", "CJS"]] as const) {
    const above = recorded(`coldstart.lean.${key}.above`);
    const script = recorded(`coldstart.lean.${key}.script`);
    add(`Fresh process → first graded case ≤ 20 ms above bare node, ${label} (@jiceng/core/grade + compiled pack; whole-process CPU vs node -e, same run)`, above === undefined ? undefined : `+${above.toFixed(1)} ms CPU (from the script's first line: ${script?.toFixed(1)} ms)`, above !== undefined && above <= 20);
  }
  const heap = recorded("lifecycle.closedSnapshot.bytes");
  add("Retained heap per closed snapshot ≤ 2 KB (read back from its JSON)", heap === undefined ? undefined : `${(heap / 1024).toFixed(2)} KiB`, heap !== undefined && heap <= 2048);
  // Like for like (bench/ANALYSIS.md, fourth session): the loop's lists asked for, and everything vs a loop computing the same.
  const sw = find(sections, "sweep", "Sweep, the same lists", "jiceng engine.sweep");
  add("Sweep vs a plain loop ≤ 1.2× (the loop's six lists: engine.sweep with options.lists)", sw ? `${ratio(sw.ratio)}` : undefined, sw?.ratio !== undefined && sw.ratio <= 1.2);
  const swAll = find(sections, "sweep", "Sweep, everything it finds", "jiceng engine.sweep");
  add("Sweep vs a plain loop ≤ 1.2× (default engine.sweep vs a loop of the same seven lists, return visits included)", swAll ? `${ratio(swAll.ratio)}` : undefined, swAll?.ratio !== undefined && swAll.ratio <= 1.2);

  // Issue 12.
  const largest = recorded("limits.largestPack.ms");
  add("(issue 12) The largest legal pack loads well under 1 s (safeLoadPack, slowest of three shapes at the limits) ≤ 500 ms", largest === undefined ? undefined : `${largest.toFixed(0)} ms of CPU`, largest !== undefined && largest <= 500);
  const linear = recorded("limits.replay.ratio");
  add("(issue 12) Replay is O(N): 20,000 vs 10,000 events on one case, CPU ratio ≤ 2.5 (2 = linear)", linear === undefined ? undefined : `${linear.toFixed(2)} (${recorded("limits.replay20k.ms")?.toFixed(0)} ms for 20,000)`, linear !== undefined && linear <= 2.5);

  // Issue 7, still held.
  const bytes = recorded("grading.fast.bytesPerCase");
  add("(issue 7) No per-case allocation on the grading fast path", bytes === undefined ? undefined : `${bytes.toFixed(2)} B/case of heap growth, no GC during a 100k-case pass`, bytes !== undefined && bytes < 1);
  const xhand = find(sections, "xiji", "Xiji score grading", "hand-written");
  const xfast = find(sections, "xiji", "Xiji score grading", "jiceng gradeLevel");
  if (xhand && xfast) add("(issue 7) Xiji score grading within 3× of hand-written", `${ratio(xfast.ratio)}`, xfast.ratio !== undefined && xfast.ratio <= 3);
  for (const g of ["Calendar days (7 / 15 / 45) with rest-day roll-over", "Working days (3 / 5 / 10 / 20)"]) {
    const d = find(sections, "deadlines", g, "jiceng computeDeadline");
    add(`(issue 7) computeDeadline ≥ 5M/s including Date conversion: ${g.split(" (")[0]!.toLowerCase()}`, d ? `${si(d.median)}/s` : undefined, !!d && d.median >= 5e6);
  }
  return rows;
}

export function renderGoals(rows: GoalRow[]): string {
  const mark = (m: boolean | undefined) => (m === undefined ? "—" : m ? "met" : "**missed**");
  return ["| goal (issue 17, and issue 7 where marked) | this run | |", "|---|---|---|", ...rows.map((r) => `| ${r.goal} | ${r.measured} | ${mark(r.met)} |`)].join("\n");
}
