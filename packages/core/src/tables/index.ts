/**
 * Decision tables: rows of json-rules-engine conditions → results, with a hit policy (first,
 * unique, collect), an optional default, derived facts, and an analysis that finds gaps and overlaps.
 *
 * @example
 * import { compileTable } from "@jiceng/core";
 * const t = compileTable(pack.tables.households, { path: ["tables", "households"] });
 * t.evaluate(household).result; // { class: "red", … }
 * @module
 */
export { compileTable, evaluateTable, checkTable } from "./compile.js";
export type { CompiledTable, CompiledRow, TableContext, TableEvaluation, TableHit, TableFallback, TableResult, TableProvenance } from "./compile.js";
export { DERIVATIONS } from "./derive.js";
export { HIT_POLICIES, DERIVE_FUNCTIONS } from "./schema.js";
export type { DecisionTable, DecisionTableInput, TableRow, TableDefault, YearListDef, DeriveDef, HitPolicy, DeriveFunction } from "./schema.js";
export { analyzeTable, analyzeTables, fastCheckSearch } from "./analyze.js";
export type { AnalyzeOptions, TableAnalysis, TableFinding, FindingCase, AnalysisDimension, IndexSearch } from "./analyze.js";
export { createClassifier, compilePackTables, checkPackTables } from "./classify.js";
export type { Classifier, Classification, TableReason } from "./classify.js";
export { describeTableTrace, describeLeaf, resultText } from "./describe.js";
