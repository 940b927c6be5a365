// Issue 12: the largest legal pack loads well under a second (safeLoadPack and createEngine, three
// shapes at the pack limits), and replaying one case's log is O(N): 20,000 events against 10,000.
import { PACK_LIMITS, createEngine, safeLoadPack, type CaseEvent, type IntakeEvent, type RulePackInput } from "@jiceng/core";
import { sink, type Stats, type Variant } from "../lib/harness.js";
import { record, si } from "../lib/report.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { iso8 } from "./histories.js";
import { countValues, guyuanRaw, namedHeavyPack, ruleHeavyPack, variantHeavyPack } from "./limits-data.js";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One Guyuan case: intake, assignment, then `n` progress notes a minute apart. */
function longLog(n: number): CaseEvent[] {
  let t = Date.parse("2023-03-01T09:00:00+08:00");
  const intake: IntakeEvent = { type: "intake", at: iso8(t), by: "综治中心", facts: { receivedAt: iso8(t), unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 1 };
  const events: CaseEvent[] = [intake, { type: "assign", at: iso8((t += 60_000)), by: "功能型党支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: "李", deadline: "2023-03-05", measures: "上门调解" }];
  for (let i = 1; i < n; i++) events.push({ type: "progress", at: iso8((t += 60_000)), by: "司法所", note: `第 ${i} 次` });
  return events;
}

/** CPU ms of `f`, median of `reps` runs. */
function medianCpu(f: () => unknown, reps: number): number {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = cpuMs();
    sink(f());
    times.push(cpuMs() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

export const limits: Workload = {
  id: "limits",
  async prepare(size: Size): Promise<Prepared> {
    const shapes: Array<[string, Record<string, unknown>]> = [
      ["Guyuan as shipped", guyuanRaw()],
      [`${PACK_LIMITS.maxRules} rules, conditions filling the value limit`, ruleHeavyPack()],
      [`${PACK_LIMITS.maxNamedConditions.toLocaleString("en")} named conditions in chains, ${PACK_LIMITS.maxRules} rules through them`, namedHeavyPack()],
      [`${PACK_LIMITS.maxVariants} variants, each setting a value (each loaded whole)`, variantHeavyPack()],
    ];
    const load: Variant[] = shapes.map(([name, pack], i) => ({ name: `safeLoadPack: ${name}`, ops: 1, baseline: i === 0, note: `${countValues(pack as never).toLocaleString("en")} values`, run: () => safeLoadPack(pack) }));
    const engine: Variant[] = shapes.map(([name, pack], i) => ({ name: `createEngine: ${name}`, ops: 1, baseline: i === 0, run: () => createEngine(pack as RulePackInput) }));
    // Replay of one long case: the log doubled, the time must double (history appended, not copied).
    const n = size.smoke ? 1_000 : 10_000;
    const guyuan = createEngine(guyuanRaw() as RulePackInput);
    const half = longLog(n);
    const full = longLog(2 * n);
    return {
      id: "limits",
      title: "Trust at the boundary (issue 12): the largest legal packs load; replay is O(N)",
      groups: [
        { title: "Load the largest legal pack (safeLoadPack, the pack as written)", unit: "loads", variants: load },
        { title: "createEngine of the largest legal pack", unit: "engines", variants: engine },
      ],
      async check() {
        const notes: string[] = [];
        for (const [name, pack] of shapes) {
          const r = safeLoadPack(pack);
          if (!r.success) throw new Error(`${name} does not load: ${JSON.stringify(r.issues.slice(0, 3))}`);
          createEngine(pack as RulePackInput);
          const values = countValues(pack as never);
          if (name !== shapes[0]![0] && values < PACK_LIMITS.maxNodes * 0.9) throw new Error(`${name} holds only ${values} values`);
          notes.push(`${name}: ${values.toLocaleString("en")} values of ${PACK_LIMITS.maxNodes.toLocaleString("en")}, ${r.data.grading.rules.length} rules, ${Object.keys(r.data.conditions).length} named conditions, ${r.data.variants.length} variants; loads and makes an engine.`);
        }
        const a = guyuan.replay(half);
        const b = guyuan.replay(full);
        if (a.context.history.length !== half.length || b.context.history.length !== full.length) throw new Error("replay lost events");
        notes.push(`Replay of ${half.length.toLocaleString("en")} and ${full.length.toLocaleString("en")} events keeps every event in the history.`);
        return notes;
      },
      async after(results: Map<string, Stats[]>) {
        const notes: string[] = [];
        const loads = results.get("Load the largest legal pack (safeLoadPack, the pack as written)") ?? [];
        const slowest = loads.filter((s) => !s.baseline).reduce<Stats | undefined>((m, s) => (m === undefined || s.median < m.median ? s : m), undefined);
        if (slowest) {
          record("limits.largestPack.ms", 1000 / slowest.median);
          notes.push(`Slowest legal pack to load: ${slowest.name.replace("safeLoadPack: ", "")}, ${(1000 / slowest.median).toFixed(0)} ms of CPU (median; ${si(slowest.median)} loads/s).`);
        }
        const reps = size.smoke ? 1 : 5;
        const tHalf = medianCpu(() => guyuan.replay(half), reps);
        const tFull = medianCpu(() => guyuan.replay(full), reps);
        record("limits.replay.ratio", tFull / tHalf);
        record("limits.replay20k.ms", tFull);
        notes.push(`engine.replay of one case: ${(half.length - 1).toLocaleString("en")} events after intake ${tHalf.toFixed(0)} ms, ${(full.length - 1).toLocaleString("en")} events ${tFull.toFixed(0)} ms of CPU (median of ${reps}): ratio ${(tFull / tHalf).toFixed(2)} (2 = linear, 4 = quadratic).`);
        return notes;
      },
    };
  },
};
