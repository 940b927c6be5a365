// Workload: decision tables. Ankang's household classification (`first` hit policy, derived year
// facts) and the three-centers routing table (`collect`), each run through the public API (with
// reasons), the compiled table's `evaluate` (hits with their traces) and `decide` (the result
// only), with generated code and with the closures (where code generation is refused).
import { compileTable, createEngine, loadPack, type CompiledTable } from "@jiceng/core";
import ankang from "@jiceng/rules-ankang";
import threeCenters from "@jiceng/rules-three-centers";
import { assertSame, pick, rng, type Variant } from "../lib/harness.js";
import type { Group, Prepared, Size, Workload } from "../lib/workload.js";
import { asReceived, type Facts } from "./guyuan-data.js";

const LEFT_BEHIND = ["children", "women", "elderly"] as const;
const MONITORING = [["none", 90], ["edge", 6], ["risk", 4]] as const;
const PRISON = [["none", 95], ["serving", 2], ["released", 3]] as const;

/** Random Ankang households: most without a risk mark, incomes around the village average, some safe-family years. */
export function ankangHouseholds(n: number, seed = 23): Facts[] {
  const r = rng(seed);
  const out: Facts[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const year = 2019 + Math.floor(r() * 6);
    const average = 8_000 + Math.floor(r() * 8_000);
    const years: number[] = [];
    for (let y = year - 5; y <= year; y++) if (r() < 0.6) years.push(y);
    const left: string[] = [];
    if (r() < 0.08) for (const x of LEFT_BEHIND) if (r() < 0.5) left.push(x);
    out[i] = {
      income: Math.round(average * (0.5 + r())),
      villageAverageIncome: average,
      year,
      safeFamilyYears: years,
      leftBehind: left,
      disabledMembers: r() < 0.05 ? 1 + Math.floor(r() * 2) : 0,
      povertyMonitoring: pick(r, MONITORING),
      prisonRecord: pick(r, PRISON),
    };
  }
  return out;
}

/** The households table written by hand (pack.json's rows: red, green, yellow, default yellow). */
export function classifyHouseholdByHand(h: Facts): string {
  const left = h["leftBehind"] as string[];
  const p = h["povertyMonitoring"];
  const q = h["prisonRecord"];
  if (left.length > 0 || (h["disabledMembers"] as number) > 0 || p === "edge" || p === "risk" || q === "serving" || q === "released") return "red";
  const year = h["year"] as number;
  const years = h["safeFamilyYears"] as number[];
  const has = (y: number) => years.includes(y);
  const income = h["income"] as number;
  const average = h["villageAverageIncome"] as number;
  if (income >= average && has(year) && has(year - 1) && has(year - 2)) return "green";
  return "yellow";
}

const SOURCES = ["grid", "village", "district"];
const CATEGORIES = [[undefined, 20], ["stability-petition", 6], ["dispute", 14], ["community-correction", 4], ["resettlement", 4], ["drugs", 3], ["emergency-report", 5], ["anti-cult", 2], ["floating-population", 6], ["food-drug", 8], ["commerce", 10], ["culture-tourism", 6], ["enforcement", 12]] as const;
const SIMPLE = [[undefined, 60], ["none", 10], ["small-ads", 6], ["exposed-rubbish", 8], ["parked-bikes", 6], ["info-correction", 5], ["minor-quarrel", 5]] as const;

/** Random three-centers items: facts with defaults often left out. */
export function threeCentersItems(n: number, seed = 29): Facts[] {
  const r = rng(seed);
  const out: Facts[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c: Facts = { receivedAt: "2024-03-0" + (1 + Math.floor(r() * 9)) + "T09:30:00+08:00", source: SOURCES[Math.floor(r() * 3)] };
    const cat = pick(r, CATEGORIES);
    if (cat !== undefined) c["category"] = cat;
    if (r() < 0.5) c["crossCutting"] = r() < 0.15;
    if (r() < 0.5) c["major"] = r() < 0.05;
    const s = pick(r, SIMPLE);
    if (s !== undefined) c["simpleItem"] = s;
    out[i] = c;
  }
  return out;
}

const json = (x: unknown) => JSON.stringify(x);

export const tables: Workload = {
  id: "tables",
  async prepare(size: Size): Promise<Prepared> {
    const n = Math.max(200, Math.round(100_000 * size.scale));
    const groups: Group[] = [];
    const checks: Array<() => string> = [];

    // Ankang households.
    {
      const pack = loadPack(ankang);
      const engine = createEngine(pack);
      const ctx = { facts: pack.facts, named: pack.conditions, timeZone: pack.timezone };
      const gen = compileTable(pack.tables!["households"], ctx);
      const clo = compileTable(pack.tables!["households"], { ...ctx, generateCode: false });
      const cases = asReceived(ankangHouseholds(n));
      const cls = (t: CompiledTable) => (h: Facts) => (t.evaluate(h).result as { class: string }).class;
      const dec = (t: CompiledTable) => (h: Facts) => (t.decide(h) as { class: string }).class;
      const fns: Record<string, (h: Facts) => string> = {
        hand: classifyHouseholdByHand,
        classify: (h) => engine.classify("households", h).class!,
        evaluate: cls(gen),
        evaluateClosures: cls(clo),
        decide: dec(gen),
        decideClosures: dec(clo),
      };
      const out: Record<string, string[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, new Array<string>(n).fill("")]));
      const loop = (k: string) => () => {
        const o = out[k]!;
        const f = fns[k]!;
        for (let i = 0; i < n; i++) o[i] = f(cases[i]!);
        return o;
      };
      const variants: Variant[] = [
        { name: "hand-written function", ops: n, run: loop("hand"), baseline: true },
        { name: "jiceng engine.classify (with reasons)", ops: n, run: loop("classify"), note: "input admitted per call, hits explained" },
        { name: "compiled table evaluate (hits and traces)", ops: n, run: loop("evaluate"), note: "rows and traces by generated code" },
        { name: "compiled table evaluate, closures", ops: n, run: loop("evaluateClosures"), note: "generateCode: false" },
        { name: "compiled table decide (result only)", ops: n, run: loop("decide"), note: "generated code" },
        { name: "compiled table decide, closures", ops: n, run: loop("decideClosures"), note: "generateCode: false" },
      ];
      groups.push({ title: "Ankang household classification (households table, first hit, derived year facts)", unit: "households", variants });
      checks.push(() => {
        for (const k of Object.keys(fns)) loop(k)();
        for (const k of Object.keys(fns)) if (k !== "hand") assertSame(`households: ${k} vs hand-written`, out["hand"]!, out[k]!, (i) => json(cases[i]));
        // The explanations agree too, generated and closures alike.
        for (let i = 0; i < Math.min(n, 2_000); i++) if (json(gen.evaluate(cases[i])) !== json(clo.evaluate(cases[i]))) throw new Error(`households: evaluate differs from the closures on ${json(cases[i])}`);
        const counts: Record<string, number> = {};
        for (const c of out["hand"]!) counts[c] = (counts[c] ?? 0) + 1;
        return `households: all variants agree on all ${n.toLocaleString("en")} households (${Object.entries(counts).sort().map(([c, k]) => `${c} ${((100 * k) / n).toFixed(1)}%`).join(", ")}).`;
      });
    }

    // Three-centers routing.
    {
      const pack = loadPack(threeCenters);
      const engine = createEngine(pack);
      const ctx = { facts: pack.facts, named: pack.conditions, timeZone: pack.timezone };
      const gen = compileTable(pack.tables!["routing"], ctx);
      const clo = compileTable(pack.tables!["routing"], { ...ctx, generateCode: false });
      const items = asReceived(threeCentersItems(n));
      // Results kept as returned (compared as JSON after timing, not in the timed loop).
      const fns: Record<string, (f: Facts) => unknown> = {
        route: (f) => engine.route(f).lead,
        evaluate: (f) => gen.evaluate(f).result,
        evaluateClosures: (f) => clo.evaluate(f).result,
        decide: (f) => gen.decide(f),
        decideClosures: (f) => clo.decide(f),
      };
      const out: Record<string, unknown[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, new Array<unknown>(n).fill(undefined)]));
      const loop = (k: string) => () => {
        const o = out[k]!;
        const f = fns[k]!;
        for (let i = 0; i < n; i++) o[i] = f(items[i]!);
        return o;
      };
      const variants: Variant[] = [
        { name: "compiled table decide, closures", ops: n, run: loop("decideClosures"), baseline: true, note: "generateCode: false (where code generation is refused)" },
        { name: "compiled table decide (result only)", ops: n, run: loop("decide"), note: "generated code" },
        { name: "compiled table evaluate (hits and traces)", ops: n, run: loop("evaluate"), note: "rows and traces by generated code" },
        { name: "compiled table evaluate, closures", ops: n, run: loop("evaluateClosures"), note: "generateCode: false" },
        { name: "jiceng engine.route (with reasons)", ops: n, run: loop("route"), note: "input admitted per call, the lead unit and the reasons" },
      ];
      groups.push({ title: "Three-centers routing (routing table, collect)", unit: "items", variants });
      checks.push(() => {
        for (const k of Object.keys(fns)) loop(k)();
        for (let i = 0; i < n; i++) if (typeof out["route"]![i] !== "string" || out["route"]![i] === "") throw new Error(`routing: no lead for ${json(items[i])}`);
        const text = (k: string) => out[k]!.map((x) => json(x));
        assertSame("routing: decide vs closures", text("decideClosures"), text("decide"), (i) => json(items[i]));
        assertSame("routing: evaluate vs decide", text("decide"), text("evaluate"), (i) => json(items[i]));
        assertSame("routing: evaluate closures vs decide", text("decide"), text("evaluateClosures"), (i) => json(items[i]));
        for (let i = 0; i < Math.min(n, 2_000); i++) if (json(gen.evaluate(items[i])) !== json(clo.evaluate(items[i]))) throw new Error(`routing: evaluate differs from the closures on ${json(items[i])}`);
        return `routing: decide, evaluate (generated and closures) agree on all ${n.toLocaleString("en")} items, explanations included on the first ${Math.min(n, 2_000).toLocaleString("en")}.`;
      });
    }

    return {
      id: "tables",
      title: `Decision tables: ${n.toLocaleString("en")} random Ankang households and three-centers items`,
      groups,
      async check() {
        return checks.map((c) => c());
      },
    };
  },
};
