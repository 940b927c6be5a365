/**
 * The assembler: the whole rule-pack schema composed from the vocabulary (src/vocabulary/) and every
 * capability's own schema. It sits above every capability; nothing below it imports a value from here
 * (a test holds that).
 */
import * as z from "zod";
import { d, SAFE_FACT_NAME, TextSchema, IdSchema, provenanceShape, checkProvenance, FactSchema, ConditionSchema, LevelSchema } from "../vocabulary/index.js";
import { ScoringSchema } from "../scoring/schema.js";
import { CalendarSchema } from "../calendar/schema.js";
import { NumberingSchema } from "../numbering/schema.js";
import { GradingSchema } from "../grading/schema.js";
import { LifecycleSchema, EscalationSchema } from "../lifecycle/schema.js";
import { TablesSchema } from "../tables/schema.js";
import { UnitsSchema } from "../units/schema.js";
import { RoutingSchema } from "../routing/schema.js";
import { CONDITION_LIMITS as C } from "../conditions/check.js";
import { PACK_LIMITS as L } from "./prescan.js";

const n = (x: number) => x.toLocaleString("en");

// ── Variants ──────────────────────────────────────────────────────────────

/** A path a variant may set: identifiers and array indexes, no prototype keys. */
export const VARIANT_PATH = /^(?!.*(?:^|\.)(?:__proto__|prototype|constructor)(?:\.|$))[A-Za-z$][A-Za-z0-9]*(\.([A-Za-z][A-Za-z0-9]*|\d{1,3})){0,11}$/;

export const VariantSchema = z
  .strictObject({
    id: IdSchema,
    label: TextSchema,
    levels: z
      .record(IdSchema, z.strictObject({ label: TextSchema.optional(), colour: z.string().regex(/^(red|orange|yellow|green|blue|grey|#[0-9a-fA-F]{6})$/).optional() }))
      .meta(d("对等级名称、颜色的改动（无则写 {}）", "Changes to level labels and colours ({} when none)")),
    set: z
      .array(
        z.strictObject({
          path: z.string().regex(VARIANT_PATH).meta(d("要改的值的路径（点分，数组用下标），如 escalation.upgrade.clock", "Path of the value to change (dotted, array indexes as numbers), e.g. escalation.upgrade.clock")),
          value: z.unknown().meta(d("新值（改后整个规则包须仍然有效）", "The new value (the whole pack must still be valid)")),
        }),
      )
      .max(50)
      .optional()
      .meta(d("选用此变体时改写的其他值：使两种都说得通的解读可以切换", "Other values this variant sets: makes a reading switchable where both are plausible")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Variant", ...d("文件内的另一种写法，可选用", "A variant the document also states, selectable") });

// ── The pack ──────────────────────────────────────────────────────────────

export const SourceDocumentSchema = z.strictObject({
  id: IdSchema,
  title: TextSchema,
  number: z.string().optional().meta(d("文号", "Document number")),
  issuer: TextSchema.optional(),
  issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().meta(d("印发日期", "Date issued")),
  file: z.string().optional().meta(d("原文文件名", "File name of the text")),
  external: z.literal(true).optional().meta(d("外部来源：不是本模式的文件（如法律、条例），引用它的值由 lint 单列", "An external source: not one of the model's documents (e.g. a law or regulation); lint lists every value citing it")),
  note: TextSchema.optional().meta(d("外部来源的说明（适用范围、与本模式文件的先后关系）", "About an external source (what it covers, how it dates against the model's documents)")),
}).superRefine((doc, ctx) => {
  if (doc.external && !doc.note) ctx.addIssue({ code: "custom", path: ["note"], message: "MISSING_NOTE", params: { jiceng: "MISSING_CITE", zh: "外部来源须写明 note（适用范围、与本模式文件的关系）", en: "An external source needs a note (what it covers, how it relates to the model's documents)" } });
});

export const RulePackSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: IdSchema,
    version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/).meta(d("版本（semver）", "Version (semver)")),
    name: TextSchema,
    description: TextSchema.optional(),
    source: z.strictObject({ documents: z.array(SourceDocumentSchema).min(1).max(L.maxDocuments) }).meta(d("来源文件", "Source documents")),
    timezone: z.string().default("Asia/Shanghai").meta(d("时区（IANA）", "Timezone (IANA)")),
    startFact: z.string().regex(SAFE_FACT_NAME).default("receivedAt").meta(d("期限起算的事实（datetime），默认 receivedAt", "The datetime fact a deadline counts from; default receivedAt")),
    calendar: CalendarSchema,
    facts: z.array(FactSchema).min(1).max(L.maxFacts),
    conditions: z.record(z.string().regex(/^[A-Za-z][\w-]{0,63}$/), ConditionSchema).default({}).meta({ ...d(`命名条件，可用 { condition: 名称 } 引用（至多 ${L.maxNamedConditions} 个）`, `Named conditions, referenced by { condition: name } (at most ${n(L.maxNamedConditions)})`), maxProperties: L.maxNamedConditions }),
    levels: z.array(LevelSchema).min(1).max(20),
    grading: GradingSchema,
    numbering: NumberingSchema.optional(),
    variants: z.array(VariantSchema).max(L.maxVariants).default([]),
    lifecycle: LifecycleSchema.default({ regrade: "never" }),
    escalation: EscalationSchema.optional(),
    scoring: ScoringSchema.optional().meta(d("考核评分：指标（分子、分母、口径）、加权考核、目标、同比、个人计分", "Assessment and scoring: KPIs (numerator, denominator, what counts), weighted assessment, targets, year-on-year goals, person scoring")),
    tables: TablesSchema.optional().meta({ ...d(`决策表：按条件给实体（如农户）分类，engine.classify 使用（至多 ${L.maxTables} 张）`, `Decision tables: classify entities (e.g. households) by conditions, used by engine.classify (at most ${n(L.maxTables)})`), maxProperties: L.maxTables }),
    units: UnitsSchema.optional().meta(d("层级单元（如网格）的结构规定，engine.checkUnits 使用", "Structure rules for hierarchical units (e.g. grids), used by engine.checkUnits")),
    routing: RoutingSchema.optional().meta(d("分流：事实 → 平台与牵头部门（engine.route 使用）", "Routing: facts → platform and lead department (used by engine.route)")),
  })
  .meta({
    id: "RulePack",
    title: "jiceng rule pack",
    ...d(
      `jiceng 规则包。上限（在解析前检查，超出即 LIMIT_EXCEEDED）：嵌套 ${L.maxDepth} 层、共 ${L.maxNodes} 个值、字符串 ${L.maxStringLength} 字符、数组 ${L.maxArrayLength} 项、对象 ${L.maxObjectKeys} 个键；定级规则 ${L.maxRules}、命名条件 ${L.maxNamedConditions}、来源文件 ${L.maxDocuments}、变体 ${L.maxVariants}、事实 ${L.maxFacts}、决策表 ${L.maxTables}、每表 ${L.maxTableRows} 行；条件嵌套 ${C.maxDepth} 层、每个条件 ${C.maxNodes} 个节点、展开命名条件后 ${C.maxExpandedNodes} 个节点、列表值 ${C.maxListLength} 项、withinDays 至多 ${C.maxWithinDays} 天`,
      `A jiceng rule pack. Limits (checked before parsing; over one is LIMIT_EXCEEDED): nesting ${n(L.maxDepth)} levels, ${n(L.maxNodes)} values in all, strings of ${n(L.maxStringLength)} characters, arrays of ${n(L.maxArrayLength)} items, objects of ${n(L.maxObjectKeys)} keys; ${n(L.maxRules)} grading rules, ${n(L.maxNamedConditions)} named conditions, ${n(L.maxDocuments)} source documents, ${n(L.maxVariants)} variants, ${n(L.maxFacts)} facts, ${n(L.maxTables)} decision tables, ${n(L.maxTableRows)} rows a table; conditions nested ${n(C.maxDepth)} deep, ${n(C.maxNodes)} nodes a condition, ${n(C.maxExpandedNodes)} with named conditions expanded, list values of ${n(C.maxListLength)} items, withinDays of at most ${n(C.maxWithinDays)} days`,
    ),
  });

/** A rule pack as written in pack.json (defaults not yet applied). */
export type RulePackInput = z.input<typeof RulePackSchema>;
/** A validated rule pack, defaults applied. */
export type RulePack = z.output<typeof RulePackSchema>;
