import { IssueCode, JicengError, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { NumberingDef } from "./schema.js";

/** A date field of a template; its width is fixed by its name. */
export type DateField = "YYYY" | "YY" | "MM" | "DD";

/** One piece of a compiled template. A part with `width: null` takes whatever length is left. */
export type TemplateToken =
  | { kind: "literal"; text: string }
  | { kind: "date"; field: DateField; width: number }
  | { kind: "part"; name: string; width: number | null }
  | { kind: "seq"; width: number };

/**
 * A compiled case-number template, e.g. Guyuan's `{MM}{DD}{unit:2}{subunit:2}{seq:2}`.
 * Build it with {@link compileTemplate}; it is plain, immutable data.
 */
export interface NumberTemplate {
  readonly source: string;
  readonly tokens: readonly TemplateToken[];
  /** Named parts in template order (not date fields, not seq). */
  readonly parts: readonly string[];
  readonly usesDate: boolean;
  readonly seqWidth: number;
  /** Largest sequence that fits: 10^seqWidth − 1. */
  readonly maxSeq: number;
  /** Length of every number, or of its fixed pieces when one part has no width. */
  readonly fixedLength: number;
  /** True when one part has no width (its length is the rest of the number). */
  readonly variable: boolean;
}

const DATE_WIDTH: Record<DateField, number> = { YYYY: 4, YY: 2, MM: 2, DD: 2 };
const PART_NAME = /^[a-z][a-zA-Z0-9]*$/;
export const MAX_WIDTH = 12;

interface Analysis {
  tokens: TemplateToken[];
  issues: JicengIssue[];
}

const bad = (path: IssuePath, zh: string, en: string) => issue(IssueCode.INVALID_TEMPLATE, path, zh, en);

function analyse(template: string, path: IssuePath): Analysis {
  const tokens: TemplateToken[] = [];
  const issues: JicengIssue[] = [];
  let literal = "";
  let seqTokens = 0;
  const flush = () => {
    if (literal) tokens.push({ kind: "literal", text: literal });
    literal = "";
  };

  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === "}") {
      issues.push(bad(path, `第 ${i + 1} 个字符处的“}”没有对应的“{”`, `Unmatched "}" at character ${i + 1}`));
      continue;
    }
    if (ch !== "{") {
      literal += ch;
      continue;
    }
    const end = template.indexOf("}", i + 1);
    const nextOpen = template.indexOf("{", i + 1);
    if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
      issues.push(bad(path, `第 ${i + 1} 个字符处的“{”没有闭合`, `Unclosed "{" at character ${i + 1}`));
      continue;
    }
    flush();
    const raw = template.slice(i, end + 1);
    const inner = template.slice(i + 1, end);
    // A malformed {seq…} is reported once, not again as "missing seq".
    if (/^seq(:|$)/.test(inner)) seqTokens++;
    const token = readToken(inner, raw, path, issues);
    if (token) tokens.push(token);
    i = end;
  }
  flush();

  // Whole-template checks.
  if (seqTokens === 0) issues.push(bad(path, "模板须包含且只包含一个序号 {seq:位数}", "The template needs exactly one sequence token {seq:width}"));
  if (seqTokens > 1) issues.push(bad(path, `模板中序号 {seq} 出现了 ${seqTokens} 次，只能有一个`, `The template has ${seqTokens} sequence tokens; exactly one is allowed`));

  const seenParts = new Set<string>();
  const seenDates = new Set<string>();
  for (const t of tokens) {
    if (t.kind === "part") {
      if (seenParts.has(t.name)) issues.push(bad(path, `部分 {${t.name}} 重复出现`, `Part {${t.name}} appears more than once`));
      seenParts.add(t.name);
    } else if (t.kind === "date") {
      const key = t.field === "YY" ? "YYYY" : t.field;
      if (seenDates.has(key)) issues.push(bad(path, `日期字段 {${t.field}} 重复出现（年份只能用 {YYYY} 或 {YY} 之一）`, `Date field {${t.field}} appears more than once (use one of {YYYY} or {YY})`));
      seenDates.add(key);
    }
  }

  const variable = tokens.filter((t) => t.kind === "part" && t.width === null);
  if (variable.length > 1) {
    const names = variable.map((t) => `{${(t as { name: string }).name}}`).join("、");
    issues.push(bad(path, `模板有 ${variable.length} 个不定长部分（${names}），编号无法唯一拆分；最多一个部分可省略位数`, `The template has ${variable.length} variable-width parts (${names}), so a number cannot be split unambiguously; at most one part may omit its width`));
  }
  return { tokens, issues };
}

function readToken(inner: string, raw: string, path: IssuePath, issues: JicengIssue[]): TemplateToken | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]*)(?::(.*))?$/.exec(inner);
  if (!m) {
    issues.push(bad(path, `无法识别的模板标记 ${raw}；可用 {YYYY} {YY} {MM} {DD} {seq:位数} {名称:位数}`, `Unknown template token ${raw}; use {YYYY} {YY} {MM} {DD} {seq:width} {name:width}`));
    return undefined;
  }
  const name = m[1]!;
  const widthText = m[2];

  if (Object.hasOwn(DATE_WIDTH, name)) {
    const field = name as DateField;
    if (widthText !== undefined) {
      issues.push(bad(path, `日期字段 ${raw} 的位数是固定的，请写作 {${field}}`, `Date field ${raw} has a fixed width; write {${field}}`));
      return undefined;
    }
    return { kind: "date", field, width: DATE_WIDTH[field] };
  }
  if (!PART_NAME.test(name)) {
    issues.push(bad(path, `无法识别的模板标记 ${raw}；日期字段只有 {YYYY} {YY} {MM} {DD}，其他部分名称须以小写字母开头`, `Unknown template token ${raw}; the date fields are {YYYY} {YY} {MM} {DD}, and other part names start with a lowercase letter`));
    return undefined;
  }
  if (name === "date") {
    issues.push(bad(path, `${raw}：date 是保留名称，日期请用 {YYYY} {MM} {DD}`, `${raw}: "date" is reserved; use {YYYY} {MM} {DD} for the date`));
    return undefined;
  }

  let width: number | null = null;
  if (widthText !== undefined) {
    if (!/^\d+$/.test(widthText) || Number(widthText) < 1 || Number(widthText) > MAX_WIDTH) {
      issues.push(bad(path, `${raw} 的位数须为 1 到 ${MAX_WIDTH} 的整数`, `The width in ${raw} must be an integer from 1 to ${MAX_WIDTH}`));
      return undefined;
    }
    width = Number(widthText);
  }
  if (name === "seq") {
    if (width === null) {
      issues.push(bad(path, "序号须写明位数，如 {seq:2}", "The sequence needs a width, e.g. {seq:2}"));
      return undefined;
    }
    return { kind: "seq", width };
  }
  return { kind: "part", name, width };
}

function build(source: string, tokens: TemplateToken[]): NumberTemplate {
  let seqWidth = 0;
  let fixedLength = 0;
  let variable = false;
  let usesDate = false;
  const parts: string[] = [];
  for (const t of tokens) {
    if (t.kind === "literal") fixedLength += t.text.length;
    else if (t.kind === "seq") {
      seqWidth = t.width;
      fixedLength += t.width;
    } else if (t.kind === "date") {
      usesDate = true;
      fixedLength += t.width;
    } else {
      parts.push(t.name);
      if (t.width === null) variable = true;
      else fixedLength += t.width;
    }
  }
  return Object.freeze({
    source,
    tokens: Object.freeze(tokens.map((t) => Object.freeze(t))),
    parts: Object.freeze(parts),
    usesDate,
    seqWidth,
    maxSeq: 10 ** seqWidth - 1,
    fixedLength,
    variable,
  });
}

/**
 * Compile a case-number template such as `{MM}{DD}{unit:2}{subunit:2}{seq:2}`.
 *
 * Tokens: literal text; date fields `{YYYY}` `{YY}` `{MM}` `{DD}`; named parts `{name:width}`
 * (fixed-width codes of ASCII letters and digits, width 1–12; at most one part may omit its
 * width and take the rest of the number); exactly one `{seq:width}`. Throws a
 * {@link JicengError} with every INVALID_TEMPLATE issue found, at `path`.
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * t.parts;      // ["unit", "subunit"]
 * t.maxSeq;     // 99
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1): 月日4位 + 乡镇2位 + 村2位 + 序号2位
 */
export function compileTemplate(template: string, path: IssuePath = []): NumberTemplate {
  if (typeof template !== "string") throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, path, `编号模板须为字符串，实际为 ${template === null ? "null" : typeof template}`, `A number template must be a string, got ${template === null ? "null" : typeof template}`));
  if (template.length > 200) throw new JicengError(issue(IssueCode.INVALID_TEMPLATE, path, `编号模板长度 ${template.length} 超过 200`, `A number template of ${template.length} characters is longer than 200`));
  const { tokens, issues } = analyse(template, path);
  if (issues.length > 0) throw new JicengError(issues);
  const out = build(template, tokens);
  compiled.add(out);
  return out;
}

const compiled = new WeakSet<object>();

/**
 * The template argument of the format / parse functions: one {@link compileTemplate} made, else one
 * compiled again from its `source` (a copy that crossed a JSON boundary), else INVALID_ARGUMENT.
 */
export function asTemplate(t: unknown, path: IssuePath = ["template"]): NumberTemplate {
  if (typeof t === "object" && t !== null && compiled.has(t)) return t as NumberTemplate;
  const source = typeof t === "object" && t !== null && Object.hasOwn(t, "source") ? (t as { source: unknown }).source : undefined;
  if (typeof source === "string") return compileTemplate(source, path);
  throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, path, "须为 compileTemplate 编译的编号模板", "Expected a number template made by compileTemplate"));
}

/** The fields of a pack's `numbering` that {@link checkTemplate} reads. */
export type NumberingInput = Pick<NumberingDef, "template" | "date"> & { parts?: NumberingDef["parts"] | undefined };

/**
 * Check a pack's `numbering` block and return every issue (never throws): template syntax,
 * missing or duplicate `{seq}`, widths, ambiguity, parts used but not mapped in `parts`,
 * mapped but unused (warning), date fields without `date` (and the reverse, a warning).
 *
 * @example
 * checkTemplate({ template: "{MM}{DD}{unit:2}{seq:2}", parts: {} }, ["numbering"]);
 * // [{ code: "INVALID_TEMPLATE", path: ["numbering", "parts"], … "{unit}" is not mapped …},
 * //  { code: "INVALID_TEMPLATE", path: ["numbering", "date"], … }]
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function checkTemplate(numbering: NumberingInput, path: IssuePath = []): JicengIssue[] {
  const { tokens, issues } = analyse(numbering.template, [...path, "template"]);
  const mapped = numbering.parts ?? {};
  const used = new Set<string>();
  let usesDate = false;
  for (const t of tokens) {
    if (t.kind === "part" && !used.has(t.name)) {
      used.add(t.name);
      if (!Object.hasOwn(mapped, t.name)) {
        issues.push(bad([...path, "parts"], `模板中的 {${t.name}} 未在 parts 中指定取自哪个事实`, `Template part {${t.name}} is not mapped to a fact in parts`));
      }
    }
    if (t.kind === "date") usesDate = true;
  }
  for (const name of Object.keys(mapped)) {
    if (!used.has(name)) {
      issues.push(issue(IssueCode.INVALID_TEMPLATE, [...path, "parts", name], `parts 中的 ${name} 未在模板中使用`, `Part ${name} is mapped but not used in the template`, { severity: "warning" }));
    }
  }
  if (usesDate && numbering.date === undefined) {
    issues.push(bad([...path, "date"], "模板含日期字段，须用 date.fact 指定日期取自哪个事实", "The template has date fields; set date.fact to the fact the date comes from"));
  }
  if (!usesDate && numbering.date !== undefined) {
    issues.push(issue(IssueCode.INVALID_TEMPLATE, [...path, "date"], "指定了 date，但模板中没有日期字段", "date is set but the template has no date field", { severity: "warning" }));
  }
  return issues;
}
