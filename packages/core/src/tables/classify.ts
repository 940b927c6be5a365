import type { ConditionTrace } from "../conditions/compile.js";
import { buildFactIndex, checkFacts } from "../conditions/facts.js";
import { didYouMean } from "../conditions/text.js";
import { collectIssues, IssueCode, JicengError, isJicengError, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { checkTable, compileTable, type CompiledTable, type TableHit, type TableProvenance, type TableResult } from "./compile.js";
import type { HitPolicy } from "./schema.js";

/** Why a classification came out as it did: a row (or the default), its clause, the conditions seen. */
export interface TableReason extends TableProvenance {
  /** The row id, or `"default"`. */
  rowId: string;
  path: IssuePath;
  label?: Text;
  /** The row's result (shown for rows that held but did not decide). */
  result?: TableResult;
  conditions?: ConditionTrace;
}

/** The class of an entity, with reasons. */
export interface Classification {
  table: string;
  hitPolicy: HitPolicy;
  /** The result (`first`, `unique`), or every result (`collect`). */
  result: TableResult | TableResult[];
  /** `result.class`, when the result has one. */
  class?: string;
  /** `result.label`, when the result has one. */
  label?: Text;
  /** `result.service`, when the result has one. */
  service?: unknown;
  /** True when no row held and the table's default applied. */
  usedDefault: boolean;
  /** The rows that decided, and the rows that held with the same result; or the default. */
  reasons: TableReason[];
  /** Rows that held too but lost by row order (a `first` table), with their own result. */
  overridden: TableReason[];
  /** When the default applied: every row, with the conditions that failed. */
  rejected?: TableReason[];
}

/** A pack's decision tables, compiled once. */
export interface Classifier {
  readonly tables: ReadonlyMap<string, CompiledTable>;
  /** The compiled table, or UNKNOWN_TABLE. */
  table(id: string): CompiledTable;
  /**
   * Classify an entity: validates its facts (every error at once; unknown fields are `warnings`,
   * or refused with `strict`), evaluates the table, explains.
   */
  classify(tableId: string, facts: unknown, options?: { strict?: boolean }): Classification & { warnings?: JicengIssue[] };
}

/**
 * Validates an input of a table: throws every error at once (unknown fields too when `strict`),
 * returns the warnings (unknown fields ignored).
 */
export function admitTableInput(t: CompiledTable, facts: unknown, strict: boolean, path: IssuePath = ["facts"]): JicengIssue[] {
  const all = t.validate(facts, path).map((i) => (strict && i.severity === "warning" && i.code === IssueCode.INVALID_CASE ? { ...i, severity: "error" as const } : i));
  const errors = all.filter((i) => i.severity === "error");
  if (errors.length) throw new JicengError(errors);
  return all;
}

// A row's result is deep-frozen at compile time: its JSON text never changes.
const jsonTexts = new WeakMap<object, string>();
const jsonOf = (v: unknown): string | undefined => {
  if (v === null || typeof v !== "object" || !Object.isFrozen(v)) return JSON.stringify(v);
  let t = jsonTexts.get(v);
  if (t === undefined) jsonTexts.set(v, (t = JSON.stringify(v)));
  return t;
};

const isText = (v: unknown): v is Text => !!v && typeof v === "object" && typeof (v as Text).zh === "string" && typeof (v as Text).en === "string";

function reasonOf(h: TableHit, withResult = false): TableReason {
  const r: TableReason = { rowId: h.rowId, path: h.path, conditions: h.conditions };
  if (h.label) r.label = h.label;
  if (h.cite) r.cite = h.cite;
  if (h.local) r.local = true;
  if (h.note) r.note = h.note;
  if (withResult) r.result = h.result;
  return r;
}

/**
 * Load-time checks of every table of a pack: schema-level problems are the schema's; this finds
 * unknown facts, operators that do not fit, bad derived facts and duplicate row ids, each with
 * its path under `tables.<id>`.
 *
 * @example
 * checkPackTables(pack); // [] for a sound pack
 */
export function checkPackTables(pack: RulePack): JicengIssue[] {
  const issues: JicengIssue[] = [];
  for (const [id, table] of Object.entries(pack.tables ?? {})) {
    // Pack facts are checked where they are declared; a table without facts of its own reads them.
    const packFactsOk = checkFacts(pack.facts).every((i) => i.severity !== "error");
    if (!table.facts && !packFactsOk) continue;
    issues.push(...checkTable(table, { facts: table.facts ? undefined : pack.facts, named: pack.conditions, timeZone: pack.timezone, path: ["tables", id], id }));
  }
  return issues;
}

/**
 * Compiles every table of a pack, each at its path `["tables", id]`. Throws one
 * {@link JicengError} with every issue.
 *
 * @example
 * compilePackTables(pack).get("households")?.evaluate(household).result;
 */
export function compilePackTables(pack: RulePack): Map<string, CompiledTable> {
  const out = new Map<string, CompiledTable>();
  const tables = Object.entries(pack.tables ?? {});
  if (tables.length === 0) return out;
  const packFacts = buildFactIndex(pack.facts);
  const issues: JicengIssue[] = [];
  for (const [id, table] of tables) {
    const compiled = collectIssues(issues, () => compileTable(table, { facts: packFacts, named: pack.conditions, timeZone: pack.timezone, path: ["tables", id], id }));
    if (compiled) out.set(id, compiled);
  }
  if (issues.length) throw new JicengError(issues);
  return out;
}

/**
 * Builds the classifier of a pack: compiles its tables once; `classify(tableId, facts)` returns the
 * class and the reasons (rule, clause, the conditions that held with the values seen).
 *
 * @example
 * const c = createClassifier(loadPack(ankang));
 * const r = c.classify("households", { income: 9000, villageAverageIncome: 12000, year: 2021, safeFamilyYears: [], leftBehind: ["elderly"], disabledMembers: 0, povertyMonitoring: "none", prisonRecord: "none" });
 * r.class;              // "red"
 * r.reasons[0].cite;    // { doc: "ankang-2021-10", clause: "§三(三)2", quote: "…" }
 * @see DESIGN.md decision 3 (every decision explains itself)
 */
export function createClassifier(pack: RulePack): Classifier {
  const tables = compilePackTables(pack);
  const table = (id: string): CompiledTable => {
    const t = typeof id === "string" ? tables.get(id) : undefined;
    if (t) return t;
    const known = [...tables.keys()];
    const hint = didYouMean(id, known);
    throw new JicengError(
      issue(IssueCode.UNKNOWN_TABLE, ["tables", id], `规则包没有名为“${id}”的决策表${hint.zh}；已有：${known.join(", ") || "无"}`, `The pack has no decision table "${id}"${hint.en}; available: ${known.join(", ") || "none"}`),
    );
  };
  return {
    tables,
    table,
    classify(tableId, facts, options) {
      if (typeof tableId !== "string") throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, ["tableId"], `决策表标识须为字符串，实际为 ${typeof tableId}`, `The table id must be a string, got ${typeof tableId}`));
      const t = table(tableId);
      const warnings = admitTableInput(t, facts, options?.strict === true);
      const e = t.evaluate(facts);
      const out: Classification & { warnings?: JicengIssue[] } = { table: tableId, hitPolicy: t.hitPolicy, result: e.result, usedDefault: e.usedDefault, reasons: [], overridden: [] };
      if (warnings.length) out.warnings = warnings;
      if (!Array.isArray(e.result)) {
        const r = e.result as Record<string, unknown>;
        if (typeof r["class"] === "string") out.class = r["class"];
        if (isText(r["label"])) out.label = r["label"];
        if (r["service"] !== undefined) out.service = r["service"];
      }
      if (e.usedDefault && e.fallback) {
        const f = e.fallback;
        const reason: TableReason = { rowId: "default", path: f.path };
        if (f.label) reason.label = f.label;
        if (f.cite) reason.cite = f.cite;
        if (f.local) reason.local = true;
        if (f.note) reason.note = f.note;
        out.reasons.push(reason);
        const derived = t.derive(facts);
        out.rejected = t.rows.map((row) => {
          const r: TableReason = { rowId: row.id, path: row.path, result: row.row.result as TableResult };
          if (row.row.label) r.label = row.row.label;
          if (row.row.cite) r.cite = row.row.cite;
          if (row.row.local) r.local = true;
          try {
            r.conditions = row.condition.explain(derived);
          } catch (error) {
            if (!isJicengError(error)) throw error;
          }
          return r;
        });
        return out;
      }
      out.reasons.push(...e.hits.map((h) => reasonOf(h)));
      if (e.alsoMatched.length === 0) return out;
      const same = jsonOf(e.hits[0]?.result);
      for (const h of e.alsoMatched) {
        if (jsonOf(h.result) === same) out.reasons.push(reasonOf(h));
        else out.overridden.push(reasonOf(h, true));
      }
      return out;
    },
  };
}
