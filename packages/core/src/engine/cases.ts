import { freezeCaseFacts, isCleanCase, isPlainObject, validateCaseFacts, type FactIndex } from "../conditions/facts.js";
import { show } from "../conditions/text.js";
import { IssueCode, JicengError, fail, type IssuePath, type JicengIssue } from "../errors/index.js";

/** Options of the engine's entry points that read a case's facts. */
export interface CaseOptions {
  /**
   * Refuse fields the pack does not declare (INVALID_CASE) instead of ignoring them with a
   * warning. Default: the engine's `strict` option, else `false`.
   */
  strict?: boolean;
}

declare const VALID_CASE: unique symbol;
/**
 * Case facts that {@link Engine.validateCase} checked: a frozen copy holding the declared facts
 * only. The engine that made it reads it without validating it again (the trusted fast path).
 */
export type ValidCase<F extends object = Record<string, unknown>> = Readonly<F> & { readonly [VALID_CASE]: true };

const NONE: readonly JicengIssue[] = Object.freeze([]);

/** The engine's gate for case facts: validates them once per call, or trusts a {@link ValidCase} it made. */
export interface CaseGate {
  /** Throws INVALID_CASE / INVALID_FACT (and, strict, unknown fields); returns the warnings. */
  admit(input: unknown, options: CaseOptions | undefined, path?: IssuePath): readonly JicengIssue[];
  /** Every issue (errors and warnings), never throws for the facts themselves. */
  check(input: unknown, options: CaseOptions | undefined, path?: IssuePath): JicengIssue[];
  validate(input: unknown, options: CaseOptions | undefined): ValidCase;
  isValid(input: unknown): input is ValidCase;
  /**
   * The trusted record of a ValidCase this gate made (see {@link createCaseGate}'s `record`), or
   * undefined for anything else.
   */
  record(input: object): CaseRecord | undefined;
}

/**
 * What the brand of a ValidCase holds: the ValidCase itself (`o`) and, when the grading is
 * generated, every declared fact in one flat, frozen object of one hidden class per pack
 * (declaration order, defaults filled in) that the trusted evaluators read with monomorphic loads.
 */
export interface CaseRecord {
  readonly o: object;
}

/** Checks the options argument: undefined, or a plain object whose `strict` is a boolean. */
export function caseOptions(options: unknown, path: IssuePath = ["options"]): CaseOptions | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) fail(IssueCode.INVALID_ARGUMENT, path, `选项须为对象，实际为 ${show(options)}`, `Options must be an object, got ${show(options)}`);
  const strict = options["strict"];
  if (strict !== undefined && typeof strict !== "boolean") fail(IssueCode.INVALID_ARGUMENT, [...path, "strict"], `strict 须为 true 或 false，实际为 ${show(strict)}`, `strict must be true or false, got ${show(strict)}`);
  return options as CaseOptions;
}

/**
 * The brand of a ValidCase: a frozen, non-enumerable own property keyed by its gate's own symbol
 * whose value is the case's frozen record, which holds the ValidCase itself as `o`. Two loads (a
 * WeakSet lookup cost ~60 ns a call, a prototype check ~13 ns) tell both whose it is and that it is
 * the object's own: an object inheriting from a ValidCase reads the ValidCase's record, whose `o`
 * is not itself, and a Proxy around one must report the same record (the property is frozen), so
 * neither is trusted; both are validated like any input. `record`: builds the record of a frozen
 * copy (the generated grading's flat record, see conditions/codegen.ts `generateCaseRecord`);
 * without it the record holds only `o`.
 */
export function createCaseGate(
  index: FactIndex,
  engineStrict: boolean,
  isClean: (input: unknown) => boolean = (input) => isCleanCase(index, input),
  record: (copy: Readonly<Record<string, unknown>>) => CaseRecord = (copy) => Object.freeze({ o: copy }),
): CaseGate {
  const brand = Symbol("jiceng.validCase");
  const recordOf = (input: object): CaseRecord | undefined => {
    const r = (input as Record<symbol, unknown>)[brand];
    return typeof r === "object" && r !== null && (r as CaseRecord).o === input ? (r as CaseRecord) : undefined;
  };
  const isTrusted = (input: object): boolean => recordOf(input) !== undefined;
  const check = (input: unknown, options: CaseOptions | undefined, path: IssuePath = ["facts"]): JicengIssue[] => {
    const strict = caseOptions(options)?.strict ?? engineStrict;
    const issues = validateCaseFacts(index, input, path);
    return strict ? issues.map((i) => (i.severity === "warning" && i.code === IssueCode.INVALID_CASE ? { ...i, severity: "error" as const } : i)) : issues;
  };
  const admit = (input: unknown, options: CaseOptions | undefined, path: IssuePath = ["facts"]): readonly JicengIssue[] => {
    if (typeof input === "object" && input !== null && isTrusted(input)) return NONE;
    const o = options === undefined ? undefined : caseOptions(options);
    if (isClean(input)) return NONE;
    const issues = check(input, o, path);
    const errors = issues.filter((i) => i.severity === "error");
    if (errors.length) throw new JicengError(errors);
    return issues.length ? issues : NONE;
  };
  return {
    admit,
    check,
    validate(input, options) {
      if (typeof input === "object" && input !== null && isTrusted(input)) return input as ValidCase;
      admit(input, options);
      return freezeCaseFacts(index, input as Record<string, unknown>, { key: brand, value: record }) as ValidCase;
    },
    isValid: (input): input is ValidCase => typeof input === "object" && input !== null && isTrusted(input),
    record: recordOf,
  };
}
