import { IssueCode, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { FactType } from "../vocabulary/index.js";
import type { FactEntry, FactIndex } from "./facts.js";
import { foldFactName, parseFactPath } from "./paths.js";
import { didYouMean, describeType, show, typeName } from "./text.js";
import { DAY_MS, parseIsoDate, parseIsoDateTime, zoneDay } from "./time.js";

/** The operators a condition may use. */
export type OperatorName =
  | "equal"
  | "notEqual"
  | "lessThan"
  | "lessThanInclusive"
  | "greaterThan"
  | "greaterThanInclusive"
  | "in"
  | "notIn"
  | "contains"
  | "doesNotContain"
  | "before"
  | "after"
  | "onOrBefore"
  | "onOrAfter"
  | "withinDays";

/**
 * What an operator's `value` must be.
 * - `scalar`: a literal of the fact's type (enum: a listed value), or a `{ fact }` of the same kind
 * - `number`: a finite number, or a `{ fact }` that is a number or integer
 * - `scalar-list`: an array of literals of the fact's type, or a `{ fact }` that is a string list
 * - `element`: one string (enum-list: a listed value), or a `{ fact }` that is a string or enum
 * - `temporal`: an ISO date `YYYY-MM-DD` or datetime with offset, or a `{ fact }` of the fact's own type
 * - `within-days`: `{ days: N, of: <ISO date or datetime> | { fact } }`
 */
export type ValueShape = "scalar" | "number" | "scalar-list" | "element" | "temporal" | "within-days";

/** One row of the operator table. */
export interface OperatorSpec {
  readonly name: OperatorName;
  /** `json-rules-engine`: a standard operator with its exact semantics; `jiceng`: added by jiceng. */
  readonly origin: "json-rules-engine" | "jiceng";
  /** The fact types the operator accepts. */
  readonly factTypes: readonly FactType[];
  readonly value: ValueShape;
  readonly summary: Text;
}

const SCALAR_TYPES: readonly FactType[] = ["string", "number", "integer", "boolean", "enum", "date"];
const NUMBER_TYPES: readonly FactType[] = ["number", "integer"];
const LIST_TYPES: readonly FactType[] = ["string-list", "enum-list"];
const TEMPORAL_TYPES: readonly FactType[] = ["date", "datetime"];

const row = (name: OperatorName, origin: OperatorSpec["origin"], factTypes: readonly FactType[], value: ValueShape, zh: string, en: string): OperatorSpec => ({ name, origin, factTypes, value, summary: { zh, en } });

/**
 * The operator table. The json-rules-engine operators keep its exact semantics on well-typed
 * facts (`===`, `<`, `indexOf`), but each is allowed only on the fact types where that semantics
 * is what a policy officer means: `lessThan` on numbers only (on strings json-rules-engine's number
 * check passes `"10"` and then compares lexicographically, so `"10" < "9"`), `in` with a list (with a
 * string it is a substring test), `contains` on lists only (on a string fact both `contains` and
 * `doesNotContain` are false), `equal` never on datetimes (string equality is not instant equality)
 * or lists (array identity). Dates and datetimes use `before`, `after`,
 * `onOrBefore`, `onOrAfter` and `withinDays`, which json-rules-engine lacks (its issues #141, #375).
 *
 * Date semantics: a date is a calendar day; a datetime is an instant. Two datetimes compare as
 * instants (`2022-06-20T08:00:00+08:00` equals `2022-06-20T00:00:00Z`). A datetime compared with
 * a date compares the calendar day the instant falls on in the pack's time zone (default
 * Asia/Shanghai) with that date. `withinDays` with `{ days: N, of: X }` holds when the fact is at
 * most N days from X in either direction, ends included: two datetimes at most N × 24 h apart;
 * otherwise at most N calendar days apart (a datetime counted as its day in the pack's zone).
 *
 * @example
 * OPERATORS.before.factTypes; // ["date", "datetime"]
 * @see https://github.com/CacheControl/json-rules-engine/blob/master/src/engine-default-operators.js
 */
export const OPERATORS: Readonly<Record<OperatorName, OperatorSpec>> = {
  equal: row("equal", "json-rules-engine", SCALAR_TYPES, "scalar", "等于（===）", "equals (===)"),
  notEqual: row("notEqual", "json-rules-engine", SCALAR_TYPES, "scalar", "不等于（!==）", "does not equal (!==)"),
  lessThan: row("lessThan", "json-rules-engine", NUMBER_TYPES, "number", "小于", "is less than"),
  lessThanInclusive: row("lessThanInclusive", "json-rules-engine", NUMBER_TYPES, "number", "小于或等于", "is less than or equal to"),
  greaterThan: row("greaterThan", "json-rules-engine", NUMBER_TYPES, "number", "大于", "is greater than"),
  greaterThanInclusive: row("greaterThanInclusive", "json-rules-engine", NUMBER_TYPES, "number", "大于或等于", "is greater than or equal to"),
  in: row("in", "json-rules-engine", SCALAR_TYPES, "scalar-list", "属于所列取值之一", "is one of the listed values"),
  notIn: row("notIn", "json-rules-engine", SCALAR_TYPES, "scalar-list", "不属于所列取值", "is none of the listed values"),
  contains: row("contains", "json-rules-engine", LIST_TYPES, "element", "列表包含该值", "the list contains the value"),
  doesNotContain: row("doesNotContain", "json-rules-engine", LIST_TYPES, "element", "列表不包含该值", "the list does not contain the value"),
  before: row("before", "jiceng", TEMPORAL_TYPES, "temporal", "早于", "is before"),
  after: row("after", "jiceng", TEMPORAL_TYPES, "temporal", "晚于", "is after"),
  onOrBefore: row("onOrBefore", "jiceng", TEMPORAL_TYPES, "temporal", "不晚于（当日或之前）", "is on or before"),
  onOrAfter: row("onOrAfter", "jiceng", TEMPORAL_TYPES, "temporal", "不早于（当日或之后）", "is on or after"),
  withinDays: row("withinDays", "jiceng", TEMPORAL_TYPES, "within-days", "与给定日期或时间相差不超过 N 天（含两端）", "is at most N days from the given date or time (ends included)"),
};

/**
 * The operator names, in table order.
 * @example
 * OPERATOR_NAMES.includes("withinDays"); // true
 * @see OPERATORS
 */
export const OPERATOR_NAMES: readonly OperatorName[] = Object.keys(OPERATORS) as OperatorName[];

/**
 * True when `name` is an operator in {@link OPERATORS}.
 * @example
 * isOperatorName("greaterThan"); // true
 * isOperatorName("not:equal");   // false: json-rules-engine decorators are not supported
 * @see OPERATORS
 */
export function isOperatorName(name: unknown): name is OperatorName {
  return typeof name === "string" && Object.hasOwn(OPERATORS, name);
}

/**
 * The operators that accept facts of this type.
 * @example
 * operatorsFor("enum-list"); // ["contains", "doesNotContain"]
 * @see OPERATORS
 */
export function operatorsFor(type: FactType): OperatorName[] {
  return OPERATOR_NAMES.filter((n) => OPERATORS[n].factTypes.includes(type));
}

/**
 * A `{ fact, path? }` reference as a condition value (json-rules-engine: an object with own `fact`).
 * @example
 * const ref: FactRef = { fact: "risks", path: "$.homicide" }; // reads the fact risks.homicide
 * @see foldFactName
 */
export interface FactRef {
  fact: string;
  path?: string | undefined;
}

/**
 * True when a condition value is a fact reference, by json-rules-engine's own test.
 * @example
 * isFactRef({ fact: "age" }); // true
 * @see https://github.com/CacheControl/json-rules-engine/blob/master/src/almanac.js (getValue)
 */
export function isFactRef(value: unknown): value is FactRef {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, "fact");
}

type Kind = "text" | "number" | "boolean" | "date" | "datetime" | "list";
const KIND: Record<FactType, Kind> = {
  string: "text",
  enum: "text",
  number: "number",
  integer: "number",
  boolean: "boolean",
  date: "date",
  datetime: "datetime",
  "string-list": "list",
  "enum-list": "list",
};

/** Limits used while checking values. */
export interface ValueLimits {
  maxListLength: number;
  maxWithinDays: number;
}

/** The declared fact a `{ fact, path? }` reference reads, with any problem found on the way. */
export function resolveFactRef(ref: FactRef, facts: FactIndex, at: IssuePath, issues: JicengIssue[]): FactEntry | undefined {
  for (const key of Object.keys(ref)) {
    if (key !== "fact" && key !== "path") {
      issues.push(issue(IssueCode.SCHEMA, [...at, key], `事实引用只能有 fact 和 path，不能有“${key}”`, `A fact reference takes only fact and path, not "${key}"`));
    }
  }
  if (typeof ref.fact !== "string") {
    issues.push(issue(IssueCode.SCHEMA, [...at, "fact"], `事实引用的 fact 须为字符串，实际为 ${show(ref.fact)}`, `A fact reference's fact must be a string, got ${show(ref.fact)}`));
    return undefined;
  }
  let segments: string[] = [];
  if (ref.path !== undefined) {
    const p = parseFactPath(ref.path);
    if (!p.ok) {
      issues.push(issue(IssueCode.UNSAFE_PATH, [...at, "path"], p.problem.zh, p.problem.en));
      return undefined;
    }
    segments = p.segments;
  }
  const name = foldFactName(ref.fact, segments);
  const entry = facts.get(name);
  if (!entry) {
    const hint = didYouMean(name, facts.keys());
    const via = segments.length ? { zh: `（由“${ref.fact}”加路径“${ref.path}”得到）`, en: ` (from "${ref.fact}" with path "${ref.path}")` } : { zh: "", en: "" };
    issues.push(issue(IssueCode.UNKNOWN_FACT, [...at, "fact"], `引用了未声明的事实“${name}”${via.zh}${hint.zh}`, `Reference to unknown fact "${name}"${via.en}${hint.en}`));
  }
  return entry;
}

function checkScalarLiteral(entry: FactEntry, v: unknown, at: IssuePath, issues: JicengIssue[]): void {
  const mismatch = () => {
    const want = typeName(entry.type);
    issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `比较值 ${show(v)} 与事实“${entry.name}”的类型不符：应为${want.zh}`, `Value ${show(v)} does not fit fact "${entry.name}": expected ${want.en}`));
  };
  switch (entry.type) {
    case "string":
      if (typeof v !== "string") mismatch();
      return;
    case "number":
    case "integer":
      if (typeof v !== "number" || !Number.isFinite(v)) mismatch();
      else if (entry.type === "integer" && !Number.isInteger(v)) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `比较值 ${v} 不是整数，整数事实“${entry.name}”永远不会等于它`, `Value ${v} is not an integer, so integer fact "${entry.name}" never equals it`, { severity: "warning" }));
      }
      return;
    case "boolean":
      if (typeof v !== "boolean") mismatch();
      return;
    case "enum":
      checkEnumLiteral(entry, v, at, issues);
      return;
    case "date":
      if (typeof v !== "string" || Number.isNaN(parseIsoDate(v))) mismatch();
      return;
    default:
      mismatch();
  }
}

function checkEnumLiteral(entry: FactEntry, v: unknown, at: IssuePath, issues: JicengIssue[]): void {
  const values = entry.enumValues ?? new Set<string>();
  if (typeof v !== "string") {
    issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `比较值 ${show(v)} 应为事实“${entry.name}”的取值（字符串）`, `Value ${show(v)} must be one of fact "${entry.name}"'s values (a string)`));
  } else if (!values.has(v)) {
    const hint = didYouMean(v, values);
    const list = [...values].join(", ");
    issues.push(issue(IssueCode.VALUE_NOT_IN_ENUM, at, `“${v}”不是事实“${entry.name}”的取值（可用：${list}）${hint.zh}`, `"${v}" is not a value of fact "${entry.name}" (values: ${list})${hint.en}`));
  }
}

function checkTemporalLiteral(entry: FactEntry, v: unknown, at: IssuePath, issues: JicengIssue[]): void {
  if (typeof v !== "string" || (Number.isNaN(parseIsoDate(v)) && Number.isNaN(parseIsoDateTime(v)))) {
    issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `比较值 ${show(v)} 应为日期 YYYY-MM-DD 或带时区偏移的 ISO 8601 时间（事实“${entry.name}”）`, `Value ${show(v)} must be a date YYYY-MM-DD or an ISO 8601 datetime with offset (fact "${entry.name}")`));
  }
}

function refMismatch(entry: FactEntry, ref: FactEntry, at: IssuePath, want: Text): JicengIssue {
  return issue(IssueCode.VALUE_TYPE_MISMATCH, at, `引用的事实“${ref.name}”（${typeName(ref.type).zh}）不能与事实“${entry.name}”（${typeName(entry.type).zh}）这样比较：应为${want.zh}`, `Referenced fact "${ref.name}" (${typeName(ref.type).en}) cannot be compared this way with fact "${entry.name}" (${typeName(entry.type).en}): expected ${want.en}`);
}

/**
 * Check an operator's `value` against the fact it is applied to: its type, its enum values, and
 * fact references (declared, safe path, a compatible type). `at` is the path of the `value`.
 */
export function checkOperatorValue(op: OperatorName, entry: FactEntry, value: unknown, facts: FactIndex, limits: ValueLimits, at: IssuePath): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const spec = OPERATORS[op];
  const kind = KIND[entry.type];
  if (isFactRef(value) && spec.value !== "within-days") {
    const ref = resolveFactRef(value, facts, at, issues);
    if (!ref) return issues;
    const rk = KIND[ref.type];
    switch (spec.value) {
      case "scalar":
        if (rk !== kind) issues.push(refMismatch(entry, ref, at, { zh: `与之同类的事实`, en: `a fact of the same kind` }));
        break;
      case "number":
        if (rk !== "number") issues.push(refMismatch(entry, ref, at, { zh: "数字事实", en: "a number fact" }));
        break;
      case "scalar-list":
        if (rk !== "list" || kind !== "text") issues.push(refMismatch(entry, ref, at, { zh: "字符串或枚举事实与列表事实", en: "a string or enum fact and a list fact" }));
        break;
      case "element":
        if (rk !== "text") issues.push(refMismatch(entry, ref, at, { zh: "字符串或枚举事实", en: "a string or enum fact" }));
        break;
      case "temporal":
        if (ref.type !== entry.type) issues.push(refMismatch(entry, ref, at, { zh: `同为${typeName(entry.type).zh}的事实`, en: `a fact that is also ${typeName(entry.type).en}` }));
        break;
    }
    return issues;
  }
  switch (spec.value) {
    case "scalar":
      checkScalarLiteral(entry, value, at, issues);
      break;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `运算符 ${op} 的比较值须为有限数字，实际为 ${show(value)}`, `Operator ${op} needs a finite number, got ${show(value)}`));
      }
      break;
    case "scalar-list":
      if (!Array.isArray(value)) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `运算符 ${op} 的比较值须为数组（或引用列表事实），实际为 ${show(value)}`, `Operator ${op} needs an array (or a reference to a list fact), got ${show(value)}`));
      } else if (value.length > limits.maxListLength) {
        issues.push(issue(IssueCode.LIMIT_EXCEEDED, at, `列表有 ${value.length} 项，超过上限 ${limits.maxListLength}`, `The list has ${value.length} items, over the limit of ${limits.maxListLength}`));
      } else {
        value.forEach((v, i) => checkScalarLiteral(entry, v, [...at, i], issues));
      }
      break;
    case "element":
      if (entry.type === "enum-list") checkEnumLiteral(entry, value, at, issues);
      else if (typeof value !== "string") {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `运算符 ${op} 的比较值须为字符串，实际为 ${show(value)}`, `Operator ${op} needs a string, got ${show(value)}`));
      }
      break;
    case "temporal":
      checkTemporalLiteral(entry, value, at, issues);
      break;
    case "within-days": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, at, `withinDays 的比较值须为 { days, of }，实际为 ${show(value)}`, `withinDays needs { days, of }, got ${show(value)}`));
        break;
      }
      const v = value as Record<string, unknown>;
      for (const key of Object.keys(v)) {
        if (key !== "days" && key !== "of") issues.push(issue(IssueCode.SCHEMA, [...at, key], `withinDays 的比较值只能有 days 和 of，不能有“${key}”`, `withinDays takes only days and of, not "${key}"`));
      }
      const days = v["days"];
      if (!Number.isInteger(days) || (days as number) < 0 || (days as number) > limits.maxWithinDays) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, [...at, "days"], `days 须为 0 到 ${limits.maxWithinDays} 之间的整数，实际为 ${show(days)}`, `days must be an integer from 0 to ${limits.maxWithinDays}, got ${show(days)}`));
      }
      if (!Object.hasOwn(v, "of")) {
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, [...at, "of"], "withinDays 缺少 of（日期、时间或事实引用）", "withinDays is missing of (a date, a datetime, or a fact reference)"));
      } else if (isFactRef(v["of"])) {
        const ref = resolveFactRef(v["of"], facts, [...at, "of"], issues);
        if (ref && ref.type !== entry.type) issues.push(refMismatch(entry, ref, [...at, "of"], { zh: `同为${typeName(entry.type).zh}的事实`, en: `a fact that is also ${typeName(entry.type).en}` }));
      } else {
        checkTemporalLiteral(entry, v["of"], [...at, "of"], issues);
      }
      break;
    }
  }
  return issues;
}

/** Why an operator does not fit a fact type, naming the operators that do. */
export function operatorMismatchText(op: OperatorName, entry: FactEntry): Text {
  const fits = operatorsFor(entry.type).join(", ");
  const t = typeName(entry.type);
  const desc = describeType(entry.def);
  const hint =
    entry.type === "date" || entry.type === "datetime"
      ? { zh: "（日期与时间请用 before、after、onOrBefore、onOrAfter、withinDays）", en: " (use before, after, onOrBefore, onOrAfter, withinDays for dates and times)" }
      : { zh: "", en: "" };
  return {
    zh: `运算符 ${op} 不适用于${t.zh}类型的事实“${entry.name}”（${desc.zh}）；可用：${fits}${hint.zh}`,
    en: `Operator ${op} does not apply to fact "${entry.name}", which is ${t.en} (${desc.en}); use one of: ${fits}${hint.en}`,
  };
}

// ── Reference semantics of the jiceng operators (for json-rules-engine and for tests) ──────

/**
 * Compare two ISO values as the date operators do: datetimes as instants, dates as days, a
 * datetime against a date by the calendar day it falls on in `timeZone`. Negative when `a` is
 * earlier, 0 when equal, positive when later, NaN when either is not an ISO date or datetime.
 *
 * @example
 * compareTemporal("2022-06-20T08:00:00+08:00", "2022-06-20T00:00:00Z", "Asia/Shanghai"); // 0
 * compareTemporal("2022-06-19T23:30:00Z", "2022-06-20", "Asia/Shanghai"); // 0 (07:30 on the 20th in Beijing)
 * @see OPERATORS for the date semantics
 */
export function compareTemporal(a: string, b: string, timeZone: string): number {
  const ad = parseIsoDate(a);
  const bd = parseIsoDate(b);
  const am = Number.isNaN(ad) ? parseIsoDateTime(a) : NaN;
  const bm = Number.isNaN(bd) ? parseIsoDateTime(b) : NaN;
  if (!Number.isNaN(am) && !Number.isNaN(bm)) return am - bm;
  const aDay = Number.isNaN(ad) ? (Number.isNaN(am) ? NaN : zoneDay(am, timeZone)) : ad;
  const bDay = Number.isNaN(bd) ? (Number.isNaN(bm) ? NaN : zoneDay(bm, timeZone)) : bd;
  return aDay - bDay;
}

/**
 * `withinDays`: true when `a` is at most `days` days from `of`, ends included. Two datetimes:
 * at most `days` × 24 h apart. Otherwise calendar days, a datetime counted as its day in `timeZone`.
 *
 * @example
 * isWithinDays("2022-06-23", "2022-06-20", 3, "Asia/Shanghai"); // true
 * @see OPERATORS for the date semantics
 */
export function isWithinDays(a: string, of: string, days: number, timeZone: string): boolean {
  const ad = parseIsoDate(a);
  const bd = parseIsoDate(of);
  if (Number.isNaN(ad) && Number.isNaN(bd)) {
    const d = parseIsoDateTime(a) - parseIsoDateTime(of);
    return Math.abs(d) <= days * DAY_MS;
  }
  return Math.abs(compareTemporal(a, of, timeZone)) <= days;
}

/**
 * The jiceng operators as json-rules-engine callbacks `(factValue, value) => boolean`, for
 * `engine.addOperator(name, cb)`. Like json-rules-engine's own operators they return false on
 * values of the wrong type instead of throwing.
 */
export function jsonRulesEngineOperators(timeZone: string): Array<{ name: OperatorName; evaluate: (factValue: unknown, value: unknown) => boolean }> {
  const cmp = (a: unknown, b: unknown): number => (typeof a === "string" && typeof b === "string" ? compareTemporal(a, b, timeZone) : NaN);
  return [
    { name: "before", evaluate: (a, b) => cmp(a, b) < 0 },
    { name: "after", evaluate: (a, b) => cmp(a, b) > 0 },
    { name: "onOrBefore", evaluate: (a, b) => cmp(a, b) <= 0 },
    { name: "onOrAfter", evaluate: (a, b) => cmp(a, b) >= 0 },
    {
      name: "withinDays",
      evaluate: (a, b) => {
        if (typeof a !== "string" || b === null || typeof b !== "object") return false;
        const { days, of } = b as { days?: unknown; of?: unknown };
        return typeof days === "number" && typeof of === "string" && isWithinDays(a, of, days, timeZone);
      },
    },
  ];
}
