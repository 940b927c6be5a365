import * as z from "zod";
import { d, SAFE_FACT_NAME, TextSchema, provenanceShape, checkProvenance, checkFieldProvenance, FieldProvenanceSchema } from "../vocabulary/index.js";

/** How a pack numbers its cases: the template and the facts its parts come from. */
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
