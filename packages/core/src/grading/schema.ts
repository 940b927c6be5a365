import * as z from "zod";
import { d, checkProvenance, IdSchema, provenanceShape, TextSchema, TopLevelConditionSchema } from "../vocabulary/index.js";

/**
 * The schema of score-based grading (`grading.score`): points per condition, summed, and
 * thresholds that map the total to a level (Xiji's 评估赋分 → 预警等级).
 */
export const ScorePointsSchema = z
  .strictObject({
    id: IdSchema,
    label: TextSchema,
    points: z.number().int().min(-1000).max(1000).meta(d("条件成立时计的分数（负数为减分）", "Points awarded when the condition holds (negative to subtract)")),
    conditions: TopLevelConditionSchema,
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "ScorePoints", ...d("赋分项：条件成立即计分", "A score item: points awarded when its condition holds") });

export const ScoreThresholdSchema = z
  .strictObject({
    level: IdSchema.meta(d("总分达到 min 时的等级", "The level when the total reaches min")),
    min: z.number().int().min(-100_000).max(100_000).meta(d("最低总分（含）", "The lowest total (inclusive)")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "ScoreThreshold", ...d("分数线：总分不低于 min 即为此等级", "A threshold: a total of at least min gives this level") });

export const ScoreSchema = z
  .strictObject({
    label: TextSchema.optional().meta(d("评分的名称，如“评估赋分”", "The name of the scoring, e.g. 评估赋分")),
    points: z.array(ScorePointsSchema).min(1).max(500),
    thresholds: z.array(ScoreThresholdSchema).min(1).max(20).meta(d("分数线；等级越严重，分数线越高。低于全部分数线时取 grading.default", "Thresholds; a more severe level needs a higher total. Below every threshold: grading.default")),
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({
    id: "Score",
    ...d(
      "评估赋分：各赋分项条件成立即计分，总分按分数线定级；与 rules 同时存在时取两者中较严重的等级",
      "Score-based grading: each item whose condition holds adds its points, the total maps to a level by the thresholds; with rules as well, the more severe of the two levels wins",
    ),
  });

export type ScoreDef = z.output<typeof ScoreSchema>;
export type ScorePointsDef = z.output<typeof ScorePointsSchema>;
export type ScoreThresholdDef = z.output<typeof ScoreThresholdSchema>;

// ── Grading ───────────────────────────────────────────────────────────────

export const GradingRuleSchema = z
  .strictObject({
    id: IdSchema,
    level: IdSchema.meta(d("命中时的等级", "Level when the rule holds")),
    priority: z.number().int().min(0).max(1000).default(0).meta(d("优先级：数字大者先判断", "Priority: higher is tried first")),
    label: TextSchema.optional(),
    conditions: TopLevelConditionSchema,
    ...provenanceShape,
  })
  .superRefine(checkProvenance)
  .meta({ id: "GradingRule", ...d("定级规则", "A grading rule") });
export type GradingRule = z.infer<typeof GradingRuleSchema>;

export const GradingSchema = z
  .strictObject({
    strategy: z.enum(["most-severe", "first-hit"]).default("most-severe").meta(d("most-severe：命中规则中最严重者；first-hit：按优先级第一个命中者", "most-severe: the most severe matching rule wins; first-hit: the first match by priority wins")),
    default: z
      .strictObject({ level: IdSchema, ...provenanceShape })
      .superRefine(checkProvenance)
      .meta(d("无规则命中时的等级", "Level when no rule holds")),
    rules: z.array(GradingRuleSchema).max(500),
    score: ScoreSchema.optional(),
  })
  .meta({ id: "Grading", ...d("定级", "Grading") });
