// Name patterns the schema and the evaluators share, without zod: the grade-only entry
// (@jiceng/core/grade) reaches them and must not load the schema.

/** Fact names and paths: dotted identifiers, nothing else (no JSONPath filters, no scripts). */
export const SAFE_FACT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/;
