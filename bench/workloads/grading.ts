// Workload 1: grade random Guyuan cases five ways and check that all five agree on every case.
import { compileGrading, createEngine, loadPack } from "@jiceng/core";
import { toJsonRulesEngine } from "@jiceng/core/json-rules-engine";
import guyuan from "@jiceng/rules-guyuan";
import { LogicEngine } from "json-logic-engine";
import { assertSame, bytesPerOp, type Variant } from "../lib/harness.js";
import { record } from "../lib/report.js";
import { GUYUAN_JSON_LOGIC, asReceived, gradeGuyuanByHand, gradeGuyuanByHandChecked, guyuanCases, guyuanUniformCases, type Facts } from "./guyuan-data.js";
import type { Group, Prepared, Size, Workload } from "../lib/workload.js";

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
    // As an app receives them (parsed from JSON: flat strings), for every variant alike.
    const sets = { sparse: asReceived(guyuanCases(n)), uniform: asReceived(guyuanUniformCases(n)) };
    const pack = loadPack(guyuan);
    const engine = createEngine(pack);
    // The same engine without code generation (as where it is refused): the closures of before issue 17.
    const closures = createEngine(pack, { generateCode: false });
    const mode = compileGrading(pack).mode;
    const jre = toJsonRulesEngine(pack);
    const rank = new Map(pack.levels.map((l) => [l.id, l.rank] as const));
    const def = pack.grading.default.level;
    const jle = new LogicEngine();
    const jleGrade = jle.build(GUYUAN_JSON_LOGIC) as (data: unknown) => string;

    const groups: Group[] = [];
    const checks: Array<() => Promise<string>> = [];
    const afters: Array<() => void> = [];
    for (const kind of ["uniform", "sparse"] as const) {
      const cases = sets[kind];
      // Validated once, outside the timing: the trusted path's input (engine.validateCase).
      const valid = cases.map((c) => engine.validateCase(c));
      const out = {
        hand: new Array<string>(n).fill(""),
        handChecked: new Array<string>(n).fill(""),
        fast: new Array<string>(n).fill(""),
        closures: new Array<string>(n).fill(""),
        trusted: new Array<string>(n).fill(""),
        reasons: new Array<string>(n).fill(""),
        validReasons: new Array<string>(n).fill(""),
        jle: new Array<string>(n).fill(""),
        jre: new Array<string>(nJre).fill(""),
      };
      const loop = (o: string[], f: (c: Facts) => string) => () => {
        for (let i = 0; i < n; i++) o[i] = f(cases[i]!);
        return o;
      };
      const hand = loop(out.hand, gradeGuyuanByHand);
      const handChecked = loop(out.handChecked, gradeGuyuanByHandChecked);
      const fast = loop(out.fast, (c) => engine.gradeLevel(c));
      const closed = loop(out.closures, (c) => closures.gradeLevel(c));
      const trusted = () => {
        const o = out.trusted;
        for (let i = 0; i < n; i++) o[i] = engine.gradeLevel(valid[i]!);
        return o;
      };
      const withReasons = loop(out.reasons, (c) => engine.grade(c).level);
      const validReasons = () => {
        const o = out.validReasons;
        for (let i = 0; i < n; i++) o[i] = engine.grade(valid[i]!).level;
        return o;
      };
      const jleRun = loop(out.jle, jleGrade);
      const jreRun = async () => {
        const o = out.jre;
        for (let i = 0; i < nJre; i++) o[i] = levelOfEvents((await jre.run(cases[i]!)).events, rank, def);
        return o;
      };
      const variants: Variant[] = [
        { name: "hand-written function", ops: n, run: hand, baseline: true },
        { name: "hand-written function, every declared fact checked", ops: n, run: handChecked, note: "not a goal's baseline: the checks jiceng makes per call (20 facts), written by hand" },
        { name: "jiceng gradeLevel (checked)", ops: n, run: fast, note: `${mode === "generated" ? "generated code: " : ""}the case admitted (validated) per call, then graded` },
        { name: "jiceng gradeLevel of a ValidCase (trusted path)", ops: n, run: trusted, note: "engine.validateCase once, before timing; graded without checks" },
        { name: "jiceng gradeLevel, closures (no code generation)", ops: n, run: closed, note: "generateCode: false — where code generation is refused, and the code before issue 17" },
        { name: "jiceng grade (with reasons)", ops: n, run: withReasons },
        { name: "jiceng grade of a ValidCase (with reasons)", ops: n, run: validReasons, note: "engine.validateCase once, before timing" },
        { name: "json-logic-engine, compiled (build)", ops: n, run: jleRun },
      ];
      if (kind === "sparse") variants.push({ name: "json-rules-engine (toJsonRulesEngine)", ops: nJre, run: jreRun, note: nJre < n ? `timed on the first ${nJre.toLocaleString("en")} cases` : undefined });
      groups.push({ title: kind === "uniform" ? "Guyuan grading, every fact present (one shape)" : "Guyuan grading, sparse facts (defaults left out, ~10 shapes)", unit: "cases", variants });
      const show = (i: number) => JSON.stringify(cases[i]);
      checks.push(async () => {
        hand();
        handChecked();
        fast();
        closed();
        trusted();
        withReasons();
        validReasons();
        jleRun();
        assertSame(`${kind}: hand-written with checks vs hand-written`, out.hand, out.handChecked, show);
        assertSame(`${kind}: jiceng gradeLevel vs hand-written`, out.hand, out.fast, show);
        assertSame(`${kind}: closures vs hand-written`, out.hand, out.closures, show);
        assertSame(`${kind}: trusted path vs hand-written`, out.hand, out.trusted, show);
        assertSame(`${kind}: jiceng grade vs hand-written`, out.hand, out.reasons, show);
        assertSame(`${kind}: jiceng grade of a ValidCase vs hand-written`, out.hand, out.validReasons, show);
        assertSame(`${kind}: json-logic-engine vs hand-written`, out.hand, out.jle, show);
        if (kind === "sparse") {
          const all = new Array<string>(n);
          for (let i = 0; i < n; i++) all[i] = levelOfEvents((await jre.run(cases[i]!)).events, rank, def);
          assertSame("json-rules-engine vs hand-written", out.hand, all, show);
        }
        const counts: Record<string, number> = {};
        for (const l of out.hand) counts[l] = (counts[l] ?? 0) + 1;
        const mix = Object.entries(counts).sort().map(([l, k]) => `${l} ${((100 * k) / n).toFixed(1)}%`).join(", ");
        return `${kind}: all variants agree on all ${n.toLocaleString("en")} cases (${mix}).`;
      });
      afters.push(() => {
        assertSame(`${kind}: hand-written with checks (timed pass)`, out.hand, out.handChecked, show);
        assertSame(`${kind}: jiceng gradeLevel (timed pass)`, out.hand, out.fast, show);
        assertSame(`${kind}: closures (timed pass)`, out.hand, out.closures, show);
        assertSame(`${kind}: trusted (timed pass)`, out.hand, out.trusted, show);
        assertSame(`${kind}: jiceng grade (timed pass)`, out.hand, out.reasons, show);
        assertSame(`${kind}: jiceng grade of a ValidCase (timed pass)`, out.hand, out.validReasons, show);
        assertSame(`${kind}: json-logic-engine (timed pass)`, out.hand, out.jle, show);
        if (kind === "sparse") assertSame("json-rules-engine (timed pass)", out.hand.slice(0, nJre), out.jre, show);
      });
    }

    return {
      id: "grading",
      title: `Grading ${n.toLocaleString("en")} random Guyuan cases (gradeLevel runs ${mode === "generated" ? "generated code" : "closures"})`,
      groups,
      async check() {
        const notes: string[] = [];
        for (const c of checks) notes.push(await c());
        return notes;
      },
      async after() {
        for (const a of afters) a();
        const notes: string[] = [];
        if (!size.smoke) {
          const cases = sets.sparse;
          const slice = (k: number, f: (c: Facts) => unknown) => () => {
            let x: unknown;
            for (let i = 0; i < k; i++) x = f(cases[i]!);
            return x;
          };
          const a = await bytesPerOp(slice(n, (c) => engine.gradeLevel(c)), n);
          const b = await bytesPerOp(slice(n, gradeGuyuanByHand), n);
          const k = Math.min(n, 1_000);
          const c = await bytesPerOp(slice(k, (f) => engine.grade(f)), k);
          const fmt = (x: typeof a) => (x === undefined ? "n/a" : x.gcDuringRun ? `a GC ran during the pass (it allocates)` : `${x.bytes.toFixed(2)} B/case`);
          if (a && !a.gcDuringRun) record("grading.fast.bytesPerCase", a.bytes);
          notes.push(`Heap growth per case over one warm pass with no GC during it (sparse): gradeLevel ${fmt(a)} over ${n.toLocaleString("en")} cases; hand-written ${fmt(b)}; grade with reasons ${fmt(c)} over ${k.toLocaleString("en")} cases.`);
        }
        return notes;
      },
    };
  },
};
