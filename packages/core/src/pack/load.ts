import { IssueCode, JicengError, isJicengError, issue, type IssuePath, type JicengIssue, type SafeResult } from "../errors/index.js";
import { prescanPack } from "./prescan.js";
import { compiledPackProblem, isCompiledPack, readCompiledPack } from "./compiled.js";
import { checkFacts } from "../conditions/facts.js";
import { isValidTimeZone } from "../conditions/time.js";
import type { FactDef } from "../vocabulary/index.js";
import { compileScoring } from "../scoring/score.js";
import { buildFactIndex } from "../conditions/facts.js";
import { checkCondition, type CheckContext } from "../conditions/check.js";
import { checkTemplate } from "../numbering/template.js";
import type * as z from "zod";
import { RulePackSchema, type RulePack } from "./schema.js";
import { ConditionSchema, FactSchema, TopLevelConditionSchema, type Cite, type Condition } from "../vocabulary/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { duplicateIssue, duplicates } from "../vocabulary/duplicates.js";
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

/**
 * A sound pack a variant is checked against: its zod output by top-level key, and the keys the
 * variant sets, so only those sections are parsed again (a pack at its limits has 100,000 values,
 * and up to 50 variants).
 */
interface VariantBase {
  sections: Readonly<Record<string, unknown>>;
  touched: ReadonlySet<string>;
}

const SECTIONS = RulePackSchema.shape as unknown as Record<string, z.ZodType>;

function parsePack(input: unknown, base: VariantBase | undefined): { ok: true; data: RulePack } | { ok: false; issues: JicengIssue[] } {
  if (base && isPlainObject(input) && [...base.touched].every((k) => Object.hasOwn(SECTIONS, k))) {
    const data: Record<string, unknown> = { ...base.sections };
    const issues: JicengIssue[] = [];
    for (const k of base.touched) {
      const r = SECTIONS[k]!.safeParse(input[k]);
      if (!r.success) issues.push(...fromZodIssues(r.error.issues, [k]));
      else if (r.data === undefined) delete data[k];
      else data[k] = r.data;
    }
    return issues.length ? { ok: false, issues } : { ok: true, data: data as RulePack };
  }
  const r = RulePackSchema.safeParse(input);
  return r.success ? { ok: true, data: r.data } : { ok: false, issues: fromZodIssues(r.error.issues) };
}

function loadChecked(input: unknown, options: LoadPackOptions, checkVariants: boolean, base?: VariantBase): SafeResult<RulePack> {
  const parsed = parsePack(input, base);
  if (!parsed.ok) return { success: false, issues: [...parsed.issues, ...checkConditionsOfBrokenPack(input)] };
  // The checks read the zod output itself, so a variant's check (which shares its sections) finds
  // their results; what is returned is a copy. A variant's check keeps nothing of the pack it loads.
  const checked = parsed.data;
  const issues = [...checkPack(checked), ...uncoveredValueIssues(input)];
  // The scoring section refers to levels, facts and KPIs; compiling it is its cross-check, on the
  // pack itself (before its variants, so an issue is reported at its own path, once).
  if (checked.scoring && !issues.some((i) => i.severity === "error")) issues.push(...scoringIssues(checked));
  // Variants are checked on a pack that is sound itself, so each issue is reported once.
  if (checkVariants && !issues.some((i) => i.severity === "error")) issues.push(...checkVariantSets(input, checked));
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length) return { success: false, issues };
  let pack = base ? checked : structuredClone(checked);
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
      const r = loadChecked(patched.value, {}, false, variantBase(parsed.data, variant.set));
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
  // Only the objects on the paths set are copied; the rest is shared with the input, which is
  // never written (a copy of the whole of a pack at its limits, per variant, is most of its check).
  const copied = new WeakSet<object>();
  const copy = <T extends object>(x: T): T => {
    const c = (Array.isArray(x) ? [...x] : { ...x }) as T;
    copied.add(c);
    return c;
  };
  const root = isPlainObject(input) ? copy(input) : (structuredClone(input) as Record<string, unknown>);
  const issues: JicengIssue[] = [];
  sets.forEach((x, i) => {
    const keys = x.path.split(".");
    let node: unknown = root;
    for (let k = 0; k < keys.length - 1; k++) {
      const parent = node;
      const key = keys[k]!;
      node = isPlainObject(parent) && Object.hasOwn(parent, key) ? parent[key] : Array.isArray(parent) && /^\d+$/.test(key) ? parent[Number(key)] : undefined;
      if (node === undefined || node === null || typeof node !== "object") break;
      if (!copied.has(node)) {
        node = copy(node);
        if (Array.isArray(parent)) parent[Number(key)] = node;
        else (parent as Record<string, unknown>)[key] = node;
      }
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
function checkVariantSets(input: unknown, parsed: RulePack): JicengIssue[] {
  const out: JicengIssue[] = [];
  parsed.variants.forEach((variant, v) => {
    if (!variant.set?.length) return;
    const patched = applyVariantSets(input, variant.set, ["variants", v, "set"]);
    if (!patched.ok) {
      out.push(...patched.issues);
      return;
    }
    const r = loadChecked(patched.value, {}, false, variantBase(parsed, variant.set));
    if (!r.success) {
      for (const i of r.issues.filter((x) => x.severity === "error")) {
        out.push({ ...i, path: ["variants", v, "set"], message: { zh: `选用变体 "${variant.id}" 后规则包无效：${formatPathText(i.path)} ${i.message.zh}`, en: `With variant "${variant.id}" the pack is invalid: ${formatPathText(i.path)} ${i.message.en}` } });
      }
    }
  });
  return out;
}

const variantBase = (parsed: RulePack, sets: ReadonlyArray<{ path: string }>): VariantBase => ({ sections: parsed as unknown as Record<string, unknown>, touched: new Set(sets.map((x) => x.path.split(".")[0]!)) });

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

/**
 * checkCondition's issues for a condition, kept while it is checked at the same path against the
 * same fact declarations and named conditions (the same objects): a variant's check shares every
 * section it does not set with the pack's own, so its conditions are not checked again.
 */
const conditionChecks = new WeakMap<object, { facts: object; named: object; path: string; issues: JicengIssue[] }>();
function checkConditionOf(cond: object, ctx: CheckContext, path: IssuePath, facts: object): JicengIssue[] {
  const at = path.join("\u0000");
  const hit = conditionChecks.get(cond);
  if (hit !== undefined && hit.facts === facts && hit.named === ctx.named && hit.path === at) return hit.issues;
  const issues = checkCondition(cond, ctx, path);
  conditionChecks.set(cond, { facts, named: ctx.named, path: at, issues });
  return issues;
}

/** Cross-reference checks that a schema alone cannot express. */
function checkPack(pack: RulePack): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const docs = new Set(pack.source.documents.map((d) => d.id));

  duplicates(pack.source.documents, ["source", "documents"], { zh: "来源文件", en: "source document" }, issues);
  duplicates(pack.levels, ["levels"], { zh: "等级", en: "level" }, issues);
  duplicates(pack.grading.rules, ["grading", "rules"], { zh: "定级规则", en: "grading rule" }, issues);
  duplicates(pack.variants, ["variants"], { zh: "变体", en: "variant" }, issues);
  if (!isValidTimeZone(pack.timezone)) {
    issues.push(issue(IssueCode.SCHEMA, ["timezone"], `未知的时区 "${pack.timezone}"：须为 IANA 时区，如 Asia/Shanghai`, `Unknown time zone "${pack.timezone}": expected an IANA zone such as Asia/Shanghai`));
  }
  const ranks = new Map<number, number>();
  pack.levels.forEach((l, i) => {
    const other = ranks.get(l.rank);
    if (other !== undefined) issues.push(duplicateIssue(["levels", i, "rank"], ["levels", other, "rank"], { zh: `等级 "${l.id}" 与 "${pack.levels[other]!.id}" 的 rank 相同：严重程度须可比较`, en: `Level "${l.id}" has the same rank as "${pack.levels[other]!.id}": severities must be ordered` }));
    else ranks.set(l.rank, i);
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
  for (const [name, cond] of Object.entries(pack.conditions)) issues.push(...checkConditionOf(cond, ctx, ["conditions", name], pack.facts));
  pack.grading.rules.forEach((r, i) => issues.push(...checkConditionOf(r.conditions, ctx, ["grading", "rules", i, "conditions"], pack.facts).map((x) => ({ ...x, ruleId: r.id }))));
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
