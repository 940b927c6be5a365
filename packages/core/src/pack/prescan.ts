import { IssueCode, issue, type IssuePath, type JicengIssue } from "../errors/index.js";

/**
 * Limits on the raw JSON of a rule pack, checked by {@link prescanPack} before any recursive
 * parse (zod, structuredClone, condition analysis). A pack within them loads in well under a
 * second (`npm run bench`, "load the largest legal pack").
 * @see DESIGN.md decisions 4 and 9
 */
export interface PackLimits {
  /** Nesting depth of objects and arrays, the pack itself being depth 1. */
  maxDepth: number;
  /** Values in the whole pack: objects, arrays, strings, numbers, booleans and nulls. */
  maxNodes: number;
  /** Characters in one string (keys included). */
  maxStringLength: number;
  /** Items in one array. */
  maxArrayLength: number;
  /** Keys of one object. */
  maxObjectKeys: number;
  /** Grading rules (`grading.rules`). */
  maxRules: number;
  /** Named conditions (`conditions`). */
  maxNamedConditions: number;
  /** Source documents (`source.documents`). */
  maxDocuments: number;
  /** Variants (`variants`). */
  maxVariants: number;
  /** Declared facts (`facts`, and each table's own `facts`). */
  maxFacts: number;
  /** Decision tables (`tables`). */
  maxTables: number;
  /** Rows of one decision table (`tables.<id>.rows`). */
  maxTableRows: number;
}

/**
 * The default limits. Depth 48 leaves room for conditions nested to their own limit of 16
 * (`CONDITION_LIMITS.maxDepth`, two JSON levels each); 100,000 values is some twenty times the
 * largest pack in this repository.
 */
export const PACK_LIMITS: Readonly<PackLimits> = Object.freeze({
  maxDepth: 48,
  maxNodes: 100_000,
  maxStringLength: 10_000,
  maxArrayLength: 10_000,
  maxObjectKeys: 1_000,
  maxRules: 500,
  maxNamedConditions: 1_000,
  maxDocuments: 100,
  maxVariants: 50,
  maxFacts: 500,
  maxTables: 50,
  maxTableRows: 500,
});

interface Frame {
  value: unknown;
  key: string | number;
  parent: Frame | undefined;
  depth: number;
}

function pathOf(f: Frame | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let x = f; x && x.parent; x = x.parent) out.push(x.key);
  return out.reverse();
}

/** Which collection a frame is, by its path from the root (only the few the limits name). */
function counted(f: Frame, limits: PackLimits): [number, string, string] | undefined {
  const p = f.parent;
  if (!p) return undefined;
  if (!p.parent) {
    switch (f.key) {
      case "conditions": return [limits.maxNamedConditions, "命名条件", "named conditions"];
      case "variants": return [limits.maxVariants, "变体", "variants"];
      case "facts": return [limits.maxFacts, "事实", "facts"];
      case "tables": return [limits.maxTables, "决策表", "decision tables"];
    }
    return undefined;
  }
  const gp = p.parent;
  if (!gp.parent) {
    if (p.key === "grading" && f.key === "rules") return [limits.maxRules, "定级规则", "grading rules"];
    if (p.key === "source" && f.key === "documents") return [limits.maxDocuments, "来源文件", "source documents"];
    return undefined;
  }
  if (gp.key === "tables" && !gp.parent.parent) {
    if (f.key === "rows") return [limits.maxTableRows, "决策表行", "table rows"];
    if (f.key === "facts") return [limits.maxFacts, "事实", "facts"];
  }
  return undefined;
}

const isPlain = (o: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
};

/**
 * Checks the raw JSON of a pack against {@link PACK_LIMITS} with an explicit stack (no recursion,
 * so any depth and any caller stack is safe) and stops at the first limit on depth or size: its
 * cost is bounded by the limits, not by the input. Also refuses what JSON cannot hold (functions,
 * `undefined` in arrays, non-finite numbers, class instances) and `__proto__` keys, each at its path.
 *
 * @example
 * prescanPack({ grading: { rules: new Array(600).fill({}) } });
 * // → [{ code: "LIMIT_EXCEEDED", path: ["grading", "rules"], … more than 500 grading rules }]
 * @see DESIGN.md decision 4 (a pack cannot make the engine hang)
 */
export function prescanPack(input: unknown, limits: Partial<PackLimits> = {}): JicengIssue[] {
  const L: PackLimits = { ...PACK_LIMITS, ...limits };
  const issues: JicengIssue[] = [];
  const stack: Frame[] = [{ value: input, key: "", parent: undefined, depth: 1 }];
  let nodes = 0;
  const stop = (f: Frame, zh: string, en: string) => issues.push(issue(IssueCode.LIMIT_EXCEEDED, pathOf(f), zh, en));
  while (stack.length) {
    const f = stack.pop()!;
    const v = f.value;
    if (++nodes > L.maxNodes) {
      stop(f, `规则包的值超过 ${L.maxNodes} 个`, `The pack holds more than ${L.maxNodes} values`);
      return issues;
    }
    if (v === null || typeof v === "boolean") continue;
    if (typeof v === "string") {
      if (v.length > L.maxStringLength) stop(f, `字符串长度 ${v.length} 超过 ${L.maxStringLength}`, `A string of ${v.length} characters is longer than ${L.maxStringLength}`);
      continue;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v)) issues.push(issue(IssueCode.SCHEMA, pathOf(f), `数值 ${String(v)} 不是有限数字`, `${String(v)} is not a finite number`));
      continue;
    }
    if (typeof v !== "object" || (!Array.isArray(v) && !isPlain(v))) {
      // undefined in an object is a missing key; anywhere else it, like a function or a Date, is not JSON.
      if (v === undefined && f.parent && !Array.isArray(f.parent.value)) continue;
      issues.push(issue(IssueCode.SCHEMA, pathOf(f), `不是 JSON 值（${v === undefined ? "undefined" : typeof v === "object" ? "对象实例" : typeof v}）`, `Not a JSON value (${v === undefined ? "undefined" : typeof v === "object" ? "an instance of a class" : typeof v})`));
      continue;
    }
    if (f.depth > L.maxDepth) {
      stop(f, `规则包嵌套超过 ${L.maxDepth} 层`, `The pack is nested deeper than ${L.maxDepth} levels`);
      return issues;
    }
    const limit = counted(f, L);
    if (Array.isArray(v)) {
      const n = v.length;
      if (limit && n > limit[0]) {
        issues.push(issue(IssueCode.LIMIT_EXCEEDED, pathOf(f), `${limit[1]}有 ${n} 个，超过上限 ${limit[0]}`, `${n} ${limit[2]}: more than the limit of ${limit[0]}`));
        continue;
      }
      if (n > L.maxArrayLength) {
        stop(f, `数组有 ${n} 项，超过 ${L.maxArrayLength}`, `An array of ${n} items is longer than ${L.maxArrayLength}`);
        continue;
      }
      for (let i = n - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: f, depth: f.depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    if (limit && keys.length > limit[0]) {
      issues.push(issue(IssueCode.LIMIT_EXCEEDED, pathOf(f), `${limit[1]}有 ${keys.length} 个，超过上限 ${limit[0]}`, `${keys.length} ${limit[2]}: more than the limit of ${limit[0]}`));
      continue;
    }
    if (keys.length > L.maxObjectKeys) {
      stop(f, `对象有 ${keys.length} 个键，超过 ${L.maxObjectKeys}`, `An object with ${keys.length} keys has more than ${L.maxObjectKeys}`);
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const child: Frame = { value: undefined, key: k, parent: f, depth: f.depth + 1 };
      if (k === "__proto__") {
        issues.push(issue(IssueCode.SCHEMA, pathOf(child), "不允许使用键 __proto__", "The key __proto__ is not allowed"));
        continue;
      }
      if (k.length > L.maxStringLength) {
        stop(child, `键的长度 ${k.length} 超过 ${L.maxStringLength}`, `A key of ${k.length} characters is longer than ${L.maxStringLength}`);
        continue;
      }
      child.value = (v as Record<string, unknown>)[k];
      stack.push(child);
    }
  }
  return issues;
}

export type { IssuePath };
