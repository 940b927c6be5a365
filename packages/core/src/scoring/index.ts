/**
 * Assessment and scoring: KPIs over periods, weighted multi-assessor assessments, targets,
 * year-on-year goals, person scoring, and the scorecard's CSV and HTML renderings.
 * @module
 */
export { ScoringSchema, CaseTestSchema, GROUP_FIELD, weightSum } from "./schema.js";
export type { ScoringDef, KpiDef, TargetDef, TrendDef, AssessmentDef, AssessorDef, IndicatorDef, GradeBandDef, PersonsDef, TeamDef, CaseTest, CaseEventKind, When, EscalationDecision } from "./schema.js";
export { parsePeriod, previousYear, monthsOf } from "./period.js";
export type { ScoringPeriod, PeriodKind } from "./period.js";
export { scoreCases, compileScoring, compositeScore, AssessmentsInputSchema } from "./score.js";
export type {
  Scorecard, ScoreOptions, CompiledScoring, KpiValue, KpiInfo, Change, TargetResult, TrendResult, UnitScore, IndicatorScore, AssessorScore, SubjectScore,
  AssessmentResult, PersonScore, TeamScore, TeamResult, PeriodInfo, Provenance, AssessmentsInput,
} from "./score.js";
export { rat, fromDecimal, formatDecimal, formatPercent, toNumber, toFractionString } from "./rational.js";
export type { Rational } from "./rational.js";
export { scorecardCsv } from "./csv.js";
export { scorecardHtml } from "./html.js";
