import * as z from "zod";
import { d, SAFE_FACT_NAME, TextSchema } from "./text.js";
import { checkProvenance, provenanceShape } from "./provenance.js";

export const FactType = z
  .enum(["string", "number", "integer", "boolean", "enum", "enum-list", "string-list", "date", "datetime"])
  .meta(d("事实类型；date 为 YYYY-MM-DD，datetime 为带时区偏移的 ISO 8601", "Fact type; date is YYYY-MM-DD, datetime is ISO 8601 with offset"));
export type FactType = z.infer<typeof FactType>;

export const EnumValueSchema = z.strictObject({
  value: z.string().min(1).meta(d("取值", "Value")),
  label: TextSchema,
});

export const FactSchema = z
  .strictObject({
    name: z.string().regex(SAFE_FACT_NAME).meta(d("事实名称：点分标识路径，如 risks.homicide", "Fact name: a dotted identifier path, e.g. risks.homicide")),
    type: FactType,
    label: TextSchema,
    description: TextSchema.optional(),
    values: z.array(EnumValueSchema).min(1).optional().meta(d("enum / enum-list 的取值清单", "The values of an enum / enum-list fact")),
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional().meta(d("缺失时的默认值；无默认值的缺失事实是错误，不会当作 false", "Value when missing; a missing fact without a default is an error, never false")),
    min: z.number().optional(),
    max: z.number().optional(),
    ...provenanceShape,
  })
  .superRefine((f, ctx) => {
    const needsValues = f.type === "enum" || f.type === "enum-list";
    if (needsValues && !f.values) ctx.addIssue({ code: "custom", path: ["values"], message: "ENUM_NEEDS_VALUES", params: { jiceng: "SCHEMA", zh: "enum 类型的事实须列出 values", en: "An enum fact must list its values" } });
    if (!needsValues && f.values) ctx.addIssue({ code: "custom", path: ["values"], message: "VALUES_NOT_ENUM", params: { jiceng: "SCHEMA", zh: "只有 enum / enum-list 事实可以有 values", en: "Only enum / enum-list facts have values" } });
    // A class list is a policy value: it needs a provenance. Other facts are plain inputs.
    if (needsValues) checkProvenance(f, ctx);
  })
  .meta({ id: "Fact", ...d("声明的事实（案件的输入字段）", "A declared fact (an input field of a case)") });
export type FactDef = z.infer<typeof FactSchema>;
