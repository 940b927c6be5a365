import { IssueCode, JicengError, isJicengError, issue, type JicengIssue, type SafeResult } from "../errors/index.js";
import { compileScoring } from "../scoring/score.js";
import { buildFactIndex } from "../conditions/facts.js";
import { checkCondition } from "../conditions/check.js";
import { checkTemplate } from "../numbering/template.js";
import { ConditionSchema, FactSchema, RulePackSchema, TopLevelConditionSchema, type Cite, type Condition, type RulePack } from "./schema.js";
import { fromZodIssues } from "./zod-issues.js";
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

const LOADED = Symbol.for("jiceng.loadedPack");

/** True if `value` came out of {@link loadPack} (so it need not be validated again). */
export function isLoadedPack(value: unknown): value is RulePack {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[LOADED] === true;
}

/**
 * Validates a rule pack and returns it typed with defaults applied, or ALL its issues.
 *
 * @example
 * const r = safeLoadPack(JSON.parse(text));
 * if (!r.success) for (const i of r.issues) console.log(i.code, i.path, i.message.zh);
 */
export function safeLoadPack(input: unknown, options: LoadPackOptions = {}): SafeResult<RulePack> {
  const parsed = RulePackSchema.safeParse(input);
  if (!parsed.success) return { success: false, issues: [...fromZodIssues(parsed.error.issues), ...checkConditionsOfBrokenPack(input)] };
  const pack = structuredClone(parsed.data);
  const issues = checkPack(pack);
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
    for (const level of pack.levels) {
      const patch = variant.levels[level.id];
      if (patch?.label) level.label = patch.label;
      if (patch?.colour) level.colour = patch.colour;
    }
  }
  Object.defineProperty(pack, LOADED, { value: true, enumerable: false });
  if (pack.scoring) {
    // The scoring section refers to levels, facts and KPIs; compiling it is its cross-check.
    try {
      compileScoring(pack);
    } catch (error) {
      if (isJicengError(error)) return { success: false, issues: [...error.issues] };
      throw error;
    }
  }
  return { success: true, data: pack, warnings: issues.filter((i) => i.severity === "warning") };
}

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

  const dup = (list: { id?: string; name?: string }[], key: "id" | "name", at: string) => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const v = x[key];
      if (v === undefined) return;
      if (seen.has(v)) issues.push(issue(IssueCode.DUPLICATE_ID, [at, i, key], `重复的 ${key} "${v}"（第 ${seen.get(v)! + 1} 项已使用）`, `Duplicate ${key} "${v}" (already used by item ${seen.get(v)! + 1})`));
      else seen.set(v, i);
    });
  };
  dup(pack.source.documents, "id", "source");
  dup(pack.facts, "name", "facts");
  dup(pack.levels, "id", "levels");
  dup(pack.grading.rules, "id", "grading");
  dup(pack.variants, "id", "variants");
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

  const facts = buildFactIndex(pack.facts);
  const factType = (name: string) => pack.facts.find((f) => f.name === name)?.type;
  pack.facts.forEach((f, i) => {
    if (f.default === undefined) return;
    const ok = checkDefault(f.type, f.default, f.values?.map((v) => v.value));
    if (!ok) issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, ["facts", i, "default"], `默认值 ${JSON.stringify(f.default)} 不符合事实类型 ${f.type}${f.values ? "（可选：" + f.values.map((v) => v.value).join(", ") + "）" : ""}`, `Default ${JSON.stringify(f.default)} does not fit fact type ${f.type}${f.values ? " (allowed: " + f.values.map((v) => v.value).join(", ") + ")" : ""}`));
  });
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
  const index = buildFactIndex(facts);
  const named: Record<string, Condition> = {};
  if (raw.conditions && typeof raw.conditions === "object") {
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

function checkDefault(type: string, value: unknown, values: string[] | undefined): boolean {
  switch (type) {
    case "string": return typeof value === "string";
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "boolean": return typeof value === "boolean";
    case "enum": return typeof value === "string" && (values ?? []).includes(value);
    case "enum-list": return Array.isArray(value) && value.every((v) => typeof v === "string" && (values ?? []).includes(v));
    case "string-list": return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "date": return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case "datetime": return typeof value === "string" && !Number.isNaN(Date.parse(value)) && /(Z|[+-]\d{2}:\d{2})$/.test(value);
    default: return false;
  }
}
