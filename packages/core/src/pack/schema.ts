import * as z from "zod";
import { d, SAFE_FACT_NAME, TextSchema, IdSchema, provenanceShape, checkProvenance, checkFieldProvenance, FieldProvenanceSchema, FactSchema, ConditionSchema, TopLevelConditionSchema, PeriodSchema, WarnSchema, LevelSchema } from "../vocabulary/index.js";
import { ScoringSchema } from "../scoring/schema.js";
import { createTableSchemas } from "../tables/schema.js";
import { createUnitSchemas } from "../units/schema.js";
import { createScoreSchemas } from "../grading/schema.js";
import { createLifecycleSchemas } from "../lifecycle/schema.js";
import { createRoutingSchemas } from "../routing/schema.js";

// ── Grading ───────────────────────────────────────────────────────────────

export const GradingRuleSchema = z
  .strictObject({
    id: IdSchema,
    level: IdSchema.meta(d("命中时的等级", "Level when the rule holds")),
    priority: z.number().int().min(0).max(1000).default(0).meta(d("优先级：数字大者先判断", "Priority: higher is tried first")),
    label: TextSchema.optional(),
    conditions: TopLevelConditionSchema,
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "GradingRule", ...d("定级规则", "A grading rule") });
export type GradingRule = z.infer<typeof GradingRuleSchema>;

export const { ScoreSchema } = createScoreSchemas({ TextSchema, IdSchema, TopLevelConditionSchema, provenanceShape, checkProvenance });

export const GradingSchema = z
  .strictObject({
    strategy: z.enum(["most-severe", "first-hit"]).default("most-severe").meta(d("most-severe：命中规则中最严重者；first-hit：按优先级第一个命中者", "most-severe: the most severe matching rule wins; first-hit: the first match by priority wins")),
    default: z
      .strictObject({ level: IdSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .meta(d("无规则命中时的等级", "Level when no rule holds")),
    rules: z.array(GradingRuleSchema).max(500),
    score: ScoreSchema.optional(),
  })
  .meta({ id: "Grading", ...d("定级", "Grading") });

// ── Numbering ─────────────────────────────────────────────────────────────

export const NumberingSchema = z
  .strictObject({
    template: z.string().min(1).max(200).meta(d("编号模板，如 {MM}{DD}{unit:2}{subunit:2}{seq:2}", "Number template, e.g. {MM}{DD}{unit:2}{subunit:2}{seq:2}")),
    date: z
      .strictObject({
        fact: z.string().regex(SAFE_FACT_NAME),
        fallback: z.string().regex(SAFE_FACT_NAME).optional().meta(d("该事实缺失时改用的事实（如未填摸排时间时用受理时间）", "The fact used when that one is missing (e.g. receipt when the date found is not given)")),
        fieldProvenance: FieldProvenanceSchema.optional(),
      })
      .superRefine(checkFieldProvenance)
      .optional()
      .meta(d("日期部分取自哪个事实", "The fact the date parts come from")),
    parts: z
      .record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), z.strictObject({ fact: z.string().regex(SAFE_FACT_NAME), label: TextSchema.optional() }))
      .default({})
      .meta(d("模板中其他部分取自哪个事实", "The fact each other template part comes from")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Numbering", ...d("案件编号规则", "Case numbering") });
export type NumberingDef = z.infer<typeof NumberingSchema>;

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

// ── Lifecycle and escalation ─────────────────────────────────────────────

export const AssignmentField = z.enum(["leadUnit", "responsibleLeader", "responsibleUnit", "cooperatingUnits", "responsiblePerson", "deadline", "measures"]);
export type AssignmentField = z.infer<typeof AssignmentField>;

export const BodySchema = z
  .strictObject({ id: IdSchema, label: TextSchema, ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Body", ...d("机构（党组织、政府部门）", "A body (party or government organ)") });

export const { lifecycleShape } = createLifecycleSchemas({ TextSchema, IdSchema, PeriodSchema, WarnSchema, TopLevelConditionSchema, provenanceShape, checkProvenance });

export const LifecycleSchema = z
  .strictObject({
    assignment: z
      .strictObject({
        required: z.array(AssignmentField).default(["responsibleUnit"]).meta(d("交办时必填的字段", "Fields an assignment must set")),
        label: TextSchema.optional().meta(d("必填项的总称，如“四定”", "What the required fields are called together, e.g. 四定")),
        fieldLabels: z.partialRecord(AssignmentField, TextSchema).optional().meta(d("文件对各字段的叫法，如 measures → 化解措施", "The document's names for the fields, e.g. measures → 化解措施")),
        duties: z.array(z.strictObject({ id: IdSchema, label: TextSchema })).max(20).optional().meta(d("随交办落实的责任（如“三包”），列入责任清单", "Duties that come with the assignment (e.g. 三包), shown on the responsibility list")),
        assignedDeadline: z
          .strictObject({
            governs: z.boolean().meta(d("true：交办时确定的化解时限（deadline，该日 24 时止）即本案时限，超期按它计算；等级时限只在交办前适用。false：交办时限只列入责任清单", "true: the deadline fixed at assignment (to 24:00 of that day) becomes the case's time limit and overdue is measured against it; the level's limit applies only before assignment. false: it is shown on the responsibility list only")),
            beyondLimit: z.enum(["allow", "flag", "refuse"]).meta(d("交办时限晚于等级（或事项类型）时限时：allow 允许；flag 允许但在责任清单上标出；refuse 拒绝", "When the assigned deadline is later than the level's (or item type's) limit: allow; flag (accepted, marked on the responsibility list); refuse")),
            ...provenanceShape,
          })
          .superRefine(checkProvenance)
          .optional()
          .meta(d("交办时确定的化解时限（如“四定”的化解时限、责任清单的办结时限）如何使用", "How the deadline fixed at assignment (e.g. 四定's 化解时限, the list's 办结时限) is used")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("交办（责任清单）", "Assignment (the responsibility list)")),
    acknowledge: z
      .strictObject({ deadline: PeriodSchema, label: TextSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("签收环节及其时限；不设则交办即开始办理", "Sign-for stage and its time limit; without it, work starts on assignment")),
    followUp: z
      .strictObject({
        required: z.boolean(),
        label: TextSchema,
        interval: PeriodSchema.optional().meta(d("定期回访的周期：化解（或上次回访）后经过此期限即列入待回访", "How often to visit: an item is due for a visit this long after resolution (or the last visit)")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("化解后回访；required 为 true 时未回访不得结案", "Return visit after resolution; when required, a case cannot close without one")),
    firstReceiver: z
      .strictObject({ label: TextSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("首办（首问）责任制：受理人（intake 的 by）对事项负责到底，列入责任清单；有分流时与 routing.firstReceiver 相同", "First-handler responsibility: whoever took the item in (intake's by) stays responsible for it and is shown on the responsibility list; the same as routing.firstReceiver for packs with routing")),
    regrade: z.enum(["never", "upgrade-only", "any"]).default("never").meta(d("补充事实后是否重新定级：never 不重新定级；upgrade-only 只升不降；any 升降均可（降级亦按新等级重新起算时限）", "Whether new facts regrade a case: never; upgrade-only; any (up or down; a downgrade also restarts the period at the new level)")),
    statusLabels: z
      .strictObject({ open: TextSchema, escalated: TextSchema, resolved: TextSchema, closed: TextSchema.optional(), ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("防范化解情况的名称（如 正在化解 / 升级或延期化解 / 已化解）", "Status names shown on the lists (e.g. in progress / upgraded or extended / resolved)")),
    ...lifecycleShape,
    fieldProvenance: FieldProvenanceSchema.optional().meta(d("本节直接字段（如 regrade）的出处或本地值标记", "Provenance of this section's own fields (e.g. regrade)")),
  })
  .superRefine(checkFieldProvenance)
  .meta({ id: "Lifecycle", ...d("案件流程", "Case lifecycle") });
export type LifecycleDef = z.infer<typeof LifecycleSchema>;

export const EscalationSchema = z
  .strictObject({
    decidedBy: BodySchema.meta(d("研究决定升级 / 延期的机构", "The body that decides upgrades / extensions")),
    requestRequired: z.boolean().default(true).meta(d("逾期后须先提出申请、说明原因，再作决定", "After overdue, an application with reasons must precede the decision")),
    upgrade: z
      .strictObject({
        allowed: z.boolean().default(true).meta(d("是否允许升级", "Whether upgrades are allowed")),
        clock: z.enum(["restart", "continue"]).default("restart").meta(d("升级后时限：自决定之日按新等级重新起算，或从原起算时间连续计算", "After an upgrade: the new level's period restarts from the decision, or continues from the original start")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .default({ allowed: false, clock: "restart" })
      .meta(d("逾期升级；不设则不得升级（只能延期或不同意）", "Upgrades on an overdue application; without it, no upgrades (only extensions or rejections)")),
    extend: z
      .strictObject({
        allowed: z.boolean(),
        maxDays: z.number().int().positive().optional(),
        atTopLevel: z.enum(["allow", "refuse"]).default("allow").meta(d("最高等级能否延期：refuse 时最高等级逾期只能上报，不能以延期免于上报", "Whether the top level may be extended: with refuse, an overdue top-level case can only be reported, never extended out of the report")),
        decidedBy: BodySchema.optional().meta(d("决定延期的机构（不写则与升级相同）", "The body that decides extensions (default: the one that decides upgrades)")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .optional(),
    report: z
      .strictObject({
        chain: z.array(BodySchema).min(1).max(10).meta(d("最高等级逾期后逐级上报的机构，第一个在逾期时即报，其后每级由前一级决定", "Bodies an overdue top-level case is reported to: the first at once, each next one on the previous body's decision")),
        ...provenanceShape,
      })
      .superRefine(checkProvenance)
      .optional(),
    fieldProvenance: FieldProvenanceSchema.optional().meta(d("本节直接字段（如 requestRequired）的出处或本地值标记", "Provenance of this section's own fields (e.g. requestRequired)")),
  })
  .superRefine(checkFieldProvenance)
  .meta({ id: "Escalation", ...d("逾期升级与上报", "Escalation and reporting of overdue cases") });
export type EscalationDef = z.infer<typeof EscalationSchema>;

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

export const CalendarSchema = z
  .strictObject({
    dataset: z.literal("cn-state-council").default("cn-state-council").meta(d("节假日数据：国务院办公厅公布的放假安排（含调休）", "Holiday data: the State Council schedule, including adjusted working days")),
    outOfRange: z.enum(["error", "weekends-only"]).default("error").meta(d("超出节假日数据范围时：报错，或仅按周末计算（须明确选择）", "Outside the holiday data: error, or count weekends only (an explicit choice)")),
    rollOverRestDays: z.boolean().default(true).meta(d("期限最后一日为休息日时顺延至下一工作日（民法典第二百零三条）", "A last day that is a rest day moves to the next working day (Civil Code art. 203)")),
    beyondSchedule: z
      .enum(["provisional", "refuse"])
      .default("provisional")
      .meta(d("晚于最后一份已加载的放假安排时：按法定节假日暂行计算并标注“暂行”，通知加载后自动更正（默认）；或拒绝计算。本地工程选择，不出自文件", "Past the last loaded holiday schedule: count provisionally on the statutory holidays, marked provisional and corrected once the notice is loaded (default); or refuse. A local engineering choice, cited to no document")),
    fieldProvenance: FieldProvenanceSchema.optional().meta(d("字段的出处，如 rollOverRestDays 引民法典（外部来源）或标记本地值", "Provenance of the fields, e.g. rollOverRestDays citing the Civil Code (an external source) or marked local")),
  })
  .superRefine(checkFieldProvenance)
  .default({ dataset: "cn-state-council", outOfRange: "error", rollOverRestDays: true, beyondSchedule: "provisional" });

// ── Decision tables and units (their schemas live in tables/ and units/) ───────

export const { DecisionTableSchema, TablesSchema } = createTableSchemas({ TextSchema, IdSchema, FactSchema, TopLevelConditionSchema, provenanceShape, checkProvenance });
export const { UnitsSchema } = createUnitSchemas({ TextSchema, IdSchema, provenanceShape, checkProvenance });
export const { RoutingSchema } = createRoutingSchemas({ TextSchema, IdSchema, provenanceShape, checkProvenance });

export const RulePackSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: IdSchema,
    version: z.string().regex(/^\d+\.\d+\.\d+(-[\w.]+)?$/).meta(d("版本（semver）", "Version (semver)")),
    name: TextSchema,
    description: TextSchema.optional(),
    source: z.strictObject({ documents: z.array(SourceDocumentSchema).min(1).max(100) }).meta(d("来源文件", "Source documents")),
    timezone: z.string().default("Asia/Shanghai").meta(d("时区（IANA）", "Timezone (IANA)")),
    startFact: z.string().regex(SAFE_FACT_NAME).default("receivedAt").meta(d("期限起算的事实（datetime），默认 receivedAt", "The datetime fact a deadline counts from; default receivedAt")),
    calendar: CalendarSchema,
    facts: z.array(FactSchema).min(1).max(500),
    conditions: z.record(z.string().regex(/^[A-Za-z][\w-]{0,63}$/), ConditionSchema).default({}).meta({ ...d("命名条件，可用 { condition: 名称 } 引用（至多 1000 个）", "Named conditions, referenced by { condition: name } (at most 1,000)"), maxProperties: 1000 }),
    levels: z.array(LevelSchema).min(1).max(20),
    grading: GradingSchema,
    numbering: NumberingSchema.optional(),
    variants: z.array(VariantSchema).max(50).default([]),
    lifecycle: LifecycleSchema.default({ regrade: "never" }),
    escalation: EscalationSchema.optional(),
    // Lazy: scoring/schema.ts reuses this module's primitives, so neither may touch the other while loading.
    scoring: z.lazy(() => ScoringSchema).optional().meta(d("考核评分：指标（分子、分母、口径）、加权考核、目标、同比、个人计分", "Assessment and scoring: KPIs (numerator, denominator, what counts), weighted assessment, targets, year-on-year goals, person scoring")),
    tables: TablesSchema.optional().meta(d("决策表：按条件给实体（如农户）分类，engine.classify 使用", "Decision tables: classify entities (e.g. households) by conditions, used by engine.classify")),
    units: UnitsSchema.optional().meta(d("层级单元（如网格）的结构规定，engine.checkUnits 使用", "Structure rules for hierarchical units (e.g. grids), used by engine.checkUnits")),
    routing: RoutingSchema.optional().meta(d("分流：事实 → 平台与牵头部门（engine.route 使用）", "Routing: facts → platform and lead department (used by engine.route)")),
  })
  .meta({
    id: "RulePack",
    title: "jiceng rule pack",
    ...d(
      "jiceng 规则包。上限（在解析前检查，超出即 LIMIT_EXCEEDED）：嵌套 48 层、共 100000 个值、字符串 10000 字符、数组 10000 项、对象 1000 个键；定级规则 500、命名条件 1000、来源文件 100、变体 50、事实 500、决策表 50、每表 2000 行；条件嵌套 16 层、每个条件 1000 个节点、展开命名条件后 10000 个节点",
      "A jiceng rule pack. Limits (checked before parsing; over one is LIMIT_EXCEEDED): nesting 48 levels, 100,000 values in all, strings of 10,000 characters, arrays of 10,000 items, objects of 1,000 keys; 500 grading rules, 1,000 named conditions, 100 source documents, 50 variants, 500 facts, 50 decision tables, 2,000 rows a table; conditions nested 16 deep, 1,000 nodes a condition, 10,000 with named conditions expanded",
    ),
  });

/** A rule pack as written in pack.json (defaults not yet applied). */
export type RulePackInput = z.input<typeof RulePackSchema>;
/** A validated rule pack, defaults applied. */
export type RulePack = z.output<typeof RulePackSchema>;
