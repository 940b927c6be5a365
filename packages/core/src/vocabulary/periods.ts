import * as z from "zod";
import { d, IdSchema, TextSchema } from "./text.js";
import { checkProvenance, provenanceShape } from "./provenance.js";

export const PeriodUnit = z.enum(["calendar-days", "working-days", "hours"]).meta(d("期限单位：自然日、工作日、小时", "Period unit: calendar days, working days, hours"));
export type PeriodUnit = z.infer<typeof PeriodUnit>;

export const PeriodSchema = z
  .strictObject({
    amount: z.number().int().positive().max(3660).meta(d("时长", "Amount")),
    unit: PeriodUnit.default("calendar-days"),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Period", ...d("期限", "A time limit") });
export type Period = z.infer<typeof PeriodSchema>;

export const WarnSchema = z
  .strictObject({
    before: z.strictObject({ amount: z.number().int().positive().max(3660), unit: PeriodUnit.default("calendar-days") }).optional().meta(d("到期前多久预警", "Warn this long before the due time")),
    fraction: z.number().gt(0).lt(1).optional().meta(d("期限过去该比例时预警", "Warn when this fraction of the period has passed")),
    ...provenanceShape,
  })
  .superRefine((w, ctx) => {
    if ((w.before === undefined) === (w.fraction === undefined)) ctx.addIssue({ code: "custom", path: [], message: "WARN_ONE_OF", params: { jiceng: "SCHEMA", zh: "预警须二选一：before 或 fraction", en: "A warning needs exactly one of before or fraction" } });
    checkProvenance(w, ctx);
  })
  .meta({ id: "Warn", ...d("预警时间", "When to warn before a deadline") });
export type Warn = z.infer<typeof WarnSchema>;

export const LevelSchema = z
  .strictObject({
    id: IdSchema,
    rank: z.number().int().min(0).max(100).meta(d("严重程度：数字越大越严重", "Severity: larger is more severe")),
    label: TextSchema,
    colour: z.string().regex(/^(red|orange|yellow|green|blue|grey|#[0-9a-fA-F]{6})$/).meta(d("颜色", "Colour")),
    deadline: PeriodSchema.meta(d("化解时限", "Time limit to resolve")),
    warn: WarnSchema.optional(),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "Level", ...d("问题等级", "A case level (grade)") });
export type LevelDef = z.infer<typeof LevelSchema>;
