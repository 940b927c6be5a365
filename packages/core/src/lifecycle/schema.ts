import * as z from "zod";
import type { checkProvenance, IdSchema, PeriodSchema, provenanceShape, TextSchema, TopLevelConditionSchema, WarnSchema } from "../vocabulary/index.js";

/** JSON Schema description in both languages: `中文 / English`. */
const d = (zh: string, en: string) => ({ description: `${zh} / ${en}` });

/** The building blocks the lifecycle schemas share with the pack schema (passed in: no import cycle at load time). */
export interface LifecycleSchemaParts {
  TextSchema: typeof TextSchema;
  IdSchema: typeof IdSchema;
  PeriodSchema: typeof PeriodSchema;
  WarnSchema: typeof WarnSchema;
  TopLevelConditionSchema: typeof TopLevelConditionSchema;
  provenanceShape: typeof provenanceShape;
  checkProvenance: typeof checkProvenance;
}

/** The fields of a rectification record (整改清单). */
export const RECTIFICATION_FIELDS = ["reason", "difficulty", "needsCoordination", "measures"] as const;
export type RectificationField = (typeof RECTIFICATION_FIELDS)[number];

/** The lifecycle states a pack may give its own names (the document's steps). */
export const STAGE_KEYS = ["graded", "assigned", "resolving", "escalation-pending", "resolved", "closed"] as const;

/**
 * Builds the optional lifecycle stages a pack turns on: closing checklists (Xiji 五不放过), the
 * rectification record (整改清单 / 销号), verification (核实结项), satisfaction evaluation (综合评价),
 * return of a wrongly routed item (退回), a grid worker closing listed simple items, review stages
 * (复查 / 复核, 三级终结), time limits by item type, and the document's names for the states and
 * meetings. Called once by `pack/schema.ts`, which spreads `lifecycleShape` into `LifecycleSchema`.
 *
 * @example
 * const { lifecycleShape } = createLifecycleSchemas({ TextSchema, IdSchema, PeriodSchema, WarnSchema, TopLevelConditionSchema, provenanceShape, checkProvenance });
 */
export function createLifecycleSchemas(p: LifecycleSchemaParts) {
  const { TextSchema, IdSchema, PeriodSchema, WarnSchema, TopLevelConditionSchema, provenanceShape, checkProvenance } = p;

  const ChecklistItemSchema = z
    .strictObject({ id: IdSchema, label: TextSchema })
    .meta({ id: "ChecklistItem", ...d("须确认的一项", "One item to confirm") });

  const ChecklistSchema = z
    .strictObject({
      id: IdSchema,
      before: z.enum(["resolve", "close"]).meta(d("在哪个事件之前须全部确认：resolve（化解）或 close（结案）", "The event that needs every item confirmed: resolve or close")),
      label: TextSchema,
      items: z.array(ChecklistItemSchema).min(1).max(30),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "Checklist", ...d("确认清单：事件须在 confirmations 中列出全部项目（如五不放过）", "A checklist: the event must list every item in its confirmations (e.g. Xiji 五不放过)") });

  const RectificationSchema = z
    .strictObject({
      label: TextSchema,
      required: z.array(z.enum(RECTIFICATION_FIELDS)).default([...RECTIFICATION_FIELDS]).meta(d("整改记录的必填项：reason 未办结原因、difficulty 主要困难、needsCoordination 是否需上级协调、measures 整改措施", "Fields a record must set: reason (why unfinished), difficulty (main difficulty), needsCoordination (whether a higher level must coordinate), measures (rectification measures)")),
      strikeOffBeforeClose: z.boolean().default(true).meta(d("结案前须全部销号", "Every record must be struck off before closing")),
      requiredWhenOverdue: z.boolean().default(false).meta(d("曾经超期的事项，结案前须有整改记录（并已销号）", "An item that was ever overdue cannot close without a rectification record (struck off)")),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "Rectification", ...d("超期事项的整改清单与销号", "The rectification record of overdue items, and strike-off (销号)") });

  const VerificationSchema = z
    .strictObject({ required: z.boolean(), label: TextSchema, ...provenanceShape })
    .superRefine(checkProvenance)
    .meta({ id: "Verification", ...d("结案前核实（核实结项）；未通过的退回办理", "Verification before closing (核实结项); a failed check sends the item back") });

  const EvaluationSchema = z
    .strictObject({
      required: z.boolean(),
      label: TextSchema,
      ratings: z.array(z.strictObject({ value: z.string().min(1).max(50), label: TextSchema })).min(1).max(10),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "Evaluation", ...d("综合评价（满意度）", "Satisfaction evaluation (综合评价)") });

  const ReturnSchema = z
    .strictObject({ label: TextSchema, ...provenanceShape })
    .superRefine(checkProvenance)
    .meta({ id: "Return", ...d("承办单位退回分流错误的事项（须说明理由），回到待分流", "The assigned unit returns a wrongly routed item (with a reason); it goes back to be dispatched again") });

  const SelfCloseSchema = z
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

  const ReviewsSchema = z
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

  const TimeLimitSchema = z
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

  const StagesSchema = z
    .strictObject({ ...Object.fromEntries(STAGE_KEYS.map((k) => [k, TextSchema.optional()])), ...provenanceShape } as Record<(typeof STAGE_KEYS)[number], z.ZodOptional<typeof TextSchema>> & typeof provenanceShape)
    .superRefine(checkProvenance)
    .meta({ id: "Stages", ...d("文件对各环节的叫法（如 问题收集、街道吹哨、部门报到……）", "The document's names for the states (e.g. 问题收集, 街道吹哨, 部门报到…)") });

  const MeetingsSchema = z
    .strictObject({ weekly: TextSchema.optional(), monthly: TextSchema.optional(), quarterly: TextSchema.optional(), ...provenanceShape })
    .superRefine(checkProvenance)
    .meta({ id: "Meetings", ...d("周、月、季例会的名称（如 周碰头、月研判、季考核）", "Names of the weekly, monthly and quarterly meetings (e.g. 周碰头, 月研判, 季考核)") });

  const lifecycleShape = {
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
  };

  return { ChecklistSchema, RectificationSchema, VerificationSchema, EvaluationSchema, ReturnSchema, SelfCloseSchema, ReviewsSchema, TimeLimitSchema, StagesSchema, MeetingsSchema, lifecycleShape };
}

type Schemas = ReturnType<typeof createLifecycleSchemas>;
export type ChecklistDef = z.output<Schemas["ChecklistSchema"]>;
export type RectificationDef = z.output<Schemas["RectificationSchema"]>;
export type ReviewsDef = z.output<Schemas["ReviewsSchema"]>;
export type TimeLimitDef = z.output<Schemas["TimeLimitSchema"]>;
export type SelfCloseDef = z.output<Schemas["SelfCloseSchema"]>;
