import { IssueCode, JicengError, formatPath, isJicengError, issue, type IssuePath, type JicengIssue, type SafeResult } from "../errors/index.js";
import { prescanPack } from "./prescan.js";
import { compiledPackProblem, isCompiledPack, readCompiledPack } from "./compiled.js";
import { checkFacts } from "../conditions/facts.js";
import { isValidTimeZone } from "../conditions/time.js";
import type { FactDef } from "../vocabulary/index.js";
import { compileScoring } from "../scoring/score.js";
import { buildFactIndex } from "../conditions/facts.js";
import { checkCondition } from "../conditions/check.js";
import { checkTemplate } from "../numbering/template.js";
import { RulePackSchema, type RulePack } from "./schema.js";
import { ConditionSchema, FactSchema, TopLevelConditionSchema, type Cite, type Condition } from "../vocabulary/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { hasLoadedMark, markLoaded } from "../vocabulary/loaded.js";
import { uncoveredValueIssues } from "./provenance.js";
import { checkPackTables } from "../tables/classify.js";
import { checkUnitsSection } from "../units/check.js";
import { checkScore } from "../grading/check-pack.js";
import { checkLifecycle } from "../lifecycle/check-pack.js";
import { checkRouting } from "../routing/check-pack.js";

/** Options for {@link loadPack}. */
export interface LoadPackOptions {
  /** Apply one of the pack's `variants` (e.g. Guyuan's `appendix-colours`). */
  variant?: string;
}

/** True if `value` came out of {@link loadPack} (so it need not be validated again). */
export function isLoadedPack(value: unknown): value is RulePack {
  return hasLoadedMark(value);
}

/**
 * Validates a rule pack and returns it typed with defaults applied, or ALL its issues.
 *
 * @example
 * const r = safeLoadPack(JSON.parse(text));
 * if (!r.success) for (const i of r.issues) console.log(i.code, i.path, i.message.zh);
 */
export function safeLoadPack(input: unknown, options: LoadPackOptions = {}): SafeResult<RulePack> {
  try {
    return load(input, options);
  } catch (error) {
    // The promise is "never throws for any value": whatever escaped the checks becomes an issue.
    if (isJicengError(error)) return { success: false, issues: [...error.issues] };
    if (error instanceof RangeError) return { success: false, issues: [issue(IssueCode.LIMIT_EXCEEDED, [], `规则包过大或嵌套过深，无法检查（${error.message}）`, `The pack is too large or too deeply nested to check (${error.message})`)] };
    const msg = error instanceof Error ? error.message : String(error);
    return { success: false, issues: [issue(IssueCode.INTERNAL, [], `检查规则包时出现意外错误：${msg}`, `Unexpected error while checking the pack: ${msg}`)] };
  }
}

function load(input: unknown, options: LoadPackOptions): SafeResult<RulePack> {
  if (options === null || typeof options !== "object" || (options.variant !== undefined && typeof options.variant !== "string")) {
    return { success: false, issues: [issue(IssueCode.INVALID_ARGUMENT, ["options"], "选项须为对象，variant 须为字符串", "Options must be an object, and variant a string")] };
  }
  if (isCompiledPack(input)) {
    // Compiled by this core and unchanged: trusted as is (no zod). Otherwise (another version, an
    // edit, a variant asked for now) the pack as written, which it carries, is validated as usual.
    const problem = compiledPackProblem(input);
    if (options.variant === undefined && problem === undefined) return { success: true, data: readCompiledPack(input), warnings: [] };
    if (typeof input.source !== "string") {
      // A compiled module without the pack as written (the lean default of compiledPackModule).
      const why = problem !== undefined ? problem.issues[0]!.message : { zh: `须应用变体“${String(options.variant)}”`, en: `the variant "${String(options.variant)}" is asked for` };
      return {
        success: false,
        issues: [
          issue(
            IssueCode.INVALID_PACK,
            [],
            `无法使用这个编译后的规则包（${why.zh}），它也未附规则包原文：请传入规则包原文（规则包的默认导出或 pack.json），或用当前版本重新运行 jiceng compile`,
            `This compiled pack cannot be used (${why.en}) and it carries no pack as written: pass the pack as written (the rules package's default export, or pack.json), or run jiceng compile again with this version`,
          ),
        ],
      };
    }
    input = JSON.parse(input.source) as unknown;
  }
  const scanned = prescanPack(input);
  if (scanned.length) return { success: false, issues: scanned };
  return loadChecked(input, options, true);
}

function loadChecked(input: unknown, options: LoadPackOptions, checkVariants: boolean): SafeResult<RulePack> {
  const parsed = RulePackSchema.safeParse(input);
  if (!parsed.success) return { success: false, issues: [...fromZodIssues(parsed.error.issues), ...checkConditionsOfBrokenPack(input)] };
  let pack = structuredClone(parsed.data);
  const issues = [...checkPack(pack), ...uncoveredValueIssues(input)];
  // The scoring section refers to levels, facts and KPIs; compiling it is its cross-check, on the
  // pack itself (before its variants, so an issue is reported at its own path, once).
  if (pack.scoring && !issues.some((i) => i.severity === "error")) issues.push(...scoringIssues(pack));
  // Variants are checked on a pack that is sound itself, so each issue is reported once.
  if (checkVariants && !issues.some((i) => i.severity === "error")) issues.push(...checkVariantSets(input, pack));
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length) return { success: false, issues };
  if (options.variant !== undefined) {
    const v = pack.variants.findIndex((x) => x.id === options.variant);
    const variant = pack.variants[v];
    if (!variant) {
      return {
        success: false,
        issues: [issue(IssueCode.USAGE, ["variants"], `规则包没有名为 "${options.variant}" 的变体；可选：${pack.variants.map((x) => x.id).join(", ") || "无"}`, `The pack has no variant "${options.variant}"; available: ${pack.variants.map((x) => x.id).join(", ") || "none"}`)],
      };
    }
    if (variant.set?.length) {
      // The variant's values are set on the pack as written, which is then loaded as a whole.
      const patched = applyVariantSets(input, variant.set, ["variants", v, "set"]);
      if (!patched.ok) return { success: false, issues: patched.issues };
      const r = loadChecked(patched.value, {}, false);
      if (!r.success) return r;
      pack = structuredClone(r.data);
    }
    for (const level of pack.levels) {
      const patch = variant.levels[level.id];
      if (patch?.label) level.label = patch.label;
      if (patch?.colour) level.colour = patch.colour;
    }
  }
  markLoaded(pack);
  return { success: true, data: pack, warnings: issues.filter((i) => i.severity === "warning") };
}

/** The issues compiling a sound pack's scoring section finds (compileScoring takes a loaded pack). */
function scoringIssues(pack: RulePack): JicengIssue[] {
  markLoaded(pack);
  try {
    compileScoring(pack);
    return [];
  } catch (error) {
    if (isJicengError(error)) return [...error.issues];
    throw error;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Sets a variant's values on a copy of the pack as written. Each path must lead through values
 * the pack has; the last step may replace a value or add a key to an object, never grow an array.
 */
export function applyVariantSets(input: unknown, sets: ReadonlyArray<{ path: string; value?: unknown }>, at: IssuePath): { ok: true; value: unknown } | { ok: false; issues: JicengIssue[] } {
  const root = structuredClone(input) as Record<string, unknown>;
  const issues: JicengIssue[] = [];
  sets.forEach((x, i) => {
    const keys = x.path.split(".");
    let node: unknown = root;
    for (let k = 0; k < keys.length - 1; k++) {
      node = isPlainObject(node) && Object.hasOwn(node, keys[k]!) ? node[keys[k]!] : Array.isArray(node) && /^\d+$/.test(keys[k]!) ? node[Number(keys[k])] : undefined;
      if (node === undefined || node === null || typeof node !== "object") break;
    }
    const last = keys[keys.length - 1]!;
    const ok = isPlainObject(node) ? true : Array.isArray(node) && /^\d+$/.test(last) && Number(last) < node.length;
    if (!ok) {
      issues.push(issue(IssueCode.SCHEMA, [...at, i, "path"], `变体要改的路径 "${x.path}" 在规则包中不存在`, `The variant sets "${x.path}", which is not in the pack`));
      return;
    }
    if (Array.isArray(node)) node[Number(last)] = structuredClone(x.value);
    else (node as Record<string, unknown>)[last] = structuredClone(x.value);
  });
  return issues.length ? { ok: false, issues } : { ok: true, value: root };
}

/** Every variant that sets values must leave a valid pack: each is loaded once, its issues reported at the variant. */
function checkVariantSets(input: unknown, pack: RulePack): JicengIssue[] {
  const out: JicengIssue[] = [];
  pack.variants.forEach((variant, v) => {
    if (!variant.set?.length) return;
    const patched = applyVariantSets(input, variant.set, ["variants", v, "set"]);
    if (!patched.ok) {
      out.push(...patched.issues);
      return;
    }
    const r = loadChecked(patched.value, {}, false);
    if (!r.success) {
      for (const i of r.issues.filter((x) => x.severity === "error")) {
        out.push({ ...i, path: ["variants", v, "set"], message: { zh: `选用变体 "${variant.id}" 后规则包无效：${formatPathText(i.path)} ${i.message.zh}`, en: `With variant "${variant.id}" the pack is invalid: ${formatPathText(i.path)} ${i.message.en}` } });
      }
    }
  });
  return out;
}

const formatPathText = (path: IssuePath): string => "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");

/**
 * Validates a rule pack; throws one {@link JicengError} carrying every issue.
 *
 * @example
 * import pack from "@jiceng/rules-guyuan";
 * const loaded = loadPack(pack);
 */
export function loadPack(input: unknown, options: LoadPackOptions = {}): RulePack {
  if (isLoadedPack(input) && options.variant === undefined) return input;
  const r = safeLoadPack(input, options);
  if (!r.success) throw new JicengError(r.issues);
  return r.data;
}

/** Cross-reference checks that a schema alone cannot express. */
function checkPack(pack: RulePack): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const docs = new Set(pack.source.documents.map((d) => d.id));

  const dup = (list: { id: string }[], at: IssuePath) => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const first = seen.get(x.id);
      if (first === undefined) seen.set(x.id, i);
      else {
        const other = formatPath([...at, first, "id"]);
        issues.push(issue(IssueCode.DUPLICATE_ID, [...at, i, "id"], `重复的 id "${x.id}"（${other} 已使用）`, `Duplicate id "${x.id}" (already used at ${other})`));
      }
    });
  };
  dup(pack.source.documents, ["source", "documents"]);
  dup(pack.levels, ["levels"]);
  dup(pack.grading.rules, ["grading", "rules"]);
  dup(pack.variants, ["variants"]);
  if (!isValidTimeZone(pack.timezone)) {
    issues.push(issue(IssueCode.SCHEMA, ["timezone"], `未知的时区 "${pack.timezone}"：须为 IANA 时区，如 Asia/Shanghai`, `Unknown time zone "${pack.timezone}": expected an IANA zone such as Asia/Shanghai`));
  }
  const ranks = new Map<number, string>();
  pack.levels.forEach((l, i) => {
    const other = ranks.get(l.rank);
    if (other) issues.push(issue(IssueCode.DUPLICATE_ID, ["levels", i, "rank"], `等级 "${l.id}" 与 "${other}" 的 rank 相同：严重程度须可比较`, `Level "${l.id}" has the same rank as "${other}": severities must be ordered`));
    ranks.set(l.rank, l.id);
  });

  // Every cite names a declared source document.
  const walkCites = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) node.forEach((x, i) => walkCites(x, [...path, i]));
    else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        if (k === "cite" && v && typeof v === "object" && !docs.has((v as Cite).doc)) {
          issues.push(issue(IssueCode.MISSING_CITE, [...path, "cite", "doc"], `出处引用了未声明的文件 "${(v as Cite).doc}"；已声明：${[...docs].join(", ")}`, `Cites an undeclared document "${(v as Cite).doc}"; declared: ${[...docs].join(", ")}`));
        } else if (k !== "conditions") walkCites(v, [...path, k]);
      }
    }
  };
  walkCites(pack, []);

  const levelIds = new Set(pack.levels.map((l) => l.id));
  const unknownLevel = (id: string, path: (string | number)[]) => {
    if (!levelIds.has(id)) issues.push(issue(IssueCode.UNKNOWN_LEVEL, path, `未知等级 "${id}"；已声明：${[...levelIds].join(", ")}`, `Unknown level "${id}"; declared: ${[...levelIds].join(", ")}`));
  };
  unknownLevel(pack.grading.default.level, ["grading", "default", "level"]);
  pack.grading.rules.forEach((r, i) => unknownLevel(r.level, ["grading", "rules", i, "level"]));
  pack.variants.forEach((v, i) => Object.keys(v.levels).forEach((id) => unknownLevel(id, ["variants", i, "levels", id])));

  const factIssues = checkFacts(pack.facts);
  issues.push(...factIssues);
  const facts = buildFactIndex(soundFacts(pack.facts, factIssues));
  const factType = (name: string) => pack.facts.find((f) => f.name === name)?.type;
  if (factType(pack.startFact) !== "datetime") {
    issues.push(issue(IssueCode.UNKNOWN_FACT, ["startFact"], `期限起算事实 "${pack.startFact}" 须声明为 datetime 类型`, `The deadline start fact "${pack.startFact}" must be declared with type datetime`));
  }
  const ctx = { facts, named: pack.conditions };
  for (const [name, cond] of Object.entries(pack.conditions)) issues.push(...checkCondition(cond, ctx, ["conditions", name]));
  pack.grading.rules.forEach((r, i) => issues.push(...checkCondition(r.conditions, ctx, ["grading", "rules", i, "conditions"]).map((x) => ({ ...x, ruleId: r.id }))));
  issues.push(...checkScore(pack, ctx), ...checkLifecycle(pack, ctx), ...checkRouting(pack));
  issues.push(...checkPackTables(pack), ...(pack.units ? checkUnitsSection(pack.units) : []));

  if (pack.numbering) {
    issues.push(...checkTemplate(pack.numbering, ["numbering"]));
    const n = pack.numbering;
    if (n.date && factType(n.date.fact) !== "datetime" && factType(n.date.fact) !== "date") {
      issues.push(issue(IssueCode.UNKNOWN_FACT, ["numbering", "date", "fact"], `编号日期事实 "${n.date.fact}" 须为已声明的 date 或 datetime 事实`, `Numbering date fact "${n.date.fact}" must be a declared date or datetime fact`));
    }
    if (n.date?.fallback !== undefined && factType(n.date.fallback) !== "datetime" && factType(n.date.fallback) !== "date") {
      issues.push(issue(IssueCode.UNKNOWN_FACT, ["numbering", "date", "fallback"], `编号日期的替补事实 "${n.date.fallback}" 须为已声明的 date 或 datetime 事实`, `Numbering date fallback "${n.date.fallback}" must be a declared date or datetime fact`));
    }
    for (const [part, ref] of Object.entries(n.parts)) {
      if (!factType(ref.fact)) issues.push(issue(IssueCode.UNKNOWN_FACT, ["numbering", "parts", part, "fact"], `编号部分 "${part}" 引用了未声明的事实 "${ref.fact}"`, `Numbering part "${part}" refers to an undeclared fact "${ref.fact}"`));
    }
  }
  return issues;
}

/**
 * When the schema already failed, still check the conditions that are well-formed against the facts
 * that are well-formed, so a policy officer sees every problem in one pass (not one layer at a time).
 */
function checkConditionsOfBrokenPack(input: unknown): JicengIssue[] {
  if (!input || typeof input !== "object") return [];
  const raw = input as { facts?: unknown; conditions?: unknown; grading?: { rules?: unknown } };
  if (!Array.isArray(raw.facts)) return [];
  const facts = raw.facts.flatMap((f) => {
    const r = FactSchema.safeParse(f);
    return r.success ? [r.data] : [];
  });
  const index = buildFactIndex(soundFacts(facts, checkFacts(facts)));
  const named: Record<string, Condition> = {};
  if (raw.conditions && typeof raw.conditions === "object" && !Array.isArray(raw.conditions)) {
    for (const [k, v] of Object.entries(raw.conditions)) {
      const r = ConditionSchema.safeParse(v);
      if (r.success) named[k] = r.data;
    }
  }
  const ctx = { facts: index, named };
  const issues: JicengIssue[] = [];
  for (const [k, v] of Object.entries(named)) issues.push(...checkCondition(v, ctx, ["conditions", k]));
  const rules = Array.isArray(raw.grading?.rules) ? (raw.grading!.rules as unknown[]) : [];
  rules.forEach((rule, i) => {
    const cond = (rule as { conditions?: unknown } | null)?.conditions;
    const r = TopLevelConditionSchema.safeParse(cond);
    if (r.success) issues.push(...checkCondition(r.data, ctx, ["grading", "rules", i, "conditions"]));
  });
  return issues;
}

/** The fact declarations without an error of their own (a duplicate keeps its first), so the rest of the pack is still checked. */
function soundFacts(facts: readonly FactDef[], issues: readonly JicengIssue[]): FactDef[] {
  const bad = new Set<number>();
  for (const i of issues) if (i.severity === "error" && typeof i.path[1] === "number") bad.add(i.path[1]);
  const kept = facts.filter((_, i) => !bad.has(i));
  // What is left may still nest one fact inside another; then check conditions against none.
  return checkFacts(kept).some((i) => i.severity === "error") ? [] : kept;
}
