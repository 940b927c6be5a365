import { IssueCode, JicengError, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { FactDef } from "../vocabulary/index.js";
import { duplicateIssue } from "../vocabulary/duplicates.js";
import type { DeriveDef, DeriveFunction, YearListDef } from "./schema.js";

const isObj = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === "object" && !Array.isArray(o);
const show = (v: unknown): string => {
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? "[…]" : "{…}";
  }
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
};

/**
 * What each derivation computes from a list of years and the year assessed. Packs only name
 * these (`fn`); the code lives here (CONVENTIONS: data drives the machine, code implements the names).
 */
export const DERIVATIONS: Readonly<Record<DeriveFunction, (years: ReadonlySet<number>, asOf: number, span: number) => number>> = {
  /** How many years in a row, ending with `asOf` itself, are listed: {2019, 2020, 2021} as of 2021 → 3; {2019, 2021} → 1. */
  consecutiveYears: (years, asOf) => {
    let k = 0;
    while (years.has(asOf - k)) k++;
    return k;
  },
  /** How many of the `span` years ending with `asOf` (asOf − span + 1 … asOf) are listed. */
  yearsWithin: (years, asOf, span) => {
    let n = 0;
    for (let y = asOf - span + 1; y <= asOf; y++) if (years.has(y)) n++;
    return n;
  },
};

/** The derived facts of a table, declared as integer facts so conditions can read them. */
export function derivedFactDefs(derive: readonly DeriveDef[]): FactDef[] {
  return derive.map((x) => ({ name: x.name, type: "integer", label: x.label, ...(x.description ? { description: x.description } : {}), min: 0 }) as FactDef);
}

function isYearArray(raw: unknown, lo: number, hi: number): raw is number[] {
  if (!Array.isArray(raw)) return false;
  for (let i = 0; i < raw.length; i++) {
    const y: unknown = raw[i];
    if (!Number.isInteger(y) || (y as number) < lo || (y as number) > hi) return false;
  }
  return true;
}

/** Validates a year list's value: an array of integers within the list's bounds. */
export function readYearList(list: YearListDef, input: unknown): number[] {
  const raw = isObj(input) && Object.hasOwn(input, list.name) ? input[list.name] : undefined;
  if (raw === undefined) {
    throw new JicengError(issue(IssueCode.MISSING_FACT, ["facts", list.name], `缺少“${list.name}”（${list.label.zh}）；从未获评请填写空数组 []`, `Missing "${list.name}" (${list.label.en}); write an empty array [] when there is none`));
  }
  const lo = list.min ?? -Infinity;
  const hi = list.max ?? Infinity;
  if (!isYearArray(raw, lo, hi)) {
    const range = list.min !== undefined || list.max !== undefined ? { zh: `（${list.min ?? "…"}–${list.max ?? "…"}）`, en: ` (${list.min ?? "…"}–${list.max ?? "…"})` } : { zh: "", en: "" };
    throw new JicengError(issue(IssueCode.INVALID_FACT, ["facts", list.name], `“${list.name}”（${list.label.zh}）的值 ${show(raw)} 无效：应为年份（整数）数组${range.zh}`, `"${list.name}" (${list.label.en}) has invalid value ${show(raw)}: expected an array of years (integers)${range.en}`));
  }
  return raw as number[];
}

/** A function that adds a table's derived facts to an input (a shallow copy), or the identity when there are none. */
export type Deriver = (input: unknown) => unknown;

/**
 * Builds the function that computes a table's derived facts. The year assessed is read through
 * the reader `asOfReader` gives for its name (the declared fact, so a missing year is
 * MISSING_FACT, never a guess). Per input: one shallow copy, each year list read (and validated)
 * once when a derivation first needs it, in the derivations' order. `fields`: copy only these
 * top-level fields (those the rows can read), each when it is an own enumerable field of the
 * input, as a spread would — for the rows, which read nothing else (V8 makes a new hidden class
 * for every property added to a spread copy: ~2 µs an input; `derive` copies the whole input
 * field by field instead).
 */
export function createDeriver(derive: readonly DeriveDef[], lists: readonly YearListDef[], asOfReader: (name: string) => (input: unknown) => number, fields?: ReadonlySet<string>): Deriver {
  if (derive.length === 0) return (input) => input;
  const steps = derive.map((x) => {
    const list = lists.findIndex((l) => l.name === x.years);
    return { name: x.name, list, def: lists[list]!, fn: DERIVATIONS[x.fn], asOf: asOfReader(x.asOf), span: x.span ?? 1 };
  });
  const nLists = lists.length;
  return (input) => {
    if (!isObj(input)) return input; // the fact readers report a non-object input
    const out = fields === undefined ? copyAll(input) : copyFields(input, fields);
    const sets: Array<ReadonlySet<number> | undefined> = new Array(nLists);
    for (let i = 0; i < steps.length; i++) {
      const x = steps[i]!;
      let years = sets[x.list];
      if (years === undefined) sets[x.list] = years = new Set(readYearList(x.def, input));
      out[x.name] = x.fn(years, x.asOf(input), x.span);
    }
    return out;
  };
}

const isEnumerable = Object.prototype.propertyIsEnumerable;
const OP: object = Object.prototype;
const own = { writable: true, enumerable: true, configurable: true, value: undefined as unknown };

/** `{ ...input }` (own enumerable fields, symbols too, each defined as a data field), built so that adding fields to it stays cheap. */
function copyAll(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string | symbol, unknown> = {};
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    // A name Object.prototype has (`__proto__`, or a planted setter) is defined, never assigned.
    if (k in OP) {
      own.value = input[k];
      Object.defineProperty(out, k, own);
    } else out[k] = input[k];
  }
  const symbols = Object.getOwnPropertySymbols(input);
  for (let i = 0; i < symbols.length; i++) {
    const k = symbols[i]!;
    if (!isEnumerable.call(input, k)) continue;
    own.value = (input as Record<symbol, unknown>)[k];
    Object.defineProperty(out, k, own);
  }
  own.value = undefined;
  return out;
}

function copyFields(input: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(input);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!fields.has(k)) continue;
    if (k in OP) {
      own.value = input[k];
      Object.defineProperty(out, k, own);
      own.value = undefined;
    } else out[k] = input[k];
  }
  return out;
}

/** Load-time checks of `yearLists` and `derive`: names unique and distinct from facts, references declared. */
export function checkDerive(derive: readonly DeriveDef[], lists: readonly YearListDef[], facts: readonly FactDef[], path: IssuePath): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const factTypes = new Map(facts.map((f) => [f.name, f.type] as const));
  // Where each name is first taken: a fact (by the first segment of its name), or a list or derived fact by its path.
  const taken = new Map<string, IssuePath | "facts">();
  for (const f of facts) taken.set(f.name.split(".")[0]!, "facts");
  const reused = (at: IssuePath, prev: IssuePath | "facts", what: Text, name: string): JicengIssue =>
    prev === "facts"
      ? issue(IssueCode.DUPLICATE_ID, at, `${what.zh}“${name}”与已声明的事实同名`, `${what.en} "${name}" has the name of a declared fact`)
      : duplicateIssue(at, prev, { zh: `${what.zh}“${name}”的名称重复`, en: `${what.en} "${name}" reuses a name` });
  lists.forEach((l, i) => {
    const at = [...path, "yearLists", i, "name"];
    const prev = taken.get(l.name);
    if (prev) issues.push(reused(at, prev, { zh: "年份列表", en: "Year list" }, l.name));
    else taken.set(l.name, at);
    if (l.min !== undefined && l.max !== undefined && l.min > l.max) issues.push(issue(IssueCode.SCHEMA, [...path, "yearLists", i, "min"], `min 大于 max`, `min is greater than max`));
  });
  derive.forEach((x, i) => {
    const at = [...path, "derive", i];
    const prev = taken.get(x.name);
    if (prev) issues.push(reused([...at, "name"], prev, { zh: "派生事实", en: "Derived fact" }, x.name));
    else taken.set(x.name, [...at, "name"]);
    if (!lists.some((l) => l.name === x.years)) {
      issues.push(issue(IssueCode.UNKNOWN_FACT, [...at, "years"], `未声明的年份列表“${x.years}”；已声明：${lists.map((l) => l.name).join(", ") || "无"}`, `Undeclared year list "${x.years}"; declared: ${lists.map((l) => l.name).join(", ") || "none"}`));
    }
    const t = factTypes.get(x.asOf);
    if (t !== "integer") {
      issues.push(
        t === undefined
          ? issue(IssueCode.UNKNOWN_FACT, [...at, "asOf"], `未声明的事实“${x.asOf}”：评定年份须为声明的 integer 事实`, `Undeclared fact "${x.asOf}": the year assessed must be a declared integer fact`)
          : issue(IssueCode.OPERATOR_TYPE_MISMATCH, [...at, "asOf"], `评定年份“${x.asOf}”须为 integer 事实，实际为 ${t}`, `The year assessed "${x.asOf}" must be an integer fact, not ${t}`),
      );
    }
  });
  return issues;
}
