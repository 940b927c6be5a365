// Conditions compiled to JavaScript source, for the hot paths that evaluate many cases with one
// pack (grading). The closures of compile.ts stay the reference and the fallback: where a runtime
// refuses code generation (a CSP without `unsafe-eval`, Cloudflare Workers,
// `node --disallow-code-generation-from-strings`), nothing here is used.
//
// DESIGN decision 4 holds for the generated source: nothing from a pack is ever spliced in as
// code. A pack value enters as a `JSON.stringify` literal (strings, finite numbers, booleans) or
// as an entry of the constants array `K`; a property name enters as a JSON-quoted key (`p["a"]`);
// identifiers in the source are made by the generator (`v3`, `R3`, `O1`), never taken from a pack.
import { IssueCode, JicengError, issue } from "../errors/index.js";
import type { Condition, FactCondition } from "../vocabulary/index.js";
import { conditionKind } from "./check.js";
import { buildTest, SET_THRESHOLD, type CompileContext } from "./compile.js";
import { invalidFactError, missingFactError, type FactEntry, type FactIndex, type FactValue } from "./facts.js";
import { isFactRef, type FactRef, type OperatorName } from "./operators.js";
import { isIsoDateString10, isIsoDateTimeString } from "./time.js";
import { foldFactName, parseFactPath } from "./paths.js";

let probed: boolean | undefined;
/**
 * Whether this runtime lets jiceng compile generated source (`new Function`). Probed once; false
 * under a CSP without `unsafe-eval`, on Cloudflare Workers, and with Node's
 * `--disallow-code-generation-from-strings`.
 */
export function canGenerateCode(): boolean {
  if (probed === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      probed = (new Function("return 1") as () => number)() === 1;
    } catch {
      probed = false;
    }
  }
  return probed;
}

/** A JavaScript literal for a pack value, or undefined when it must go through the constants array. */
export function literal(v: unknown): string | undefined {
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (typeof v === "number" && Number.isFinite(v) && !Object.is(v, -0)) return JSON.stringify(v);
  return undefined;
}

/** `p["name"]`: a property name as a JSON-quoted key. */
const prop = (p: string, name: string) => `${p}[${JSON.stringify(name)}]`;

/**
 * Builds the source of one function that evaluates many conditions against one case, each fact
 * read and validated at most once and only when a test reaches it (the semantics, errors and
 * order of the framed closures of compile.ts). `trusted`: the case was validated before (a
 * ValidCase), so values are not checked again; a missing fact still takes its default or throws.
 */
export class ConditionCodegen {
  /** Constants the source refers to as `K[i]`. */
  readonly constants: unknown[] = [];
  private readonly helpers: string[] = [];
  private readonly locals: string[] = [];
  private readonly factSlots = new Map<string, number>();
  private readonly objSlots = new Map<string, number>();
  private readonly named = new Map<string, string>();
  private readonly entries: FactEntry[] = [];
  private readonly tz: string;

  /**
   * `eager`: every fact is read up front into a local by {@link ConditionCodegen.prologue}, the
   * conditions then test locals. `"checked"`: each declared fact (all of them, used or not) is
   * own-property-checked and validated, and the function returns `undefined` at the first
   * irregularity (the caller then takes the path that reports it). `"frozen"`: the input is a
   * ValidCase this engine froze (every declared key an own property, values valid): plain loads.
   * `"record"`: the input is a ValidCase's record (see {@link generateCaseRecord}): every declared
   * fact a field `fN` (N its declaration index), defaults filled in: one monomorphic load a fact.
   */
  /**
   * `explaining` (with `"checked"`): the prologue also keeps, per fact with a default, whether the
   * default was used (`dN`), so {@link ConditionCodegen.trace} can build explanations.
   */
  constructor(
    private readonly ctx: CompileContext,
    private readonly trusted: boolean,
    private readonly eager?: "checked" | "frozen" | "record",
    private readonly explaining = false,
  ) {
    this.tz = ctx.timeZone ?? "Asia/Shanghai";
  }
  private recording: Set<number> | undefined;
  private traces = 0;

  /** `K[i]` for a value. */
  constant(v: unknown): string {
    let i = this.constants.indexOf(v);
    if (i < 0) i = this.constants.push(v) - 1;
    return `K[${i}]`;
  }

  private fact(name: string): FactEntry {
    const e = this.ctx.facts.get(name);
    if (!e) throw new JicengError(issue(IssueCode.INTERNAL, ["facts", name], `内部错误：事实“${name}”未声明`, `Internal error: fact "${name}" is not declared`));
    return e;
  }

  /** An expression for the plain object at the first `n` segments (`root` for none), or `undefined`. */
  private object(segs: readonly string[], n: number): string {
    if (n === 0) return "root";
    const key = JSON.stringify(segs.slice(0, n));
    let s = this.objSlots.get(key);
    if (s === undefined) {
      s = this.objSlots.size;
      this.objSlots.set(key, s);
      const parent = this.object(segs, n - 1);
      const k = segs[n - 1]!;
      this.helpers.push(`function O${s}(p) { if (p === undefined || !hop.call(p, ${JSON.stringify(k)})) return undefined; const v = ${prop("p", k)}; return v !== null && typeof v === "object" && !isArray(v) ? v : undefined; }`);
      this.locals.push(`so${s} = false`, `o${s}`);
      // The parent expression is spliced where this slot is filled (see objectExpr).
      this.objParents.set(s, parent);
    }
    return `(so${s} ? o${s} : (o${s} = O${s}(${this.objParents.get(s)!}), so${s} = true, o${s}))`;
  }
  private readonly objParents = new Map<number, string>();

  /** A validity test of `v` for a fact, as source. */
  validity(entry: FactEntry): string {
    const def = entry.def;
    const range = (t: string) => {
      const parts = [t];
      if (def.min !== undefined) parts.push(`v >= ${literal(def.min) ?? this.constant(def.min)}`);
      if (def.max !== undefined) parts.push(`v <= ${literal(def.max) ?? this.constant(def.max)}`);
      return parts.join(" && ");
    };
    switch (entry.type) {
      case "string":
        return `typeof v === "string"`;
      case "boolean":
        return `typeof v === "boolean"`;
      case "number":
        return range(`typeof v === "number" && Number.isFinite(v)`);
      case "integer":
        return range(`Number.isInteger(v)`);
      case "enum":
        return `typeof v === "string" && ${this.enumTest(entry, "v")}`;
      case "enum-list":
      case "string-list": {
        // A helper per fact: a loop over the list, each element tested inline.
        const id = this.helpers.length;
        const item = entry.type === "enum-list" ? ` || !${this.enumTest(entry, "e")}` : "";
        this.helpers.push(`function L${id}(v) { if (!isArray(v)) return false; for (let i = 0; i < v.length; i++) { const e = v[i]; if (typeof e !== "string"${item}) return false; } return true; }`);
        return `L${id}(v)`;
      }
      case "datetime":
        return `typeof v === "string" && ${this.constant(isIsoDateTimeString)}(v)`;
      case "date":
        return `typeof v === "string" && v.length === 10 && ${this.constant(isIsoDateString10)}(v)`;
      default:
        return `${this.constant(entry.isValid)}(v)`;
    }
  }

  /** Whether the string `x` is one of an enum fact's values: a chain of `===` on JSON literals, or a Set of many. */
  private enumTest(entry: FactEntry, x: string): string {
    const values = [...(entry.enumValues ?? [])];
    if (values.length <= SET_THRESHOLD) return `(${values.map((y) => `${x} === ${JSON.stringify(y)}`).join(" || ") || "false"})`;
    return `${this.constant(entry.enumValues)}.has(${x})`;
  }

  /** An expression for the value of a declared fact (its default when missing), read once per evaluation. */
  value(name: string): string {
    let s = this.factSlots.get(name);
    const entry = this.fact(name);
    if (this.eager) {
      if (s === undefined) {
        s = this.entries.push(entry) - 1;
        this.factSlots.set(name, s);
      }
      this.recording?.add(s);
      return entry.hasDefault ? `v${s}` : `(v${s} !== undefined ? v${s} : MISS(${s}))`;
    }
    if (s === undefined) {
      s = this.entries.push(entry) - 1;
      this.factSlots.set(name, s);
      const segs = entry.segments;
      const last = segs[segs.length - 1]!;
      const dflt = entry.hasDefault ? (literal(entry.def.default) ?? this.constant(entry.def.default as FactValue)) : undefined;
      const missing = dflt === undefined ? `throw MISSING(${s})` : `return ${dflt}`;
      const check = this.trusted ? "" : ` if (!(${this.validity(entry)})) throw INVALID(${s}, v);`;
      this.helpers.push(`function R${s}(p) { const v = p !== undefined && hop.call(p, ${JSON.stringify(last)}) ? ${prop("p", last)} : undefined; if (v === undefined) ${missing};${check} return v; }`);
      this.locals.push(`s${s} = false`, `v${s}`);
      this.valueParents.set(s, this.object(segs, segs.length - 1));
    }
    return `(s${s} ? v${s} : (v${s} = R${s}(${this.valueParents.get(s)!}), s${s} = true, v${s}))`;
  }
  private readonly valueParents = new Map<number, string>();

  /** The declared facts the generated code reads through {@link ConditionCodegen.value}, in the order first asked for. */
  readFacts(): string[] {
    return [...this.factSlots.keys()];
  }

  /** The local of a declared fact an eager generator reads (after {@link ConditionCodegen.value} asked for it). */
  local(name: string): string {
    return `v${this.factSlots.get(name)!}`;
  }

  /** A boolean expression for a condition (same order of evaluation as the closures). */
  condition(c: Condition): string {
    const kind = conditionKind(c);
    switch (kind) {
      case "all":
      case "any": {
        const list = ((c as Record<string, unknown>)[kind] as Condition[] | undefined) ?? [];
        const prio = (x: Condition) => (x as { priority?: number }).priority ?? 1;
        const order = list.map((_, i) => i).sort((a, b) => prio(list[b]!) - prio(list[a]!));
        if (order.length === 0) return "true";
        return `(${order.map((i) => this.condition(list[i]!)).join(kind === "all" ? " && " : " || ")})`;
      }
      case "not":
        return `!${this.condition((c as { not: Condition }).not)}`;
      case "condition": {
        const ref = (c as { condition: string }).condition;
        let src = this.named.get(ref);
        if (src === undefined) {
          src = this.condition(this.ctx.named[ref] as Condition);
          this.named.set(ref, src);
        }
        return src;
      }
      case "fact":
        return this.leaf(c as FactCondition);
      default:
        throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：无法编译的条件", "Internal error: a condition that cannot be compiled"));
    }
  }

  private leaf(c: FactCondition): string {
    const p = c.path === undefined ? undefined : parseFactPath(c.path);
    const name = foldFactName(c.fact, p && p.ok ? p.segments : []);
    const entry = this.fact(name);
    const op = c.operator as OperatorName;
    const value: unknown = c.value;
    const refName = isFactRef(value) ? refNameOf(value) : undefined;
    const a = () => this.value(name);
    const slot = () => `v${this.factSlots.get(name)!}`;
    switch (op) {
      case "equal":
      case "notEqual": {
        const cmp = op === "equal" ? "===" : "!==";
        if (refName !== undefined) return `(${a()} ${cmp} ${this.value(refName)})`;
        return `(${a()} ${cmp} ${literal(value) ?? this.constant(value)})`;
      }
      case "lessThan":
      case "lessThanInclusive":
      case "greaterThan":
      case "greaterThanInclusive": {
        const cmp = op === "lessThan" ? "<" : op === "lessThanInclusive" ? "<=" : op === "greaterThan" ? ">" : ">=";
        if (refName !== undefined) return `(${a()} ${cmp} ${this.value(refName)})`;
        return `(${a()} ${cmp} ${literal(value) ?? this.constant(value)})`;
      }
      case "in":
      case "notIn": {
        const want = op === "in";
        if (refName !== undefined) return `(${a()}, ${this.value(refName)}.indexOf(${slot()}) > -1 === ${want})`;
        const list = value as readonly unknown[];
        if (list.length > SET_THRESHOLD) return `(${want ? "" : "!"}${this.constant(new Set(list))}.has(${a()}))`;
        const lits = list.map((x) => literal(x));
        if (list.length === 0 || lits.some((x) => x === undefined)) return `(${this.constant(list.slice())}.indexOf(${a()}) ${want ? ">" : "==="} -1)`;
        const read = a();
        return want ? `(${read}, ${lits.map((x) => `${slot()} === ${x}`).join(" || ")})` : `(${read}, ${lits.map((x) => `${slot()} !== ${x}`).join(" && ")})`;
      }
      case "contains":
      case "doesNotContain": {
        const want = op === "contains";
        const item = refName !== undefined ? undefined : (literal(value) ?? this.constant(value));
        if (refName !== undefined) return `(${a()}, ${slot()}.indexOf(${this.value(refName)}) > -1 === ${want})`;
        return `(${a()}.indexOf(${item}) ${want ? ">" : "==="} -1)`;
      }
      default: {
        // Dates and instants: the closure of compile.ts, reading the case directly (same checks, same errors).
        const ref = refName !== undefined ? this.fact(refName) : undefined;
        const of = op === "withinDays" ? (value as { of: unknown }).of : undefined;
        const ofRef = isFactRef(of) ? this.fact(refNameOf(of)) : undefined;
        const test = buildTest(entry, op, value, ref, ofRef, this.tz);
        // A record's case is its `o` (the frozen copy).
        return `${this.constant(test)}(${this.eager === "record" ? "f.o" : "f"})`;
      }
    }
  }

  /**
   * For an eager generator: the statements that read (and, checked, validate) the facts into their
   * locals, in declaration-trie order; call after every condition is generated. Checked: returns
   * `undefined` from the function when the input is not a plain object, a declared container is
   * not one, a value is invalid, or a value is not an own property.
   */
  prologue(): string {
    const checked = this.eager === "checked";
    const out: string[] = [];
    if (this.eager === "record") {
      const order = recordFields(this.ctx.facts);
      for (const [name, s] of this.factSlots) out.push(`const v${s} = f.${order.get(name)!};`);
      return out.map((l) => `  ${l}`).join("\n");
    }
    if (checked) out.push(`if (f === null || typeof f !== "object" || isArray(f)) return undefined; { const pr = getProto(f); if (pr !== OP && pr !== null) return undefined; }`);
    const root = factTrie(this.ctx.facts.values(), (e) => checked || this.factSlots.has(e.name));
    let unused = 0;
    let containers = 0;
    // A value found where Object.prototype could have supplied it is read as missing unless it is
    // the object's own (the only prototypes let through are Object.prototype and null).
    const inherited = (parent: string, key: string) => `OP[${JSON.stringify(key)}] !== undefined && !hop.call(${parent}, ${JSON.stringify(key)})`;
    const walk = (node: TrieNode, parent: string, maybeUndefined: boolean) => {
      for (const [key, child] of node.children) {
        const load = maybeUndefined ? `${parent} === undefined ? undefined : ${prop(parent, key)}` : prop(parent, key);
        if (child.fact) {
          const e = child.fact;
          const s = this.factSlots.get(e.name);
          const local = s === undefined ? `u${unused++}` : `v${s}`;
          out.push(`let ${local} = ${load};`);
          if (checked) out.push(`if (${local} !== undefined) { if (${inherited(parent, key)}) ${local} = undefined; else { const v = ${local}; if (!(${this.validity(e)})) return undefined; } }`);
          if (s !== undefined && e.hasDefault) {
            const dflt = literal(e.def.default) ?? this.constant(e.def.default as FactValue);
            out.push(this.explaining ? `let d${s} = false; if (${local} === undefined) { ${local} = ${dflt}; d${s} = true; }` : `if (${local} === undefined) ${local} = ${dflt};`);
          }
        } else {
          const c = `c${containers++}`;
          out.push(`${checked ? "let" : "const"} ${c} = ${load};`);
          if (checked) out.push(`if (${c} !== undefined) { if (${inherited(parent, key)}) ${c} = undefined; else { if (${c} === null || typeof ${c} !== "object" || isArray(${c})) return undefined; const pr = getProto(${c}); if (pr !== OP && pr !== null) return undefined; } }`);
          walk(child, c, true);
        }
      }
    };
    walk(root, "f", false);
    return out.map((l) => `  ${l}`).join("\n");
  }

  /**
   * For an explaining generator: a call expression that builds the explanation of `c` (the
   * ConditionTrace the closures' `explain` gives: same nodes, keys in the same order, the values
   * seen), from the fact locals of the prologue. Only valid where every fact it reads is present
   * or has a default (see {@link ConditionCodegen.missingBail}): the trace holds no errors.
   */
  trace(c: Condition): string {
    const used = new Set<number>();
    const outer = this.recording;
    this.recording = used;
    const out: string[] = [];
    let n = 0;
    const named = (x: Condition) => {
      const label = (x as { name?: unknown }).name;
      return typeof label === "string" ? `, name: ${JSON.stringify(label)}` : "";
    };
    const walk = (x: Condition): string => {
      const kind = conditionKind(x);
      switch (kind) {
        case "all":
        case "any": {
          const kids = (((x as Record<string, unknown>)[kind] as Condition[] | undefined) ?? []).map(walk);
          const result = kids.length === 0 ? "true" : kids.map((k) => `${k}.result`).join(kind === "all" ? " && " : " || ");
          const t = `t${n++}`;
          out.push(`  const ${t} = { kind: ${JSON.stringify(kind)}, result: ${result}, children: [${kids.join(", ")}]${named(x)} };`);
          return t;
        }
        case "not": {
          const kid = walk((x as { not: Condition }).not);
          const t = `t${n++}`;
          out.push(`  const ${t} = { kind: "not", result: !${kid}.result, children: [${kid}]${named(x)} };`);
          return t;
        }
        case "condition": {
          const ref = (x as { condition: string }).condition;
          const kid = walk(this.ctx.named[ref] as Condition);
          const t = `t${n++}`;
          out.push(`  const ${t} = { kind: "ref", name: ${JSON.stringify(ref)}, result: ${kid}.result, children: [${kid}] };`);
          return t;
        }
        case "fact": {
          const fc = x as FactCondition;
          const p = fc.path === undefined ? undefined : parseFactPath(fc.path);
          const entry = this.fact(foldFactName(fc.fact, p && p.ok ? p.segments : []));
          const result = this.leaf(fc);
          const local = (e: FactEntry) => {
            this.value(e.name);
            return `v${this.factSlots.get(e.name)!}`;
          };
          const seen = local(entry);
          const value: unknown = fc.value;
          let valueFact: string | undefined;
          let shown: string;
          const of = fc.operator === "withinDays" ? (value as { of: unknown }).of : undefined;
          if (isFactRef(value)) {
            valueFact = refNameOf(value);
            shown = local(this.fact(valueFact));
          } else if (isFactRef(of)) {
            valueFact = refNameOf(of);
            const days = (value as { days: unknown }).days;
            shown = `{ days: ${literal(days) ?? this.constant(days)}, of: ${local(this.fact(valueFact))} }`;
          } else shown = literal(value) ?? this.constant(value);
          const t = `t${n++}`;
          const node = (usedDefault: boolean) =>
            `{ kind: "fact", result: r${t}, fact: ${JSON.stringify(entry.name)}, operator: ${JSON.stringify(fc.operator)}${named(x)}, factValue: ${seen}${usedDefault ? ", usedDefault: true" : ""}${valueFact === undefined ? "" : `, valueFact: ${JSON.stringify(valueFact)}`}, value: ${shown} }`;
          const d = `d${this.factSlots.get(entry.name)!}`;
          out.push(`  const r${t} = ${result};`, `  const ${t} = ${entry.hasDefault ? `${d} ? ${node(true)} : ${node(false)}` : node(false)};`);
          return t;
        }
        default:
          throw new JicengError(issue(IssueCode.INTERNAL, [], "内部错误：无法编译的条件", "Internal error: a condition that cannot be compiled"));
      }
    };
    const root = walk(c);
    this.recording = outer;
    for (const s of used) outer?.add(s);
    const params = ["f", ...[...used].sort((a, b) => a - b).flatMap((s) => (this.entries[s]!.hasDefault ? [`v${s}`, `d${s}`] : [`v${s}`]))].join(", ");
    const id = this.traces++;
    this.helpers.push(`function T${id}(${params}) {\n${out.join("\n")}\n  return ${root};\n}`);
    return `T${id}(${params})`;
  }

  /**
   * For an explaining generator, after everything is generated: return `undefined` when a fact the
   * conditions read has no default and is missing (the closures then explain the error).
   */
  missingBail(): string {
    const missing = [...this.factSlots.values()].filter((s) => !this.entries[s]!.hasDefault).map((s) => `v${s} === undefined`);
    return missing.length ? `  if (${missing.join(" || ")}) return undefined;` : "";
  }

  /**
   * Statements that return `undefined` unless every enumerable field of the input (and of each
   * declared container in it) is an own field the pack declares: with the checked prologue, what
   * `isCleanCase` accepts (so admission would find nothing to warn about).
   */
  unknownFieldScan(): string {
    const out: string[] = [];
    let containers = 0;
    // The containers are the prologue's locals c0, c1… (numbered in the same depth-first order),
    // undefined when absent or not the input's own.
    const walk = (node: TrieNode, obj: string) => {
      const keys = [...node.children.keys()].map((k) => `case ${JSON.stringify(k)}:`).join(" ");
      out.push(`  for (const k in ${obj}) { if (!hop.call(${obj}, k)) return undefined; switch (k) { ${keys} break; default: return undefined; } }`);
      for (const child of node.children.values()) {
        if (child.fact) continue;
        const c = `c${containers++}`;
        out.push(`  if (${c} !== undefined) {`);
        walk(child, c);
        out.push(`  }`);
      }
    };
    walk(factTrie(this.ctx.facts.values()), "f");
    return out.join("\n");
  }

  /**
   * The source of a factory `(K, H) => body-result`: the helpers, then `body`, which may declare
   * `function` and must `return` the evaluator; `{{locals}}` in `body` becomes the fact and object
   * slot declarations (put it at the top of the evaluator).
   */
  source(body: string): string {
    const locals = this.locals.length ? `let ${this.locals.join(", ")};` : "";
    return [
      `"use strict";`,
      `const hop = H.hop, isArray = Array.isArray, MISSING = H.missing, INVALID = H.invalid, OP = Object.prototype, getProto = Object.getPrototypeOf;`,
      `function MISS(i) { throw MISSING(i); }`,
      ...this.helpers,
      body.replaceAll("{{locals}}", () => locals),
    ].join("\n");
  }

  /** Compile the source (throws when the runtime refuses code generation). */
  build<T>(body: string): T {
    const entries = this.entries;
    const source = this.source(body);
    captured?.push({ source, constants: this.constants, facts: entries.map((e) => e.name) });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function("K", "H", source) as (k: unknown[], h: unknown) => T;
    return factory(this.constants, generatedHelpers((i) => entries[i]!));
  }
}

/**
 * The helpers `H` of a generated factory `(K, H)`; `entry(i)` is the fact of slot `i` (asked for
 * only to build an error). For factories compiled ahead of time too (a compiled pack's module code).
 * @internal
 */
export function generatedHelpers(entry: (i: number) => FactEntry): unknown {
  return {
    hop: Object.prototype.hasOwnProperty,
    missing: (i: number) => missingFactError(entry(i)),
    invalid: (i: number, v: unknown) => invalidFactError(entry(i), v),
  };
}

/** A generated factory's source with its constants and the facts of its slots, as {@link captureGenerated} returns them. @internal */
export interface GeneratedSource {
  /** The body of the factory `(K, H)`. */
  readonly source: string;
  readonly constants: readonly unknown[];
  /** The fact name of each slot `i` of `H.missing(i)` / `H.invalid(i, v)`. */
  readonly facts: readonly string[];
}

let captured: GeneratedSource[] | undefined;
/**
 * Runs `f` and returns every factory it generated, in order (it still compiles them). `jiceng
 * compile` writes the grader's generated code into the compiled pack's module this way.
 * @internal
 */
export function captureGenerated(f: () => unknown): GeneratedSource[] {
  const outer = captured;
  const mine: GeneratedSource[] = [];
  captured = mine;
  try {
    f();
  } finally {
    captured = outer;
  }
  return mine;
}

/** The field of each declared fact in a ValidCase's record: `f` and its declaration index (generator-made names, never a pack's). */
function recordFields(index: FactIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of index.keys()) out.set(name, `f${out.size}`);
  return out;
}

/**
 * The maker of a ValidCase's record, as generated code for one fact index: from the frozen copy
 * (engine/cases.ts, every declared key its own, values validated), a frozen object `{ o, f0, f1… }`
 * holding the copy as `o` and every declared fact as `fN` (N its declaration index), its default
 * when left out (undefined when it has none). One object literal, so every record of an index
 * shares one hidden class and the trusted evaluators ({@link ConditionCodegen} `"record"`) read
 * it with monomorphic loads, without the branches of the defaults. `only`: the facts to hold (the
 * ones the trusted evaluators read; by default every declared fact), still named by their
 * declaration index. Undefined when the runtime refuses code generation.
 */
export function generateCaseRecord(index: FactIndex, only?: Iterable<string>): ((copy: Readonly<Record<string, unknown>>) => { readonly o: object }) | undefined {
  if (!canGenerateCode()) return undefined;
  const gen = new ConditionCodegen({ facts: index, named: {} }, true, "frozen");
  const keep = only === undefined ? undefined : new Set(only);
  const fields = [...recordFields(index)].filter(([name]) => keep === undefined || keep.has(name));
  const locals = fields.map(([name, field]) => {
    gen.value(name);
    return `${field}: ${gen.local(name)}`;
  });
  const body = `function record(f) {\n${gen.prologue()}\n  return Object.freeze({ o: f, ${locals.join(", ")} });\n}\nreturn record;`;
  try {
    return gen.build<(copy: Readonly<Record<string, unknown>>) => { readonly o: object }>(body);
  } catch {
    return undefined;
  }
}

function refNameOf(ref: FactRef): string {
  const p = ref.path === undefined ? undefined : parseFactPath(ref.path);
  return foldFactName(ref.fact, p && p.ok ? p.segments : []);
}

interface TrieNode {
  fact?: FactEntry;
  children: Map<string, TrieNode>;
}

/** The declared facts (those `keep` keeps) as a tree of their path segments, in declaration order. */
function factTrie(entries: Iterable<FactEntry>, keep: (e: FactEntry) => boolean = () => true): TrieNode {
  const root: TrieNode = { children: new Map() };
  for (const e of entries) {
    if (!keep(e)) continue;
    let node = root;
    for (const seg of e.segments) {
      let next = node.children.get(seg);
      if (!next) node.children.set(seg, (next = { children: new Map() }));
      node = next;
    }
    node.fact = e;
  }
  return root;
}

/**
 * `isCleanCase` (conditions/facts.ts) as generated code for one fact index: true when the input is
 * a plain object whose every own field is a declared fact with a valid value, or a plain object
 * holding such fields. One function per level of the declared names, a `switch` on JSON-quoted keys.
 * Undefined when the runtime refuses code generation.
 */
export function generateCleanCheck(index: FactIndex): ((input: unknown) => boolean) | undefined {
  if (!canGenerateCode()) return undefined;
  const root = factTrie(index.values());
  const gen = new ConditionCodegen({ facts: index, named: {} }, false);
  const fns: string[] = [];
  const emit = (node: TrieNode): number => {
    const id = fns.push("") - 1;
    const cases = [...node.children].map(([key, child]) => {
      const test = child.fact ? gen.validity(child.fact) : `isPlain(v) && N${emit(child)}(v)`;
      return `      case ${JSON.stringify(key)}: if (v !== undefined && !(${test})) return false; break;`;
    });
    fns[id] = `function N${id}(o) {\n  for (const k in o) {\n    if (!hop.call(o, k)) return false;\n    const v = o[k];\n    switch (k) {\n${cases.join("\n")}\n      default: return false;\n    }\n  }\n  return true;\n}`;
    return id;
  };
  emit(root);
  const body = [
    `function isPlain(o) { if (o === null || typeof o !== "object" || isArray(o)) return false; const p = getProto(o); return p === OP || p === null; }`,
    ...fns,
    `return function isCleanCase(f) { return isPlain(f) && N0(f); };`,
  ].join("\n");
  try {
    return gen.build<(input: unknown) => boolean>(body);
  } catch {
    return undefined;
  }
}
