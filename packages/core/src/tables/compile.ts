import type { ConditionLimits } from "../conditions/check.js";
import { ConditionCodegen, canGenerateCode } from "../conditions/codegen.js";
import { createConditionCompiler, type CompileContext, type CompiledCondition, type ConditionTrace } from "../conditions/compile.js";
import { buildFactIndex, checkFacts, validateCaseFacts, type FactIndex } from "../conditions/facts.js";
import { IssueCode, JicengError, formatPath, isJicengError, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import { DecisionTableSchema } from "./schema.js";
import { type Cite, type Condition, type FactDef } from "../vocabulary/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { duplicateIssue } from "../vocabulary/duplicates.js";
import { checkDerive, createDeriver, derivedFactDefs, readYearList, type Deriver } from "./derive.js";
import type { DecisionTable, DecisionTableInput, HitPolicy, TableRow } from "./schema.js";

/** What a table compiles against when it declares no facts of its own, and where it sits. */
export interface TableContext {
  /** The facts rows read when the table declares none (usually the pack's facts): an index or the declarations. */
  facts?: FactIndex | readonly FactDef[] | undefined;
  /** Named conditions (a pack's `conditions`), referenced by `{ condition: name }`. */
  named?: Readonly<Record<string, Condition>> | undefined;
  /** IANA time zone for date conditions. Default `Asia/Shanghai`. */
  timeZone?: string | undefined;
  /** Where the table sits, for issue paths, e.g. `["tables", "households"]`. Default `[]`. */
  path?: IssuePath | undefined;
  /** The table's id, for messages. Default: the last segment of `path`. */
  id?: string | undefined;
  limits?: Partial<ConditionLimits> | undefined;
  /**
   * Decide which rows hold by generated JavaScript (`new Function`) where the runtime allows it
   * (default `true`); `false` keeps the compiled closures, as a runtime that refuses code
   * generation does. Explanations (`evaluate`'s traces) come from the closures either way.
   */
  generateCode?: boolean | undefined;
}

/** A row's result: the JSON object the pack wrote (frozen). */
export type TableResult = Readonly<Record<string, unknown>>;

/** Where a row or default comes from: `cite`, or `local` with a `note`. */
export interface TableProvenance {
  cite?: Cite;
  local?: true;
  note?: Text;
}

/** A row that held, with the conditions that made it hold. */
export interface TableHit extends TableProvenance {
  rowId: string;
  /** The row's index in `rows`. */
  index: number;
  /** The row's JSON path, e.g. `["tables", "households", "rows", 0]`. */
  path: IssuePath;
  label?: Text;
  result: TableResult;
  conditions: ConditionTrace;
}

/** The default that applied because no row held. */
export interface TableFallback extends TableProvenance {
  path: IssuePath;
  label?: Text;
  result: TableResult;
}

/** How a table decided for one input. */
export interface TableEvaluation {
  table: string | undefined;
  hitPolicy: HitPolicy;
  /** The rows that decided: the first match (`first`), the only match (`unique`), every match (`collect`). Empty when the default applied. */
  hits: TableHit[];
  /** The first hit's result (`first`, `unique`); every hit's result (`collect`); the default's when no row held. */
  result: TableResult | TableResult[];
  usedDefault: boolean;
  /** The default, when it applied. */
  fallback?: TableFallback;
  /** `first` tables: later rows that held too but lost by row order. */
  alsoMatched: TableHit[];
}

/** One compiled row. */
export interface CompiledRow {
  readonly id: string;
  readonly index: number;
  readonly path: IssuePath;
  readonly row: TableRow;
  readonly condition: CompiledCondition;
}

/** A decision table compiled once: evaluate it as often as you like, synchronously. */
export interface CompiledTable {
  readonly id: string | undefined;
  readonly path: IssuePath;
  readonly table: DecisionTable;
  readonly hitPolicy: HitPolicy;
  /** Every fact the rows may read: the declared ones and the derived ones. */
  readonly facts: FactIndex;
  /** The declared facts (the table's own, or the context's). */
  readonly declaredFacts: readonly FactDef[];
  readonly rows: readonly CompiledRow[];
  /** The named conditions the rows were compiled with. */
  readonly named: Readonly<Record<string, Condition>>;
  readonly timeZone: string;
  /** Adds the derived facts to an input (a shallow copy); the identity when the table derives none. */
  derive(facts: unknown): unknown;
  /** Decide with reasons. Throws TABLE_OVERLAP (`unique`, several rows), NO_MATCH (no row, no default), MISSING_FACT, INVALID_FACT. */
  evaluate(facts: unknown): TableEvaluation;
  /** Decide without traces: the result only (same errors as `evaluate`). */
  decide(facts: unknown): TableResult | TableResult[];
  /** Every problem of an input at once: wrong types (errors) and unknown fields (warnings). */
  validate(facts: unknown, path?: IssuePath): JicengIssue[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

function provenance(x: { cite?: Cite | undefined; local?: true | undefined; note?: Text | undefined }): TableProvenance {
  const out: TableProvenance = {};
  if (x.cite) out.cite = x.cite;
  if (x.local) out.local = true;
  if (x.note) out.note = x.note;
  return out;
}

function isFactIndex(f: TableContext["facts"]): f is FactIndex {
  return f instanceof Map;
}

interface Prepared {
  table: DecisionTable;
  path: IssuePath;
  id: string | undefined;
  declared: readonly FactDef[];
  issues: JicengIssue[];
  /** True when the table cannot be compiled at all (its schema or its facts are broken). */
  fatal: boolean;
}

function prepare(input: DecisionTable | DecisionTableInput | unknown, ctx: TableContext): Prepared {
  const path = ctx.path ?? [];
  const last = path[path.length - 1];
  const id = ctx.id ?? (typeof last === "string" ? last : undefined);
  const parsed = DecisionTableSchema.safeParse(input);
  if (!parsed.success) return { table: undefined as unknown as DecisionTable, path, id, declared: [], issues: fromZodIssues(parsed.error.issues, path), fatal: true };
  const table = parsed.data;
  const issues: JicengIssue[] = [];
  let declared: readonly FactDef[];
  if (table.facts) {
    declared = table.facts;
    issues.push(...checkFacts(declared, [...path, "facts"]));
  } else if (ctx.facts !== undefined) {
    declared = isFactIndex(ctx.facts) ? [...ctx.facts.values()].map((e) => e.def) : ctx.facts;
  } else {
    declared = [];
    issues.push(issue(IssueCode.SCHEMA, [...path, "facts"], "决策表没有声明 facts，调用方也未提供事实", "The table declares no facts and none were given to compile it against"));
  }
  issues.push(...checkDerive(table.derive ?? [], table.yearLists ?? [], declared, path));
  const fatal = issues.some((i) => i.severity === "error");
  const seen = new Map<string, number>();
  table.rows.forEach((r, i) => {
    const prev = seen.get(r.id);
    if (prev !== undefined) issues.push(duplicateIssue([...path, "rows", i, "id"], [...path, "rows", prev, "id"], { zh: `行标识“${r.id}”重复`, en: `Duplicate row id "${r.id}"` }));
    else seen.set(r.id, i);
  });
  if (table.hitPolicy === "collect" && table.default) {
    issues.push(issue(IssueCode.SCHEMA, [...path, "default"], "collect 表没有命中时结果为空列表，default 仍会作为唯一结果返回", "A collect table returns the default as its only result when no row holds", { severity: "warning" }));
  }
  return { table, path, id, declared, issues, fatal };
}

/**
 * Every problem of a decision table without compiling it for use: the schema, the facts it
 * declares, its derived facts, duplicate row ids, and each row's condition (unknown facts,
 * operators that do not fit, values of the wrong type…), each with its JSON path.
 *
 * @example
 * checkTable(pack.tables.households, { facts: pack.facts, named: pack.conditions, path: ["tables", "households"] });
 * // → [] when the table is sound
 * @see DESIGN.md decision 4 (a hostile pack gets a clear validation error)
 */
export function checkTable(table: unknown, ctx: TableContext = {}): JicengIssue[] {
  const p = prepare(table, ctx);
  if (p.fatal) return p.issues;
  try {
    build(p, ctx);
    return p.issues;
  } catch (error) {
    if (isJicengError(error)) return [...p.issues, ...error.issues];
    throw error;
  }
}

/**
 * Compile a decision table once into synchronous closures. Rows are json-rules-engine conditions
 * compiled by `compileCondition`: a missing fact takes its declared default, else evaluation
 * throws MISSING_FACT; it is never silently false. Throws a {@link JicengError} with every issue
 * of an invalid table.
 *
 * @example
 * const t = compileTable(pack.tables.households, { path: ["tables", "households"] });
 * const r = t.evaluate({ income: 9000, villageAverageIncome: 12000, year: 2021, safeFamilyYears: [], leftBehind: ["elderly"], disabledMembers: 0, povertyMonitoring: "none", prisonRecord: "none" });
 * r.result;          // { class: "red", … }
 * r.hits[0].rowId;   // "red"
 * @see DESIGN.md decision 3 (every decision explains itself)
 */
export function compileTable(table: DecisionTable | DecisionTableInput | unknown, ctx: TableContext = {}): CompiledTable {
  const p = prepare(table, ctx);
  const errors = p.issues.filter((i) => i.severity === "error");
  if (p.fatal) throw new JicengError(errors);
  let built: CompiledTable;
  try {
    built = build(p, ctx);
  } catch (error) {
    if (isJicengError(error)) throw new JicengError([...errors, ...error.issues]);
    throw error;
  }
  if (errors.length) throw new JicengError(errors);
  return built;
}

/**
 * Evaluate a table once: `compileTable(table, ctx).evaluate(facts)`. Compile the table yourself
 * when you evaluate it more than once.
 *
 * @example
 * evaluateTable(visits, { class: "yellow" }).result; // { duty: … }
 */
export function evaluateTable(table: DecisionTable | DecisionTableInput | unknown, facts: unknown, ctx: TableContext = {}): TableEvaluation {
  return compileTable(table, ctx).evaluate(facts);
}

function build(p: Prepared, ctx: TableContext): CompiledTable {
  const { table, path, id, declared } = p;
  const derive = table.derive ?? [];
  const lists = table.yearLists ?? [];
  const facts = buildFactIndex([...declared, ...derivedFactDefs(derive)]);
  const declaredIndex = buildFactIndex(declared);
  const compiler = createConditionCompiler({ facts, named: ctx.named ?? {}, timeZone: ctx.timeZone, limits: ctx.limits });
  const issues: JicengIssue[] = [];
  const rows: CompiledRow[] = [];
  table.rows.forEach((row, index) => {
    const rowPath = [...path, "rows", index];
    try {
      rows.push({ id: row.id, index, path: rowPath, row, condition: compiler.compile(row.when, [...rowPath, "when"]) });
    } catch (error) {
      if (!isJicengError(error)) throw error;
      issues.push(...error.issues.map((i) => ({ ...i, ruleId: row.id })));
    }
  });
  if (issues.length) throw new JicengError(issues);

  const asOfReader = (name: string) => {
    const e = facts.get(name)!;
    return (input: unknown) => e.read(input) as number;
  };
  // `derive` (public) copies the whole input; the rows' own copy holds only the fields they can read.
  const deriver: Deriver = createDeriver(derive, lists, asOfReader);
  const deriveForRows: Deriver = createDeriver(derive, lists, asOfReader, new Set([...declaredIndex.values()].map((e) => e.segments[0]!)));
  const results = rows.map((r) => deepFreeze(structuredClone(r.row.result)) as TableResult);
  const dflt = table.default;
  const dfltResult = dflt ? (deepFreeze(structuredClone(dflt.result)) as TableResult) : undefined;
  const name = id ?? "table";
  const policy = table.hitPolicy;
  const n = rows.length;
  const tests = rows.map((r) => r.condition.test);

  const ownFields: ReadonlySet<string> = new Set([...lists.map((l) => l.name), ...derive.map((x) => x.name)]);
  const noMatch = (): never => {
    throw new JicengError(issue(IssueCode.NO_MATCH, path, `决策表“${name}”没有任何行命中，且未设默认结果（default）`, `No row of table "${name}" holds, and it has no default`));
  };
  const overlap = (matched: readonly number[]): never => {
    const ids = matched.map((i) => rows[i]!.id);
    const where = matched.map((i) => formatPath(rows[i]!.path)).join(", ");
    throw new JicengError(
      issue(IssueCode.TABLE_OVERLAP, [...path, "rows"], `决策表“${name}”的命中规则为 unique，但有 ${ids.length} 行同时命中：${ids.join("、")}（${where}）`, `Table "${name}" is unique-hit, but ${ids.length} rows hold at once: ${ids.join(", ")} (${where})`, { ruleId: ids[0]! }),
    );
  };

  /** Indices of the rows that decide, per the hit policy; `others` gets later matches of a `first` table. */
  const closureMatch = (input: unknown, others?: number[]): number[] => {
    if (policy === "first") {
      for (let i = 0; i < n; i++) {
        if (tests[i]!(input)) {
          if (others) {
            // Later rows only explain; one that cannot be evaluated (a missing fact) is not a match.
            for (let j = i + 1; j < n; j++) {
              try {
                if (tests[j]!(input)) others.push(j);
              } catch (error) {
                if (!isJicengError(error)) throw error;
              }
            }
          }
          return [i];
        }
      }
      return [];
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (tests[i]!(input)) out.push(i);
    if (policy === "unique" && out.length > 1) overlap(out);
    return out;
  };

  // The same as generated code, built on first use (see generateTableMatch); the closures where
  // code generation is refused or not wanted.
  let generated: ((input: unknown, others?: number[]) => number[]) | undefined | null = ctx.generateCode !== false && canGenerateCode() ? null : undefined;
  const match = (input: unknown, others?: number[]): number[] => {
    if (generated === null) generated = generateTableMatch(rows, policy, { facts, named: ctx.named ?? {}, timeZone: ctx.timeZone }, overlap) ?? undefined;
    return generated ? generated(input, others) : closureMatch(input, others);
  };

  const hitWith = (i: number, conditions: ConditionTrace): TableHit => {
    const r = rows[i]!;
    const hit: TableHit = { rowId: r.id, index: i, path: r.path, result: results[i]!, conditions, ...provenance(r.row) };
    if (r.row.label) hit.label = r.row.label;
    return hit;
  };
  const hitOf = (i: number, input: unknown): TableHit => hitWith(i, rows[i]!.condition.explain(input));
  // The hits and their explanations in one generated pass (built on first use) when every declared
  // fact of the input is valid and every fact a row reads is present or has a default; else the
  // rows above and the closures' explanations.
  let explained: ((input: unknown) => GeneratedHits | undefined) | undefined | null = generated === undefined ? undefined : null;

  const compiled: CompiledTable = {
    id,
    path,
    table,
    hitPolicy: policy,
    facts,
    declaredFacts: declared,
    rows,
    named: ctx.named ?? {},
    timeZone: ctx.timeZone ?? "Asia/Shanghai",
    derive: deriver,
    evaluate(input) {
      const f = deriveForRows(input);
      if (explained === null) explained = generateTableExplain(rows, policy, { facts, named: ctx.named ?? {}, timeZone: ctx.timeZone }, overlap) ?? undefined;
      const g = explained === undefined ? undefined : explained(f);
      let hits: TableHit[];
      let alsoMatched: TableHit[];
      if (g !== undefined) {
        hits = g.hits.map((i, k) => hitWith(i, g.traces[k]!));
        alsoMatched = g.others.map((i, k) => hitWith(i, g.otherTraces[k]!));
      } else {
        const others: number[] = [];
        const matched = match(f, others);
        hits = matched.map((i) => hitOf(i, f));
        alsoMatched = others.map((i) => hitOf(i, f));
      }
      if (hits.length === 0) {
        if (!dflt || !dfltResult) return noMatch();
        const fallback: TableFallback = { path: [...path, "default"], result: dfltResult, ...provenance(dflt) };
        if (dflt.label) fallback.label = dflt.label;
        return { table: id, hitPolicy: policy, hits, result: policy === "collect" ? [dfltResult] : dfltResult, usedDefault: true, fallback, alsoMatched };
      }
      const result = policy === "collect" ? hits.map((h) => h.result) : hits[0]!.result;
      return { table: id, hitPolicy: policy, hits, result, usedDefault: false, alsoMatched };
    },
    decide(input) {
      const matched = match(deriveForRows(input));
      if (matched.length === 0) {
        if (!dfltResult) return noMatch();
        return policy === "collect" ? [dfltResult] : dfltResult;
      }
      return policy === "collect" ? matched.map((i) => results[i]!) : results[matched[0]!]!;
    },
    validate(input, at = ["facts"]) {
      // Year lists are checked below, derived facts warned about below: not unknown fields.
      const out = validateCaseFacts(declaredIndex, input, at, ownFields);
      for (const l of lists) {
        try {
          readYearList(l, input);
        } catch (error) {
          if (!isJicengError(error)) throw error;
          // A missing list is reported where a row needs it (MISSING_FACT); a wrong one at once.
          for (const i of error.issues) if (i.code !== IssueCode.MISSING_FACT) out.push({ ...i, path: [...at, l.name] });
        }
      }
      const o = input as Record<string, unknown> | null;
      for (const x of derive) {
        if (o && typeof o === "object" && Object.hasOwn(o, x.name)) {
          out.push(issue(IssueCode.INVALID_CASE, [...at, x.name], `“${x.name}”（${x.label.zh}）由规则包计算，输入中的值被忽略`, `"${x.name}" (${x.label.en}) is computed by the pack; the value given is ignored`, { severity: "warning" }));
        }
      }
      return out;
    },
  };
  return compiled;
}

/**
 * The rows' tests of a table as one generated function with the closures' semantics: each fact
 * read and validated at most once per evaluation, when a test first needs it (the same errors, in
 * the same order); for `first`, the later rows that also hold go to `others`, a row that cannot be
 * evaluated counting as not holding; `unique` throws TABLE_OVERLAP through `overlap`. Pack values
 * enter the source only as JSON literals or constants (conditions/codegen.ts, DESIGN decision 4).
 * Undefined when the runtime refuses code generation.
 */
function generateTableMatch(rows: readonly CompiledRow[], policy: HitPolicy, ctx: CompileContext, overlap: (matched: readonly number[]) => never): ((input: unknown, others?: number[]) => number[]) | undefined {
  if (rows.length === 0) return undefined;
  try {
    return buildTableMatch(rows, policy, ctx, overlap);
  } catch (error) {
    // Refused by the runtime: the closures decide. A JicengError here would be a bug in the generator.
    if (isJicengError(error)) throw error;
    return undefined;
  }
}

function buildTableMatch(rows: readonly CompiledRow[], policy: HitPolicy, ctx: CompileContext, overlap: (matched: readonly number[]) => never): (input: unknown, others?: number[]) => number[] {
  const gen = new ConditionCodegen(ctx, false);
  const cases = rows.map((r, i) => `      case ${i}: h = ${gen.condition(r.row.when as Condition)}; break;`).join("\n");
  const test = `switch (i) {\n${cases}\n    }`;
  const isError = gen.constant(isJicengError);
  const n = rows.length;
  const body =
    policy === "first"
      ? [
          `  let hit = -1;`,
          `  for (let i = 0; i < ${n}; i++) {`,
          `    let h = false;`,
          `    if (hit < 0) {`,
          `    ${test}`,
          `      if (h) { hit = i; if (!others) break; }`,
          `    } else {`,
          `      try {`,
          `    ${test}`,
          `      } catch (e) { if (!${isError}(e)) throw e; h = false; }`,
          `      if (h) others.push(i);`,
          `    }`,
          `  }`,
          `  return hit < 0 ? [] : [hit];`,
        ]
      : [
          `  const out = [];`,
          `  for (let i = 0; i < ${n}; i++) {`,
          `    let h = false;`,
          `    ${test}`,
          `    if (h) out.push(i);`,
          `  }`,
          policy === "unique" ? `  if (out.length > 1) ${gen.constant(overlap)}(out);` : "",
          `  return out;`,
        ];
  const src = `function match(f, others) {\n  const root = f !== null && typeof f === "object" && !isArray(f) ? f : undefined;\n  {{locals}}\n${body.join("\n")}\n}\nreturn match;`;
  return gen.build<(input: unknown, others?: number[]) => number[]>(src);
}

/** What the generated explaining pass of a table gives: the deciding rows, the later rows that also hold (`first`), and their explanations. */
interface GeneratedHits {
  hits: number[];
  traces: ConditionTrace[];
  others: number[];
  otherTraces: ConditionTrace[];
}

/**
 * `evaluate`'s rows and explanations as one generated function (the grading's explaining pass,
 * grading/grade.ts): every declared fact read once and validated, then every row tested on the
 * locals, and each hit's ConditionTrace (the closures' `explain`: same nodes, keys in the same
 * order, the values seen) built from them. `undefined` (the caller takes the rows and the
 * closures' explanations) when the input is not a plain object, a declared value is invalid or
 * inherited, or a fact a row reads is missing and has no default — so no row can fail here, and
 * hits, `alsoMatched` and TABLE_OVERLAP are the closures'. Undefined when the runtime refuses code
 * generation.
 */
function generateTableExplain(rows: readonly CompiledRow[], policy: HitPolicy, ctx: CompileContext, overlap: (matched: readonly number[]) => never): ((input: unknown) => GeneratedHits | undefined) | undefined {
  if (rows.length === 0) return undefined;
  try {
    const gen = new ConditionCodegen(ctx, false, "checked", true);
    const conds = rows.map((r) => gen.condition(r.row.when as Condition));
    const traces = rows.map((r) => gen.trace(r.row.when as Condition));
    const body: string[] = [`  const hits = [], others = [];`];
    if (policy === "first") {
      body.push(`  let i = -1;`, `  ${conds.map((c, k) => `if (${c}) i = ${k};`).join(" else ")}`, `  if (i >= 0) hits.push(i);`);
      conds.forEach((c, k) => {
        if (k > 0) body.push(`  if (i >= 0 && i < ${k} && ${c}) others.push(${k});`);
      });
    } else {
      conds.forEach((c, k) => body.push(`  if (${c}) hits.push(${k});`));
      if (policy === "unique") body.push(`  if (hits.length > 1) ${gen.constant(overlap)}(hits);`);
    }
    const cases = traces.map((t, k) => `case ${k}: return ${t};`).join(" ");
    body.push(`  const trace = (i) => { switch (i) { ${cases} } };`, `  return { hits, traces: hits.map(trace), others, otherTraces: others.map(trace) };`);
    const prologue = gen.prologue();
    const src = `function explain(f) {\n${prologue}\n${gen.missingBail()}\n${body.join("\n")}\n}\nreturn explain;`;
    return gen.build<(input: unknown) => GeneratedHits | undefined>(src);
  } catch (error) {
    // Refused by the runtime: the closures explain. A JicengError here would be a bug in the generator.
    if (isJicengError(error)) throw error;
    return undefined;
  }
}
