import { IssueCode, JicengError, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { Condition, FactCondition } from "../vocabulary/index.js";
import { checkCondition, conditionKind, type CheckContext } from "./check.js";
import { invalidFactError, missingFactError, type FactEntry, type FactIndex, type FactValue } from "./facts.js";
import { isFactRef, type FactRef, type OperatorName } from "./operators.js";
import { foldFactName, parseFactPath } from "./paths.js";
import { DAY_MS, isValidTimeZone, parseIsoDate, parseIsoDateTime, zoneDay, zoneStartOfDay } from "./time.js";

/**
 * How one condition evaluated against one case: the tree a policy officer reads to see which
 * conditions held, which failed, and the values seen.
 */
export interface ConditionTrace {
  kind: "all" | "any" | "not" | "ref" | "fact";
  result: boolean;
  /** The condition's `name`, or for `ref` the named condition referenced. */
  name?: string;
  fact?: string;
  operator?: string;
  /** The value compared with: the literal, or the referenced fact's value (see `valueFact`). */
  value?: unknown;
  /** The fact the value came from, when the value is a `{ fact }` reference. */
  valueFact?: string;
  /** The fact's value as seen (its default when missing). */
  factValue?: unknown;
  /** True when the fact was missing and its declared default was used. */
  usedDefault?: boolean;
  children?: ConditionTrace[];
  /**
   * Set when this node could not be evaluated (a missing fact without default, an invalid value)
   * and its result was not needed to decide its parent; when it is needed, `explain` throws.
   */
  error?: JicengIssue;
}

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

/** One compiled test. */
export type Test = (input: unknown) => boolean;
interface Node {
  test: Test;
  explain: (input: unknown) => ConditionTrace;
  priority: number;
  facts: ReadonlySet<string>;
}

/** Lists longer than this become a Set for `in` / `notIn`. */
export const SET_THRESHOLD = 8;

function factRefName(ref: FactRef): string {
  const p = ref.path === undefined ? undefined : parseFactPath(ref.path);
  return foldFactName(ref.fact, p && p.ok ? p.segments : []);
}

interface Seen {
  value: unknown;
  usedDefault: boolean;
  error?: JicengIssue | undefined;
}

function see(entry: FactEntry, input: unknown): Seen {
  const raw = entry.resolve(input);
  if (raw === undefined) {
    if (entry.hasDefault) return { value: entry.def.default, usedDefault: true };
    return { value: undefined, usedDefault: false, error: missingFactError(entry).issues[0] };
  }
  if (!entry.isValid(raw)) return { value: raw, usedDefault: false, error: invalidFactError(entry, raw).issues[0] };
  return { value: raw, usedDefault: false };
}

/**
 * A per-compiler fact frame: while an evaluation runs (between `begin` and `end`), every fact a
 * compiled test reads is resolved and validated at most once, into a preallocated slot reused by
 * every later evaluation. Reads are lazy, so a fact no test reaches is never read (and never throws).
 * Not reentrant: evaluation is synchronous and never calls back into the engine.
 */
export interface FactFrame {
  /** Start evaluating `input`: every slot read before is forgotten (an epoch counter, no clearing). */
  begin(input: unknown): void;
  /** Stop evaluating: the frame no longer holds the input. */
  end(): void;
}

interface FrameImpl extends FactFrame {
  /** A copy of `entry` whose `read` / `readTime` go through the frame. */
  view(entry: FactEntry): FactEntry;
  /** The slot of `entry` when it was read for `input` in the current evaluation, else -1. */
  seenSlot(entry: FactEntry, input: unknown): number;
  value(slot: number): unknown;
  usedDefault(slot: number): boolean;
}

const EPOCH_LIMIT = 0x3fffffff;
const hop = Object.prototype.hasOwnProperty;
type Obj = Record<string, unknown>;
const isObj = (o: unknown): o is Obj => o !== null && typeof o === "object" && !Array.isArray(o);

function createFrame(): FrameImpl {
  let input: unknown;
  let epoch = 1;
  const slots = new Map<string, number>();
  const views = new Map<string, FactEntry>();
  const stamp: number[] = [];
  const vals: unknown[] = [];
  const used: boolean[] = [];
  const tstamp: number[] = [];
  const times: number[] = [];
  // Objects on the way to the facts (`risks` for `risks.homicide`), read once per evaluation and
  // shared by every fact under them: the object when it is an own property holding a plain object.
  const ostamp: number[] = [];
  const ovals: Array<Obj | undefined> = [];
  const objs = new Map<string, () => Obj | undefined>();
  const root = (): Obj | undefined => (isObj(input) ? input : undefined);
  const objOf = (segs: readonly string[], n: number): (() => Obj | undefined) => {
    if (n === 0) return root;
    const key = segs.slice(0, n).join(".");
    const known = objs.get(key);
    if (known) return known;
    const parent = objOf(segs, n - 1);
    const k = segs[n - 1] as string;
    const s = ostamp.length;
    ostamp.push(0);
    ovals.push(undefined);
    const get = (): Obj | undefined => {
      if (ostamp[s] === epoch) return ovals[s];
      const p = parent();
      const v = p !== undefined && hop.call(p, k) ? p[k] : undefined;
      const o = isObj(v) ? v : undefined;
      ovals[s] = o;
      ostamp[s] = epoch;
      return o;
    };
    objs.set(key, get);
    return get;
  };
  const slotOf = (entry: FactEntry): number => {
    let s = slots.get(entry.name);
    if (s === undefined) {
      s = stamp.length;
      slots.set(entry.name, s);
      stamp.push(0);
      vals.push(undefined);
      used.push(false);
      tstamp.push(0);
      times.push(0);
    }
    return s;
  };
  return {
    begin(f) {
      input = f;
      if (++epoch === EPOCH_LIMIT) {
        stamp.fill(0);
        tstamp.fill(0);
        ostamp.fill(0);
        epoch = 1;
      }
    },
    end() {
      input = undefined;
    },
    view(entry) {
      const known = views.get(entry.name);
      if (known) return known;
      const s = slotOf(entry);
      const segs = entry.segments;
      const parent = objOf(segs, segs.length - 1);
      const last = segs[segs.length - 1] as string;
      const isValid = entry.isValid;
      const hasDefault = entry.hasDefault;
      const dflt = entry.def.default as FactValue;
      // Same checks, same errors, same order as entry.read.
      const fill = (): FactValue => {
        const p = parent();
        // = entry.resolve(input), sharing the objects on the way.
        const v = p !== undefined && hop.call(p, last) ? p[last] : undefined;
        if (v === undefined) {
          if (!hasDefault) throw missingFactError(entry);
          vals[s] = dflt;
          used[s] = true;
        } else {
          if (!isValid(v)) throw invalidFactError(entry, v);
          vals[s] = v;
          used[s] = false;
        }
        stamp[s] = epoch;
        return vals[s] as FactValue;
      };
      const read = (_f: unknown): FactValue => (stamp[s] === epoch ? (vals[s] as FactValue) : fill());
      const rt = entry.readTime;
      const fillTime = (): number => {
        const t = rt(input);
        times[s] = t;
        tstamp[s] = epoch;
        return t;
      };
      const readTime = (_f: unknown): number => (tstamp[s] === epoch ? (times[s] as number) : fillTime());
      const v: FactEntry = { ...entry, read, readTime: entry.type === "date" || entry.type === "datetime" ? readTime : entry.readTime };
      views.set(entry.name, v);
      return v;
    },
    seenSlot(entry, f) {
      if (f !== input || input === undefined) return -1;
      const s = slots.get(entry.name);
      return s !== undefined && stamp[s] === epoch ? s : -1;
    },
    value: (s) => vals[s],
    usedDefault: (s) => used[s] === true,
  };
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

function makeCompiler(ctx: CompileContext, frame: FrameImpl | undefined): ConditionCompiler {
  const facts: FactIndex = ctx.facts;
  const tz = ctx.timeZone ?? "Asia/Shanghai";
  const namedBase = ctx.namedPath ?? ["conditions"];
  const namedNodes = new Map<string, Node>();
  const checkedNamed = new Set<string>();

  const fact = (name: string): FactEntry => {
    const e = facts.get(name);
    if (!e) throw new JicengError(issue(IssueCode.INTERNAL, ["facts", name], `内部错误：事实“${name}”未声明`, `Internal error: fact "${name}" is not declared`));
    return e;
  };

  const compileNode = (c: Condition): Node => {
    const kind = conditionKind(c);
    const priority = (c as { priority?: number }).priority ?? 1;
    const label = (c as { name?: unknown }).name;
    const name = typeof label === "string" ? label : undefined;
    switch (kind) {
      case "all":
      case "any":
        return compileBool(kind, (c as { all?: Condition[]; any?: Condition[] })[kind] ?? [], priority, name);
      case "not": {
        const child = compileNode((c as { not: Condition }).not);
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
      case "condition": {
        const ref = (c as { condition: string }).condition;
        const target = compileNamed(ref);
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
      case "fact":
        return compileFact(c as FactCondition, priority, name);
      default:
        throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：无法编译的条件", "Internal error: a condition that cannot be compiled"));
    }
  };

  const compileNamed = (ref: string): Node => {
    let node = namedNodes.get(ref);
    if (!node) {
      node = compileNode(ctx.named[ref] as Condition);
      namedNodes.set(ref, node);
    }
    return node;
  };

  const compileBool = (kind: "all" | "any", list: readonly Condition[], priority: number, name: string | undefined): Node => {
    const children = list.map(compileNode);
    // json-rules-engine evaluates higher priority first; a stable sort keeps written order otherwise.
    const order = children.map((_, i) => i).sort((a, b) => (children[b]?.priority ?? 1) - (children[a]?.priority ?? 1));
    const tests = order.map((i) => (children[i] as Node).test);
    const n = tests.length;
    const isAll = kind === "all";
    let test: Test;
    if (n === 0) {
      test = () => true; // json-rules-engine: an empty all and an empty any both hold
    } else if (n === 1) {
      test = tests[0] as Test;
    } else if (n === 2) {
      const a = tests[0] as Test;
      const b = tests[1] as Test;
      test = isAll ? (f) => a(f) && b(f) : (f) => a(f) || b(f);
    } else if (isAll) {
      test = (f) => {
        for (let i = 0; i < n; i++) if (!(tests[i] as Test)(f)) return false;
        return true;
      };
    } else {
      test = (f) => {
        for (let i = 0; i < n; i++) if ((tests[i] as Test)(f)) return true;
        return false;
      };
    }
    const factNames = new Set<string>();
    for (const ch of children) for (const x of ch.facts) factNames.add(x);
    return {
      priority,
      facts: factNames,
      test,
      explain: (f) => {
        const traces = children.map((ch) => ch.explain(f));
        let result = n === 0 || isAll;
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
  };

  const compileFact = (c: FactCondition, priority: number, label: string | undefined): Node => {
    const p = c.path === undefined ? undefined : parseFactPath(c.path);
    const entry = fact(foldFactName(c.fact, p && p.ok ? p.segments : []));
    const op = c.operator as OperatorName;
    const value: unknown = c.value;
    const ref = isFactRef(value) ? fact(factRefName(value)) : undefined;
    const withinOf = op === "withinDays" ? (value as { of: unknown }).of : undefined;
    const ofRef = isFactRef(withinOf) ? fact(factRefName(withinOf)) : undefined;
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
  };

  const compiler: ConditionCompiler = {
    compile(cond, path = []) {
      if (!isValidTimeZone(tz)) {
        throw new JicengError(issue(IssueCode.SCHEMA, ["timezone"], `未知的时区“${tz}”`, `Unknown time zone "${tz}"`));
      }
      const issues = checkCondition(cond, ctx, path);
      // Named conditions reachable from here are checked once each, where they are written.
      const pending = [...referencedNames(cond)];
      while (pending.length) {
        const name = pending.pop() as string;
        if (checkedNamed.has(name) || !Object.hasOwn(ctx.named, name)) continue;
        checkedNamed.add(name);
        const body = ctx.named[name];
        const found = checkCondition(body, ctx, [...namedBase, name]);
        if (found.some((i) => i.severity === "error")) checkedNamed.delete(name);
        issues.push(...found);
        pending.push(...referencedNames(body));
      }
      const errors = issues.filter((i) => i.severity === "error");
      if (errors.length > 0) throw new JicengError(dedupe(errors));
      const root = compileNode(cond);
      const rootTest = root.test;
      return {
        test: rootTest,
        explain(f) {
          const t = root.explain(f);
          if (t.error) throw new JicengError(t.error);
          return t;
        },
        facts: [...root.facts].sort(),
      };
    },
  };
  return compiler;
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

/** The closure of one fact test (shared with the code generator for the date operators). */
export function buildTest(entry: FactEntry, op: OperatorName, value: unknown, ref: FactEntry | undefined, ofRef: FactEntry | undefined, tz: string): Test {
  const read = entry.read;
  switch (op) {
    case "equal":
    case "notEqual": {
      const eq = op === "equal";
      if (ref) {
        const r = ref.read;
        return eq ? (f) => read(f) === r(f) : (f) => read(f) !== r(f);
      }
      return eq ? (f) => read(f) === value : (f) => read(f) !== value;
    }
    case "lessThan":
    case "lessThanInclusive":
    case "greaterThan":
    case "greaterThanInclusive": {
      if (ref) {
        const r = ref.read;
        switch (op) {
          case "lessThan": return (f) => (read(f) as number) < (r(f) as number);
          case "lessThanInclusive": return (f) => (read(f) as number) <= (r(f) as number);
          case "greaterThan": return (f) => (read(f) as number) > (r(f) as number);
          case "greaterThanInclusive": return (f) => (read(f) as number) >= (r(f) as number);
        }
      }
      const b = value as number;
      switch (op) {
        case "lessThan": return (f) => (read(f) as number) < b;
        case "lessThanInclusive": return (f) => (read(f) as number) <= b;
        case "greaterThan": return (f) => (read(f) as number) > b;
        case "greaterThanInclusive": return (f) => (read(f) as number) >= b;
      }
      break;
    }
    case "in":
    case "notIn": {
      const want = op === "in";
      if (ref) {
        const r = ref.read;
        return (f) => {
          const a = read(f);
          return (r(f) as readonly unknown[]).indexOf(a) > -1 === want;
        };
      }
      const list = (value as readonly unknown[]).slice();
      if (list.length > SET_THRESHOLD) {
        // Set.has is SameValueZero, indexOf is ===: they differ only on NaN, which no valid fact holds.
        const set = new Set(list);
        return want ? (f) => set.has(read(f)) : (f) => !set.has(read(f));
      }
      return want ? (f) => list.indexOf(read(f)) > -1 : (f) => list.indexOf(read(f)) === -1;
    }
    case "contains":
    case "doesNotContain": {
      const want = op === "contains";
      if (ref) {
        const r = ref.read;
        return (f) => {
          const list = read(f) as readonly unknown[];
          return list.indexOf(r(f)) > -1 === want;
        };
      }
      return want ? (f) => (read(f) as readonly unknown[]).indexOf(value) > -1 : (f) => (read(f) as readonly unknown[]).indexOf(value) === -1;
    }
    case "before":
    case "after":
    case "onOrBefore":
    case "onOrAfter":
      return temporalTest(entry, op, value, ref, tz);
    case "withinDays":
      return withinDaysTest(entry, value as { days: number; of: unknown }, ofRef, tz);
  }
  throw new JicengError(issue(IssueCode.INTERNAL, [], `内部错误：运算符 ${op}`, `Internal error: operator ${op}`));
}

function cmpTest(op: "before" | "after" | "onOrBefore" | "onOrAfter", a: (f: unknown) => number, b: number): Test {
  switch (op) {
    case "before": return (f) => a(f) < b;
    case "after": return (f) => a(f) > b;
    case "onOrBefore": return (f) => a(f) <= b;
    case "onOrAfter": return (f) => a(f) >= b;
  }
}

function temporalTest(entry: FactEntry, op: "before" | "after" | "onOrBefore" | "onOrAfter", value: unknown, ref: FactEntry | undefined, tz: string): Test {
  const a = entry.readTime;
  if (ref) {
    // Same type on both sides (checked): days with days, instants with instants.
    const b = ref.readTime;
    switch (op) {
      case "before": return (f) => a(f) < b(f);
      case "after": return (f) => a(f) > b(f);
      case "onOrBefore": return (f) => a(f) <= b(f);
      case "onOrAfter": return (f) => a(f) >= b(f);
    }
  }
  const s = value as string;
  const day = parseIsoDate(s);
  if (entry.type === "date") {
    // A date fact against a datetime constant: compare with the day that instant falls on.
    return cmpTest(op, a, Number.isNaN(day) ? zoneDay(parseIsoDateTime(s), tz) : day);
  }
  if (Number.isNaN(day)) return cmpTest(op, a, parseIsoDateTime(s));
  // A datetime fact against a date D: zoneDay(x) < D ⟺ x < start(D); zoneDay(x) <= D ⟺ x < start(D + 1).
  const start = zoneStartOfDay(day, tz);
  const next = zoneStartOfDay(day + 1, tz);
  switch (op) {
    case "before": return (f) => a(f) < start;
    case "onOrBefore": return (f) => a(f) < next;
    case "after": return (f) => a(f) >= next;
    case "onOrAfter": return (f) => a(f) >= start;
  }
}

function withinDaysTest(entry: FactEntry, value: { days: number; of: unknown }, ofRef: FactEntry | undefined, tz: string): Test {
  const a = entry.readTime;
  const n = value.days;
  if (ofRef) {
    const b = ofRef.readTime;
    const span = entry.type === "date" ? n : n * DAY_MS;
    return (f) => Math.abs(a(f) - b(f)) <= span;
  }
  const s = value.of as string;
  const day = parseIsoDate(s);
  if (entry.type === "date") {
    const d = Number.isNaN(day) ? zoneDay(parseIsoDateTime(s), tz) : day;
    return (f) => Math.abs(a(f) - d) <= n;
  }
  if (Number.isNaN(day)) {
    const m = parseIsoDateTime(s);
    const span = n * DAY_MS;
    return (f) => Math.abs(a(f) - m) <= span;
  }
  // A datetime fact within N days of date D: D − N ≤ zoneDay(x) ≤ D + N.
  const lo = zoneStartOfDay(day - n, tz);
  const hi = zoneStartOfDay(day + n + 1, tz);
  return (f) => {
    const x = a(f);
    return x >= lo && x < hi;
  };
}
