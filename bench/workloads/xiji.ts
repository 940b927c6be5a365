// Workload 2: score-based grading with the Xiji "1133" pack (packages/rules-xiji): every score
// item whose condition holds adds its points, the total meets a line. Five variants as for Guyuan;
// json-rules-engine runs the same score items as rules (createJsonRulesEngine) and the points of
// the items that fired are summed. Skipped while the pack is missing.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createEngine, loadPack } from "@jiceng/core";
import { createJsonRulesEngine } from "@jiceng/core/json-rules-engine";
import { LogicEngine } from "json-logic-engine";
import { assertSame, type Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";
import { asReceived } from "./guyuan-data.js";
import { XIJI_JSON_LOGIC, gradeXijiByHand, xijiCases } from "./xiji-data.js";

const packFile = fileURLToPath(new URL("../../packages/rules-xiji/pack.json", import.meta.url));

export const xiji: Workload = {
  id: "xiji",
  async prepare(size: Size): Promise<Prepared | { skipped: string }> {
    if (!existsSync(packFile)) return { skipped: "packages/rules-xiji/pack.json does not exist yet (issue 4); rerun `npm run bench` once it lands." };
    const pack = loadPack(JSON.parse(readFileSync(packFile, "utf8")));
    const score = pack.grading.score;
    if (!score) return { skipped: "the Xiji pack has no score grading (grading.score)." };
    const engine = createEngine(pack);
    const n = Math.max(200, Math.round(100_000 * size.scale));
    const nJre = size.smoke ? n : Math.min(n, 5_000);
    // As an app receives them (parsed from JSON: flat strings), for every variant alike.
    const cases = asReceived(xijiCases(n));

    const jre = createJsonRulesEngine({ facts: pack.facts, conditions: pack.conditions, timezone: pack.timezone, rules: score.points.map((p) => ({ id: p.id, level: "score", conditions: p.conditions })) });
    const pointsOf = new Map(score.points.map((p) => [p.id, p.points] as const));
    const lines = [...score.thresholds].sort((a, b) => b.min - a.min);
    const def = pack.grading.default.level;
    const levelOfTotal = (t: number) => lines.find((l) => t >= l.min)?.level ?? def;
    const jle = new LogicEngine();
    const jleGrade = jle.build(XIJI_JSON_LOGIC) as (data: unknown) => string;

    const out = { hand: new Array<string>(n).fill(""), fast: new Array<string>(n).fill(""), reasons: new Array<string>(n).fill(""), jle: new Array<string>(n).fill(""), jre: new Array<string>(nJre).fill("") };
    const hand = () => {
      for (let i = 0; i < n; i++) out.hand[i] = gradeXijiByHand(cases[i]!);
      return out.hand;
    };
    const fast = () => {
      for (let i = 0; i < n; i++) out.fast[i] = engine.gradeLevel(cases[i]!);
      return out.fast;
    };
    const withReasons = () => {
      for (let i = 0; i < n; i++) out.reasons[i] = engine.grade(cases[i]!).level;
      return out.reasons;
    };
    const jleRun = () => {
      for (let i = 0; i < n; i++) out.jle[i] = jleGrade(cases[i]!);
      return out.jle;
    };
    const jreLevel = async (c: Record<string, unknown>) => {
      let total = 0;
      for (const e of (await jre.run(c)).events) total += pointsOf.get(e.params?.["ruleId"] as string) ?? 0;
      return levelOfTotal(total);
    };
    const jreRun = async () => {
      for (let i = 0; i < nJre; i++) out.jre[i] = await jreLevel(cases[i]!);
      return out.jre;
    };
    const variants: Variant[] = [
      { name: "hand-written function", ops: n, run: hand, baseline: true },
      { name: "jiceng gradeLevel (fast path)", ops: n, run: fast },
      { name: "jiceng grade (with reasons, score breakdown)", ops: n, run: withReasons },
      { name: "json-logic-engine, compiled (build)", ops: n, run: jleRun, note: "no variables in json-logic: the sum is evaluated once per line compared" },
      { name: "json-rules-engine (score items as rules)", ops: nJre, run: jreRun, note: nJre < n ? `timed on the first ${nJre.toLocaleString("en")} cases` : undefined },
    ];
    const show = (i: number) => JSON.stringify(cases[i]);
    return {
      id: "xiji",
      title: `Score grading: ${n.toLocaleString("en")} random Xiji cases (${score.points.length} score items, lines ${lines.map((l) => `${l.level} ≥ ${l.min}`).join(", ")})`,
      groups: [{ title: "Xiji score grading", unit: "cases", variants }],
      async check() {
        hand();
        fast();
        withReasons();
        jleRun();
        assertSame("jiceng gradeLevel vs hand-written", out.hand, out.fast, show);
        assertSame("jiceng grade vs hand-written", out.hand, out.reasons, show);
        assertSame("json-logic-engine vs hand-written", out.hand, out.jle, show);
        const all = new Array<string>(n);
        for (let i = 0; i < n; i++) all[i] = await jreLevel(cases[i]!);
        assertSame("json-rules-engine vs hand-written", out.hand, all, show);
        const counts: Record<string, number> = {};
        for (const l of out.hand) counts[l] = (counts[l] ?? 0) + 1;
        const mix = Object.entries(counts).sort().map(([l, k]) => `${l} ${((100 * k) / n).toFixed(1)}%`).join(", ");
        return [`All five variants agree on all ${n.toLocaleString("en")} Xiji cases (${mix}).`];
      },
      async after() {
        assertSame("jiceng gradeLevel (timed pass)", out.hand, out.fast, show);
        assertSame("jiceng grade (timed pass)", out.hand, out.reasons, show);
        assertSame("json-logic-engine (timed pass)", out.hand, out.jle, show);
        assertSame("json-rules-engine (timed pass)", out.hand.slice(0, nJre), out.jre, show);
        return [];
      },
    };
  },
};
