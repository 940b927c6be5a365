// The grading part of the engine, shared by createEngine and the grade-only entry
// (@jiceng/core/grade): no zod, no XState, no scoring, tables or HTML below this module.
import { generateCaseRecord, generateCleanCheck } from "../conditions/codegen.js";
import { buildFactIndex, isCleanCase, type FactIndex } from "../conditions/facts.js";
import { IssueCode, fail, type JicengIssue } from "../errors/index.js";
import { compileGrading, type CompiledGrading, type GradeExplanation, type GradeResult } from "../grading/grade.js";
import type { RulePack } from "../pack/schema.js";
import type { LevelDef } from "../vocabulary/index.js";
import { createCaseGate, type CaseGate, type CaseOptions, type CaseRecord, type ValidCase } from "./cases.js";

/** Case facts given to a grader: any value (validated), or a {@link ValidCase} it made (trusted as is). */
export type GraderFacts = Record<string, unknown> | ValidCase;

/** Options of {@link createGrader} (and the grading options of createEngine). */
export interface GraderOptions {
  /** Generated JavaScript where the runtime allows it (default true); false: compiled closures. */
  generateCode?: boolean;
  /** Refuse fields the pack does not declare (default false: ignored with a warning). */
  strict?: boolean;
}

/** Grading of one pack: what `engine.grade`, `gradeLevel`, `explain`, `validateCase`, `checkCase`, `isValidCase` and `level` do. */
export interface Grader {
  readonly pack: RulePack;
  grade(facts: GraderFacts, options?: CaseOptions): GradeResult & { warnings?: JicengIssue[] };
  gradeLevel(facts: GraderFacts, options?: CaseOptions): string;
  explain(facts: GraderFacts, options?: CaseOptions): GradeExplanation & { warnings?: JicengIssue[] };
  validateCase(facts: unknown, options?: CaseOptions): ValidCase;
  checkCase(facts: unknown, options?: CaseOptions): JicengIssue[];
  isValidCase(facts: unknown): facts is ValidCase;
  level(id: string): LevelDef;
}

/** A grader with the parts createEngine reuses. @internal */
export interface GraderParts extends Grader {
  readonly facts: FactIndex;
  readonly gate: CaseGate;
  readonly grading: CompiledGrading;
}

/**
 * Builds the grader of a loaded pack (validated before: loadPack, or a compiled pack). `levelAhead`:
 * the checked level compiled ahead of time (a compiled pack's module code), used instead of
 * generating it. @internal
 */
export function buildGrader(pack: RulePack, options: GraderOptions = {}, levelAhead?: (facts: unknown) => string | undefined): GraderParts {
  const facts = buildFactIndex(pack.facts);
  const grading = compileGrading(pack, options.generateCode === undefined ? {} : { generateCode: options.generateCode });
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  // The per-call check of a clean case as generated code, when the grading is generated too; made
  // on first need (a process that grades clean cases through gradeLevel never needs it).
  let clean: ((input: unknown) => boolean) | undefined;
  // A ValidCase's record (engine/cases.ts): generated with the grading, so the trusted level reads
  // one flat object per pack; made on the first validateCase. `flat` once the generated maker runs.
  let recordMaker: ((copy: Readonly<Record<string, unknown>>) => CaseRecord) | undefined;
  let flat = false;
  const gate =
    grading.mode === "generated"
      ? createCaseGate(
          facts,
          options.strict === true,
          (input) => (clean ??= generateCleanCheck(facts) ?? ((i: unknown) => isCleanCase(facts, i)))(input),
          (copy) => {
            if (recordMaker === undefined) {
              // Only the facts the trusted level reads (a record of all 20 Guyuan facts cost ~190 B a ValidCase).
              const made = grading.recordFacts === undefined ? undefined : generateCaseRecord(facts, grading.recordFacts);
              flat = made !== undefined;
              recordMaker = made ?? ((c) => Object.freeze({ o: c }));
            }
            return recordMaker(copy);
          },
        )
      : createCaseGate(facts, options.strict === true);
  // The trusted level of a ValidCase's record: generated from the flat record, else the frozen copy.
  let levelOfRecord: ((r: CaseRecord) => string) | undefined;
  // The one-pass level (generated on first use); undefined where grading runs as closures or strict.
  let levelChecked: ((facts: unknown) => string | undefined) | undefined | null = options.strict === true ? undefined : (levelAhead ?? null);
  let levelFrozen: ((facts: Record<string, unknown>) => string) | undefined;
  // The one-pass grade with reasons (generated on first use); undefined where grading runs as closures.
  let gradeChecked: ((facts: unknown) => GradeResult | undefined) | undefined | null = grading.mode === "generated" ? null : undefined;
  let gradeFrozen: ((facts: Record<string, unknown>) => GradeResult | undefined) | undefined;
  let explainChecked: ((facts: unknown) => GradeExplanation | undefined) | undefined;
  let explainFrozen: ((facts: Record<string, unknown>) => GradeExplanation | undefined) | undefined;
  const warned = <T extends object>(result: T, warnings: readonly JicengIssue[]): T & { warnings?: JicengIssue[] } => {
    if (warnings.length) (result as { warnings?: JicengIssue[] }).warnings = [...warnings];
    return result;
  };
  return {
    pack,
    facts,
    gate,
    grading,
    grade: (f, o) => {
      // Validation, grading and reasons in one generated pass when the case is clean (no field
      // to warn about, nothing invalid, no fact missing that a condition reads); else below.
      if (o === undefined && gradeChecked !== undefined) {
        // A ValidCase this engine froze: explained without checks.
        const r = typeof f === "object" && f !== null && gate.isValid(f) ? (gradeFrozen ??= grading.gradeFrozen!)(f) : (gradeChecked ??= grading.gradeChecked!)(f);
        if (r !== undefined) return r;
      }
      const w = gate.admit(f, o);
      return warned(grading.grade(f), w);
    },
    gradeLevel: (f, o) => {
      if (o === undefined && typeof f === "object" && f !== null) {
        const r = gate.record(f);
        if (r !== undefined) return (levelOfRecord ??= (flat ? grading.levelRecord : undefined) ?? ((x) => (levelFrozen ??= grading.levelFrozen)(x.o as Record<string, unknown>)))(r);
        // Validation and grading in one generated pass; unknown fields only warn (not strict), and
        // gradeLevel returns no warnings, so they need not be looked at. Anything irregular: below.
        if (levelChecked === null) levelChecked = grading.levelChecked;
        if (levelChecked !== undefined) {
          const l = levelChecked(f);
          if (l !== undefined) return l;
        }
      }
      gate.admit(f, o);
      // Admitted: every own enumerable field is valid. A declared fact can also be an own
      // non-enumerable property (validation, like JSON, lists enumerable fields only), so the facts
      // are read as the closures read them: each one checked as it is read (INVALID_FACT).
      return grading.level(f);
    },
    explain: (f, o) => {
      // As grade: one generated pass for a clean case or a ValidCase, else admitted and explained below.
      if (o === undefined && gradeChecked !== undefined) {
        const r = typeof f === "object" && f !== null && gate.isValid(f) ? (explainFrozen ??= grading.explainFrozen!)(f) : (explainChecked ??= grading.explainChecked!)(f);
        if (r !== undefined) return r;
      }
      const w = gate.admit(f, o);
      return warned(grading.explain(f), w);
    },
    validateCase: (f, o) => gate.validate(f, o),
    checkCase: (f, o) => gate.check(f, o),
    isValidCase: (f): f is ValidCase => gate.isValid(f),
    level(id) {
      const l = levels.get(id);
      if (!l) fail(IssueCode.UNKNOWN_LEVEL, ["level"], `未知等级 "${id}"；已声明：${[...levels.keys()].join(", ")}`, `Unknown level "${id}"; declared: ${[...levels.keys()].join(", ")}`);
      return l;
    },
  };
}
