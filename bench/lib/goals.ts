// The goals of issue 7, checked against the figures of the same run.
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

  const hand = find(sections, "grading", "Guyuan grading", "hand-written");
  const fast = find(sections, "grading", "Guyuan grading", "jiceng gradeLevel");
  const reasons = find(sections, "grading", "Guyuan grading", "jiceng grade (");
  const jle = find(sections, "grading", "Guyuan grading", "json-logic-engine");
  add("Grading fast path within 3× of the hand-written function (Guyuan)", fast && hand ? `${ratio(fast.ratio)} (${si(fast.median)}/s vs ${si(hand.median)}/s)` : undefined, fast?.ratio !== undefined && fast.ratio <= 3);
  add("Grading fast path ≥ 2× faster than json-logic-engine compiled (Guyuan)", fast && jle ? `${(fast.median / jle.median).toFixed(2)}× as fast (${si(fast.median)}/s vs ${si(jle.median)}/s)` : undefined, !!fast && !!jle && fast.median >= 2 * jle.median);
  add("Grading with reasons ≥ 1M cases/s (Guyuan)", reasons ? `${si(reasons.median)}/s` : undefined, !!reasons && reasons.median >= 1e6);
  const bytes = recorded("grading.fast.bytesPerCase");
  add("No per-case allocation on the fast path", bytes === undefined ? undefined : `${bytes.toFixed(2)} B/case of heap growth, no GC during a 100k-case pass`, bytes !== undefined && bytes < 1);

  const xhand = find(sections, "xiji", "Xiji score grading", "hand-written");
  const xfast = find(sections, "xiji", "Xiji score grading", "jiceng gradeLevel");
  const xjle = find(sections, "xiji", "Xiji score grading", "json-logic-engine");
  const xreasons = find(sections, "xiji", "Xiji score grading", "jiceng grade (");
  if (xhand && xfast) {
    add("(same goals, Xiji score grading) fast path within 3× of hand-written", `${ratio(xfast.ratio)}`, xfast.ratio !== undefined && xfast.ratio <= 3);
    if (xjle) add("(Xiji) fast path ≥ 2× faster than json-logic-engine compiled", `${(xfast.median / xjle.median).toFixed(2)}× as fast`, xfast.median >= 2 * xjle.median);
    if (xreasons) add("(Xiji) with reasons ≥ 1M cases/s", `${si(xreasons.median)}/s`, xreasons.median >= 1e6);
  }

  for (const g of ["Calendar days (7 / 15 / 45) with rest-day roll-over", "Working days (3 / 5 / 10 / 20)"]) {
    const d = find(sections, "deadlines", g, "jiceng computeDeadline");
    add(`Deadlines ≥ 5M/s including Date conversion: ${g.split(" (")[0]!.toLowerCase()}`, d ? `${si(d.median)}/s` : undefined, !!d && d.median >= 5e6);
  }
  const sw = find(sections, "sweep", "Sweep", "jiceng engine.sweep");
  add("Sweep within 2× of the plain loop", sw ? `${ratio(sw.ratio)}` : undefined, sw?.ratio !== undefined && sw.ratio <= 2);
  const tr = find(sections, "lifecycle", "One transition", "jiceng engine.transition");
  add("engine.transition adds ≤ 30% to raw XState transition()", tr ? `+${Math.round(((tr.ratio ?? 0) - 1) * 100)}% (${ratio(tr.ratio)})` : undefined, tr?.ratio !== undefined && tr.ratio <= 1.3);

  const cold = sections.find((s) => s.id === "coldstart");
  if (cold) {
    for (const t of cold.tables) {
      if (!t.title.startsWith("Cold start per pack")) continue;
      for (const r of t.rows) {
        const first = recorded(`coldstart.${r[0]}.first`);
        const warm = recorded(`coldstart.${r[0]}.warm`);
        if (first === undefined || warm === undefined) continue;
        add(`Cold start < 20 ms: ${r[0]}, first engine in a fresh process`, `${first.toFixed(1)} ms CPU`, first < 20);
        add(`Cold start < 20 ms: ${r[0]}, each later engine in the same process`, `${warm.toFixed(1)} ms CPU`, warm < 20);
      }
    }
  }
  return rows;
}

export function renderGoals(rows: GoalRow[]): string {
  const mark = (m: boolean | undefined) => (m === undefined ? "—" : m ? "met" : "**missed**");
  return ["| goal (issue 7) | this run | |", "|---|---|---|", ...rows.map((r) => `| ${r.goal} | ${r.measured} | ${mark(r.met)} |`)].join("\n");
}
