/** A text shown to people, in Chinese and English. */
export interface Text {
  zh: string;
  en: string;
}

/**
 * Every error and warning code jiceng emits, in one table.
 * @see zod v4 `core/errors.ts` for the model.
 */
export const IssueCode = {
  INVALID_PACK: "INVALID_PACK",
  SCHEMA: "SCHEMA",
  MISSING_CITE: "MISSING_CITE",
  DUPLICATE_ID: "DUPLICATE_ID",
  UNKNOWN_FACT: "UNKNOWN_FACT",
  UNKNOWN_LEVEL: "UNKNOWN_LEVEL",
  UNKNOWN_OPERATOR: "UNKNOWN_OPERATOR",
  OPERATOR_TYPE_MISMATCH: "OPERATOR_TYPE_MISMATCH",
  VALUE_TYPE_MISMATCH: "VALUE_TYPE_MISMATCH",
  VALUE_NOT_IN_ENUM: "VALUE_NOT_IN_ENUM",
  UNSAFE_PATH: "UNSAFE_PATH",
  UNKNOWN_CONDITION: "UNKNOWN_CONDITION",
  CONDITION_CYCLE: "CONDITION_CYCLE",
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
  INVALID_TEMPLATE: "INVALID_TEMPLATE",
  INVALID_CASE: "INVALID_CASE",
  MISSING_FACT: "MISSING_FACT",
  INVALID_FACT: "INVALID_FACT",
  INVALID_DATE: "INVALID_DATE",
  CALENDAR_OUT_OF_RANGE: "CALENDAR_OUT_OF_RANGE",
  CALENDAR_PROVISIONAL: "CALENDAR_PROVISIONAL",
  INVALID_SCHEDULE: "INVALID_SCHEDULE",
  INVALID_NUMBER: "INVALID_NUMBER",
  SEQUENCE_OVERFLOW: "SEQUENCE_OVERFLOW",
  INVALID_EVENT: "INVALID_EVENT",
  EVENT_NOT_ALLOWED: "EVENT_NOT_ALLOWED",
  INVALID_SNAPSHOT: "INVALID_SNAPSHOT",
  MISSING_FIELDS: "MISSING_FIELDS",
  LOCAL_VALUE: "LOCAL_VALUE",
  EXTERNAL_CITE: "EXTERNAL_CITE",
  UNREACHABLE_RULE: "UNREACHABLE_RULE",
  USAGE: "USAGE",
  /** An optional peer dependency an entry needs is not installed (fast-check for `@jiceng/core/testing`). */
  MISSING_DEPENDENCY: "MISSING_DEPENDENCY",
  PACK_NOT_FOUND: "PACK_NOT_FOUND",
  INVALID_PERIOD: "INVALID_PERIOD",
  INVALID_WEIGHTS: "INVALID_WEIGHTS",
  INVALID_ASSESSMENT: "INVALID_ASSESSMENT",
  UNKNOWN_KPI: "UNKNOWN_KPI",
  UNKNOWN_TABLE: "UNKNOWN_TABLE",
  TABLE_OVERLAP: "TABLE_OVERLAP",
  NO_MATCH: "NO_MATCH",
  TABLE_GAP: "TABLE_GAP",
  UNIT_VIOLATION: "UNIT_VIOLATION",
  INVALID_UNITS: "INVALID_UNITS",
  /** A public function got an argument of the wrong type or shape (not a case, event, snapshot or pack). */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  INTERNAL: "INTERNAL",
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

/** A JSON path into the input that caused an issue, e.g. `["grading", "rules", 2, "conditions"]`. */
export type IssuePath = ReadonlyArray<string | number>;

/** One problem found in a pack, a case, or an event. The same shape everywhere. */
export interface JicengIssue {
  code: IssueCode;
  path: IssuePath;
  message: Text;
  severity: "error" | "warning";
  ruleId?: string;
}

const BRAND = Symbol.for("jiceng.error");

/**
 * The one error type jiceng throws. It carries every issue found, each with a code,
 * a JSON path and a zh + en message. Use {@link isJicengError} rather than `instanceof`
 * (which breaks across ESM/CJS copies of the package).
 */
export class JicengError extends Error {
  readonly issues: readonly JicengIssue[];
  readonly code: IssueCode;
  readonly [BRAND] = true;

  constructor(issues: readonly JicengIssue[] | JicengIssue) {
    const list = Array.isArray(issues) ? (issues as readonly JicengIssue[]) : [issues as JicengIssue];
    const first = list[0];
    super(first ? `${first.code} at ${formatPath(first.path)}: ${first.message.en}` + (list.length > 1 ? ` (+${list.length - 1} more)` : "") : "jiceng error");
    this.name = "JicengError";
    this.issues = list;
    this.code = first?.code ?? IssueCode.INTERNAL;
  }
}

/** True for any error thrown by any copy of jiceng. */
export function isJicengError(value: unknown): value is JicengError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Build one issue. */
export function issue(code: IssueCode, path: IssuePath, zh: string, en: string, extra?: { severity?: "error" | "warning"; ruleId?: string }): JicengIssue {
  const out: JicengIssue = { code, path, message: { zh, en }, severity: extra?.severity ?? "error" };
  if (extra?.ruleId !== undefined) out.ruleId = extra.ruleId;
  return out;
}

/** Throw a {@link JicengError} with one issue. */
export function fail(code: IssueCode, path: IssuePath, zh: string, en: string, extra?: { ruleId?: string }): never {
  throw new JicengError(issue(code, path, zh, en, extra));
}

/** `$.grading.rules[2].conditions` style rendering of a path. */
export function formatPath(path: IssuePath): string {
  let out = "$";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`;
  return out;
}

/**
 * The one way every duplicate message names the item it repeats: that item's JSON path, numbered
 * from 0 like every issue path (`$.grading.rules[0].id`), never "item 1".
 *
 * @example
 * duplicateIssue(["levels", 3, "id"], ["levels", 0, "id"], { zh: `重复的等级标识 "red"`, en: `Duplicate level id "red"` });
 * // → DUPLICATE_ID at ["levels", 3, "id"]: `Duplicate level id "red" (already used at $.levels[0].id)`
 */
export function duplicateIssue(path: IssuePath, other: IssuePath, what: Text): JicengIssue {
  const at = formatPath(other);
  return issue(IssueCode.DUPLICATE_ID, path, `${what.zh}（${at} 已使用）`, `${what.en} (already used at ${at})`);
}

/** `obj[key]` when it is the object's own property, else `undefined`: a lookup that never reaches the prototype chain. */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj != null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Result of a `safe*` call: data, or all issues. */
export type SafeResult<T> = { success: true; data: T; warnings: JicengIssue[] } | { success: false; issues: JicengIssue[] };

/**
 * Runs `fn` and returns its value; when it throws a {@link JicengError}, adds its issues to `into`
 * (each through `map`, when given) and returns undefined. Any other error is rethrown. For checks
 * that collect every issue before they throw one JicengError.
 *
 * @example
 * const issues: JicengIssue[] = [];
 * const read = collectIssues(issues, () => compileField(def.field, ["field"], pack.facts));
 * if (issues.length) throw new JicengError(issues);
 */
export function collectIssues<T>(into: JicengIssue[], fn: () => T, map?: (i: JicengIssue) => JicengIssue): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!isJicengError(error)) throw error;
    for (const i of error.issues) into.push(map ? map(i) : i);
    return undefined;
  }
}

/** The issues of the JicengError `fn` throws (each through `map`), or [] when it returns; any other error is rethrown. */
export function issuesOf(fn: () => unknown, map?: (i: JicengIssue) => JicengIssue): JicengIssue[] {
  const out: JicengIssue[] = [];
  collectIssues(out, fn, map);
  return out;
}
