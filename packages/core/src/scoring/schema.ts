import * as z from "zod";
import { IdSchema, TextSchema, TopLevelConditionSchema, checkProvenance, provenanceShape, type TopLevelCondition } from "../vocabulary/index.js";
import { fromDecimal, isOne, sum, toFractionString, type Rational } from "./rational.js";

// pack/schema.ts composes this schema and this one reuses its primitives (Text, Id, Cite,
// provenance): the two modules import each other, so everything here is built on first use.

/** JSON Schema description in both languages: `中文 / English`. */
const d = (zh: string, en: string) => ({ description: `${zh} / ${en}` });

/**
 * Where a case's group (unit, person) is read: a fact (`facts.unitCode`), a field of the
 * responsibility list (`assignment.responsibleUnit`), who took the case in (`intake.by`), who
 * resolved it (`resolve.by`), or its level.
 */
export const GROUP_FIELD = new RegExp(
  `^(facts\\.[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}|assignment\\.(leadUnit|responsibleUnit|responsiblePerson|responsibleLeader|cooperatingUnits)|intake\\.by|resolve\\.by|level)$`,
);

/** Case events a case test can ask about. */
export type CaseEventKind =
  | "received" | "assigned" | "acknowledged" | "resolved" | "closed" | "followed-up" | "overdue" | "escalated" | "reported"
  | "verified" | "verification-failed" | "evaluated" | "returned" | "self-closed";
/** When an event counts, relative to the period [start, end). */
export type When = "period" | "by-end" | "before-start" | "ever";
export type EscalationDecision = "upgrade" | "extend" | "reject" | "regrade";

/**
 * What counts: a test on one case over a period. Structured JSON, combined with `all` / `any` /
 * `not` like a condition; `facts` holds a json-rules-engine condition on the case's facts.
 */
export type CaseTest =
  | { all: CaseTest[] }
  | { any: CaseTest[] }
  | { not: CaseTest }
  | { event: CaseEventKind; when?: When | undefined; decision?: EscalationDecision[] | undefined }
  | { open: "at-start" | "at-end" }
  | { resolvedOnTime: boolean }
  | { level: string[]; at?: "intake" | "end" | undefined }
  | { agreementKept: boolean }
  | { evaluation: string[] }
  | { ackOverdue: boolean }
  | { facts: TopLevelCondition }
  | { field: string; in: string[] };

let built: ReturnType<typeof buildScoringSchemas> | undefined;
const schemas = () => (built ??= buildScoringSchemas());

function buildScoringSchemas() {
  const GroupField = z.string().regex(GROUP_FIELD).meta(d("分组字段：facts.<事实>、assignment.<责任清单字段>、intake.by、resolve.by 或 level", "Grouping field: facts.<fact>, assignment.<responsibility-list field>, intake.by, resolve.by, or level"));

  const CaseTestSchema: z.ZodType<CaseTest> = z
    .lazy(() =>
      z.union([
        z.strictObject({ all: z.array(CaseTestSchema).min(1).max(50) }),
        z.strictObject({ any: z.array(CaseTestSchema).min(1).max(50) }),
        z.strictObject({ not: CaseTestSchema }),
        z.strictObject({
          event: z
            .enum(["received", "assigned", "acknowledged", "resolved", "closed", "followed-up", "overdue", "escalated", "reported", "verified", "verification-failed", "evaluated", "returned", "self-closed"])
            .meta(d("案件事件：受理、交办、签收（报到）、化解、结案、回访、逾期、升级（延期等决定）、上报、核实通过、核实未通过（返工）、评价、退回、自行办结", "Case event: received, assigned, acknowledged (signed for), resolved, closed, followed up, overdue, escalated (a decision), reported up the chain, verified, verification failed (rework), evaluated, returned, closed on the spot")),
          when: z.enum(["period", "by-end", "before-start", "ever"]).optional().meta(d("何时发生：period 本期内（默认）；by-end 期末前；before-start 期初前；ever 任何时候", "When it happened: period = within the period (default); by-end = before the period ends; before-start = before it starts; ever = at any time")),
          decision: z.array(z.enum(["upgrade", "extend", "reject", "regrade"])).min(1).optional().meta(d("event 为 escalated 时：计哪些决定，默认 upgrade 与 regrade", "For event escalated: which decisions count; default upgrade and regrade")),
        }),
        z.strictObject({ open: z.enum(["at-start", "at-end"]).meta(d("期初 / 期末时已受理而未化解", "Received and not yet resolved at the start / end of the period")) }),
        z.strictObject({ resolvedOnTime: z.boolean().meta(d("已化解且在时限内（按 onTime 规则）；false 为已化解但超时限", "Resolved within its time limit (per the onTime rule); false means resolved late")) }),
        z.strictObject({ level: z.array(IdSchema).min(1), at: z.enum(["intake", "end"]).optional().meta(d("按受理时等级或期末时等级（默认）", "The level at intake, or at the end of the period (default)")) }),
        z.strictObject({ agreementKept: z.boolean().meta(d("有一次回访记录协议履行情况为此值", "A return visit recorded the agreement as kept (true) / not kept (false)")) }),
        z.strictObject({ evaluation: z.array(z.string().min(1)).min(1).max(50).meta(d("综合评价的结果在此列表中（如 satisfied）", "The overall evaluation's rating is one of these (e.g. satisfied)")) }),
        z.strictObject({ ackOverdue: z.boolean().meta(d("签收（报到）超过时限", "Signed for (reported in) after its time limit")) }),
        z.strictObject({ facts: TopLevelConditionSchema.meta(d("案件事实的条件（json-rules-engine 格式）", "A condition on the case's facts (json-rules-engine format)")) }),
        z.strictObject({ field: GroupField, in: z.array(z.string().min(1)).min(1).max(1000) }),
      ]),
    )
    .meta({ id: "CaseTest", ...d("计数口径：对一个案件在考核时段内的判断", "What counts: a test on one case over the period") }) as z.ZodType<CaseTest>;

  const KpiAlternativeSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      definition: TextSchema.meta(d("此口径的文字说明", "This definition in words")),
      numerator: CaseTestSchema.optional().meta(d("分子（不填则沿用指标的分子）", "Numerator (the indicator's own when omitted)")),
      denominator: CaseTestSchema,
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "KpiAlternative", ...d("指标的另一种分母口径，可选用", "Another denominator of a rate, selectable") });

  const KpiSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      definition: TextSchema.meta(d("计算口径的文字说明：分子、分母、计什么", "The definition in words: numerator, denominator, what counts")),
      kind: z.enum(["count", "rate"]).meta(d("count 计数；rate 比率 = 分母中符合分子条件的案件数 / 分母案件数", "count; or rate = cases of the denominator that also meet the numerator / cases of the denominator")),
      count: CaseTestSchema.optional().meta(d("count：计哪些案件", "count: which cases count")),
      numerator: CaseTestSchema.optional().meta(d("rate：分子（在分母案件中判断）", "rate: the numerator (tested among the denominator's cases)")),
      denominator: CaseTestSchema.optional().meta(d("rate：分母", "rate: the denominator")),
      alternatives: z.array(KpiAlternativeSchema).max(10).optional().meta(d("其他分母口径（来源不一致时可选用）", "Other denominators (where sources differ), selectable")),
      breakdown: z.literal("level").optional().meta(d("按期末等级分列", "Also count per level (at the end of the period)")),
      better: z.enum(["higher", "lower"]).default("higher").meta(d("数值越高越好，或越低越好", "Whether higher or lower is better")),
      decimals: z.number().int().min(0).max(4).optional().meta(d("显示的小数位数（数据保持全精度）", "Decimal places shown (data keep full precision)")),
      ...provenanceShape,
    })
    .superRefine((k, ctx) => {
      const need = (key: "count" | "numerator" | "denominator") => {
        if (k[key] === undefined) ctx.addIssue({ code: "custom", path: [key], message: "KPI_FIELD", params: { jiceng: "SCHEMA", zh: `${k.kind === "rate" ? "比率" : "计数"}指标须填写 ${key}`, en: `A ${k.kind} indicator needs ${key}` } });
      };
      const forbid = (key: "count" | "numerator" | "denominator" | "alternatives") => {
        if (k[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "KPI_FIELD", params: { jiceng: "SCHEMA", zh: `${k.kind === "rate" ? "比率" : "计数"}指标不能有 ${key}`, en: `A ${k.kind} indicator cannot have ${key}` } });
      };
      if (k.kind === "count") {
        need("count");
        forbid("numerator");
        forbid("denominator");
        forbid("alternatives");
      } else {
        need("numerator");
        need("denominator");
        forbid("count");
        if (k.breakdown !== undefined) ctx.addIssue({ code: "custom", path: ["breakdown"], message: "KPI_FIELD", params: { jiceng: "SCHEMA", zh: "只有计数指标可以按等级分列", en: "Only a count can be broken down by level" } });
      }
      dupIds(k.alternatives ?? [], ["alternatives"], ctx);
      checkProvenance(k, ctx);
    })
    .meta({ id: "Kpi", ...d("考核指标（KPI）：分子、分母、口径与出处", "A KPI: numerator, denominator, what counts, and where the definition comes from") });

  const GroupBySchema = z
    .strictObject({
      field: GroupField,
      label: TextSchema,
      labels: z.record(z.string(), TextSchema).optional().meta(d("分组取值的名称，如 { \"01\": { zh: \"某镇\" } }", "Names of group values, e.g. { \"01\": { zh: \"… town\" } }")),
      ...provenanceShape,
    })
    .meta({ id: "ScoringGroupBy", "x-provenance": "optional", ...d("按什么分单位统计（可写出处或本地值说明，不强制）", "What the per-unit figures are grouped by (a cite or a local note is welcome, not required)") });

  const AssessorSchema = z
    .strictObject({ id: IdSchema, label: TextSchema, weight: z.number().gt(0).max(1).meta(d("权重（0–1），各考核主体权重之和须为 1", "Weight (0–1); the assessors' weights must sum to 1")), ...provenanceShape })
    .superRefine(checkProvenance)
    .meta({ id: "Assessor", ...d("考核主体及其权重", "An assessor and its weight") });

  const IndicatorSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      assessor: IdSchema.meta(d("计入哪个考核主体的得分", "The assessor whose score it makes up")),
      kpi: IdSchema,
      method: z.enum(["proportional", "per-case", "pass-fail"]).meta(d("proportional：比率 × 分值；per-case：每件 × 分值（负数为扣分）；pass-fail：达标得分值", "proportional: rate × points; per-case: points per case (negative = a deduction); pass-fail: points when the target is met")),
      points: z.number().min(-1000).max(1000),
      max: z.number().positive().max(1000).optional().meta(d("本项得分（或扣分）的上限", "Cap on the points this indicator adds (or deducts)")),
      target: IdSchema.optional().meta(d("pass-fail：依据的目标", "pass-fail: the target it checks")),
      empty: z.enum(["zero", "full"]).default("zero").meta(d("分母为零（无案件）时：得 0 分，或得满分", "When the denominator is empty (no cases): zero points, or full points")),
      ...provenanceShape,
    })
    .superRefine((x, ctx) => {
      if (x.method === "pass-fail" && x.target === undefined) ctx.addIssue({ code: "custom", path: ["target"], message: "NEEDS_TARGET", params: { jiceng: "SCHEMA", zh: "pass-fail 须指明 target", en: "pass-fail needs a target" } });
      if (x.method !== "per-case" && x.points < 0) ctx.addIssue({ code: "custom", path: ["points"], message: "NEGATIVE", params: { jiceng: "SCHEMA", zh: "只有 per-case（按件扣分）可以为负", en: "Only per-case points (deductions) can be negative" } });
      checkProvenance(x, ctx);
    })
    .meta({ id: "Indicator", ...d("由指标计算的得分项（含扣分）", "A score item computed from a KPI (or a deduction)") });

  const BandSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      min: z.number().meta(d("综合得分不低于此值", "Composite score at least this")),
      colour: z.string().regex(/^(red|orange|yellow|green|blue|grey|#[0-9a-fA-F]{6})$/).optional(),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "GradeBand", ...d("考核等次", "A grade band") });

  const AssessmentSchema = z
    .strictObject({
      label: TextSchema,
      scale: z
        .strictObject({ min: z.number().default(0), max: z.number().positive().max(10_000), ...provenanceShape })
        .superRefine(checkProvenance)
        .meta(d("各考核主体得分的范围（封顶、保底）", "Range of each assessor's score (its cap and floor)")),
      subject: z
        .strictObject({
          field: GroupField.meta(d("被考核对象取自案件的哪个字段，如 assignment.responsibleUnit（承办的派出机构）", "Which field of a case names the subject assessed, e.g. assignment.responsibleUnit (the stationed unit that handled it)")),
          label: TextSchema,
          ...provenanceShape,
        })
        .superRefine(checkProvenance)
        .optional()
        .meta(d("被考核对象（不写则为 groupBy 的单位）", "Who is assessed (default: the units of groupBy)")),
      assessors: z.array(AssessorSchema).min(1).max(10),
      indicators: z.array(IndicatorSchema).max(100).default([]),
      bands: z.array(BandSchema).max(20).optional().meta(d("等次（可选），按 min 从高到低匹配", "Grade bands (optional), matched by min from the highest")),
      foremost: z
        .strictObject({ assessor: IdSchema.meta(d("权重须居首（严格大于其他每个考核主体）的考核主体", "The assessor whose weight must come first (strictly above every other assessor's)")), ...provenanceShape })
        .superRefine(checkProvenance)
        .optional()
        .meta(d("文件要求某一考核主体的权重为主（如“突出乡镇考核权重”“以乡镇为主”）：权重不居首时规则包无效", "The document makes one assessor's weight foremost (e.g. 突出乡镇考核权重, 以乡镇为主): the pack is invalid when its weight is not the largest")),
    })
    .meta({ id: "Assessment", ...d("加权考核：多个考核主体按权重合成", "Weighted assessment: several assessors combined by weight") });

  const TargetSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema.optional(),
      kpi: IdSchema,
      op: z.enum([">=", ">", "<=", "<"]),
      value: z.number().min(0).max(1e9),
      unit: z.enum(["percent", "count"]).meta(d("比率指标用 percent，计数指标用 count", "percent for a rate, count for a count")),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "Target", ...d("目标：各单位达标与否", "A target: pass or fail per unit") });

  const TrendSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema.optional(),
      kpi: IdSchema,
      goal: z.enum(["decrease", "increase"]).meta(d("同比下降或上升", "Decrease or increase year on year")),
      by: z.strictObject({ percent: z.number().positive().max(1000) }).optional().meta(d("至少变化百分之几（相对上年同期）", "By at least this percentage of last year's value")),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "Trend", ...d("同比目标", "A year-on-year goal") });

  const PersonItemSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      source: z.enum(["cases", "input"]).meta(d("cases：按其上报的案件计；input：由考核文件给出次数（如走访次数）", "cases: counted from the cases they reported; input: counts given in the assessments file (e.g. visits)")),
      when: CaseTestSchema.optional().meta(d("source 为 cases 时：计哪些案件", "For source cases: which cases count")),
      points: z.number().min(-1000).max(1000).meta(d("每件（次）得分", "Points per case (or per count)")),
      max: z.number().positive().max(10_000).optional().meta(d("本项得分上限", "Cap on this item's points")),
      ...provenanceShape,
    })
    .superRefine((x, ctx) => {
      if ((x.source === "cases") !== (x.when !== undefined)) ctx.addIssue({ code: "custom", path: ["when"], message: "PERSON_WHEN", params: { jiceng: "SCHEMA", zh: "source 为 cases 时须有 when，为 input 时不能有", en: "when is required for source cases and not allowed for source input" } });
      checkProvenance(x, ctx);
    })
    .meta({ id: "PersonItem", ...d("个人（网格员）计分项", "A person (grid worker) score item") });

  const PersonsSchema = z
    .strictObject({
      field: GroupField.meta(d("案件归属于谁：如 facts.reportedBy（上报的网格员）", "Whose case it is: e.g. facts.reportedBy (the grid worker who reported it)")),
      label: TextSchema,
      items: z.array(PersonItemSchema).min(1).max(50),
      cap: z.strictObject({ max: z.number().positive().max(100_000), ...provenanceShape }).superRefine(checkProvenance).optional(),
      ...provenanceShape,
    })
    .meta({ id: "PersonScoring", "x-provenance": "optional", ...d("个人计分（网格员等）；本节的出处可写在此或各计分项上", "Person scoring (grid workers and others); the section may carry its cite here or on each item") });

  const TeamRoleSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      min: z.number().int().min(0).max(1000).optional().meta(d("每个对象至少几人担任此角色", "At least this many members in this role")),
      max: z.number().int().min(0).max(1000).optional().meta(d("每个对象至多几人担任此角色", "At most this many members in this role")),
      ...provenanceShape,
    })
    .superRefine((x, ctx) => {
      if (x.min !== undefined && x.max !== undefined && x.min > x.max) ctx.addIssue({ code: "custom", path: ["max"], message: "ROLE_COUNT", params: { jiceng: "SCHEMA", zh: "max 不能小于 min", en: "max cannot be below min" } });
      checkProvenance(x, ctx);
    })
    .meta({ id: "TeamRole", ...d("对象成员的一种角色（如 网格长）及其人数", "One role of the members (e.g. grid head) and how many hold it") });

  const TeamSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      field: GroupField.meta(d("案件计入哪个对象：如 facts.grid（所在网格，捆绑考核）、intake.by（上报人）、resolve.by（调解人）", "Which object a case counts for: e.g. facts.grid (its grid, bundled assessment), intake.by (who reported it), resolve.by (who mediated it)")),
      items: z.array(PersonItemSchema).min(1).max(50),
      cap: z.strictObject({ max: z.number().positive().max(100_000), ...provenanceShape }).superRefine(checkProvenance).optional(),
      unit: TextSchema.optional().meta(d("分值的单位或含义（如 奖励分、补贴件数），默认“分”", "What the points are (e.g. reward points, subsidised cases); default points")),
      roles: z.array(TeamRoleSchema).min(1).max(20).optional().meta(d("捆绑考核：对象的成员及其角色由考核文件给出，每个成员得对象的同一得分；人数不符的对象列出问题", "Bundled assessment: the members and their roles come from the assessments file and each member gets the object's one score; objects whose roster does not fit are flagged")),
      ...provenanceShape,
    })
    .superRefine((x, ctx) => {
      dupIds(x.items, ["items"], ctx);
      dupIds(x.roles ?? [], ["roles"], ctx);
      checkProvenance(x, ctx);
    })
    .meta({ id: "TeamScoring", ...d("按对象计分（网格的捆绑考核、兼职网格员以奖代补、调解员以案定补等）", "Scoring per object (a grid's bundled assessment, rewards of part-time grid workers, per-case subsidies of mediators…)") });

  const ScoringSchema = z
    .strictObject({
      groupBy: GroupBySchema,
      onTime: z
        .strictObject({ rule: z.enum(["final-deadline", "never-overdue"]).meta(d("final-deadline：在最终时限（含批准的升级、延期）前化解即为按期；never-overdue：从未逾期", "final-deadline: resolved before the time limit in force at the end (approved upgrades and extensions included); never-overdue: never overdue at all")), ...provenanceShape })
        .superRefine(checkProvenance)
        .optional()
        .meta(d("“按期”的认定，默认 final-deadline", "What \"on time\" means; default final-deadline")),
      decimals: z.number().int().min(0).max(4).default(1).meta(d("比率显示的小数位数", "Decimal places shown for rates")),
      kpis: z.array(KpiSchema).min(1).max(100),
      targets: z.array(TargetSchema).max(100).default([]),
      trends: z.array(TrendSchema).max(100).default([]),
      assessment: AssessmentSchema.optional(),
      persons: PersonsSchema.optional(),
      teams: z.array(TeamSchema).max(10).optional().meta(d("其他按对象计分的方案（捆绑考核、以奖代补、以案定补）", "Other schemes scored per object (bundled assessment, rewards instead of subsidies, subsidies per case)")),
      report: z
        .strictObject({
          monthly: z.array(IdSchema).max(10).optional().meta(d("按月图表的比率指标（默认所有比率指标）", "Rates charted by month (default: every rate)")),
          levels: IdSchema.optional().meta(d("“按等级”图表的计数指标（默认第一个按等级分列的计数）", "The count charted by level (default: the first count broken down by level)")),
          units: IdSchema.optional().meta(d("无加权考核时“各单位”图表的指标", "The KPI charted per unit when there is no weighted assessment")),
        })
        .optional(),
    })
    .superRefine((s, ctx) => checkScoringRefs(s, ctx))
    .meta({ id: "Scoring", ...d("考核评分：指标、加权考核、目标、同比、个人计分", "Assessment and scoring: KPIs, weighted assessment, targets, year-on-year goals, person scoring") });

  return { ScoringSchema, CaseTestSchema, KpiSchema, AssessmentSchema, TargetSchema, TrendSchema, PersonsSchema, TeamSchema };
}

type Ctx = z.RefinementCtx<any>;

function dupIds(list: ReadonlyArray<{ id: string }>, path: (string | number)[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  list.forEach((x, i) => {
    const prev = seen.get(x.id);
    // fromZodIssues names the first by its full path (duplicateOf: its index in the same list).
    if (prev !== undefined) ctx.addIssue({ code: "custom", path: [...path, i, "id"], message: "DUPLICATE_ID", params: { jiceng: "DUPLICATE_ID", zh: `重复的 id "${x.id}"`, en: `Duplicate id "${x.id}"`, duplicateOf: prev } });
    else seen.set(x.id, i);
  });
}

/** The exact sum of weights written as decimals (0.6 + 0.4 is exactly 1). */
export function weightSum(weights: readonly number[]): Rational {
  return sum(weights.map((w) => fromDecimal(w)));
}

/** What the cross-reference check reads (a structural view, so the builder's type is not circular). */
interface RefsView {
  kpis: ReadonlyArray<{ id: string; kind: "count" | "rate"; breakdown?: "level" | undefined }>;
  targets: ReadonlyArray<{ id: string; kpi: string; unit: "percent" | "count" }>;
  trends: ReadonlyArray<{ id: string; kpi: string }>;
  report?: { monthly?: string[] | undefined; levels?: string | undefined; units?: string | undefined } | undefined;
  persons?: { items: ReadonlyArray<{ id: string }> } | undefined;
  teams?: ReadonlyArray<{ id: string }> | undefined;
  assessment?:
    | {
        scale: { min: number; max: number };
        assessors: ReadonlyArray<{ id: string; weight: number }>;
        indicators: ReadonlyArray<{ id: string; assessor: string; kpi: string; method: "proportional" | "per-case" | "pass-fail"; target?: string | undefined }>;
        bands?: ReadonlyArray<{ id: string; min: number }> | undefined;
        foremost?: { assessor: string } | undefined;
      }
    | undefined;
}

function checkScoringRefs(s: RefsView, ctx: Ctx): void {
  dupIds(s.kpis, ["kpis"], ctx);
  dupIds(s.targets, ["targets"], ctx);
  dupIds(s.trends, ["trends"], ctx);
  const kpis = new Map(s.kpis.map((k) => [k.id, k] as const));
  const targets = new Map(s.targets.map((t) => [t.id, t] as const));
  const unknownKpi = (id: string, path: (string | number)[]) => {
    if (kpis.has(id)) return false;
    ctx.addIssue({ code: "custom", path, message: "UNKNOWN_KPI", params: { jiceng: "UNKNOWN_KPI", zh: `未知指标 "${id}"；已声明：${[...kpis.keys()].join(", ")}`, en: `Unknown KPI "${id}"; declared: ${[...kpis.keys()].join(", ")}` } });
    return true;
  };
  s.targets.forEach((t, i) => {
    if (unknownKpi(t.kpi, ["targets", i, "kpi"])) return;
    const kind = kpis.get(t.kpi)!.kind;
    if ((kind === "rate") !== (t.unit === "percent")) ctx.addIssue({ code: "custom", path: ["targets", i, "unit"], message: "UNIT", params: { jiceng: "SCHEMA", zh: `指标 "${t.kpi}" 是${kind === "rate" ? "比率，目标单位须为 percent" : "计数，目标单位须为 count"}`, en: `KPI "${t.kpi}" is a ${kind}: the target's unit must be ${kind === "rate" ? "percent" : "count"}` } });
  });
  s.trends.forEach((t, i) => unknownKpi(t.kpi, ["trends", i, "kpi"]));
  const r = s.report;
  r?.monthly?.forEach((id, i) => {
    if (!unknownKpi(id, ["report", "monthly", i]) && kpis.get(id)!.kind !== "rate") ctx.addIssue({ code: "custom", path: ["report", "monthly", i], message: "KIND", params: { jiceng: "SCHEMA", zh: `按月图表只画比率指标，"${id}" 是计数`, en: `The monthly chart shows rates; "${id}" is a count` } });
  });
  if (r?.levels !== undefined && !unknownKpi(r.levels, ["report", "levels"]) && kpis.get(r.levels)!.breakdown !== "level") {
    ctx.addIssue({ code: "custom", path: ["report", "levels"], message: "KIND", params: { jiceng: "SCHEMA", zh: `“按等级”图表须用 breakdown 为 level 的计数指标，"${r.levels}" 不是`, en: `The by-level chart needs a count with breakdown level; "${r.levels}" is not one` } });
  }
  if (r?.units !== undefined) unknownKpi(r.units, ["report", "units"]);
  if (s.persons) dupIds(s.persons.items, ["persons", "items"], ctx);
  dupIds(s.teams ?? [], ["teams"], ctx);

  const a = s.assessment;
  if (!a) return;
  dupIds(a.assessors, ["assessment", "assessors"], ctx);
  dupIds(a.indicators, ["assessment", "indicators"], ctx);
  dupIds(a.bands ?? [], ["assessment", "bands"], ctx);
  const total = weightSum(a.assessors.map((x) => x.weight));
  if (!isOne(total)) {
    const shown = a.assessors.map((x) => `${x.id} ${x.weight}`).join(" + ");
    ctx.addIssue({ code: "custom", path: ["assessment", "assessors"], message: "INVALID_WEIGHTS", params: { jiceng: "INVALID_WEIGHTS", zh: `各考核主体的权重之和须为 1，现为 ${toFractionString(total)}（${shown}）`, en: `The assessors' weights must sum to 1; they sum to ${toFractionString(total)} (${shown})` } });
  }
  if (a.foremost !== undefined) {
    const lead = a.assessors.findIndex((x) => x.id === a.foremost!.assessor);
    if (lead < 0) ctx.addIssue({ code: "custom", path: ["assessment", "foremost", "assessor"], message: "UNKNOWN_ASSESSOR", params: { jiceng: "SCHEMA", zh: `未知考核主体 "${a.foremost.assessor}"；已声明：${a.assessors.map((x) => x.id).join(", ")}`, en: `Unknown assessor "${a.foremost.assessor}"; declared: ${a.assessors.map((x) => x.id).join(", ")}` } });
    else {
      const w = a.assessors[lead]!.weight;
      const over = a.assessors.filter((x, i) => i !== lead && x.weight >= w);
      if (over.length) ctx.addIssue({ code: "custom", path: ["assessment", "assessors", lead, "weight"], message: "INVALID_WEIGHTS", params: { jiceng: "INVALID_WEIGHTS", zh: `“${a.foremost.assessor}”的权重须居首：${w} 不大于 ${over.map((x) => `${x.id} ${x.weight}`).join("、")}`, en: `The weight of "${a.foremost.assessor}" must come first: ${w} is not above ${over.map((x) => `${x.id} ${x.weight}`).join(", ")}` } });
    }
  }
  if (a.scale.min >= a.scale.max) ctx.addIssue({ code: "custom", path: ["assessment", "scale", "min"], message: "SCALE", params: { jiceng: "SCHEMA", zh: "得分下限须小于上限", en: "The scale's min must be below its max" } });
  const assessors = new Set(a.assessors.map((x) => x.id));
  a.indicators.forEach((x, i) => {
    if (!assessors.has(x.assessor)) ctx.addIssue({ code: "custom", path: ["assessment", "indicators", i, "assessor"], message: "UNKNOWN_ASSESSOR", params: { jiceng: "SCHEMA", zh: `未知考核主体 "${x.assessor}"；已声明：${[...assessors].join(", ")}`, en: `Unknown assessor "${x.assessor}"; declared: ${[...assessors].join(", ")}` } });
    if (unknownKpi(x.kpi, ["assessment", "indicators", i, "kpi"])) return;
    const kind = kpis.get(x.kpi)!.kind;
    if (x.method === "proportional" && kind !== "rate") ctx.addIssue({ code: "custom", path: ["assessment", "indicators", i, "method"], message: "KIND", params: { jiceng: "SCHEMA", zh: `proportional 须用比率指标，"${x.kpi}" 是计数`, en: `proportional needs a rate; "${x.kpi}" is a count` } });
    if (x.method === "per-case" && kind !== "count") ctx.addIssue({ code: "custom", path: ["assessment", "indicators", i, "method"], message: "KIND", params: { jiceng: "SCHEMA", zh: `per-case 须用计数指标，"${x.kpi}" 是比率`, en: `per-case needs a count; "${x.kpi}" is a rate` } });
    if (x.target !== undefined) {
      const t = targets.get(x.target);
      if (!t) ctx.addIssue({ code: "custom", path: ["assessment", "indicators", i, "target"], message: "UNKNOWN_TARGET", params: { jiceng: "SCHEMA", zh: `未知目标 "${x.target}"`, en: `Unknown target "${x.target}"` } });
      else if (t.kpi !== x.kpi) ctx.addIssue({ code: "custom", path: ["assessment", "indicators", i, "target"], message: "TARGET_KPI", params: { jiceng: "SCHEMA", zh: `目标 "${x.target}" 针对指标 "${t.kpi}"，而非 "${x.kpi}"`, en: `Target "${x.target}" is about "${t.kpi}", not "${x.kpi}"` } });
    }
  });
  const mins = new Map<number, string>();
  (a.bands ?? []).forEach((b, i) => {
    const other = mins.get(b.min);
    if (other !== undefined) ctx.addIssue({ code: "custom", path: ["assessment", "bands", i, "min"], message: "BAND_MIN", params: { jiceng: "SCHEMA", zh: `等次 "${b.id}" 与 "${other}" 的 min 相同`, en: `Band "${b.id}" has the same min as "${other}"` } });
    mins.set(b.min, b.id);
  });
}

// The output types, spelled out once from the schema builder.
type Built = ReturnType<typeof buildScoringSchemas>;
type ScoringOutputShape = z.output<Built["ScoringSchema"]>;

/**
 * The `scoring` section of a rule pack (zod). Built on first use (see the note at the top).
 * @see ScoringDef
 */
export const ScoringSchema: z.ZodLazy<Built["ScoringSchema"]> = z.lazy(() => schemas().ScoringSchema);
/** A case test (what counts), for validating one on its own. */
export const CaseTestSchema: z.ZodLazy<z.ZodType<CaseTest>> = z.lazy(() => schemas().CaseTestSchema);

/** A validated `scoring` section, defaults applied. */
export type ScoringDef = ScoringOutputShape;
export type KpiDef = ScoringDef["kpis"][number];
export type TargetDef = ScoringDef["targets"][number];
export type TrendDef = ScoringDef["trends"][number];
export type AssessmentDef = NonNullable<ScoringDef["assessment"]>;
export type AssessorDef = AssessmentDef["assessors"][number];
export type IndicatorDef = AssessmentDef["indicators"][number];
export type GradeBandDef = NonNullable<AssessmentDef["bands"]>[number];
export type PersonsDef = NonNullable<ScoringDef["persons"]>;
export type TeamDef = NonNullable<ScoringDef["teams"]>[number];

