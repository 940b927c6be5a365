/** The input space of a decision table: the leaves of its conditions and, per fact, the few values (boundaries, representatives) that tell every leaf apart. */
import { conditionKind } from "../conditions/check.js";
import { foldFactName, parseFactPath } from "../conditions/paths.js";
import { type Text } from "../errors/index.js";
import type { Condition, FactDef } from "../vocabulary/index.js";
import type { CompiledTable } from "./compile.js";
import { setFactValue } from "../conditions/paths.js";

// ── Leaves ───────────────────────────────────────────────────────────────

export interface RawLeaf {
  fact: string;
  operator: string;
  value: unknown;
}

export interface Leaf extends RawLeaf {
  key: string;
  test: (input: unknown) => boolean;
}

export const CANONICAL: Record<string, string> = {
  notEqual: "equal", greaterThanInclusive: "lessThan", lessThanInclusive: "greaterThan", notIn: "in", doesNotContain: "contains", onOrAfter: "before", onOrBefore: "after",
};
const isRef = (v: unknown): v is { fact: string; path?: string } => v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, "fact");

function fold(fact: string, path: unknown): string {
  if (path === undefined) return fact;
  const p = parseFactPath(path);
  return p.ok ? foldFactName(fact, p.segments) : fact;
}

/** Every fact condition under `cond`, named conditions expanded. */
export function collectLeaves(cond: unknown, named: Readonly<Record<string, Condition>>, out: RawLeaf[], depth = 0): void {
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

export type Partial = Map<string, unknown>;
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

/** What the conditions say about each fact: its numeric constants, its other values, and the numeric facts compared with it. */
interface Mentions {
  constants: Map<string, number[]>;
  strings: Map<string, Set<unknown>>;
  edges: Map<string, Set<string>>;
}

function mentionsOf(t: CompiledTable, leaves: readonly RawLeaf[]): Mentions {
  const m: Mentions = { constants: new Map(), strings: new Map(), edges: new Map() };
  const link = (a: string, b: string) => {
    if (!m.edges.has(a)) m.edges.set(a, new Set());
    m.edges.get(a)!.add(b);
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
      if (typeof v === "number") m.constants.set(l.fact, [...(m.constants.get(l.fact) ?? []), v]);
      else {
        if (!m.strings.has(l.fact)) m.strings.set(l.fact, new Set());
        m.strings.get(l.fact)!.add(v);
      }
    }
  }
  return m;
}

/** The dimension of a boolean, enum, list or string fact; `"numeric"` for numbers (placed later, together); a reason when the analysis does not cover the type. */
function categoricalDim(name: string, f: FactDef, strings: Mentions["strings"]): Dim | "numeric" | Text {
  switch (f.type) {
    case "boolean":
      return { fact: name, values: () => [false, true], maxSize: 2, tested: { zh: "是、否", en: "yes, no" } };
    case "enum": {
      const vs = f.values!.map((v) => v.value);
      return { fact: name, values: () => vs, maxSize: vs.length, tested: { zh: `全部取值：${listText(vs)}`, en: `every value: ${listText(vs)}` } };
    }
    case "enum-list":
    case "string-list": {
      const mentioned = [...(strings.get(name) ?? [])].filter((v): v is string => typeof v === "string");
      const items = f.type === "enum-list" ? f.values!.map((v) => v.value).filter((v) => mentioned.includes(v)) : mentioned;
      const all = items.length <= 10 ? subsets(items) : [[], ...items.map((v) => [v]), items];
      return { fact: name, values: () => all, maxSize: all.length, tested: items.length <= 10 ? { zh: `[${listText(items)}] 的全部 ${all.length} 种组合`, en: `all ${all.length} subsets of [${listText(items)}]` } : { zh: "空、单个取值、全部", en: "empty, each value alone, all" } };
    }
    case "string": {
      const vs = [...(strings.get(name) ?? [])].filter((v): v is string => typeof v === "string");
      let other = "other";
      while (vs.includes(other)) other += "_";
      const all = [...vs, other];
      return { fact: name, values: () => all, maxSize: all.length, tested: { zh: `条件中的取值及一个其他值：${listText(all)}`, en: `the values the conditions name, and one other: ${listText(all)}` } };
    }
    case "number":
    case "integer":
      return "numeric";
    default:
      return { zh: `事实“${name}”为 ${f.type} 类型，表分析只覆盖布尔、枚举、数字和年份列表`, en: `Fact "${name}" is of type ${f.type}; the analysis covers booleans, enums, numbers and year lists only` };
  }
}

/** Numbers: each fact's own boundaries, plus below / equal / above every fact it is compared with (placed before it). */
function numericDims(numeric: readonly string[], m: Mentions, def: (name: string) => FactDef, asOfFacts: ReadonlySet<string>): Dim[] {
  const { constants, edges } = m;
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
  const dims: Dim[] = [];
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
  return dims;
}

/** Year lists: every subset of the years up to the year assessed that a derivation can see. */
function yearListDims(t: CompiledTable, usedLists: ReadonlySet<string>, leaves: readonly RawLeaf[]): Dim[] {
  const derive = t.table.derive ?? [];
  const lists = t.table.yearLists ?? [];
  const dims: Dim[] = [];
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
  return dims;
}

/** Values for the facts no row reads (and the lists no derivation uses), so that an example runs. */
function fillerFor(t: CompiledTable, inputs: ReadonlySet<string>, usedLists: ReadonlySet<string>): Record<string, unknown> {
  const filler: Record<string, unknown> = {};
  for (const f of t.declaredFacts) {
    if (inputs.has(f.name) || f.default !== undefined) continue;
    const v = exampleValue(f);
    if (v !== undefined) setFactValue(filler, f.name, v);
  }
  for (const l of t.table.yearLists ?? []) if (!usedLists.has(l.name)) filler[l.name] = [];
  return filler;
}

/** The facts the rows read, with derived facts replaced by what they derive from. */
function inputsOf(t: CompiledTable): { inputs: Set<string>; asOfFacts: Set<string>; usedLists: Set<string> } {
  const derive = t.table.derive ?? [];
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
  return { inputs, asOfFacts, usedLists };
}

export function buildSpace(t: CompiledTable, leaves: readonly RawLeaf[]): Space {
  const { inputs, asOfFacts, usedLists } = inputsOf(t);
  const def = (name: string): FactDef => t.facts.get(name)!.def;
  const mentions = mentionsOf(t, leaves);
  const dims: Dim[] = [];
  const numeric: string[] = [];
  let skipped: Text | undefined;
  for (const name of [...inputs].sort()) {
    const d = categoricalDim(name, def(name), mentions.strings);
    if (d === "numeric") numeric.push(name);
    else if ("fact" in d) dims.push(d);
    else skipped = d;
  }
  dims.push(...numericDims(numeric, mentions, def, asOfFacts), ...yearListDims(t, usedLists, leaves));
  let space = 1;
  for (const d of dims) space *= Math.max(1, d.maxSize);
  const out: Space = { dims, space, filler: fillerFor(t, inputs, usedLists) };
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
