// Workload 2: score-based grading with the Xiji "1133" pack, once packages/rules-xiji lands
// (issue 4). Until then it is skipped. When the pack is present, random cases come from
// @jiceng/core/testing's arbitraries for its declared facts, and the fast path and the
// with-reasons path are timed and checked against each other on every case. The hand-written,
// json-logic-engine and json-rules-engine variants need the pack's rules written out by hand,
// as bench/workloads/guyuan-data.ts does for Guyuan: add them when the pack is here.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createEngine, loadPack } from "@jiceng/core";
import { caseFactsArbitrary } from "@jiceng/core/testing";
import fc from "fast-check";
import { assertSame, type Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";

const packFile = fileURLToPath(new URL("../../packages/rules-xiji/pack.json", import.meta.url));

export const xiji: Workload = {
  id: "xiji",
  async prepare(size: Size): Promise<Prepared | { skipped: string }> {
    if (!existsSync(packFile)) return { skipped: "packages/rules-xiji/pack.json does not exist yet (issue 4); rerun `npm run bench` once it lands." };
    const pack = loadPack(JSON.parse(readFileSync(packFile, "utf8")));
    if (!pack.grading.score) return { skipped: "the Xiji pack has no score grading (grading.score)." };
    const engine = createEngine(pack);
    const n = Math.max(200, Math.round(100_000 * size.scale));
    const cases = fc.sample(caseFactsArbitrary(pack, Date.parse("2023-06-01T10:00:00+08:00")), { numRuns: n, seed: 42 });
    const out = { fast: new Array<string>(n).fill(""), reasons: new Array<string>(n).fill("") };
    const fast = () => {
      for (let i = 0; i < n; i++) out.fast[i] = engine.gradeLevel(cases[i]!);
      return out.fast;
    };
    const withReasons = () => {
      for (let i = 0; i < n; i++) out.reasons[i] = engine.grade(cases[i]!).level;
      return out.reasons;
    };
    const variants: Variant[] = [
      { name: "jiceng gradeLevel (fast path)", ops: n, run: fast, baseline: true },
      { name: "jiceng grade (with reasons and score breakdown)", ops: n, run: withReasons },
    ];
    const show = (i: number) => JSON.stringify(cases[i]);
    return {
      id: "xiji",
      title: `Score grading: ${n.toLocaleString("en")} random Xiji cases`,
      groups: [{ title: "Xiji score grading", unit: "cases", variants }],
      async check() {
        fast();
        withReasons();
        assertSame("grade vs gradeLevel", out.fast, out.reasons, show);
        const counts: Record<string, number> = {};
        for (const l of out.fast) counts[l] = (counts[l] ?? 0) + 1;
        return [`gradeLevel and grade agree on all ${n.toLocaleString("en")} cases (${Object.entries(counts).map(([l, k]) => `${l} ${((100 * k) / n).toFixed(1)}%`).join(", ")}). Hand-written, json-logic-engine and json-rules-engine variants are still to be written for this pack.`];
      },
      async after() {
        assertSame("grade vs gradeLevel (timed pass)", out.fast, out.reasons, show);
        return [];
      },
    };
  },
};
