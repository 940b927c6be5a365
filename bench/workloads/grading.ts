// Workload 1: grade random Guyuan cases five ways and check that all five agree on every case.
import { createEngine, loadPack } from "@jiceng/core";
import { toJsonRulesEngine } from "@jiceng/core/json-rules-engine";
import guyuan from "@jiceng/rules-guyuan";
import { LogicEngine } from "json-logic-engine";
import { assertSame, bytesPerOp, type Variant } from "../lib/harness.js";
import { record } from "../lib/report.js";
import { GUYUAN_JSON_LOGIC, gradeGuyuanByHand, guyuanCases, guyuanGeneratedGrader, type Facts } from "./guyuan-data.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";

/** The level json-rules-engine's events name: the most severe rule that held, else the default. */
function levelOfEvents(events: ReadonlyArray<{ params?: Record<string, unknown> }>, rank: ReadonlyMap<string, number>, def: string): string {
  let best = def;
  let bestRank = -Infinity;
  for (const e of events) {
    const l = e.params?.["level"] as string;
    const k = rank.get(l)!;
    if (k > bestRank) {
      best = l;
      bestRank = k;
    }
  }
  return best;
}

export const grading: Workload = {
  id: "grading",
  async prepare(size: Size): Promise<Prepared> {
    const n = Math.max(200, Math.round(100_000 * size.scale));
    // json-rules-engine is ~4 orders of magnitude slower: time it on a slice, normalised to cases/s.
    const nJre = size.smoke ? n : Math.min(n, 5_000);
    const cases = guyuanCases(n);
    const pack = loadPack(guyuan);
    const engine = createEngine(pack);
    const jre = toJsonRulesEngine(pack);
    const rank = new Map(pack.levels.map((l) => [l.id, l.rank] as const));
    const def = pack.grading.default.level;
    const jle = new LogicEngine();
    const jleGrade = jle.build(GUYUAN_JSON_LOGIC) as (data: unknown) => string;
    const generated = guyuanGeneratedGrader();

    const out = {
      hand: new Array<string>(n).fill(""),
      fast: new Array<string>(n).fill(""),
      reasons: new Array<string>(n).fill(""),
      jle: new Array<string>(n).fill(""),
      jre: new Array<string>(nJre).fill(""),
      gen: new Array<string>(n).fill(""),
    };
    const hand = () => {
      const o = out.hand;
      for (let i = 0; i < n; i++) o[i] = gradeGuyuanByHand(cases[i]!);
      return o;
    };
    const fast = () => {
      const o = out.fast;
      for (let i = 0; i < n; i++) o[i] = engine.gradeLevel(cases[i]!);
      return o;
    };
    const withReasons = () => {
      const o = out.reasons;
      for (let i = 0; i < n; i++) o[i] = engine.grade(cases[i]!).level;
      return o;
    };
    const jleRun = () => {
      const o = out.jle;
      for (let i = 0; i < n; i++) o[i] = jleGrade(cases[i]!);
      return o;
    };
    const genRun = () => {
      const o = out.gen;
      for (let i = 0; i < n; i++) o[i] = generated(cases[i]!);
      return o;
    };
    const jreRun = async () => {
      const o = out.jre;
      for (let i = 0; i < nJre; i++) o[i] = levelOfEvents((await jre.run(cases[i]!)).events, rank, def);
      return o;
    };
    const variants: Variant[] = [
      { name: "hand-written function", ops: n, run: hand, baseline: true },
      { name: "jiceng gradeLevel (fast path)", ops: n, run: fast },
      { name: "jiceng grade (with reasons)", ops: n, run: withReasons },
      { name: "json-logic-engine, compiled (build)", ops: n, run: jleRun },
      { name: "json-rules-engine (toJsonRulesEngine)", ops: nJre, run: jreRun, note: nJre < n ? `timed on the first ${nJre.toLocaleString("en")} cases` : undefined },
      { name: "prototype: generated JS with jiceng's checks", ops: n, run: genRun, note: "not in core: what code generation would give (bench/workloads/guyuan-data.ts)" },
    ];
    const show = (i: number) => JSON.stringify(cases[i]);

    return {
      id: "grading",
      title: `Grading ${n.toLocaleString("en")} random Guyuan cases`,
      groups: [{ title: "Guyuan grading", unit: "cases", variants }],
      async check() {
        hand();
        fast();
        withReasons();
        jleRun();
        genRun();
        assertSame("jiceng gradeLevel vs hand-written", out.hand, out.fast, show);
        assertSame("generated prototype vs hand-written", out.hand, out.gen, show);
        assertSame("jiceng grade vs hand-written", out.hand, out.reasons, show);
        assertSame("json-logic-engine vs hand-written", out.hand, out.jle, show);
        // json-rules-engine on every case, once (not only on the timed slice).
        const all = new Array<string>(n);
        for (let i = 0; i < n; i++) all[i] = levelOfEvents((await jre.run(cases[i]!)).events, rank, def);
        assertSame("json-rules-engine vs hand-written", out.hand, all, show);
        const counts: Record<string, number> = {};
        for (const l of out.hand) counts[l] = (counts[l] ?? 0) + 1;
        const mix = Object.entries(counts)
          .sort()
          .map(([l, k]) => `${l} ${((100 * k) / n).toFixed(1)}%`)
          .join(", ");
        return [`All six variants agree on all ${n.toLocaleString("en")} cases (${mix}).`];
      },
      async after() {
        // The timed passes wrote their answers too: they must still agree.
        assertSame("jiceng gradeLevel (timed pass)", out.hand, out.fast, show);
        assertSame("jiceng grade (timed pass)", out.hand, out.reasons, show);
        assertSame("json-logic-engine (timed pass)", out.hand, out.jle, show);
        assertSame("json-rules-engine (timed pass)", out.hand.slice(0, nJre), out.jre, show);
        assertSame("generated prototype (timed pass)", out.hand, out.gen, show);
        const notes: string[] = [];
        if (!size.smoke) {
          const slice = (k: number, f: (c: Facts) => unknown) => () => {
            let x: unknown;
            for (let i = 0; i < k; i++) x = f(cases[i]!);
            return x;
          };
          const a = await bytesPerOp(fast, n);
          const b = await bytesPerOp(hand, n);
          const k = Math.min(n, 1_000);
          const c = await bytesPerOp(slice(k, (f) => engine.grade(f)), k);
          const fmt = (x: typeof a) => (x === undefined ? "n/a" : x.gcDuringRun ? `a GC ran during the pass (it allocates)` : `${x.bytes.toFixed(2)} B/case`);
          if (a && !a.gcDuringRun) record("grading.fast.bytesPerCase", a.bytes);
          notes.push(`Heap growth per case over one warm pass with no GC during it: gradeLevel ${fmt(a)} over ${n.toLocaleString("en")} cases; hand-written ${fmt(b)}; grade with reasons ${fmt(c)} over ${k.toLocaleString("en")} cases.`);
        }
        return notes;
      },
    };
  },
};
