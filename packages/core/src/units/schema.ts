import * as z from "zod";
import { d, checkProvenance, IdSchema, provenanceShape, TextSchema } from "../vocabulary/index.js";

/**
 * The schemas of a pack's `units` section: kinds of hierarchical units (a village, its
 * tier-1 / tier-2 / tier-3 grids), who may head each kind, and the size each must have.
 *
 */
export const RoleSchema = z
  .strictObject({ id: IdSchema, label: TextSchema, description: TextSchema.optional() })
  .meta({ id: "UnitRole", ...d("可担任单元负责人的身份（如中心户长、农村党员）", "A role that may head a unit (e.g. household head, rural party member)") });

export const HeadSchema = z
  .strictObject({
    label: TextSchema.meta(d("负责人的称谓，如“三级网格长”", "What the head is called, e.g. tier-3 grid head")),
    roles: z.array(IdSchema).min(1).max(20).meta(d("可担任的身份（units.roles 中声明）", "Roles allowed to head it (declared in units.roles)")),
    preferred: IdSchema.optional().meta(d("首选身份；其他身份为补充（如“中心户长不足的选聘农村党员、人大代表”），会提示", "The preferred role; the others are fallbacks (e.g. party members when there are not enough household heads) and are flagged as a warning")),
    ...provenanceShape,
  })
  .superRefine((h, ctx) => {
    checkProvenance(h, ctx);
    if (h.preferred !== undefined && !h.roles.includes(h.preferred)) ctx.addIssue({ code: "custom", path: ["preferred"], message: "PREFERRED_NOT_IN_ROLES", params: { jiceng: "SCHEMA", zh: `首选身份“${h.preferred}”不在 roles 中`, en: `The preferred role "${h.preferred}" is not one of roles` } });
  })
  .meta({ id: "UnitHead", ...d("单元负责人的规定", "Who heads a unit") });

export const MeasureSchema = z
  .strictObject({
    id: IdSchema.optional().meta(d("规则标识；默认为 <种类>-<字段>", "Rule id; default <kind>-<field>")),
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).meta(d("单元数据中的数量字段，如 households", "The count field of a unit, e.g. households")),
    label: TextSchema,
    min: z.number().optional(),
    max: z.number().optional(),
    ...provenanceShape,
  })
  .superRefine((m, ctx) => {
    checkProvenance(m, ctx);
    if (m.min === undefined && m.max === undefined) ctx.addIssue({ code: "custom", path: ["min"], message: "RANGE_EMPTY", params: { jiceng: "SCHEMA", zh: "规模规则须给出 min 或 max", en: "A size rule needs min or max" } });
    if (m.min !== undefined && m.max !== undefined && m.min > m.max) ctx.addIssue({ code: "custom", path: ["min"], message: "RANGE_INVERTED", params: { jiceng: "SCHEMA", zh: `min（${m.min}）大于 max（${m.max}）`, en: `min (${m.min}) is greater than max (${m.max})` } });
  })
  .meta({ id: "UnitMeasure", ...d("单元规模规则：某个数量的上下限", "A size rule: the range of one count of a unit") });

export const UnitCodeSchema = z
  .strictObject({
    digits: z.number().int().min(1).max(12).meta(d("本级编码的位数（只含数字）", "How many digits this level's own part of the code has (digits only)")),
    parentPrefix: z.boolean().default(true).meta(d("编码以上级单元的编码开头（层级统一编码）", "The code starts with the parent's code (hierarchical unified coding)")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "UnitCode", ...d("统一编码：单元的 id 即其编码，须为上级编码加若干位数字", "Unified coding: a unit's id is its code, the parent's code followed by a number of digits") });

export const UnitCoverageSchema = z
  .strictObject({
    of: IdSchema.meta(d("须被覆盖的要素的单元种类（如 place：主次干道、背街小巷、公共场所、居民小区）", "The kind of the elements that must be covered (e.g. place: roads, lanes, public places, residential compounds)")),
    field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).default("covers").meta(d("本种类单元列出所覆盖要素 id 的字段", "The field of a unit of this kind that lists the ids of the elements it covers")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "UnitCoverage", ...d("全覆盖、不重叠（不含几何）：每个要素恰好属于本种类的一个单元，且同属一个上级", "Full coverage without overlap (no geometry): every element belongs to exactly one unit of this kind, under the same parent") });

export const UnitKindSchema = z
  .strictObject({
    id: IdSchema,
    label: TextSchema,
    description: TextSchema.optional(),
    parents: z.array(IdSchema).max(20).optional().meta(d("上级单元可以是哪些种类；不写则为顶层单元", "The kinds its parent may be; absent for a top-level kind")),
    head: HeadSchema.optional(),
    measures: z.array(MeasureSchema).max(20).optional(),
    code: UnitCodeSchema.optional(),
    coverage: UnitCoverageSchema.optional(),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "UnitKind", ...d("一种层级单元（如三级网格）", "A kind of hierarchical unit (e.g. a tier-3 grid)") });

export const UnitsSchema = z
  .strictObject({
    roles: z.array(RoleSchema).max(50).default([]),
    kinds: z.array(UnitKindSchema).min(1).max(20),
  })
  .meta({ id: "Units", ...d("层级单元（如网格）的结构规定，供 check-units 检查", "Structure rules for hierarchical units (e.g. grids), checked by check-units") });

/** A pack's `units` section, validated. */
export type UnitsDef = z.output<typeof UnitsSchema>;
export type UnitKindDef = z.output<typeof UnitKindSchema>;
export type UnitMeasureDef = z.output<typeof MeasureSchema>;
export type UnitHeadDef = z.output<typeof HeadSchema>;
