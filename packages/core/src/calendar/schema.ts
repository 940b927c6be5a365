import * as z from "zod";
import { d, checkFieldProvenance, FieldProvenanceSchema } from "../vocabulary/index.js";

/** A pack's calendar settings: holiday data, what happens beyond it, the Civil Code roll-over. */
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
export type CalendarDef = z.output<typeof CalendarSchema>;
