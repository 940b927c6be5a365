import { IssueCode, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { Condition } from "../vocabulary/index.js";
import { SAFE_FACT_NAME } from "../vocabulary/names.js";
import type { FactIndex } from "./facts.js";
import { checkOperatorValue, isFactRef, isOperatorName, OPERATOR_NAMES, OPERATORS, operatorMismatchText, resolveFactRef } from "./operators.js";
import { foldFactName, parseFactPath } from "./paths.js";
import { didYouMean, show } from "./text.js";

/** Limits that keep a hostile pack from making evaluation slow or deep. */
export interface ConditionLimits {
  /** Nesting depth, counted through named-condition references. */
  maxDepth: number;
  /** Nodes written in one condition. */
  maxNodes: number;
  /** Nodes evaluated for one condition once named references are expanded. */
  maxExpandedNodes: number;
  /** Items in an `in` / `notIn` list. */
  maxListLength: number;
  /** The largest `days` of `withinDays`. */
  maxWithinDays: number;
}

/**
 * The default limits: depth 16, 1,000 nodes per condition, 10,000 nodes once named references
 * are expanded (a chain of conditions each referencing the next twice would otherwise grow
 * exponentially), 10,000 list items, 36,600 days (100 years).
 * @example
 * checkCondition(cond, { facts, named, limits: { ...CONDITION_LIMITS, maxNodes: 200 } });
 * @see DESIGN.md decision 4 (a pack cannot make the engine hang)
 */
export const CONDITION_LIMITS: Readonly<ConditionLimits> = { maxDepth: 16, maxNodes: 1000, maxExpandedNodes: 10_000, maxListLength: 10_000, maxWithinDays: 36_600 };

/** What a condition is checked against: the declared facts and the named conditions. */
export interface CheckContext {
  facts: FactIndex;
  /** Named conditions (a pack's `conditions`), referenced by `{ condition: name }`. */
  named: Readonly<Record<string, Condition>>;
  limits?: Partial<ConditionLimits> | undefined;
  /** Where the named conditions sit in the pack, for issue paths. Default `["conditions"]`. */
  namedPath?: IssuePath | undefined;
}

const KINDS = ["all", "any", "not", "condition", "fact"] as const;
type Kind = (typeof KINDS)[number];
const BOOL_KEYS = new Set(["name", "priority"]);
const FACT_KEYS = ["fact", "operator", "value", "path", "params", "name", "priority"];

function isObj(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === "object" && !Array.isArray(o);
}

/** The kind of a condition node, by json-rules-engine's precedence, or why it has none. */
export function conditionKind(node: unknown): Kind | "invalid" | "ambiguous" {
  if (!isObj(node)) return "invalid";
  let found: Kind | undefined;
  for (const k of KINDS) {
    if (Object.hasOwn(node, k)) {
      if (found) return "ambiguous";
      found = k;
    }
  }
  return found ?? "invalid";
}

interface Measure {
  size: number;
  depth: number;
  cycle?: string[] | undefined;
}

/** A named condition's body read once: its own nodes and depth, and where it references others. */
interface Body {
  nodes: number;
  depth: number;
  refs: Array<{ name: string; level: number }>;
}

/** Nodes and depth of one condition body, through an explicit stack (any depth is safe). */
function scanBody(root: unknown): Body {
  const out: Body = { nodes: 0, depth: 0, refs: [] };
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [node, level] = stack.pop()!;
    out.nodes++;
    if (level > out.depth) out.depth = level;
    const kind = conditionKind(node);
    const n = node as Record<string, unknown>;
    if (kind === "all" || kind === "any") {
      const list = n[kind];
      if (Array.isArray(list)) for (const c of list) stack.push([c, level + 1]);
    } else if (kind === "not") stack.push([n["not"], level + 1]);
    else if (kind === "condition" && typeof n["condition"] === "string") out.refs.push({ name: n["condition"], level });
  }
  return out;
}

/**
 * Sizes and depths of named conditions, expanded through references, with cycle detection. Built
 * once per set of named conditions (see {@link graphOf}); every name is analysed once, iteratively.
 */
class NamedGraph {
  private readonly memo = new Map<string, Measure>();
  constructor(private readonly named: Readonly<Record<string, Condition>>) {}

  analyze(name: string): Measure {
    const known = this.memo.get(name);
    if (known) return known;
    if (!Object.hasOwn(this.named, name)) return { size: 1, depth: 1 };
    // Depth-first over names with an explicit stack; a name on the current path again is a cycle.
    const bodies = new Map<string, Body>();
    const onPath = new Map<string, number>();
    const path: string[] = [];
    const todo: Array<{ name: string; next: number }> = [];
    const enter = (n: string) => {
      onPath.set(n, path.length);
      path.push(n);
      let b = bodies.get(n);
      if (!b) {
        b = scanBody(this.named[n]);
        bodies.set(n, b);
      }
      todo.push({ name: n, next: 0 });
    };
    enter(name);
    while (todo.length) {
      const top = todo[todo.length - 1]!;
      const body = bodies.get(top.name)!;
      if (top.next < body.refs.length) {
        const ref = body.refs[top.next++]!;
        if (this.memo.has(ref.name) || !Object.hasOwn(this.named, ref.name)) continue;
        const at = onPath.get(ref.name);
        if (at !== undefined) {
          const cycle = [...path.slice(at), ref.name];
          // Every name on the cycle (and those that reach it, below) gets the cycle.
          for (const n of path.slice(at)) this.memo.set(n, { size: Infinity, depth: Infinity, cycle });
          continue;
        }
        enter(ref.name);
        continue;
      }
      todo.pop();
      path.pop();
      onPath.delete(top.name);
      if (this.memo.has(top.name)) continue;
      let size = body.nodes;
      let depth = body.depth;
      let cycle: string[] | undefined;
      for (const ref of body.refs) {
        const m = this.memo.get(ref.name) ?? { size: 1, depth: 1 };
        size += m.size;
        depth = Math.max(depth, ref.level + m.depth);
        cycle ??= m.cycle;
      }
      this.memo.set(top.name, { size, depth, cycle });
    }
    return this.memo.get(name)!;
  }
}

const graphs = new WeakMap<object, NamedGraph>();
/** The analysis of a set of named conditions, shared by every check against it. */
function graphOf(named: Readonly<Record<string, Condition>>): NamedGraph {
  let g = graphs.get(named);
  if (!g) {
    g = new NamedGraph(named);
    graphs.set(named, g);
  }
  return g;
}

/**
 * Check one condition before it is compiled: every issue, each with its JSON path and a zh + en
 * message. Finds unknown facts (suggesting the nearest declared name), unknown operators,
 * operators that do not fit the fact's type, values of the wrong type, enum values not listed
 * (suggesting the nearest), unsafe `path`s, unknown named conditions, cycles between named
 * conditions, and conditions over the {@link CONDITION_LIMITS}. It never stops at the first issue.
 * Named conditions' own bodies are checked by {@link checkNamedConditions}.
 *
 * @example
 * checkCondition({ all: [{ fact: "agee", operator: "greaterThan", value: "x" }] }, { facts, named: {} }, ["rules", 0, "conditions"]);
 * // → UNKNOWN_FACT at [..., "all", 0, "fact"]: Unknown fact "agee"; did you mean "age"?
 * @see DESIGN.md decision 4 (a hostile pack gets a clear validation error)
 */
export function checkCondition(cond: unknown, ctx: CheckContext, path: IssuePath = []): JicengIssue[] {
  const limits: ConditionLimits = { ...CONDITION_LIMITS, ...ctx.limits };
  const issues: JicengIssue[] = [];
  const graph = graphOf(ctx.named);
  const cycleReported = new Set<string>();
  let nodes = 0;
  let expanded = 0;
  let deepest = 0;
  let nodeLimitHit = false;
  let depthLimitHit = false;
  let cycleFound = false;

  const visit = (node: unknown, at: IssuePath, depth: number): void => {
    nodes++;
    expanded++;
    if (nodes > limits.maxNodes) {
      if (!nodeLimitHit) issues.push(issue(IssueCode.LIMIT_EXCEEDED, at, `条件节点超过 ${limits.maxNodes} 个`, `The condition has more than ${limits.maxNodes} nodes`));
      nodeLimitHit = true;
      return;
    }
    if (depth > limits.maxDepth) {
      if (!depthLimitHit) issues.push(issue(IssueCode.LIMIT_EXCEEDED, at, `条件嵌套超过 ${limits.maxDepth} 层`, `The condition is nested deeper than ${limits.maxDepth} levels`));
      depthLimitHit = true;
      return;
    }
    deepest = Math.max(deepest, depth);
    const kind = conditionKind(node);
    if (kind === "invalid") {
      issues.push(issue(IssueCode.SCHEMA, at, `条件须为含 all、any、not、condition 或 fact 之一的对象，实际为 ${show(node)}`, `A condition must be an object with one of all, any, not, condition or fact, got ${show(node)}`));
      return;
    }
    if (kind === "ambiguous") {
      const has = KINDS.filter((k) => Object.hasOwn(node as object, k)).join(", ");
      issues.push(issue(IssueCode.SCHEMA, at, `条件同时含有 ${has}，只能有其一`, `A condition has ${has}; it must have exactly one`));
      return;
    }
    const n = node as Record<string, unknown>;
    checkNameAndPriority(n, at, issues);
    switch (kind) {
      case "all":
      case "any": {
        unknownKeys(n, new Set([kind, ...BOOL_KEYS]), at, issues);
        const list = n[kind];
        if (!Array.isArray(list)) {
          issues.push(issue(IssueCode.SCHEMA, [...at, kind], `${kind} 须为条件数组`, `${kind} must be an array of conditions`));
          return;
        }
        if (list.length === 0 && kind === "any") {
          issues.push(issue(IssueCode.SCHEMA, [...at, kind], "any 为空：json-rules-engine 会把空的 any 判为成立，请至少写一个条件", "any is empty: json-rules-engine treats an empty any as true; write at least one condition"));
        }
        if (list.length === 0 && kind === "all") {
          issues.push(issue(IssueCode.SCHEMA, [...at, kind], "all 为空，总是成立", "all is empty, so it always holds", { severity: "warning" }));
        }
        list.forEach((c, i) => visit(c, [...at, kind, i], depth + 1));
        return;
      }
      case "not": {
        unknownKeys(n, new Set(["not", ...BOOL_KEYS]), at, issues);
        if (!isObj(n["not"])) {
          issues.push(issue(IssueCode.SCHEMA, [...at, "not"], "not 须为单个条件（不能是数组）", "not must be a single condition (not an array)"));
          return;
        }
        visit(n["not"], [...at, "not"], depth + 1);
        return;
      }
      case "condition": {
        unknownKeys(n, new Set(["condition", ...BOOL_KEYS]), at, issues);
        const name = n["condition"];
        if (typeof name !== "string" || name.length === 0) {
          issues.push(issue(IssueCode.SCHEMA, [...at, "condition"], `condition 须为命名条件的名称，实际为 ${show(name)}`, `condition must name a named condition, got ${show(name)}`));
          return;
        }
        if (!Object.hasOwn(ctx.named, name)) {
          const hint = didYouMean(name, Object.keys(ctx.named));
          issues.push(issue(IssueCode.UNKNOWN_CONDITION, [...at, "condition"], `未定义的命名条件“${name}”${hint.zh}`, `Unknown named condition "${name}"${hint.en}`));
          return;
        }
        const m = graph.analyze(name);
        if (m.cycle) {
          cycleFound = true;
          if (!cycleReported.has(name)) {
            cycleReported.add(name);
            const chain = m.cycle.join(" → ");
            issues.push(issue(IssueCode.CONDITION_CYCLE, [...at, "condition"], `命名条件循环引用：${chain}`, `Named conditions reference each other in a cycle: ${chain}`));
          }
          return;
        }
        expanded += m.size;
        deepest = Math.max(deepest, depth + m.depth);
        return;
      }
      case "fact":
        checkFactCondition(n, at, ctx, limits, issues);
        return;
    }
  };

  visit(cond, path, 1);
  if (!cycleFound && !nodeLimitHit && expanded > limits.maxExpandedNodes) {
    issues.push(issue(IssueCode.LIMIT_EXCEEDED, path, `展开命名条件后，条件节点超过 ${limits.maxExpandedNodes} 个（${expanded}）`, `With named conditions expanded, the condition has more than ${limits.maxExpandedNodes} nodes (${expanded})`));
  }
  if (!cycleFound && !depthLimitHit && deepest > limits.maxDepth) {
    issues.push(issue(IssueCode.LIMIT_EXCEEDED, path, `展开命名条件后，条件嵌套超过 ${limits.maxDepth} 层（${deepest}）`, `With named conditions expanded, the condition is nested deeper than ${limits.maxDepth} levels (${deepest})`));
  }
  return issues;
}

function checkNameAndPriority(n: Record<string, unknown>, at: IssuePath, issues: JicengIssue[]): void {
  if (n["name"] !== undefined && typeof n["name"] !== "string") {
    issues.push(issue(IssueCode.SCHEMA, [...at, "name"], `name 须为字符串`, `name must be a string`));
  }
  const p = n["priority"];
  if (p !== undefined && !(Number.isInteger(p) && (p as number) > 0)) {
    issues.push(issue(IssueCode.SCHEMA, [...at, "priority"], `priority 须为正整数，实际为 ${show(p)}`, `priority must be a positive integer, got ${show(p)}`));
  }
}

function unknownKeys(n: Record<string, unknown>, allowed: ReadonlySet<string>, at: IssuePath, issues: JicengIssue[]): void {
  for (const key of Object.keys(n)) {
    if (allowed.has(key)) continue;
    const hint = didYouMean(key, allowed);
    issues.push(issue(IssueCode.SCHEMA, [...at, key], `条件中不认识的属性“${key}”${hint.zh}`, `Unknown property "${key}" in a condition${hint.en}`));
  }
}

function checkFactCondition(n: Record<string, unknown>, at: IssuePath, ctx: CheckContext, limits: ConditionLimits, issues: JicengIssue[]): void {
  unknownKeys(n, new Set(FACT_KEYS), at, issues);
  const fact = n["fact"];
  let entryName: string | undefined;
  if (typeof fact !== "string" || !SAFE_FACT_NAME.test(fact)) {
    issues.push(issue(IssueCode.UNSAFE_PATH, [...at, "fact"], `事实名称 ${show(fact)} 无效：只能是点分的标识符，如 risks.homicide`, `Fact name ${show(fact)} is not a dotted identifier like risks.homicide`));
  } else {
    let segments: string[] = [];
    let pathOk = true;
    if (n["path"] !== undefined) {
      const p = parseFactPath(n["path"]);
      if (p.ok) segments = p.segments;
      else {
        pathOk = false;
        issues.push(issue(IssueCode.UNSAFE_PATH, [...at, "path"], p.problem.zh, p.problem.en));
      }
    }
    if (pathOk) {
      entryName = foldFactName(fact, segments);
      if (!ctx.facts.has(entryName)) {
        const hint = didYouMean(entryName, ctx.facts.keys());
        const via = segments.length ? { zh: `（由“${fact}”加路径“${String(n["path"])}”得到）`, en: ` (from "${fact}" with path "${String(n["path"])}")` } : { zh: "", en: "" };
        issues.push(issue(IssueCode.UNKNOWN_FACT, [...at, "fact"], `未声明的事实“${entryName}”${via.zh}${hint.zh}`, `Unknown fact "${entryName}"${via.en}${hint.en}`));
        entryName = undefined;
      }
    }
  }
  const entry = entryName === undefined ? undefined : ctx.facts.get(entryName);

  const op = n["operator"];
  let opOk = false;
  if (!isOperatorName(op)) {
    const decorated = typeof op === "string" && op.includes(":");
    const hint = typeof op === "string" ? didYouMean(decorated ? op.slice(op.lastIndexOf(":") + 1) : op, OPERATOR_NAMES) : { zh: "", en: "" };
    const deco = decorated ? { zh: "（不支持 json-rules-engine 的运算符修饰器，如 not:、someFact:）", en: " (json-rules-engine operator decorators such as not: and someFact: are not supported)" } : { zh: "", en: "" };
    issues.push(issue(IssueCode.UNKNOWN_OPERATOR, [...at, "operator"], `未知的运算符 ${show(op)}${deco.zh}${hint.zh}`, `Unknown operator ${show(op)}${deco.en}${hint.en}`));
  } else if (entry && !OPERATORS[op].factTypes.includes(entry.type)) {
    const t = operatorMismatchText(op, entry);
    issues.push(issue(IssueCode.OPERATOR_TYPE_MISMATCH, [...at, "operator"], t.zh, t.en));
  } else {
    opOk = true;
  }

  if (!Object.hasOwn(n, "value")) {
    issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, [...at, "value"], "缺少比较值 value", "The condition has no value"));
  } else if (entry && opOk && isOperatorName(op)) {
    issues.push(...checkOperatorValue(op, entry, n["value"], ctx.facts, limits, [...at, "value"]));
  } else if (isFactRef(n["value"])) {
    // The operator or fact is wrong, but a broken reference is worth reporting too.
    resolveFactRef(n["value"], ctx.facts, [...at, "value"], issues);
  }

  if (n["params"] !== undefined) {
    issues.push(issue(IssueCode.SCHEMA, [...at, "params"], "params 对声明的事实无效，将被忽略", "params has no effect on declared facts and is ignored", { severity: "warning" }));
  }
}

/**
 * Check every named condition's body (at `["conditions", name]` by default): the same checks as
 * {@link checkCondition}, so each problem is reported once, where it is written.
 *
 * @example
 * checkNamedConditions({ facts, named: pack.conditions });
 * @see json-rules-engine `engine.setCondition(name, conditions)`
 */
export function checkNamedConditions(ctx: CheckContext): JicengIssue[] {
  const base = ctx.namedPath ?? ["conditions"];
  const issues: JicengIssue[] = [];
  for (const name of Object.keys(ctx.named)) issues.push(...checkCondition(ctx.named[name], ctx, [...base, name]));
  return issues;
}
