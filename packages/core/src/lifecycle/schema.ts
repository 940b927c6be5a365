import * as z from "zod";
import { d, checkProvenance, IdSchema, PeriodSchema, provenanceShape, TextSchema, TopLevelConditionSchema, WarnSchema, FieldProvenanceSchema, checkFieldProvenance } from "../vocabulary/index.js";

/** The fields of a rectification record (整改清单). */
export const RECTIFICATION_FIELDS = ["reason", "difficulty", "needsCoordination", "measures"] as const;
export type RectificationField = (typeof RECTIFICATION_FIELDS)[number];

/**
 * The lifecycle states a pack may give its own names (the document's steps), and `supervised`:
 * an item being handled that has a supervision record of its current handling round
 * (`lifecycle.supervision`, e.g. Lanxi's 日常督办).
 */
export const STAGE_KEYS = ["graded", "assigned", "resolving", "supervised", "escalation-pending", "resolved", "closed"] as const;

/**
 * The optional lifecycle stages a pack turns on: closing checklists (Xiji 五不放过), the
 * rectification record (整改清单 / 销号), verification (核实结项), satisfaction evaluation (综合评价),
 * return of a wrongly routed item (退回), a grid worker closing listed simple items, review stages
 * (复查 / 复核, 三级终结), time limits by item type, and the document's names for the states and
 * meetings.
 */
const ChecklistItemSchema = z
  .strictObject({ id: IdSchema, label: TextSchema })
  .meta({ id: "ChecklistItem", ...d("须确认的一项", "One item to confirm") });

export const ChecklistSchema = z
  .strictObject({
    id: IdSchema,
    before: z.enum(["resolve", "close"]).meta(d("在哪个事件之前须全部确认：resolve（化解）或 close（结案）", "The event that needs every item confirmed: resolve or close")),
    label: TextSchema,
    items: z.array(ChecklistItemSchema).min(1).max(30),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Checklist", ...d("确认清单：事件须在 confirmations 中列出全部项目（如五不放过）", "A checklist: the event must list every item in its confirmations (e.g. Xiji 五不放过)") });

export const RectificationSchema = z
  .strictObject({
    label: TextSchema,
    required: z.array(z.enum(RECTIFICATION_FIELDS)).default([...RECTIFICATION_FIELDS]).meta(d("整改记录的必填项：reason 未办结原因、difficulty 主要困难、needsCoordination 是否需上级协调、measures 整改措施", "Fields a record must set: reason (why unfinished), difficulty (main difficulty), needsCoordination (whether a higher level must coordinate), measures (rectification measures)")),
    strikeOffBeforeClose: z.boolean().default(true).meta(d("结案前须全部销号", "Every record must be struck off before closing")),
    requiredWhenOverdue: z.boolean().default(false).meta(d("曾经超期的事项，结案前须有整改记录（并已销号）", "An item that was ever overdue cannot close without a rectification record (struck off)")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Rectification", ...d("超期事项的整改清单与销号", "The rectification record of overdue items, and strike-off (销号)") });

export const VerificationSchema = z
  .strictObject({ required: z.boolean(), label: TextSchema, ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Verification", ...d("结案前核实（核实结项）；未通过的退回办理", "Verification before closing (核实结项); a failed check sends the item back") });

export const EvaluationSchema = z
  .strictObject({
    required: z.boolean(),
    label: TextSchema,
    ratings: z.array(z.strictObject({ value: z.string().min(1).max(50), label: TextSchema })).min(1).max(10),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Evaluation", ...d("综合评价（满意度）", "Satisfaction evaluation (综合评价)") });

export const ReturnSchema = z
  .strictObject({ label: TextSchema, ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Return", ...d("承办单位退回分流错误的事项（须说明理由），回到待分流", "The assigned unit returns a wrongly routed item (with a reason); it goes back to be dispatched again") });

export const SelfCloseSchema = z
  .strictObject({
    roles: z.array(z.string().min(1).max(100)).min(1).max(20).meta(d("可自行办结的身份，如 grid-worker", "Roles that may close such items, e.g. grid-worker")),
    label: TextSchema,
    conditions: TopLevelConditionSchema.meta(d("可自行办结的事项（所列简单事项）", "The items they may close (the listed simple items)")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "SelfClose", ...d("网格员等对所列简单事项自行处置办结的权限", "A permission: e.g. a grid worker closes listed simple items themselves") });

const ReviewStageSchema = z
  .strictObject({ id: IdSchema, label: TextSchema, deadline: PeriodSchema.meta(d("办理时限，自收到请求起算", "Time limit, counted from the request")), ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "ReviewStage", ...d("复查、复核等再次办理的一级", "One level of review (复查, 复核)") });

export const ReviewsSchema = z
  .strictObject({
    label: TextSchema,
    appliesWhen: TopLevelConditionSchema.optional().meta(d("哪些事项可以请求复查（如信访事项）；不写则全部", "Which items may be reviewed (e.g. petitions); all when absent")),
    requestWithin: PeriodSchema.optional().meta(d("化解（书面答复）后多久内可以请求", "How long after resolution (the written reply) a request may be made")),
    stages: z.array(ReviewStageSchema).min(1).max(5),
    terminal: z.strictObject({ label: TextSchema, ...provenanceShape }).superRefine(checkProvenance).meta(d("最后一级办结后：终结，不再受理", "After the last level: terminated, no further requests accepted")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Reviews", ...d("不服处理意见时的逐级复查、复核与终结（如信访事项三级终结）", "Review levels after an unaccepted reply, and termination (e.g. three-level termination of petitions)") });

export const TimeLimitSchema = z
  .strictObject({
    id: IdSchema,
    label: TextSchema,
    when: TopLevelConditionSchema,
    deadline: PeriodSchema,
    warn: WarnSchema.optional(),
    extension: z
      .strictObject({ maxDays: z.number().int().positive().max(3660).meta(d("延期累计不得超过的天数", "Extensions may not add up to more than this many days")), ...provenanceShape })
      .superRefine(checkProvenance)
      .optional(),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "TimeLimit", ...d("按事项类型的办理时限（如信访事项 60 日），优先于等级时限；按顺序第一个成立者适用", "A time limit by item type (e.g. petitions 60 days), before the level's; the first that holds applies") });

export const StagesSchema = z
  .strictObject({ ...Object.fromEntries(STAGE_KEYS.map((k) => [k, TextSchema.optional()])), ...provenanceShape } as Record<(typeof STAGE_KEYS)[number], z.ZodOptional<typeof TextSchema>> & typeof provenanceShape)
  .superRefine(checkProvenance)
  .meta({ id: "Stages", ...d("文件对各环节的叫法（如 问题收集、街道吹哨、部门报到……）", "The document's names for the states (e.g. 问题收集, 街道吹哨, 部门报到…)") });

export const SupervisionSchema = z
  .strictObject({
    label: TextSchema.meta(d("督办环节的叫法（如 日常督办）", "What the supervision link is called (e.g. 日常督办)")),
    by: z
      .strictObject({ id: IdSchema, label: TextSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("督办的机构（如 综合信息指挥室）", "The body that supervises (e.g. the information command room)")),
    requiredBeforeResolve: z.boolean().meta(d("true：每一轮办理（交办或核实退回之后）化解前须至少有一条督办记录——每件事项都经过督办环节", "true: every handling round (after assignment or a failed verification) needs at least one supervision record before it is resolved — every item passes the supervision link")),
    interval: PeriodSchema.optional().meta(d("定期督办的周期：交办（或上次督办）后经过此期限仍在办理的事项列入待督办（sweep 的 supervisionDue）", "How often to supervise: an item still being handled this long after its assignment (or the last supervision) is due for supervision (sweep's supervisionDue)")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Supervision", ...d("督办：办理中的事项由督办机构记录督办（supervise 事件）；可要求化解前必须督办、定期督办", "Supervision: the supervising body records its supervision of an item being handled (the supervise event); it may be required before resolving, and periodic") });

export const MeetingsSchema = z
  .strictObject({ weekly: TextSchema.optional(), monthly: TextSchema.optional(), quarterly: TextSchema.optional(), ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Meetings", ...d("周、月、季例会的名称（如 周碰头、月研判、季考核）", "Names of the weekly, monthly and quarterly meetings (e.g. 周碰头, 月研判, 季考核)") });

export const lifecycleShape = {
  checklists: z.array(ChecklistSchema).max(10).optional().meta(d("确认清单（如结案前五不放过）", "Checklists (e.g. Xiji 五不放过 before closing)")),
  rectification: RectificationSchema.optional(),
  verification: VerificationSchema.optional(),
  evaluation: EvaluationSchema.optional(),
  return: ReturnSchema.optional(),
  selfClose: SelfCloseSchema.optional(),
  reviews: ReviewsSchema.optional(),
  timeLimits: z.array(TimeLimitSchema).max(50).optional(),
  stages: StagesSchema.optional(),
  meetings: MeetingsSchema.optional(),
  supervision: SupervisionSchema.optional(),
};

export type ChecklistDef = z.output<typeof ChecklistSchema>;
export type RectificationDef = z.output<typeof RectificationSchema>;
export type ReviewsDef = z.output<typeof ReviewsSchema>;
export type TimeLimitDef = z.output<typeof TimeLimitSchema>;
export type SelfCloseDef = z.output<typeof SelfCloseSchema>;
export type SupervisionDef = z.output<typeof SupervisionSchema>;

// ── Lifecycle and escalation ─────────────────────────────────────────────

export const AssignmentField = z.enum(["leadUnit", "responsibleLeader", "responsibleUnit", "cooperatingUnits", "responsiblePerson", "deadline", "measures"]);
export type AssignmentField = z.infer<typeof AssignmentField>;

export const BodySchema = z
  .strictObject({ id: IdSchema, label: TextSchema, ...provenanceShape })
  .superRefine(checkProvenance)
  .meta({ id: "Body", ...d("机构（党组织、政府部门）", "A body (party or government organ)") });

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
