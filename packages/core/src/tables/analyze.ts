import { createConditionCompiler } from "../conditions/compile.js";
import { IssueCode, JicengError, isJicengError, issue, type IssuePath, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { Condition } from "../vocabulary/index.js";
import type { CompiledTable, TableResult } from "./compile.js";
import { resultText } from "./describe.js";
import { compilePackTables } from "./classify.js";
import type { HitPolicy } from "./schema.js";
import { setFactValue } from "../conditions/paths.js";
import { type Group, cubeText, cubes } from "./cubes.js";
import { CANONICAL, type Leaf, type Partial, type RawLeaf, buildSpace, collectLeaves } from "./space.js";

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
  const rawLeaves: RawLeaf[] = [];
  for (const r of t.rows) collectLeaves(r.row.when, t.named, rawLeaves);
  const space = buildSpace(t, rawLeaves);
  const base: TableAnalysis = { table: name, path: t.path, hitPolicy: t.hitPolicy, method: "exhaustive", inputs: 0, space: space.space, dimensions: space.dims.map((d) => ({ fact: d.fact, tested: d.tested })), findings: [] };
  if (space.skipped) return { ...base, method: "skipped", skipped: space.skipped };
  const leaves = distinctLeaves(t, rawLeaves);
  const x = explore(t, space, leaves, options);
  const report = reportFor(t, name, leaves, x, options.maxCases ?? 20);
  const findings: TableFinding[] = [];
  if (x.gaps.size) findings.push(gapFinding(report, x.gaps));
  for (const [key, group] of x.overlaps) findings.push(overlapFinding(report, key, group));
  findings.push(...rowFindings(report, x));
  const out: TableAnalysis = { ...base, method: x.method, inputs: x.inputs, findings };
  if (x.method === "property-search") out.searchName = options.searchName ?? "fast-check";
  return out;
}

/** The distinct leaves of a table's conditions, a condition and its negation counted once, each compiled. */
function distinctLeaves(t: CompiledTable, rawLeaves: readonly RawLeaf[]): Leaf[] {
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
  return leaves;
}

/** What visiting the input space found: which rows held, inputs that match no row, rows that hold together. */
interface Exploration {
  method: "exhaustive" | "random-sample" | "property-search";
  inputs: number;
  /** Inputs that match no row, grouped by which leaves hold. */
  gaps: Group;
  /** Rows that hold at once ("i,j"), grouped likewise. */
  overlaps: Map<string, Group>;
  matchedAny: boolean[];
  firedAny: boolean[];
  matchExample: Array<Record<string, unknown> | undefined>;
}

/** Visits every point of the space, or a sample of it past `maxCombinations`. */
function explore(t: CompiledTable, space: ReturnType<typeof buildSpace>, leaves: readonly Leaf[], options: AnalyzeOptions): Exploration {
  const maxCombinations = options.maxCombinations ?? 200_000;
  const n = t.rows.length;
  const tests = t.rows.map((r) => r.condition.test);
  const resultKeys = t.rows.map((r) => JSON.stringify(r.row.result));
  const x: Exploration = { method: "exhaustive", inputs: 0, gaps: new Map(), overlaps: new Map(), matchedAny: new Array<boolean>(n).fill(false), firedAny: new Array<boolean>(n).fill(false), matchExample: new Array<Record<string, unknown> | undefined>(n) };
  const { gaps, overlaps, matchedAny, firedAny, matchExample } = x;

  const record = (group: Group, sig: string, point: Record<string, unknown>) => {
    const seen = group.get(sig);
    if (seen) seen.count++;
    else group.set(sig, { example: point, count: 1 });
  };
  const visit = (point: Record<string, unknown>) => {
    x.inputs++;
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
    x.method = options.search ? "property-search" : "random-sample";
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
  return x;
}

/** What the findings of one analysis share: the table, how a row is named, how cases are grouped and worded. */
interface Report {
  t: CompiledTable;
  name: string;
  /** " (among N sampled inputs)", or nothing when every input was visited. */
  among: Text;
  sampled: boolean;
  inputs: number;
  rowRef: (i: number) => { id: string; path: IssuePath };
  casesOf: (group: Group) => { common: Text; cases: FindingCase[]; moreCases: number };
}

function reportFor(t: CompiledTable, name: string, leaves: readonly Leaf[], x: Exploration, maxCases: number): Report {
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
  const sampled = x.method !== "exhaustive";
  const among = sampled ? { zh: `（在 ${x.inputs} 个抽样输入中）`, en: ` (among ${x.inputs} sampled inputs)` } : { zh: "", en: "" };
  return { t, name, among, sampled, inputs: x.inputs, rowRef, casesOf };
}

/** Inputs no row matches: a warning, or information when the table's default covers them. */
function gapFinding({ t, name, among, rowRef, casesOf }: Report, gaps: Group): TableFinding {
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
  return finding;
}

/** Rows that hold at once: an error-to-be of a unique table, or how a first table settles it by row order. */
function overlapFinding({ t, name, among, rowRef, casesOf }: Report, key: string, group: Group): TableFinding {
  const idx = key.split(",").map(Number);
  const ids = idx.map((i) => t.rows[i]!.id);
  const { common, cases, moreCases } = casesOf(group);
  if (t.hitPolicy === "unique") {
    return {
      kind: "overlap",
      severity: "warning",
      table: name,
      path: t.rows[idx[0]!]!.path,
      rows: idx.map(rowRef),
      message: { zh: `${ids.join("、")} 同时命中${among.zh}：unique 表求值时将报 TABLE_OVERLAP 错误`, en: `${ids.join(" and ")} hold at once${among.en}: evaluating this unique table fails with TABLE_OVERLAP` },
      common,
      cases,
      moreCases,
    };
  }
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
  return finding;
}

/** Rows that never hold (unreachable), and rows of a first table that always lose to an earlier row (shadowed). */
function rowFindings({ t, name, among, sampled, inputs, rowRef }: Report, x: Exploration): TableFinding[] {
  const { matchedAny, firedAny, matchExample } = x;
  const findings: TableFinding[] = [];
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
  return findings;
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
