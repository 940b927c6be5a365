import * as z from "zod";
import { d, checkProvenance, FactSchema, IdSchema, provenanceShape, TextSchema, TopLevelConditionSchema } from "../vocabulary/index.js";

/** Derived fact and year-list names: plain identifiers (they sit at the top of the input). */
export const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The derivations a table may compute from a list of years. Code implements the names; packs only name them. */
export const DERIVE_FUNCTIONS = ["consecutiveYears", "yearsWithin"] as const;
export type DeriveFunction = (typeof DERIVE_FUNCTIONS)[number];

/** Hit policies, as in DMN: the first matching row, exactly one row, or every matching row. */
export const HIT_POLICIES = ["first", "unique", "collect"] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];

/**
 * The decision-table schemas from the pack schema's parts.
 */
const ResultSchema = z
  .record(z.string(), z.unknown())
  .meta(d("命中时的结果：任意 JSON 对象，如 { \"class\": \"red\", \"service\": … }", "The result when the row holds: any JSON object, e.g. { \"class\": \"red\", \"service\": … }"));

export const TableRowSchema = z
  .strictObject({
    id: IdSchema,
    label: TextSchema.optional(),
    description: TextSchema.optional(),
    when: TopLevelConditionSchema.meta(d("条件（json-rules-engine 格式）", "The condition (json-rules-engine format)")),
    result: ResultSchema,
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "TableRow", ...d("决策表的一行：条件 → 结果", "A decision-table row: condition → result") });

export const TableDefaultSchema = z
  .strictObject({
    label: TextSchema.optional(),
    result: ResultSchema,
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "TableDefault", ...d("没有任何行命中时的结果（兜底）", "The result when no row holds (the fallback)") });

export const YearListSchema = z
  .strictObject({
    name: z.string().regex(PLAIN_NAME).meta(d("输入字段名，值为年份（整数）数组", "Input field; its value is an array of years (integers)")),
    label: TextSchema,
    description: TextSchema.optional(),
    min: z.number().int().optional().meta(d("最早年份", "Earliest year allowed")),
    max: z.number().int().optional().meta(d("最晚年份", "Latest year allowed")),
  })
  .meta({ id: "YearList", ...d("年份列表输入（如历年获评平安家庭的年份）", "An input that lists years (e.g. the years a household was named a safe family)") });

export const DeriveSchema = z
  .strictObject({
    name: z.string().regex(PLAIN_NAME).meta(d("派生事实名称（整数），条件中可引用", "Name of the derived fact (an integer) conditions may read")),
    label: TextSchema,
    description: TextSchema.optional(),
    fn: z.enum(DERIVE_FUNCTIONS).meta(d("consecutiveYears：截至 asOf 年（含）连续出现的年数；yearsWithin：asOf 年及之前共 span 年内出现的年数", "consecutiveYears: how many years in a row, ending with the asOf year, are listed; yearsWithin: how many of the span years ending with the asOf year are listed")),
    years: z.string().regex(PLAIN_NAME).meta(d("年份列表（yearLists 中声明）", "The year list (declared in yearLists)")),
    asOf: z.string().regex(PLAIN_NAME).meta(d("评定年份：声明的 integer 事实", "The year assessed: a declared integer fact")),
    span: z.number().int().min(1).max(100).optional().meta(d("yearsWithin 的年数", "How many years yearsWithin counts")),
    ...provenanceShape,
  })
  .superRefine((v, ctx) => {
    checkProvenance(v, ctx);
    if (v.fn === "yearsWithin" && v.span === undefined) ctx.addIssue({ code: "custom", path: ["span"], message: "SPAN_REQUIRED", params: { jiceng: "SCHEMA", zh: "yearsWithin 须给出 span（统计的年数）", en: "yearsWithin needs span (how many years to count)" } });
    if (v.fn === "consecutiveYears" && v.span !== undefined) ctx.addIssue({ code: "custom", path: ["span"], message: "SPAN_UNUSED", params: { jiceng: "SCHEMA", zh: "consecutiveYears 不使用 span", en: "consecutiveYears takes no span" } });
  })
  .meta({ id: "Derive", ...d("派生事实：由年份列表计算的整数，读法须注明出处或本地说明", "A derived fact: an integer computed from a year list; how the document's words are read needs a cite or a local note") });

export const DecisionTableSchema = z
  .strictObject({
    label: TextSchema,
    description: TextSchema.optional(),
    hitPolicy: z.enum(HIT_POLICIES).meta(d("first：按行序第一个命中者；unique：至多一行命中，多行命中为错误；collect：全部命中行", "first: the first matching row in order; unique: at most one row may hold, several is an error; collect: every matching row")),
    precedence: z
      .strictObject({ ...provenanceShape })
      .superRefine(checkProvenance)
      .optional()
      .meta(d("命中规则与行序的出处，或本地说明（如文件未规定一户同时符合多类时取哪一类）", "Where the hit policy and row order come from, or a local note (e.g. the document does not say which class wins when several apply)")),
    facts: z.array(FactSchema).min(1).max(500).optional().meta(d("本表实体自己的事实；不写则使用规则包的 facts", "The entity's own facts; when absent the pack's facts are used")),
    yearLists: z.array(YearListSchema).max(20).optional(),
    derive: z.array(DeriveSchema).max(50).optional(),
    rows: z.array(TableRowSchema).min(1).max(500),
    default: TableDefaultSchema.optional(),
  })
  .meta({ id: "DecisionTable", ...d("决策表：按条件给实体分类（如安康“三色”户）", "A decision table: classifies an entity by conditions (e.g. Ankang's three household colours)") });

export const TablesSchema = z
  .record(IdSchema, DecisionTableSchema)
  .superRefine((tables, ctx) => {
    const n = Object.keys(tables).length;
    if (n > 50) ctx.addIssue({ code: "custom", path: [], message: "TOO_MANY_TABLES", params: { jiceng: "LIMIT_EXCEEDED", zh: `决策表超过 50 张（${n}）`, en: `More than 50 decision tables (${n})` } });
  })
  .meta({ id: "Tables", ...d("决策表，按标识索引", "Decision tables by id") });

/** A decision table, validated (as in a loaded pack). */
export type DecisionTable = z.output<typeof DecisionTableSchema>;
/** A decision table as written in pack.json. */
export type DecisionTableInput = z.input<typeof DecisionTableSchema>;
export type TableRow = z.output<typeof TableRowSchema>;
export type TableDefault = z.output<typeof TableDefaultSchema>;
export type YearListDef = z.output<typeof YearListSchema>;
export type DeriveDef = z.output<typeof DeriveSchema>;
