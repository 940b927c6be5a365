import * as z from "zod";
import { d, SAFE_FACT_NAME } from "./text.js";

export const FactRefSchema = z
  .strictObject({
    fact: z.string().regex(SAFE_FACT_NAME),
    path: z.string().optional(),
  })
  .meta({ id: "FactRef", ...d("引用另一个事实的值", "A reference to another fact's value") });

export const FactConditionSchema = z
  .strictObject({
    fact: z.string().regex(SAFE_FACT_NAME).meta(d("事实名称", "Fact name")),
    operator: z.string().min(1).meta(d("运算符：equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain, before, after, onOrBefore, onOrAfter, withinDays", "Operator")),
    value: z.unknown().meta(d("比较值，或 { fact } 引用", "Value to compare with, or a { fact } reference")),
    path: z.string().optional().meta(d("事实内的属性路径，如 $.homicide（仅点分属性）", "Property path inside the fact, e.g. $.homicide (plain properties only)")),
    params: z.record(z.string(), z.unknown()).optional(),
    name: z.string().optional(),
    priority: z.number().int().positive().optional(),
  })
  .meta({ id: "FactCondition" });

export interface AllCondition { all: Condition[]; name?: string | undefined; priority?: number | undefined }
export interface AnyCondition { any: Condition[]; name?: string | undefined; priority?: number | undefined }
export interface NotCondition { not: Condition; name?: string | undefined; priority?: number | undefined }
export interface ConditionReference { condition: string; name?: string | undefined; priority?: number | undefined }
export type FactCondition = z.infer<typeof FactConditionSchema>;
export type Condition = AllCondition | AnyCondition | NotCondition | ConditionReference | FactCondition;
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference;

const nameShape = { name: z.string().optional(), priority: z.number().int().positive().optional() };

export const ConditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      FactConditionSchema,
      z.strictObject({ all: z.array(ConditionSchema), ...nameShape }),
      z.strictObject({ any: z.array(ConditionSchema), ...nameShape }),
      z.strictObject({ not: ConditionSchema, ...nameShape }),
      z.strictObject({ condition: z.string().min(1), ...nameShape }),
    ]),
  )
  .meta({ id: "Condition", ...d("条件（json-rules-engine 格式）", "A condition (json-rules-engine format)") }) as z.ZodType<Condition>;

export const TopLevelConditionSchema: z.ZodType<TopLevelCondition> = z
  .union([
    z.strictObject({ all: z.array(ConditionSchema), ...nameShape }),
    z.strictObject({ any: z.array(ConditionSchema), ...nameShape }),
    z.strictObject({ not: ConditionSchema, ...nameShape }),
    z.strictObject({ condition: z.string().min(1), ...nameShape }),
  ])
  .meta({ id: "TopLevelCondition", ...d("规则的顶层条件：all / any / not / condition", "A rule's top-level condition: all / any / not / condition") }) as z.ZodType<TopLevelCondition>;
