import * as z from "zod";
import type { checkProvenance, IdSchema, provenanceShape, TextSchema, TopLevelConditionSchema } from "../vocabulary/index.js";

/** JSON Schema description in both languages: `中文 / English`. */
const d = (zh: string, en: string) => ({ description: `${zh} / ${en}` });

/** The building blocks the score schemas share with the pack schema (passed in: the modules must not import each other at load time). */
export interface ScoreSchemaParts {
  TextSchema: typeof TextSchema;
  IdSchema: typeof IdSchema;
  TopLevelConditionSchema: typeof TopLevelConditionSchema;
  provenanceShape: typeof provenanceShape;
  checkProvenance: typeof checkProvenance;
}

/**
 * Builds the schema of score-based grading (`grading.score`): points per condition, summed, and
 * thresholds that map the total to a level (Xiji's 评估赋分 → 预警等级). Called once by
 * `pack/schema.ts`.
 *
 * @example
 * export const { ScoreSchema } = createScoreSchemas({ TextSchema, IdSchema, TopLevelConditionSchema, provenanceShape, checkProvenance });
 */
export function createScoreSchemas(p: ScoreSchemaParts) {
  const { TextSchema, IdSchema, TopLevelConditionSchema, provenanceShape, checkProvenance } = p;

  const ScorePointsSchema = z
    .strictObject({
      id: IdSchema,
      label: TextSchema,
      points: z.number().int().min(-1000).max(1000).meta(d("条件成立时计的分数（负数为减分）", "Points awarded when the condition holds (negative to subtract)")),
      conditions: TopLevelConditionSchema,
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "ScorePoints", ...d("赋分项：条件成立即计分", "A score item: points awarded when its condition holds") });

  const ScoreThresholdSchema = z
    .strictObject({
      level: IdSchema.meta(d("总分达到 min 时的等级", "The level when the total reaches min")),
      min: z.number().int().min(-100_000).max(100_000).meta(d("最低总分（含）", "The lowest total (inclusive)")),
      ...provenanceShape,
    })
    .superRefine(checkProvenance)
    .meta({ id: "ScoreThreshold", ...d("分数线：总分不低于 min 即为此等级", "A threshold: a total of at least min gives this level") });

  const ScoreSchema = z
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

  return { ScorePointsSchema, ScoreThresholdSchema, ScoreSchema };
}

type Schemas = ReturnType<typeof createScoreSchemas>;
export type ScoreDef = z.output<Schemas["ScoreSchema"]>;
export type ScorePointsDef = z.output<Schemas["ScorePointsSchema"]>;
export type ScoreThresholdDef = z.output<Schemas["ScoreThresholdSchema"]>;
