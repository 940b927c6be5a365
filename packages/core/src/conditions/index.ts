/**
 * The condition DSL: json-rules-engine's JSON (`all` / `any` / `not`, `{ condition }`,
 * `{ fact, operator, value, path }`), checked at load time, compiled once into synchronous
 * closures, and explained on request. The json-rules-engine bridge is a separate entry point,
 * `@jiceng/core/json-rules-engine`, so core does not load json-rules-engine.
 *
 * @example
 * import { buildFactIndex, compileCondition } from "@jiceng/core";
 * const facts = buildFactIndex(pack.facts);
 * const red = compileCondition(pack.grading.rules[0].conditions, { facts, named: pack.conditions, timeZone: pack.timezone });
 * red.test(caseFacts);    // true / false, or a JicengError (MISSING_FACT, INVALID_FACT)
 * red.explain(caseFacts); // the trace: which conditions held, with the values seen
 * @see DESIGN.md decisions 3, 4 and 8
 * @module
 */
export { buildFactIndex, checkFacts, normalizeCaseFacts, readFact, validateCaseFacts } from "./facts.js";
export type { FactEntry, FactIndex, FactValue } from "./facts.js";
export { compareTemporal, isFactRef, isOperatorName, isWithinDays, OPERATOR_NAMES, OPERATORS, operatorsFor } from "./operators.js";
export type { FactRef, OperatorName, OperatorSpec, ValueShape } from "./operators.js";
export { parseFactPath } from "./paths.js";
export type { ParsedPath } from "./paths.js";
export { checkCondition, checkNamedConditions, CONDITION_LIMITS } from "./check.js";
export type { CheckContext, ConditionLimits } from "./check.js";
export { compileCondition, createConditionCompiler } from "./compile.js";
export type { CompileContext, CompiledCondition, ConditionCompiler, ConditionTrace } from "./compile.js";
