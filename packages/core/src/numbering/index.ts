/**
 * Case numbering: templates such as Guyuan's `{MM}{DD}{unit:2}{subunit:2}{seq:2}`, formatting,
 * parsing, sequence scopes and the allocator interface apps implement.
 *
 * @example
 * import { compileTemplate, formatCaseNumber, parseCaseNumber } from "@jiceng/core";
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 1 }); // "0620010101"
 * parseCaseNumber(t, "0620010101").parts; // { unit: "01", subunit: "01" }
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 * @module
 */
export { compileTemplate, checkTemplate, MAX_WIDTH } from "./template.js";
export type { NumberTemplate, TemplateToken, DateField, NumberingInput } from "./template.js";
export { formatCaseNumber, parseCaseNumber, scopeKey, isValidCaseNumber } from "./format.js";
export type { CaseNumberParts, ScopeParts, ParsedCaseNumber } from "./format.js";
export { createMemoryAllocator, allocateCaseNumber } from "./allocator.js";
export type { SequenceAllocator, SequenceLimit, MemoryAllocator } from "./allocator.js";
