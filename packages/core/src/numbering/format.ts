import { IssueCode, JicengError, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import { asTemplate, type DateField, type NumberTemplate } from "./template.js";

/**
 * The inputs of a number, without its sequence: the local date of discovery and each
 * named part's code. Codes are given exactly as they appear (`"01"`, not `1`).
 */
export interface ScopeParts {
  /** Local date `YYYY-MM-DD`; required when the template has date fields. */
  date?: string | undefined;
  [name: string]: string | number | undefined;
}

/** The inputs of a number: {@link ScopeParts} plus the sequence (an integer ≥ 1). */
export interface CaseNumberParts extends ScopeParts {
  seq: number;
}

/** What {@link parseCaseNumber} reads back from a number. */
export interface ParsedCaseNumber {
  /** From `{YYYY}`. */
  year?: number;
  /** From `{YY}`: the two-digit year, 0–99. */
  yy?: number;
  month?: number;
  day?: number;
  seq: number;
  /** Each named part's code, as written. */
  parts: Record<string, string>;
}

const CODE = /^[0-9A-Za-z]+$/;
const DIGITS = /^[0-9]+$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function daysInMonth(month: number, leap: boolean | undefined): number {
  if (month === 2) return leap === false ? 28 : 29;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function invalid(path: IssuePath, zh: string, en: string): JicengIssue {
  return issue(IssueCode.INVALID_NUMBER, path, zh, en);
}

function readDate(value: unknown, issues: JicengIssue[]): { y: number; m: number; d: number } | undefined {
  if (value === undefined) {
    issues.push(issue(IssueCode.INVALID_DATE, ["date"], "编号模板含日期字段，须提供日期（YYYY-MM-DD）", "The template has date fields; give the date (YYYY-MM-DD)"));
    return undefined;
  }
  const m = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(mo, isLeap(y))) return { y, m: mo, d };
  }
  issues.push(issue(IssueCode.INVALID_DATE, ["date"], `日期 ${JSON.stringify(value)} 无效，须为实际存在的 YYYY-MM-DD`, `Date ${JSON.stringify(value)} is not a real YYYY-MM-DD date`));
  return undefined;
}

function readCode(name: string, value: unknown, width: number | null, issues: JicengIssue[]): string | undefined {
  const path = [name];
  if (value === undefined) {
    issues.push(invalid(path, `缺少编号部分 ${name}`, `Missing number part ${name}`));
    return undefined;
  }
  const text = typeof value === "string" ? value : typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (text === undefined || !CODE.test(text)) {
    issues.push(invalid(path, `编号部分 ${name} 的值 ${JSON.stringify(value)} 须为字母或数字组成的代码`, `Number part ${name} = ${JSON.stringify(value)} must be a code of letters and digits`));
    return undefined;
  }
  // Never pad or cut a code: "1" for a 2-digit unit is an input error, not "01".
  if (width !== null && text.length !== width) {
    issues.push(invalid(path, `编号部分 ${name} 须为 ${width} 位，实际为 ${JSON.stringify(text)}（${text.length} 位）；代码不会自动补零或截断`, `Number part ${name} must have ${width} characters, got ${JSON.stringify(text)} (${text.length}); codes are never padded or truncated`));
    return undefined;
  }
  return text;
}

function dateText(field: DateField, date: { y: number; m: number; d: number }): string {
  switch (field) {
    case "YYYY":
      return String(date.y).padStart(4, "0");
    case "YY":
      return String(date.y % 100).padStart(2, "0");
    case "MM":
      return String(date.m).padStart(2, "0");
    case "DD":
      return String(date.d).padStart(2, "0");
  }
}

/** Render every token but seq; `seqText` fills the seq slot. Collects issues instead of throwing. */
const knownParts = new WeakMap<NumberTemplate, ReadonlySet<string>>();
function render(template: NumberTemplate, parts: ScopeParts, seqText: string, issues: JicengIssue[]): string {
  let known = knownParts.get(template);
  if (known === undefined) knownParts.set(template, (known = new Set(template.parts)));
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined && key !== "seq" && key !== "date" && !known.has(key)) {
      issues.push(invalid([key], `模板 ${template.source} 中没有编号部分 ${key}`, `The template ${template.source} has no part ${key}`));
    }
  }
  const date = template.usesDate ? readDate(parts.date, issues) : undefined;
  let out = "";
  for (const t of template.tokens) {
    if (t.kind === "literal") out += t.text;
    else if (t.kind === "seq") out += seqText;
    else if (t.kind === "date") out += date ? dateText(t.field, date) : "";
    else out += readCode(t.name, Object.hasOwn(parts, t.name) ? (parts as Record<string, unknown>)[t.name] : undefined, t.width, issues) ?? "";
  }
  return out;
}

function checkSeq(template: NumberTemplate, seq: unknown, issues: JicengIssue[]): string {
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
    issues.push(invalid(["seq"], `序号须为不小于 1 的整数，实际为 ${JSON.stringify(seq)}`, `The sequence must be an integer ≥ 1, got ${JSON.stringify(seq)}`));
    return "";
  }
  if (seq > template.maxSeq) {
    issues.push(issue(IssueCode.SEQUENCE_OVERFLOW, ["seq"], `序号 ${seq} 超出 ${template.seqWidth} 位（最大 ${template.maxSeq}）；编号不会加长`, `Sequence ${seq} does not fit ${template.seqWidth} digits (max ${template.maxSeq}); the number is never lengthened`));
    return "";
  }
  return String(seq).padStart(template.seqWidth, "0");
}

/**
 * Format a case number from its parts. Codes must have exactly their width (never padded or
 * truncated: INVALID_NUMBER); `seq` is zero-padded, and a seq too wide is SEQUENCE_OVERFLOW.
 * Throws one {@link JicengError} with every issue found.
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 1 }); // "0620010101"
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1): 如0620010101，即6月20日**镇**村排查的01号问题
 */
export function formatCaseNumber(template: NumberTemplate, parts: CaseNumberParts): string {
  template = asTemplate(template);
  partsArg(parts);
  const issues: JicengIssue[] = [];
  const seqText = checkSeq(template, parts.seq, issues);
  const out = render(template, parts, seqText, issues);
  if (issues.length > 0) throw new JicengError(sortIssues(issues));
  return out;
}

function partsArg(parts: unknown): void {
  const proto: unknown = parts !== null && typeof parts === "object" ? Object.getPrototypeOf(parts) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, ["parts"], `编号部分须为对象，实际为 ${parts === null ? "null" : Array.isArray(parts) ? "数组" : typeof parts}`, `The number parts must be an object, got ${parts === null ? "null" : Array.isArray(parts) ? "an array" : typeof parts}`));
  }
}

/** Input errors first, overflow last: an overflow only matters once the parts are right. */
function sortIssues(issues: JicengIssue[]): JicengIssue[] {
  return [...issues.filter((i) => i.code !== IssueCode.SEQUENCE_OVERFLOW), ...issues.filter((i) => i.code === IssueCode.SEQUENCE_OVERFLOW)];
}

/**
 * The key of the sequence a number belongs to: the number with its seq digits replaced by `*`
 * (Guyuan: date + unit + subunit, e.g. `"06200101**"`). Numbers are unique within a scope.
 * Validates the parts like {@link formatCaseNumber}; a `seq` key, if present, is ignored.
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * scopeKey(t, { date: "2022-06-20", unit: "01", subunit: "01" }); // "06200101**"
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function scopeKey(template: NumberTemplate, parts: ScopeParts): string {
  template = asTemplate(template);
  partsArg(parts);
  const issues: JicengIssue[] = [];
  const out = render(template, parts, "*".repeat(template.seqWidth), issues);
  if (issues.length > 0) throw new JicengError(issues);
  return out;
}

/**
 * Read a case number back into its parts. Wrong length, a wrong literal, a non-digit in a
 * digit field, an impossible date (month 13, day 32, 30 February) or seq 0 are INVALID_NUMBER.
 * `parseCaseNumber(t, formatCaseNumber(t, x))` gives back x's month, day, year, seq and codes.
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * parseCaseNumber(t, "0620010101");
 * // { month: 6, day: 20, seq: 1, parts: { unit: "01", subunit: "01" } }
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function parseCaseNumber(template: NumberTemplate, text: string): ParsedCaseNumber {
  template = asTemplate(template);
  if (typeof text !== "string") {
    throw new JicengError(invalid([], `编号须为字符串，实际为 ${typeof text}`, `A case number must be a string, got ${typeof text}`));
  }
  const lengthOk = template.variable ? text.length > template.fixedLength : text.length === template.fixedLength;
  if (!lengthOk) {
    const expected = template.variable ? `至少 ${template.fixedLength + 1}` : String(template.fixedLength);
    const expectedEn = template.variable ? `at least ${template.fixedLength + 1}` : String(template.fixedLength);
    throw new JicengError(invalid([], `编号 ${JSON.stringify(text)} 长度为 ${text.length}，模板 ${template.source} 要求 ${expected} 位`, `Number ${JSON.stringify(text)} has ${text.length} characters; template ${template.source} needs ${expectedEn}`));
  }

  const issues: JicengIssue[] = [];
  const result: ParsedCaseNumber = { seq: 0, parts: {} };
  const variableWidth = text.length - template.fixedLength;
  let at = 0;
  const digits = (label: string, piece: string): number | undefined => {
    if (DIGITS.test(piece)) return Number(piece);
    issues.push(invalid([label], `编号第 ${at + 1} 位起的 ${label} 须为数字，实际为 ${JSON.stringify(piece)}`, `${label} at character ${at + 1} must be digits, got ${JSON.stringify(piece)}`));
    return undefined;
  };

  for (const t of template.tokens) {
    const width = t.kind === "literal" ? t.text.length : (t.width ?? variableWidth);
    const piece = text.slice(at, at + width);
    if (t.kind === "literal") {
      if (piece !== t.text) issues.push(invalid([], `编号第 ${at + 1} 位起应为 ${JSON.stringify(t.text)}，实际为 ${JSON.stringify(piece)}`, `Expected ${JSON.stringify(t.text)} at character ${at + 1}, got ${JSON.stringify(piece)}`));
    } else if (t.kind === "part") {
      if (CODE.test(piece)) result.parts[t.name] = piece;
      else issues.push(invalid(["parts", t.name], `编号部分 ${t.name} 须为字母或数字，实际为 ${JSON.stringify(piece)}`, `Part ${t.name} must be letters and digits, got ${JSON.stringify(piece)}`));
    } else if (t.kind === "seq") {
      const n = digits("seq", piece);
      if (n !== undefined && n < 1) issues.push(invalid(["seq"], `序号不能为 ${piece}，最小为 1`, `The sequence cannot be ${piece}; it starts at 1`));
      else if (n !== undefined) result.seq = n;
    } else {
      const key = t.field === "YYYY" ? "year" : t.field === "YY" ? "yy" : t.field === "MM" ? "month" : "day";
      const n = digits(key, piece);
      if (n === undefined) {
        // reported
      } else if (t.field === "YYYY" && n < 1) issues.push(invalid(["year"], `年份 ${piece} 无效`, `Year ${piece} is not valid`));
      else if (t.field === "MM" && (n < 1 || n > 12)) issues.push(invalid(["month"], `月份 ${piece} 无效（应为 01–12）`, `Month ${piece} is not valid (01–12)`));
      else if (t.field === "DD" && (n < 1 || n > 31)) issues.push(invalid(["day"], `日 ${piece} 无效（应为 01–31）`, `Day ${piece} is not valid (01–31)`));
      else result[key] = n;
    }
    at += width;
  }

  if (result.month !== undefined && result.day !== undefined) {
    // Without a year, 29 February may be a leap day; with YY, years are read as 2000–2099.
    const leap = result.year !== undefined ? isLeap(result.year) : result.yy !== undefined ? result.yy % 4 === 0 : undefined;
    const max = daysInMonth(result.month, leap);
    if (result.day > max) {
      issues.push(invalid(["day"], `${result.month} 月没有 ${result.day} 日`, `Month ${result.month} has no day ${result.day}`));
    }
  }
  if (issues.length > 0) throw new JicengError(issues);
  return result;
}

/**
 * True when `text` is a well-formed number for the template (see {@link parseCaseNumber}).
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * isValidCaseNumber(t, "0620010101"); // true
 * isValidCaseNumber(t, "1320010101"); // false: month 13
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function isValidCaseNumber(template: NumberTemplate, text: string): boolean {
  try {
    parseCaseNumber(template, text);
    return true;
  } catch {
    return false;
  }
}
