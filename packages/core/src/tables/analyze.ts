import { conditionKind } from "../conditions/check.js";
import { createConditionCompiler } from "../conditions/compile.js";
import { foldFactName, parseFactPath } from "../conditions/paths.js";
import { IssueCode, JicengError, isJicengError, issue, type IssuePath, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { Condition, FactDef } from "../vocabulary/index.js";
import type { CompiledTable, TableResult } from "./compile.js";
import { describeLeaf, resultText } from "./describe.js";
import { compilePackTables } from "./classify.js";
import type { HitPolicy } from "./schema.js";
import { setFactValue } from "../conditions/paths.js";

/**
 * A source of random index tuples for the property search, e.g. fast-check's
 * `fc.sample(fc.tuple(...arity × fc.nat()), { numRuns, seed })`. See {@link fastCheckSearch}.
 */
export type IndexSearch = (arity: number, runs: number, seed: number) => Iterable<readonly number[]>;

/** Options for {@link analyzeTable}. */
export interface AnalyzeOptions {
  /** The most inputs tried exhaustively; a larger space falls back to a property search. Default 200,000. */
  maxCombinations?: number;
  /** Inputs tried by the property search. Default 20,000. */
  runs?: number;
  /** Seed of the property search (the same seed gives the same findings). Default 42. */
  seed?: number;
  /** The property search to use when the space is too large; see {@link fastCheckSearch}. Default: a built-in seeded random search. */
  search?: IndexSearch;
  /** The name shown for `search` in the output. Default "fast-check" when `search` is given. */
  searchName?: string;
  /** Most cases listed per finding. Default 20. */
  maxCases?: number;
}

/** One concrete region of inputs: the conditions that describe it, and one input in it. */
export interface FindingCase {
  /** The conditions (over the rows' own conditions) every input of this case meets, beyond the finding's `common` ones. */
  where: Text;
  /** A concrete input, ready for `classify`. */
  example: Record<string, unknown>;
  /** How many of the inputs tried fall in this case. */
  inputs: number;
}

/** One thing the analysis found in a table. */
export interface TableFinding {
  /**
   * `gap`: inputs no row matches; `overlap`: inputs several rows match (unique tables: an error at
   * run time; first tables: settled by row order); `shadowed`: a row of a first table that never
   * fires; `unreachable`: a row that matches no input tried.
   */
  kind: "gap" | "overlap" | "shadowed" | "unreachable";
  /** `warning` when evaluation would fail or a row is dead; `info` when the default or the row order settles it. */
  severity: "warning" | "info";
  table: string;
  /** The table's path (gaps) or the first row's path. */
  path: IssuePath;
  /** The rows involved, with their paths. */
  rows: Array<{ id: string; path: IssuePath }>;
  message: Text;
  /** What decides these inputs instead: the default, or the row that wins by order. */
  settledBy?: { by: "default" | "order"; rowId?: string; result: TableResult; local?: true; note?: Text; cite?: unknown };
  /** Conditions every case of this finding meets (stated once). */
  common: Text;
  cases: FindingCase[];
  /** Cases left out (see `maxCases`). */
  moreCases: number;
}

/** What was varied for one input field. */
export interface AnalysisDimension {
  fact: string;
  tested: Text;
}

/** The analysis of one decision table. */
export interface TableAnalysis {
  table: string;
  path: IssuePath;
  hitPolicy: HitPolicy;
  /** `exhaustive` over every combination; `property-search` (fast-check) or `random-sample` when the space is too large; `skipped` when a fact cannot be analysed. */
  method: "exhaustive" | "property-search" | "random-sample" | "skipped";
  /** The search used by `property-search`, e.g. "fast-check". */
  searchName?: string;
  /** Inputs evaluated. */
  inputs: number;
  /** Size of the exhaustive space (an upper bound when fields depend on each other). */
  space: number;
  dimensions: AnalysisDimension[];
  findings: TableFinding[];
  /** Why the table was not analysed (method `skipped`). */
  skipped?: Text;
}

// ── Leaves ───────────────────────────────────────────────────────────────

interface RawLeaf {
  fact: string;
  operator: string;
  value: unknown;
}

interface Leaf extends RawLeaf {
  key: string;
  test: (input: unknown) => boolean;
}

const CANONICAL: Record<string, string> = {
  notEqual: "equal", greaterThanInclusive: "lessThan", lessThanInclusive: "greaterThan", notIn: "in", doesNotContain: "contains", onOrAfter: "before", onOrBefore: "after",
};
const isRef = (v: unknown): v is { fact: string; path?: string } => v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, "fact");

function fold(fact: string, path: unknown): string {
  if (path === undefined) return fact;
  const p = parseFactPath(path);
  return p.ok ? foldFactName(fact, p.segments) : fact;
}

/** Every fact condition under `cond`, named conditions expanded. */
function collectLeaves(cond: unknown, named: Readonly<Record<string, Condition>>, out: RawLeaf[], depth = 0): void {
  if (depth > 64) return;
  const kind = conditionKind(cond);
  const c = cond as Record<string, unknown>;
  if (kind === "all" || kind === "any") for (const x of (c[kind] as unknown[]) ?? []) collectLeaves(x, named, out, depth + 1);
  else if (kind === "not") collectLeaves(c["not"], named, out, depth + 1);
  else if (kind === "condition") {
    const name = c["condition"] as string;
    if (Object.hasOwn(named, name)) collectLeaves(named[name], named, out, depth + 1);
  } else if (kind === "fact") {
    const value = isRef(c["value"]) ? { fact: fold(c["value"].fact, c["value"].path) } : c["value"];
    out.push({ fact: fold(c["fact"] as string, c["path"]), operator: c["operator"] as string, value });
  }
}

// ── Dimensions ───────────────────────────────────────────────────────────

type Partial = Map<string, unknown>;
interface Dim {
  fact: string;
  values: (partial: Partial) => readonly unknown[];
  maxSize: number;
  tested: Text;
}

const REPRESENTATIVE = 1000;
/** Derivations count years relative to the year assessed, so any year will do; this one keeps examples readable. */
const PIVOT_YEAR = 2021;

function clampTo(def: FactDef, values: number[]): number[] {
  const lo = def.min ?? -Infinity;
  const hi = def.max ?? Infinity;
  const out = [...new Set(values.filter((v) => Number.isFinite(v) && v >= lo && v <= hi && (def.type !== "integer" || Number.isInteger(v))))].sort((a, b) => a - b);
  return out;
}

/** Values on both sides of and at every constant, and between neighbouring constants. */
function boundaryValues(def: FactDef, constants: readonly number[], rep: number): number[] {
  const cs = [...new Set(constants)].sort((a, b) => a - b);
  const pts: number[] = [];
  const int = def.type === "integer";
  cs.forEach((c, i) => {
    if (int) pts.push(Math.floor(c) - 1, Math.floor(c), Math.ceil(c), Math.ceil(c) + 1);
    else pts.push(c - 1, c, c + 1);
    const next = cs[i + 1];
    if (next !== undefined) {
      const mid = int ? Math.floor((c + next) / 2) : (c + next) / 2;
      if (mid > c && mid < next) pts.push(mid);
    }
  });
  if (cs.length === 0) pts.push(rep);
  let out = clampTo(def, pts);
  if (out.length === 0) out = clampTo(def, [def.min ?? def.max ?? rep]);
  return out;
}

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => (mask >> i) & 1));
  return out.sort((a, b) => a.length - b.length);
}


const listText = (xs: readonly unknown[]) => xs.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(", ");

interface Space {
  dims: Dim[];
  space: number;
  skipped?: Text;
  /** Facts rows never read that still need a value for a runnable example. */
  filler: Record<string, unknown>;
}

function buildSpace(t: CompiledTable, leaves: readonly RawLeaf[]): Space {
  const derive = t.table.derive ?? [];
  const lists = t.table.yearLists ?? [];
  const derivedNames = new Set(derive.map((x) => x.name));
  const read = new Set<string>();
  for (const r of t.rows) for (const f of r.condition.facts) read.add(f);
  const inputs = new Set<string>();
  const asOfFacts = new Set<string>();
  const usedLists = new Set<string>();
  for (const f of read) {
    if (derivedNames.has(f)) {
      const x = derive.find((d) => d.name === f)!;
      inputs.add(x.asOf);
      asOfFacts.add(x.asOf);
      usedLists.add(x.years);
    } else inputs.add(f);
  }
  const def = (name: string): FactDef => t.facts.get(name)!.def;
  const constants = new Map<string, number[]>();
  const strings = new Map<string, Set<unknown>>();
  const edges = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  };
  for (const l of leaves) {
    if (isRef(l.value)) {
      const type = t.facts.get(l.fact)?.def.type;
      if (type === "number" || type === "integer") {
        link(l.fact, l.value.fact);
        link(l.value.fact, l.fact);
      }
      continue;
    }
    const vals = Array.isArray(l.value) ? l.value : [l.value];
    for (const v of vals) {
      if (typeof v === "number") constants.set(l.fact, [...(constants.get(l.fact) ?? []), v]);
      else {
        if (!strings.has(l.fact)) strings.set(l.fact, new Set());
        strings.get(l.fact)!.add(v);
      }
    }
  }

  const dims: Dim[] = [];
  const numeric: string[] = [];
  let skipped: Text | undefined;
  for (const name of [...inputs].sort()) {
    const f = def(name);
    switch (f.type) {
      case "boolean":
        dims.push({ fact: name, values: () => [false, true], maxSize: 2, tested: { zh: "是、否", en: "yes, no" } });
        break;
      case "enum": {
        const vs = f.values!.map((v) => v.value);
        dims.push({ fact: name, values: () => vs, maxSize: vs.length, tested: { zh: `全部取值：${listText(vs)}`, en: `every value: ${listText(vs)}` } });
        break;
      }
      case "enum-list":
      case "string-list": {
        const mentioned = [...(strings.get(name) ?? [])].filter((v): v is string => typeof v === "string");
        const items = f.type === "enum-list" ? f.values!.map((v) => v.value).filter((v) => mentioned.includes(v)) : mentioned;
        const all = items.length <= 10 ? subsets(items) : [[], ...items.map((v) => [v]), items];
        dims.push({ fact: name, values: () => all, maxSize: all.length, tested: items.length <= 10 ? { zh: `[${listText(items)}] 的全部 ${all.length} 种组合`, en: `all ${all.length} subsets of [${listText(items)}]` } : { zh: "空、单个取值、全部", en: "empty, each value alone, all" } });
        break;
      }
      case "string": {
        const vs = [...(strings.get(name) ?? [])].filter((v): v is string => typeof v === "string");
        let other = "other";
        while (vs.includes(other)) other += "_";
        const all = [...vs, other];
        dims.push({ fact: name, values: () => all, maxSize: all.length, tested: { zh: `条件中的取值及一个其他值：${listText(all)}`, en: `the values the conditions name, and one other: ${listText(all)}` } });
        break;
      }
      case "number":
      case "integer":
        numeric.push(name);
        break;
      default:
        skipped = { zh: `事实“${name}”为 ${f.type} 类型，表分析只覆盖布尔、枚举、数字和年份列表`, en: `Fact "${name}" is of type ${f.type}; the analysis covers booleans, enums, numbers and year lists only` };
    }
  }

  // Numbers: each fact's own boundaries, plus below / equal / above every fact it is compared with.
  const assigned = new Set<string>();
  const ordered: string[] = [];
  const byConstants = [...numeric].sort((a, b) => (constants.get(b)?.length ?? 0) - (constants.get(a)?.length ?? 0));
  for (const start of byConstants) {
    if (assigned.has(start)) continue;
    const queue = [start];
    assigned.add(start);
    while (queue.length) {
      const x = queue.shift()!;
      ordered.push(x);
      for (const y of [...(edges.get(x) ?? [])].sort()) {
        if (!assigned.has(y) && numeric.includes(y)) {
          assigned.add(y);
          queue.push(y);
        }
      }
    }
  }
  const placed = new Set<string>();
  for (const name of ordered) {
    const f = def(name);
    const rep = asOfFacts.has(name) ? PIVOT_YEAR : REPRESENTATIVE;
    const own = boundaryValues(f, constants.get(name) ?? [], rep);
    const earlier = [...(edges.get(name) ?? [])].filter((y) => placed.has(y));
    placed.add(name);
    const delta = 1;
    if (earlier.length === 0) {
      const words = (constants.get(name)?.length ?? 0) > 0 ? { zh: `边界值：${listText(own)}`, en: `boundary values: ${listText(own)}` } : { zh: `代表值：${listText(own)}`, en: `a representative value: ${listText(own)}` };
      dims.push({ fact: name, values: () => own, maxSize: own.length, tested: words });
    } else {
      const hasOwn = (constants.get(name)?.length ?? 0) > 0;
      dims.push({
        fact: name,
        values: (partial) => {
          // Equal first, so the first example of a region sits on the boundary (income exactly at the average).
          const near: number[] = [];
          for (const y of earlier) {
            const v = partial.get(y);
            if (typeof v === "number") near.push(v, v - delta, v + delta);
          }
          const ok = new Set(clampTo(f, [...near, ...(hasOwn ? own : [])]));
          const out = [...new Set([...near, ...(hasOwn ? own : [])])].filter((v) => ok.has(v));
          return out.length ? out : own;
        },
        maxSize: (hasOwn ? own.length : 0) + 3 * earlier.length,
        tested: { zh: `低于、等于、高于 ${earlier.join("、")}${hasOwn ? `，及边界值 ${listText(own)}` : ""}`, en: `below, equal to and above ${earlier.join(", ")}${hasOwn ? `, and boundary values ${listText(own)}` : ""}` },
      });
    }
  }

  // Year lists: every subset of the years up to the year assessed that a derivation can see.
  for (const listName of [...usedLists].sort()) {
    const list = lists.find((l) => l.name === listName)!;
    let width = 1;
    const asOfs = new Set<string>();
    for (const x of derive) {
      if (x.years !== listName) continue;
      asOfs.add(x.asOf);
      if (x.fn === "yearsWithin") width = Math.max(width, x.span ?? 1);
      else {
        const cs = leaves.filter((l) => l.fact === x.name && typeof l.value === "number").map((l) => l.value as number);
        width = Math.max(width, Math.ceil(Math.max(1, ...cs)) + 1);
      }
    }
    width = Math.min(width, 10);
    const count = 1 << width;
    dims.push({
      fact: listName,
      values: (partial) => {
        const years = [...asOfs].map((a) => partial.get(a)).filter((v): v is number => typeof v === "number");
        const end = Math.max(...years);
        const window = Array.from({ length: width }, (_, i) => end - width + 1 + i).filter((y) => (list.min === undefined || y >= list.min) && (list.max === undefined || y <= list.max));
        return subsets(window);
      },
      maxSize: count,
      tested: { zh: `评定年份及之前 ${width} 年的全部 ${count} 种组合`, en: `all ${count} combinations of the ${width} years up to the year assessed` },
    });
  }

  const filler: Record<string, unknown> = {};
  for (const f of t.declaredFacts) {
    if (inputs.has(f.name) || f.default !== undefined) continue;
    const v = exampleValue(f);
    if (v !== undefined) setFactValue(filler, f.name, v);
  }
  for (const l of lists) if (!usedLists.has(l.name)) filler[l.name] = [];

  let space = 1;
  for (const d of dims) space *= Math.max(1, d.maxSize);
  const out: Space = { dims, space, filler };
  if (skipped) out.skipped = skipped;
  return out;
}

function exampleValue(f: FactDef): unknown {
  switch (f.type) {
    case "boolean": return false;
    case "enum": return f.values?.[0]?.value;
    case "enum-list": case "string-list": return [];
    case "number": case "integer": return clampTo(f, [0, REPRESENTATIVE, f.min ?? 0])[0] ?? f.min ?? 0;
    case "date": return "2021-01-01";
    case "datetime": return "2021-01-01T09:00:00+08:00";
    default: return "example";
  }
}

// ── Grouping inputs into cases ───────────────────────────────────────────

interface Seen {
  example: Record<string, unknown>;
  count: number;
}
type Group = Map<string, Seen>;

/** Quine–McCluskey merging of the leaf-truth signatures seen, then a greedy cover: the fewest cubes covering exactly the signatures seen. */
function cubes(group: Group): Array<{ pattern: string; example: Record<string, unknown>; count: number }> {
  const sigs = [...group.keys()];
  let current = new Map<string, Set<string>>(sigs.map((s) => [s, new Set([s])]));
  const primes = new Map<string, Set<string>>();
  let rounds = 0;
  while (current.size && rounds++ < 64) {
    const next = new Map<string, Set<string>>();
    const merged = new Set<string>();
    const list = [...current.keys()];
    if (list.length > 600) {
      for (const [k, v] of current) primes.set(k, v);
      break;
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        let diff = -1;
        let ok = true;
        for (let k = 0; k < a.length; k++) {
          if (a[k] === b[k]) continue;
          if (a[k] === "-" || b[k] === "-" || diff >= 0) {
            ok = false;
            break;
          }
          diff = k;
        }
        if (!ok || diff < 0) continue;
        const c = a.slice(0, diff) + "-" + a.slice(diff + 1);
        const cover = next.get(c) ?? new Set<string>();
        for (const s of current.get(a)!) cover.add(s);
        for (const s of current.get(b)!) cover.add(s);
        next.set(c, cover);
        merged.add(a);
        merged.add(b);
      }
    }
    for (const [k, v] of current) if (!merged.has(k)) primes.set(k, v);
    current = next;
  }
  // Greedy cover, largest first; ties keep the order the inputs were found in.
  const order = new Map(sigs.map((s, i) => [s, i] as const));
  const uncovered = new Set(sigs);
  const chosen: Array<{ pattern: string; example: Record<string, unknown>; count: number }> = [];
  while (uncovered.size) {
    let best: [string, Set<string>] | undefined;
    let bestGain = 0;
    for (const entry of primes) {
      let gain = 0;
      for (const s of entry[1]) if (uncovered.has(s)) gain++;
      if (gain > bestGain) {
        best = entry;
        bestGain = gain;
      }
    }
    if (!best) break;
    const mine = [...best[1]].filter((s) => uncovered.has(s)).sort((a, b) => order.get(a)! - order.get(b)!);
    for (const s of mine) uncovered.delete(s);
    chosen.push({ pattern: best[0], example: group.get(mine[0]!)!.example, count: mine.reduce((n, s) => n + group.get(s)!.count, 0) });
  }
  // In the order the rows write their conditions: a case that needs the first condition comes first.
  const rank = (c: string) => (c === "1" ? 0 : c === "0" ? 1 : 2);
  return chosen.sort((a, b) => {
    for (let k = 0; k < a.pattern.length; k++) {
      const d = rank(a.pattern[k]!) - rank(b.pattern[k]!);
      if (d) return d;
    }
    return 0;
  });
}

// ── The analysis ─────────────────────────────────────────────────────────

/** A seeded PRNG (mulberry32): the built-in search when no property search is given. */
function randomSearch(arity: number, runs: number, seed: number): Iterable<number[]> {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    *[Symbol.iterator]() {
      for (let r = 0; r < runs; r++) yield Array.from({ length: arity }, () => Math.floor(next() * 1e9));
    },
  };
}

/**
 * A property search backed by fast-check: pass the module (`import fc from "fast-check"`), so
 * core itself does not depend on it.
 *
 * @example
 * import fc from "fast-check";
 * analyzeTable(compiled, { search: fastCheckSearch(fc) });
 */
export function fastCheckSearch(fc: { sample: (arb: never, params: { numRuns: number; seed: number }) => unknown[]; tuple: (...arbs: never[]) => unknown; nat: () => unknown }): IndexSearch {
  return (arity, runs, seed) => {
    const arb = fc.tuple(...(Array.from({ length: arity }, () => fc.nat()) as never[]));
    return fc.sample(arb as never, { numRuns: runs, seed }) as number[][];
  };
}

/**
 * Finds the gaps and overlaps of a decision table. Every row's fact conditions are collected;
 * each input field the rows read is varied over the values that can change an outcome: every
 * value of a boolean or enum, every combination of the list values the conditions name, numbers
 * below, at and above every constant they are compared with and below, equal to and above every
 * fact they are compared with (income vs villageAverageIncome), every combination of the years a
 * derivation can see. When the combinations fit `maxCombinations` every one is evaluated (a
 * proof over these values); otherwise a property search samples them and says so. Inputs are
 * grouped by which conditions hold, and each group is reported with a concrete example.
 *
 * Gaps are reported even when the default covers them (as `info`), so policy staff see where the
 * document itself is silent; overlaps of a `first` table are reported when the rows' results
 * differ (as `info`, settled by row order), shadowed and unreachable rows as warnings.
 *
 * @example
 * const a = analyzeTable(compileTable(pack.tables.households, { path: ["tables", "households"] }));
 * a.method;                         // "exhaustive"
 * a.findings.map((f) => f.kind);    // ["gap", "overlap", "overlap"]
 * a.findings[0].cases[0].example;   // { income: 999, villageAverageIncome: 1000, … }
 * @see POLICY.md §4 (the document leaves some households in no class, and lets some meet several)
 */
export function analyzeTable(t: CompiledTable, options: AnalyzeOptions = {}): TableAnalysis {
  const name = t.id ?? "table";
  const maxCombinations = options.maxCombinations ?? 200_000;
  const maxCases = options.maxCases ?? 20;
  const rawLeaves: RawLeaf[] = [];
  for (const r of t.rows) collectLeaves(r.row.when, t.named, rawLeaves);
  const space = buildSpace(t, rawLeaves);
  const base: TableAnalysis = { table: name, path: t.path, hitPolicy: t.hitPolicy, method: "exhaustive", inputs: 0, space: space.space, dimensions: space.dims.map((d) => ({ fact: d.fact, tested: d.tested })), findings: [] };
  if (space.skipped) return { ...base, method: "skipped", skipped: space.skipped };

  // Distinct leaves, a condition and its negation counted once.
  const compiler = createConditionCompiler({ facts: t.facts, named: {}, timeZone: t.timeZone });
  const leaves: Leaf[] = [];
  const keys = new Set<string>();
  for (const l of rawLeaves) {
    const operator = CANONICAL[l.operator] ?? l.operator;
    const sorted = Array.isArray(l.value) ? [...l.value].sort() : l.value;
    const key = JSON.stringify([l.fact, operator, sorted]);
    if (keys.has(key)) continue;
    keys.add(key);
    const test = compiler.compile({ all: [{ fact: l.fact, operator, value: l.value } as Condition] }).test;
    leaves.push({ fact: l.fact, operator, value: l.value, key, test });
  }

  const n = t.rows.length;
  const tests = t.rows.map((r) => r.condition.test);
  const resultKeys = t.rows.map((r) => JSON.stringify(r.row.result));
  const gaps: Group = new Map();
  const overlaps = new Map<string, Group>();
  const matchedAny = new Array<boolean>(n).fill(false);
  const firedAny = new Array<boolean>(n).fill(false);
  const matchExample = new Array<Record<string, unknown> | undefined>(n);
  let inputs = 0;

  const record = (group: Group, sig: string, point: Record<string, unknown>) => {
    const seen = group.get(sig);
    if (seen) seen.count++;
    else group.set(sig, { example: point, count: 1 });
  };
  const visit = (point: Record<string, unknown>) => {
    inputs++;
    let f: unknown;
    const matched: number[] = [];
    try {
      f = t.derive(point);
      for (let i = 0; i < n; i++) if (tests[i]!(f)) matched.push(i);
    } catch (error) {
      if (isJicengError(error)) throw new JicengError(issue(IssueCode.INTERNAL, t.path, `表分析生成的输入无效：${error.issues[0]?.message.zh ?? ""}`, `The analysis built an invalid input: ${error.issues[0]?.message.en ?? ""}`));
      throw error;
    }
    for (const i of matched) {
      matchedAny[i] = true;
      matchExample[i] ??= point;
    }
    if (matched.length) firedAny[matched[0]!] = true;
    const sig = () => leaves.map((l) => (l.test(f) ? "1" : "0")).join("");
    if (matched.length === 0) record(gaps, sig(), point);
    else if (matched.length > 1 && t.hitPolicy === "unique") {
      const key = matched.join(",");
      if (!overlaps.has(key)) overlaps.set(key, new Map());
      record(overlaps.get(key)!, sig(), point);
    } else if (matched.length > 1 && t.hitPolicy === "first") {
      const w = matched[0]!;
      let s: string | undefined;
      for (const j of matched.slice(1)) {
        if (resultKeys[j] === resultKeys[w]) continue;
        const key = `${w},${j}`;
        if (!overlaps.has(key)) overlaps.set(key, new Map());
        record(overlaps.get(key)!, (s ??= sig()), point);
      }
    }
  };

  const { dims } = space;
  const make = (values: readonly unknown[]): Record<string, unknown> => {
    const point: Record<string, unknown> = structuredClone(space.filler);
    dims.forEach((d, i) => setFactValue(point, d.fact, values[i]));
    return point;
  };
  let method: TableAnalysis["method"] = "exhaustive";
  if (space.space <= maxCombinations) {
    const values: unknown[] = [];
    const partial: Partial = new Map();
    const walk = (k: number) => {
      if (k === dims.length) return visit(make(values));
      const d = dims[k]!;
      for (const v of d.values(partial)) {
        values[k] = v;
        partial.set(d.fact, v);
        walk(k + 1);
      }
      partial.delete(d.fact);
    };
    walk(0);
  } else {
    method = options.search ? "property-search" : "random-sample";
    const search = options.search ?? randomSearch;
    const seen = new Set<string>();
    for (const idx of search(dims.length, options.runs ?? 20_000, options.seed ?? 42)) {
      const partial: Partial = new Map();
      const values = dims.map((d, i) => {
        const vs = d.values(partial);
        const v = vs[Math.abs(Math.floor(idx[i] ?? 0)) % vs.length];
        partial.set(d.fact, v);
        return v;
      });
      const key = JSON.stringify(values);
      if (seen.has(key)) continue;
      seen.add(key);
      visit(make(values));
    }
  }

  const findings: TableFinding[] = [];
  const rowRef = (i: number) => ({ id: t.rows[i]!.id, path: t.rows[i]!.path });
  const casesOf = (group: Group) => {
    const found = cubes(group);
    // Conditions every case shares are stated once, in `common`.
    const shared = new Set<number>();
    const first = found[0]?.pattern ?? "";
    for (let k = 0; k < first.length; k++) if (first[k] !== "-" && found.every((c) => c.pattern[k] === first[k])) shared.add(k);
    const all = found.map((c) => ({ where: cubeText(c.pattern, leaves, t, (k) => !shared.has(k)), example: c.example, inputs: c.count }));
    return { common: cubeText(first, leaves, t, (k) => shared.has(k)), cases: all.slice(0, maxCases), moreCases: Math.max(0, all.length - maxCases) };
  };
  const sampled = method !== "exhaustive";
  const among = sampled ? { zh: `（在 ${inputs} 个抽样输入中）`, en: ` (among ${inputs} sampled inputs)` } : { zh: "", en: "" };

  if (gaps.size) {
    const { common, cases, moreCases } = casesOf(gaps);
    const total = cases.length + moreCases;
    const dflt = t.table.default;
    const finding: TableFinding = {
      kind: "gap",
      severity: dflt ? "info" : "warning",
      table: name,
      path: [...t.path, "rows"],
      rows: t.rows.map((_, i) => rowRef(i)),
      message: dflt
        ? {
            zh: `${total} 类输入不符合表中任何一行${among.zh}（各行本身的空白）；由默认结果 ${resultText(dflt.result).zh} 兜底${dflt.local ? "（本地设定）" : ""}`,
            en: `${total} kind${total === 1 ? "" : "s"} of input match no row${among.en} (a gap in the rows themselves); the default ${resultText(dflt.result).en} covers ${total === 1 ? "it" : "them"}${dflt.local ? " (a local choice)" : ""}`,
          }
        : {
            zh: `${total} 类输入不符合表中任何一行${among.zh}，且表没有默认结果：求值将报 NO_MATCH 错误`,
            en: `${total} kind${total === 1 ? "" : "s"} of input match no row${among.en}, and the table has no default: evaluation fails with NO_MATCH`,
          },
      common,
      cases,
      moreCases,
    };
    if (dflt) {
      finding.settledBy = { by: "default", result: dflt.result as TableResult };
      if (dflt.local) finding.settledBy.local = true;
      if (dflt.note) finding.settledBy.note = dflt.note;
      if (dflt.cite) finding.settledBy.cite = dflt.cite;
    }
    findings.push(finding);
  }

  for (const [key, group] of overlaps) {
    const idx = key.split(",").map(Number);
    const ids = idx.map((i) => t.rows[i]!.id);
    const { common, cases, moreCases } = casesOf(group);
    if (t.hitPolicy === "unique") {
      findings.push({
        kind: "overlap",
        severity: "warning",
        table: name,
        path: t.rows[idx[0]!]!.path,
        rows: idx.map(rowRef),
        message: { zh: `${ids.join("、")} 同时命中${among.zh}：unique 表求值时将报 TABLE_OVERLAP 错误`, en: `${ids.join(" and ")} hold at once${among.en}: evaluating this unique table fails with TABLE_OVERLAP` },
        common,
        cases,
        moreCases,
      });
    } else {
      const [w, l] = idx as [number, number];
      const winner = t.rows[w]!;
      const p = t.table.precedence;
      const named = (i: number) => {
        const r = t.rows[i]!;
        const text = resultText(r.row.result);
        return (r.row.result as Record<string, unknown>)["class"] === r.id ? text : { zh: `${r.id}（${text.zh}）`, en: `${r.id} (${text.en})` };
      };
      const finding: TableFinding = {
        kind: "overlap",
        severity: "info",
        table: name,
        path: winner.path,
        rows: [rowRef(w), rowRef(l)],
        message: {
          zh: `${named(w).zh} 与 ${named(l).zh} 同时命中${among.zh}；按行序取 ${winner.id}${p?.local ? "（优先顺序为本地设定）" : ""}`,
          en: `${named(w).en} and ${named(l).en} hold at once${among.en}; row order gives ${winner.id}${p?.local ? " (the precedence is a local choice)" : ""}`,
        },
        settledBy: { by: "order", rowId: winner.id, result: winner.row.result as TableResult },
        common,
        cases,
        moreCases,
      };
      if (p?.local) finding.settledBy!.local = true;
      if (p?.note) finding.settledBy!.note = p.note;
      if (p?.cite) finding.settledBy!.cite = p.cite;
      findings.push(finding);
    }
  }

  t.rows.forEach((r, i) => {
    if (!matchedAny[i]) {
      findings.push({
        kind: "unreachable",
        severity: "warning",
        table: name,
        path: r.path,
        rows: [rowRef(i)],
        message: sampled
          ? { zh: `行 ${r.id} 在 ${inputs} 个抽样输入中从未命中`, en: `Row ${r.id} held for none of ${inputs} sampled inputs` }
          : { zh: `行 ${r.id} 的条件对任何输入都不成立`, en: `Row ${r.id}'s condition holds for no input` },
        common: { zh: "", en: "" },
        cases: [],
        moreCases: 0,
      });
    } else if (t.hitPolicy === "first" && !firedAny[i]) {
      const before = t.rows.slice(0, i).filter((_, j) => matchedAny[j]).map((x) => x.id);
      findings.push({
        kind: "shadowed",
        severity: "warning",
        table: name,
        path: r.path,
        rows: [rowRef(i), ...t.rows.slice(0, i).map((_, j) => rowRef(j)).filter((x) => before.includes(x.id))],
        message: {
          zh: `行 ${r.id} 永远不会生效${among.zh}：凡符合它的输入都已先命中前面的行（${before.join("、")}）`,
          en: `Row ${r.id} never fires${among.en}: every input it matches matches an earlier row first (${before.join(", ")})`,
        },
        common: { zh: "", en: "" },
        cases: matchExample[i] ? [{ where: { zh: "", en: "" }, example: matchExample[i]!, inputs: 1 }] : [],
        moreCases: 0,
      });
    }
  });

  const out: TableAnalysis = { ...base, method, inputs, findings };
  if (method === "property-search") out.searchName = options.searchName ?? "fast-check";
  return out;
}

function cubeText(pattern: string, leaves: readonly Leaf[], t: CompiledTable, keep: (k: number) => boolean = () => true): Text {
  const zh: string[] = [];
  const en: string[] = [];
  for (let k = 0; k < pattern.length; k++) {
    const bit = pattern[k];
    if (bit === "-" || !keep(k)) continue;
    const words = describeLeaf(leaves[k]!, t.facts, bit === "0");
    zh.push(words.zh);
    en.push(words.en);
  }
  return { zh: zh.join("；"), en: en.join("; ") };
}

/**
 * Analyses every decision table of a pack (see {@link analyzeTable}).
 *
 * @example
 * for (const a of analyzeTables(loadPack(ankang))) console.log(a.table, a.method, a.findings.length);
 */
export function analyzeTables(pack: RulePack, options: AnalyzeOptions = {}): TableAnalysis[] {
  return [...compilePackTables(pack).values()].map((t) => analyzeTable(t, options));
}
