/**
 * @jiceng/core — the jiceng (基层) rules engine: rule-pack format, compiled conditions, grading,
 * deadlines with the official holiday calendar, numbering, and the case lifecycle.
 *
 * @example
 * import { createEngine } from "@jiceng/core";
 * import guyuan from "@jiceng/rules-guyuan";
 * const engine = createEngine(guyuan);
 * const a = engine.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" });
 * a.level; // "yellow"
 * a.dueAt; // "2022-06-28T00:00:00+08:00"
 *
 * @module @jiceng/core
 */

// Errors
export { JicengError, isJicengError, IssueCode, formatPath } from "./errors/index.js";
export type { JicengIssue, IssuePath, SafeResult, Text } from "./errors/index.js";

// Packs
export { loadPack, safeLoadPack, isLoadedPack } from "./pack/load.js";
export type { LoadPackOptions } from "./pack/load.js";
export { RulePackSchema } from "./pack/schema.js";
export { GradingRuleSchema } from "./grading/schema.js";
export { NumberingSchema } from "./numbering/schema.js";
export { LifecycleSchema, EscalationSchema } from "./lifecycle/schema.js";
export { CalendarSchema } from "./calendar/schema.js";
export { CiteSchema, FactSchema, FactConditionSchema, LevelSchema, PeriodSchema, WarnSchema } from "./vocabulary/index.js";
export type { RulePack, RulePackInput } from "./pack/schema.js";
export type { GradingRule } from "./grading/schema.js";
export type { NumberingDef } from "./numbering/schema.js";
export type { LifecycleDef, EscalationDef, AssignmentField } from "./lifecycle/schema.js";
export type {
  Cite, FactDef, FactType, LevelDef, Period, PeriodUnit, Warn,
  Condition, TopLevelCondition, FactCondition, AllCondition, AnyCondition, NotCondition, ConditionReference,
} from "./vocabulary/index.js";
export { RULE_PACK_SCHEMA_ID, RULE_PACK_SCHEMA_PATH, rulePackJsonSchema } from "./pack/json-schema.js";
export { packSkeleton } from "./pack/skeleton.js";
export type { PackSkeletonOptions } from "./pack/skeleton.js";
export { lintPack, lintEngineeringChoices } from "./cli/lint.js";
export { findUnreachableRules } from "./cli/lint-rules.js";

// Engine
export { createEngine } from "./engine/engine.js";
export type { CreateEngineInput, RulePackJson } from "./engine/engine.js";
export type { Engine, EngineOptions, Assessment, LevelDeadline, CaseFacts, WithWarnings } from "./engine/engine.js";
export type { CaseOptions, ValidCase } from "./engine/cases.js";
export type { PackTypes, UntypedPackTypes, TypedPack, TypedEngine, TypesOf, EngineFor } from "./engine/typed.js";
export { packTypeDeclarations, type PackTypesOptions } from "./pack/types.js";

// Conditions
export { compileCondition } from "./conditions/compile.js";
export type { CompiledCondition, ConditionTrace } from "./conditions/compile.js";
export { buildFactIndex, validateCaseFacts } from "./conditions/facts.js";
export { checkCondition, checkNamedConditions, CONDITION_LIMITS } from "./conditions/check.js";
export type { CheckContext, ConditionLimits } from "./conditions/check.js";
export { checkFacts } from "./conditions/facts.js";
export type { FactIndex, FactEntry, FactValue } from "./conditions/facts.js";
export type { CompileContext } from "./conditions/compile.js";

// Decision tables
export { compileTable, evaluateTable, checkTable, analyzeTable, analyzeTables, fastCheckSearch, createClassifier, compilePackTables, checkPackTables, describeTableTrace, DERIVATIONS } from "./tables/index.js";
export type {
  CompiledTable, CompiledRow, TableContext, TableEvaluation, TableHit, TableFallback, TableResult, TableProvenance,
  DecisionTable, DecisionTableInput, TableRow, TableDefault, YearListDef, DeriveDef, HitPolicy, DeriveFunction,
  AnalyzeOptions, TableAnalysis, TableFinding, FindingCase, AnalysisDimension, IndexSearch, Classifier, Classification, TableReason,
} from "./tables/index.js";

// Units (structure checks)
export { checkUnits, checkUnitsSection } from "./units/index.js";
export type { UnitInput, UnitViolation, UnitsReport, UnitsDef, UnitKindDef, UnitMeasureDef, UnitHeadDef } from "./units/index.js";

// Grading
export { compileGrading } from "./grading/grade.js";
export type { CompiledGrading, GradeResult, GradeReason, GradeExplanation, RejectedLevel, ScoreBreakdown } from "./grading/grade.js";
export type { ScoreDef, ScorePointsDef, ScoreThresholdDef } from "./grading/schema.js";

// Routing
export { compileRouting } from "./routing/route.js";
export type { CompiledRouting, RouteResult } from "./routing/route.js";
export type { RoutingDef } from "./routing/schema.js";
export { describeReason, describeTrace } from "./grading/describe.js";

// Calendar
export { createCalendar, computeDeadline, computeWarnAt, CN_STATE_COUNCIL, parseSchedule, safeParseSchedule, holidayScheduleJsonSchema, HolidayScheduleSchema, festivalDates, statutoryDays, provisionalYear, FESTIVALS, FESTIVAL_NAMES, formatLocalDate, parseLocalDate, DEFAULT_TIMEZONE, formatInstant, localDate, parseInstant, startOfLocalDay, toLocalDateTime } from "./calendar/index.js";
export type { Calendar, CalendarOptions, CalendarYear, BeyondSchedule, ScheduleSource, DayInfo, DayKind, OutOfRange, HolidayDataset, HolidaySchedule, HolidayScheduleInput, ScheduleResult, Festival, FestivalDates, MakeUpRule, ProvisionalDay, Deadline, DeadlineOptions, DeadlinePeriod, DeadlineWarning, WarnTime, LocalDateTime } from "./calendar/index.js";

// Numbering
export { compileTemplate, checkTemplate, formatCaseNumber, parseCaseNumber, scopeKey, isValidCaseNumber, createMemoryAllocator, allocateCaseNumber } from "./numbering/index.js";
export type { NumberTemplate, TemplateToken, DateField, NumberingInput, SequenceLimit, CaseNumberParts, ScopeParts, ParsedCaseNumber, SequenceAllocator, MemoryAllocator } from "./numbering/index.js";

// Lifecycle
export { CaseEventSchema, IntakeEventSchema, AssignEventSchema } from "./lifecycle/events.js";
export type { CaseEvent, CaseEventType, IntakeEvent, AssignEvent } from "./lifecycle/events.js";
export type { CaseSnapshot, Lifecycle } from "./lifecycle/lifecycle.js";
export type { CaseContext, CaseState, HistoryEntry, EscalationRecord, ReportRecord, Assignment, CaseRoute, ReturnRecord, RectificationRecord, ReviewRecord, SupervisionRecord } from "./lifecycle/machine.js";
export type { ChecklistDef, RectificationDef, ReviewsDef, TimeLimitDef, SelfCloseDef, RectificationField } from "./lifecycle/schema.js";
export { sweep, agenda, caseListRow, statusOf, stageOf, isTerminated } from "./lifecycle/views.js";
export { nextTickAt } from "./lifecycle/offer.js";
export { caseSnapshotSchema, caseSnapshotJsonSchema } from "./lifecycle/snapshot.js";
export type { SnapshotCheckOptions } from "./lifecycle/snapshot.js";
export type { AllowedEvent } from "./lifecycle/offer.js";
export type { SweepResult, SweepOptions, Agenda, AgendaKind, CaseListRow, CaseStatus } from "./lifecycle/views.js";

// Scoring
export { scoreCases, compileScoring, compositeScore, parsePeriod, previousYear, monthsOf, ScoringSchema, CaseTestSchema, AssessmentsInputSchema, formatDecimal, formatPercent } from "./scoring/index.js";
export { scorecardCsv, scorecardHtml } from "./scoring/index.js";
export type {
  Scorecard, ScoreOptions, CompiledScoring, KpiValue, KpiInfo, Change, TargetResult, TrendResult, UnitScore, IndicatorScore, AssessorScore, SubjectScore,
  AssessmentResult, PersonScore, TeamScore, TeamResult, PeriodInfo, Provenance, AssessmentsInput, ScoringPeriod, PeriodKind,
  ScoringDef, KpiDef, TargetDef, TrendDef, AssessmentDef, AssessorDef, IndicatorDef, GradeBandDef, PersonsDef, CaseTest, CaseEventKind, When, EscalationDecision,
} from "./scoring/index.js";
