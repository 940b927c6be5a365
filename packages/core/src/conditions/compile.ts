import { IssueCode, JicengError, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { Condition, FactCondition } from "../vocabulary/index.js";
import { checkCondition, conditionKind, type CheckContext } from "./check.js";
import { buildTest, type Test } from "./fact-test.js";
import type { FactEntry, FactIndex } from "./facts.js";
import { createFrame, type FactFrame, type FrameImpl } from "./frame.js";
import { isFactRef, type FactRef, type OperatorName } from "./operators.js";
import { foldFactName, parseFactPath } from "./paths.js";
import { isValidTimeZone } from "./time.js";
import { see, type ConditionTrace } from "./trace.js";

export type { ConditionTrace } from "./trace.js";
export type { FactFrame } from "./frame.js";
export { buildTest, SET_THRESHOLD, type Test } from "./fact-test.js";

/** A condition compiled into synchronous closures. */
export interface CompiledCondition {
  /** Evaluate: no allocation, short-circuits `all` / `any`. Throws MISSING_FACT / INVALID_FACT. */
  test(facts: unknown): boolean;
  /** Evaluate every node and return the trace; `explain(f).result === test(f)`, and it throws when `test` would. */
  explain(facts: unknown): ConditionTrace;
  /** The facts this condition can read, named conditions included. */
  readonly facts: readonly string[];
}

/** What a condition compiles against: declared facts, named conditions, and the time zone. */
export interface CompileContext extends CheckContext {
  /** IANA time zone in which a datetime falls on a calendar day. Default `Asia/Shanghai`. */
  timeZone?: string | undefined;
}

/** Compiles many conditions against one context, compiling each named condition once. */
export interface ConditionCompiler {
  compile(cond: Condition, path?: IssuePath): CompiledCondition;
}

/** One compiled node of a condition tree. */
interface Node {
  test: Test;
  explain: (input: unknown) => ConditionTrace;
  priority: number;
  facts: ReadonlySet<string>;
}

/** What the node builders of one compiler share. */
interface Build {
  readonly tz: string;
  readonly frame: FrameImpl | undefined;
  /** The declared fact `name` (the check has already refused undeclared ones). */
  fact(name: string): FactEntry;
  /** The named condition `ref`, compiled once per compiler. */
  named(ref: string): Node;
}

/**
 * Create a compiler for one set of facts and named conditions. Each named condition is compiled
 * once and shared by every condition that references it.
 *
 * @example
 * const compiler = createConditionCompiler({ facts: buildFactIndex(pack.facts), named: pack.conditions, timeZone: pack.timezone });
 * const rules = pack.grading.rules.map((r, i) => compiler.compile(r.conditions, ["grading", "rules", i, "conditions"]));
 * @see DESIGN.md decision 8 (conditions run compiled)
 */
export function createConditionCompiler(ctx: CompileContext): ConditionCompiler {
  return makeCompiler(ctx, undefined);
}

/**
 * A compiler whose compiled tests read facts through one shared {@link FactFrame}: each fact is read
 * and validated at most once per evaluation, however many conditions test it. Every `test` of its
 * conditions must run between `frame.begin(input)` and `frame.end()` with that same input; `explain`
 * works either way (inside the frame it reuses the values already read).
 *
 * @example
 * const { compiler, frame } = createFramedConditionCompiler(ctx);
 * const a = compiler.compile(c1), b = compiler.compile(c2);
 * frame.begin(facts); const hit = a.test(facts) || b.test(facts); frame.end();
 * @see DESIGN.md decision 8
 */
export function createFramedConditionCompiler(ctx: CompileContext): { compiler: ConditionCompiler; frame: FactFrame } {
  const frame = createFrame();
  return { compiler: makeCompiler(ctx, frame), frame };
}

/**
 * Compile a condition once into synchronous closures. Checks it first (see `checkCondition`) and
 * throws a {@link JicengError} with every issue. `test` pre-resolves fact paths, pre-parses
 * constant dates, uses Sets for long `in` lists, and allocates nothing per evaluation. A missing
 * fact takes its declared default, else `test` throws MISSING_FACT (path `["facts", name]`);
 * a present fact of the wrong type throws INVALID_FACT. It is never silently false.
 *
 * @example
 * const c = compileCondition({ all: [{ fact: "risks.homicide", operator: "equal", value: true }] }, { facts, named: {} });
 * c.test({ risks: { homicide: true } }); // true
 * c.explain({ risks: { homicide: false } }).children?.[0]?.factValue; // false
 * @see DESIGN.md decisions 3 (every decision explains itself) and 8
 */
export function compileCondition(cond: Condition, ctx: CompileContext, path: IssuePath = []): CompiledCondition {
  return createConditionCompiler(ctx).compile(cond, path);
}

function makeCompiler(ctx: CompileContext, frame: FrameImpl | undefined): ConditionCompiler {
  const facts: FactIndex = ctx.facts;
  const namedNodes = new Map<string, Node>();
  const checkedNamed = new Set<string>();
  const build: Build = {
    tz: ctx.timeZone ?? "Asia/Shanghai",
    frame,
    fact(name) {
      const e = facts.get(name);
      if (!e) throw new JicengError(issue(IssueCode.INTERNAL, ["facts", name], `内部错误：事实“${name}”未声明`, `Internal error: fact "${name}" is not declared`));
      return e;
    },
    named(ref) {
      let node = namedNodes.get(ref);
      if (!node) {
        node = compileNode(ctx.named[ref] as Condition, build);
        namedNodes.set(ref, node);
      }
      return node;
    },
  };
  return {
    compile(cond, path = []) {
      if (!isValidTimeZone(build.tz)) {
        throw new JicengError(issue(IssueCode.SCHEMA, ["timezone"], `未知的时区“${build.tz}”`, `Unknown time zone "${build.tz}"`));
      }
      const errors = checkReachable(cond, ctx, path, checkedNamed);
      if (errors.length > 0) throw new JicengError(dedupe(errors));
      const root = compileNode(cond, build);
      return {
        test: root.test,
        explain(f) {
          const t = root.explain(f);
          if (t.error) throw new JicengError(t.error);
          return t;
        },
        facts: [...root.facts].sort(),
      };
    },
  };
}

/**
 * The errors of `cond` and of every named condition it reaches. Each named condition is checked
 * once per compiler (`checked`), at the path where it is written; one with errors stays unchecked,
 * so every condition that reaches it is refused.
 */
function checkReachable(cond: Condition, ctx: CompileContext, path: IssuePath, checked: Set<string>): JicengIssue[] {
  const namedBase = ctx.namedPath ?? ["conditions"];
  const issues = checkCondition(cond, ctx, path);
  const pending = [...referencedNames(cond)];
  while (pending.length) {
    const name = pending.pop() as string;
    if (checked.has(name) || !Object.hasOwn(ctx.named, name)) continue;
    checked.add(name);
    const body = ctx.named[name];
    const found = checkCondition(body, ctx, [...namedBase, name]);
    if (found.some((i) => i.severity === "error")) checked.delete(name);
    issues.push(...found);
    pending.push(...referencedNames(body));
  }
  return issues.filter((i) => i.severity === "error");
}

function compileNode(c: Condition, build: Build): Node {
  const kind = conditionKind(c);
  const priority = (c as { priority?: number }).priority ?? 1;
  const label = (c as { name?: unknown }).name;
  const name = typeof label === "string" ? label : undefined;
  switch (kind) {
    case "all":
    case "any": {
      const list = (c as { all?: Condition[]; any?: Condition[] })[kind] ?? [];
      return boolNode(kind, list.map((x) => compileNode(x, build)), priority, name);
    }
    case "not":
      return notNode(compileNode((c as { not: Condition }).not, build), priority, name);
    case "condition": {
      const ref = (c as { condition: string }).condition;
      return refNode(ref, build.named(ref), priority);
    }
    case "fact":
      return factNode(c as FactCondition, priority, name, build);
    default:
      throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：无法编译的条件", "Internal error: a condition that cannot be compiled"));
  }
}

/** `all` / `any`: the children's tests in priority order, short-circuiting. */
function boolTest(isAll: boolean, tests: readonly Test[]): Test {
  const n = tests.length;
  if (n === 0) return () => true; // json-rules-engine: an empty all and an empty any both hold
  if (n === 1) return tests[0] as Test;
  if (n === 2) {
    const a = tests[0] as Test;
    const b = tests[1] as Test;
    return isAll ? (f) => a(f) && b(f) : (f) => a(f) || b(f);
  }
  if (isAll) {
    return (f) => {
      for (let i = 0; i < n; i++) if (!(tests[i] as Test)(f)) return false;
      return true;
    };
  }
  return (f) => {
    for (let i = 0; i < n; i++) if ((tests[i] as Test)(f)) return true;
    return false;
  };
}

function boolNode(kind: "all" | "any", children: readonly Node[], priority: number, name: string | undefined): Node {
  // json-rules-engine evaluates higher priority first; a stable sort keeps written order otherwise.
  const order = children.map((_, i) => i).sort((a, b) => (children[b]?.priority ?? 1) - (children[a]?.priority ?? 1));
  const isAll = kind === "all";
  const factNames = new Set<string>();
  for (const ch of children) for (const x of ch.facts) factNames.add(x);
  return {
    priority,
    facts: factNames,
    test: boolTest(isAll, order.map((i) => (children[i] as Node).test)),
    explain: (f) => {
      const traces = children.map((ch) => ch.explain(f));
      // The result is decided as `test` decides it: in priority order, up to the first child that settles it.
      let result = children.length === 0 || isAll;
      let error: JicengIssue | undefined;
      for (const i of order) {
        const t = traces[i] as ConditionTrace;
        if (t.error) {
          error = t.error;
          result = false;
          break;
        }
        if (t.result !== isAll) {
          result = !isAll;
          break;
        }
      }
      const out: ConditionTrace = { kind, result, children: traces };
      if (name !== undefined) out.name = name;
      if (error) out.error = error;
      return out;
    },
  };
}

function notNode(child: Node, priority: number, name: string | undefined): Node {
  const ct = child.test;
  return {
    priority,
    facts: child.facts,
    test: (f) => !ct(f),
    explain: (f) => {
      const t = child.explain(f);
      const out: ConditionTrace = { kind: "not", result: t.error ? false : !t.result, children: [t] };
      if (t.error) out.error = t.error;
      if (name !== undefined) out.name = name;
      return out;
    },
  };
}

function refNode(ref: string, target: Node, priority: number): Node {
  return {
    priority,
    facts: target.facts,
    test: target.test,
    explain: (f) => {
      const t = target.explain(f);
      const out: ConditionTrace = { kind: "ref", name: ref, result: t.result, children: [t] };
      if (t.error) out.error = t.error;
      return out;
    },
  };
}

function factRefName(ref: FactRef): string {
  const p = ref.path === undefined ? undefined : parseFactPath(ref.path);
  return foldFactName(ref.fact, p && p.ok ? p.segments : []);
}

function factNode(c: FactCondition, priority: number, label: string | undefined, build: Build): Node {
  const { frame, tz } = build;
  const p = c.path === undefined ? undefined : parseFactPath(c.path);
  const entry = build.fact(foldFactName(c.fact, p && p.ok ? p.segments : []));
  const op = c.operator as OperatorName;
  const value: unknown = c.value;
  const ref = isFactRef(value) ? build.fact(factRefName(value)) : undefined;
  const withinOf = op === "withinDays" ? (value as { of: unknown }).of : undefined;
  const ofRef = isFactRef(withinOf) ? build.fact(factRefName(withinOf)) : undefined;
  const test = frame ? buildTest(frame.view(entry), op, value, ref && frame.view(ref), ofRef && frame.view(ofRef), tz) : buildTest(entry, op, value, ref, ofRef, tz);
  // Outside the frame (explain called on its own), test the input directly.
  const direct = frame ? buildTest(entry, op, value, ref, ofRef, tz) : test;
  const factNames = new Set([entry.name]);
  if (ref) factNames.add(ref.name);
  if (ofRef) factNames.add(ofRef.name);
  return {
    priority,
    facts: factNames,
    test,
    explain: (f) => {
      const t: ConditionTrace = { kind: "fact", result: false, fact: entry.name, operator: op };
      if (label !== undefined) t.name = label;
      let error: JicengIssue | undefined;
      const slot = frame ? frame.seenSlot(entry, f) : -1;
      if (slot >= 0) {
        // Already read and validated in this evaluation: no second read.
        t.factValue = frame!.value(slot);
        if (frame!.usedDefault(slot)) t.usedDefault = true;
      } else {
        const seen = see(entry, f);
        t.factValue = seen.value;
        if (seen.usedDefault) t.usedDefault = true;
        error = seen.error;
      }
      const other = ref ?? ofRef;
      if (other) {
        const sv = see(other, f);
        error ??= sv.error;
        t.valueFact = other.name;
        t.value = ofRef ? { days: (value as { days: number }).days, of: sv.value } : sv.value;
      } else {
        t.value = value;
      }
      if (error) {
        t.error = error;
        return t;
      }
      t.result = frame && frame.seenSlot(entry, f) >= 0 ? test(f) : direct(f);
      return t;
    },
  };
}

function referencedNames(cond: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 64 || cond === null || typeof cond !== "object") return out;
  const c = cond as Record<string, unknown>;
  if (typeof c["condition"] === "string") out.add(c["condition"]);
  for (const k of ["all", "any"]) {
    const list = c[k];
    if (Array.isArray(list)) for (const x of list) referencedNames(x, out, depth + 1);
  }
  if (c["not"] !== undefined) referencedNames(c["not"], out, depth + 1);
  return out;
}

function dedupe(issues: JicengIssue[]): JicengIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code}|${JSON.stringify(i.path)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
