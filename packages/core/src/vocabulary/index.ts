/**
 * The vocabulary every capability shares: ids, texts, cite / local provenance, facts, the condition
 * DSL's shape, periods and levels, and the zod → jiceng issue mapping. The bottom floor of the
 * house: it imports nothing in core but `errors/` (a test holds that).
 */
export * from "./text.js";
export * from "./provenance.js";
export * from "./facts.js";
export * from "./conditions.js";
export * from "./periods.js";
export { fromZodIssues } from "./zod-issues.js";
export { markLoaded, hasLoadedMark } from "./loaded.js";
export { duplicates } from "./duplicates.js";
