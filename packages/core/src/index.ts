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

import { guarded } from "./engine/arguments.js";
import { formatPath as formatPath_ } from "./errors/index.js";
import { findUnreachableRules as findUnreachableRules_ } from "./cli/lint-rules.js";
import { packTypeDeclarations as packTypeDeclarations_ } from "./pack/types.js";
import { compileCondition as compileCondition_ } from "./conditions/compile.js";
import { buildFactIndex as buildFactIndex_, validateCaseFacts as validateCaseFacts_, checkFacts as checkFacts_ } from "./conditions/facts.js";
import { checkCondition as checkCondition_, checkNamedConditions as checkNamedConditions_ } from "./conditions/check.js";
import { analyzeTable as analyzeTable_, analyzeTables as analyzeTables_, createClassifier as createClassifier_, compilePackTables as compilePackTables_, checkPackTables as checkPackTables_, describeTableTrace as describeTableTrace_ } from "./tables/index.js";
import { checkUnitsSection as checkUnitsSection_ } from "./units/index.js";
import { compileGrading as compileGrading_ } from "./grading/grade.js";
import { compileRouting as compileRouting_ } from "./routing/route.js";
import { describeReason as describeReason_, describeTrace as describeTrace_ } from "./grading/describe.js";
import { festivalDates as festivalDates_, statutoryDays as statutoryDays_, provisionalYear as provisionalYear_, formatLocalDate as formatLocalDate_, parseLocalDate as parseLocalDate_, formatInstant as formatInstant_, localDate as localDate_, parseInstant as parseInstant_, startOfLocalDay as startOfLocalDay_, toLocalDateTime as toLocalDateTime_ } from "./calendar/index.js";
import { compileTemplate as compileTemplate_, checkTemplate as checkTemplate_, createMemoryAllocator as createMemoryAllocator_ } from "./numbering/index.js";
import { checkSnapshot as checkSnapshot_, caseSnapshotJsonSchema as caseSnapshotJsonSchema_ } from "./lifecycle/snapshot.js";
import { compositeScore as compositeScore_, parsePeriod as parsePeriod_, previousYear as previousYear_, monthsOf as monthsOf_, formatDecimal as formatDecimal_, formatPercent as formatPercent_, scorecardCsv as scorecardCsv_, scorecardHtml as scorecardHtml_ } from "./scoring/index.js";

import { packSkeleton as packSkeleton_ } from "./pack/skeleton.js";
import { compileTable as compileTable_ } from "./tables/index.js";
import { evaluateTable as evaluateTable_ } from "./tables/index.js";
import { checkTable as checkTable_ } from "./tables/index.js";
import { checkUnits as checkUnits_ } from "./units/index.js";
import { createCalendar as createCalendar_ } from "./calendar/index.js";
import { parseSchedule as parseSchedule_ } from "./calendar/index.js";
import { safeParseSchedule as safeParseSchedule_ } from "./calendar/index.js";
import { scoreCases as scoreCases_ } from "./scoring/index.js";
// Errors
export { JicengError, isJicengError, IssueCode } from "./errors/index.js";
export type { JicengIssue, IssuePath, SafeResult, Text } from "./errors/index.js";

// Packs
export { loadPack, safeLoadPack, isLoadedPack } from "./pack/load.js";
export type { LoadPackOptions } from "./pack/load.js";
export { PACK_LIMITS, prescanPack } from "./pack/prescan.js";
export type { PackLimits } from "./pack/prescan.js";
export { compilePack } from "./pack/compile-pack.js";
import { compiledPackModule as compiledPackModule_ } from "./pack/compile-pack.js";
export { isCompiledPack, COMPILED_PACK_FORMAT } from "./pack/compiled.js";
import { readCompiledPack as readCompiledPack_ } from "./pack/compiled.js";
export type { CompiledPack, CompiledCode } from "./pack/compiled.js";
export type { CompiledPackModuleOptions } from "./pack/compile-pack.js";
export { CORE_VERSION } from "./vocabulary/version.js";
// zod is a private dependency: no zod schema object is exported. The contract an app can hold is
// the JSON Schemas (shipped in schema/, and the *JsonSchema functions) and the validating
// functions (loadPack / safeLoadPack, parseSchedule, engine.validateCase, checkSnapshot…).
export type { RulePack, RulePackInput } from "./pack/schema.js";
export type { GradingRule } from "./grading/schema.js";
export type { NumberingDef } from "./numbering/schema.js";
export type { LifecycleDef, EscalationDef, AssignmentField } from "./lifecycle/schema.js";
export type {
  Cite, FactDef, FactType, LevelDef, Period, PeriodUnit, Warn,
  Condition, TopLevelCondition, FactCondition, AllCondition, AnyCondition, NotCondition, ConditionReference,
} from "./vocabulary/index.js";
export { RULE_PACK_SCHEMA_ID, RULE_PACK_SCHEMA_PATH } from "./pack/schema-path.js";
export type { PackSkeletonOptions } from "./pack/skeleton.js";
export { lintPack, lintEngineeringChoices } from "./cli/lint.js";

// Engine
export { createEngine } from "./engine/engine.js";
export type { CreateEngineInput, RulePackJson } from "./engine/engine.js";
export type { Engine, EngineOptions, Assessment, LevelDeadline, CaseFacts, WithWarnings } from "./engine/engine.js";
export type { CaseOptions, ValidCase } from "./engine/cases.js";
export type { PackTypes, UntypedPackTypes, TypedPack, TypedEngine, TypesOf, EngineFor } from "./engine/typed.js";
export { type PackTypesOptions } from "./pack/types.js";

// Conditions
export type { CompiledCondition, ConditionTrace } from "./conditions/compile.js";
export { CONDITION_LIMITS } from "./conditions/check.js";
export type { CheckContext, ConditionLimits } from "./conditions/check.js";
export type { FactIndex, FactEntry, FactValue } from "./conditions/facts.js";
export type { CompileContext } from "./conditions/compile.js";

// Decision tables
export { fastCheckSearch, DERIVATIONS } from "./tables/index.js";
export type {
  CompiledTable, CompiledRow, TableContext, TableEvaluation, TableHit, TableFallback, TableResult, TableProvenance,
  DecisionTable, DecisionTableInput, TableRow, TableDefault, YearListDef, DeriveDef, HitPolicy, DeriveFunction,
  AnalyzeOptions, TableAnalysis, TableFinding, FindingCase, AnalysisDimension, IndexSearch, Classifier, Classification, TableReason,
} from "./tables/index.js";

// Units (structure checks)
export type { UnitInput, UnitViolation, UnitsReport, UnitsDef, UnitKindDef, UnitMeasureDef, UnitHeadDef } from "./units/index.js";

// Grading
export type { CompiledGrading, GradeResult, GradeReason, GradeExplanation, RejectedLevel, ScoreBreakdown } from "./grading/grade.js";
export type { ScoreDef, ScorePointsDef, ScoreThresholdDef } from "./grading/schema.js";

// Routing
export type { CompiledRouting, RouteResult } from "./routing/route.js";
export type { RoutingDef } from "./routing/schema.js";

// Calendar
export { computeDeadline, computeWarnAt, CN_STATE_COUNCIL, holidayScheduleJsonSchema, FESTIVALS, FESTIVAL_NAMES, DEFAULT_TIMEZONE } from "./calendar/index.js";
export type { Calendar, CalendarOptions, CalendarYear, BeyondSchedule, ScheduleSource, DayInfo, DayKind, OutOfRange, HolidayDataset, HolidaySchedule, HolidayScheduleInput, ScheduleResult, Festival, FestivalDates, MakeUpRule, ProvisionalDay, Deadline, DeadlineOptions, DeadlinePeriod, DeadlineWarning, WarnTime, LocalDateTime } from "./calendar/index.js";

// Numbering
export { formatCaseNumber, parseCaseNumber, scopeKey, isValidCaseNumber, allocateCaseNumber } from "./numbering/index.js";
export type { NumberTemplate, TemplateToken, DateField, NumberingInput, SequenceLimit, CaseNumberParts, ScopeParts, ParsedCaseNumber, SequenceAllocator, MemoryAllocator } from "./numbering/index.js";

// Lifecycle
export { caseEventJsonSchema } from "./lifecycle/events.js";
export type { CaseEvent, CaseEventType, IntakeEvent, AssignEvent } from "./lifecycle/events.js";
export type { CaseSnapshot, Lifecycle } from "./lifecycle/lifecycle.js";
export type { CaseContext, CaseState, HistoryEntry, StoredHistoryEntry, HistoryParams, HistoryType, EscalationRecord, ReportRecord, Assignment, CaseRoute, ReturnRecord, RectificationRecord, ReviewRecord, SupervisionRecord } from "./lifecycle/machine.js";
export type { ChecklistDef, RectificationDef, ReviewsDef, TimeLimitDef, SelfCloseDef, RectificationField } from "./lifecycle/schema.js";
export { sweep, SWEEP_LISTS, agenda, caseListRow, statusOf, stageOf, isTerminated } from "./lifecycle/views.js";
export { nextTickAt } from "./lifecycle/offer.js";
export type { SnapshotCheckOptions } from "./lifecycle/snapshot.js";
export type { StoredInstant } from "./lifecycle/context.js";
export { SNAPSHOT_FORMAT } from "./lifecycle/history.js";
export type { AllowedEvent } from "./lifecycle/offer.js";
export type { SweepResult, SweepResultOf, SweepList, SweepOptions, Agenda, AgendaKind, CaseListRow, CaseStatus } from "./lifecycle/views.js";

// Scoring
export { compileScoring } from "./scoring/index.js";
export type {
  Scorecard, ScoreOptions, CompiledScoring, KpiValue, KpiInfo, Change, TargetResult, TrendResult, UnitScore, IndicatorScore, AssessorScore, SubjectScore,
  AssessmentResult, PersonScore, TeamScore, TeamResult, PeriodInfo, Provenance, AssessmentsInput, ScoringPeriod, PeriodKind,
  ScoringDef, KpiDef, TargetDef, TrendDef, AssessmentDef, AssessorDef, IndicatorDef, GradeBandDef, PersonsDef, CaseTest, CaseEventKind, When, EscalationDecision,
} from "./scoring/index.js";

// Functions whose arguments are checked before they are read (engine/arguments.ts): a wrong-typed
// argument is an INVALID_ARGUMENT at its name, never a raw TypeError.
/** @function */
export const formatPath: typeof formatPath_ = guarded("formatPath", formatPath_, [["path", "path"]]);
/** @function */
export const findUnreachableRules: typeof findUnreachableRules_ = guarded("findUnreachableRules", findUnreachableRules_, [["pack", "pack"]]);
/** @function */
export const packTypeDeclarations: typeof packTypeDeclarations_ = guarded("packTypeDeclarations", packTypeDeclarations_, [["pack", "pack"], ["options", "object", "optional"]]);
/** @function */
export const compileCondition: typeof compileCondition_ = guarded("compileCondition", compileCondition_, [["cond", "any"], ["ctx", "object"], ["path", "path", "optional"]]);
/** @function */
export const buildFactIndex: typeof buildFactIndex_ = guarded("buildFactIndex", buildFactIndex_, [["facts", "array"]]);
/** @function */
export const validateCaseFacts: typeof validateCaseFacts_ = guarded("validateCaseFacts", validateCaseFacts_, [["index", "facts"], ["input", "any"], ["path", "path", "optional"]]);
/** @function */
export const checkCondition: typeof checkCondition_ = guarded("checkCondition", checkCondition_, [["cond", "any"], ["ctx", "object"], ["path", "path", "optional"]]);
/** @function */
export const checkNamedConditions: typeof checkNamedConditions_ = guarded("checkNamedConditions", checkNamedConditions_, [["ctx", "object"]]);
/** @function */
export const checkFacts: typeof checkFacts_ = guarded("checkFacts", checkFacts_, [["facts", "array"], ["path", "path", "optional"]]);
/** @function */
export const analyzeTable: typeof analyzeTable_ = guarded("analyzeTable", analyzeTable_, [["table", "table"], ["options", "object", "optional"]]);
/** @function */
export const analyzeTables: typeof analyzeTables_ = guarded("analyzeTables", analyzeTables_, [["pack", "pack"], ["options", "object", "optional"]]);
/** @function */
export const createClassifier: typeof createClassifier_ = guarded("createClassifier", createClassifier_, [["pack", "pack"]]);
/** @function */
export const compilePackTables: typeof compilePackTables_ = guarded("compilePackTables", compilePackTables_, [["pack", "pack"]]);
/** @function */
export const checkPackTables: typeof checkPackTables_ = guarded("checkPackTables", checkPackTables_, [["pack", "pack"]]);
/** @function */
export const describeTableTrace: typeof describeTableTrace_ = guarded("describeTableTrace", describeTableTrace_, [["trace", "object"], ["facts", "facts"], ["want", "boolean", "optional"]]);
/** @function */
export const checkUnitsSection: typeof checkUnitsSection_ = guarded("checkUnitsSection", checkUnitsSection_, [["def", "object"], ["path", "path", "optional"]]);
/** @function */
export const compileGrading: typeof compileGrading_ = guarded("compileGrading", compileGrading_, [["pack", "pack"], ["options", "object", "optional"]]);
/** @function */
export const compileRouting: typeof compileRouting_ = guarded("compileRouting", compileRouting_, [["pack", "pack"], ["table", "table"]]);
/** @function */
export const describeReason: typeof describeReason_ = guarded("describeReason", describeReason_, [["pack", "pack"], ["reason", "object"]]);
/** @function */
export const describeTrace: typeof describeTrace_ = guarded("describeTrace", describeTrace_, [["pack", "pack"], ["trace", "object"], ["want", "boolean", "optional"]]);
/** @function */
export const festivalDates: typeof festivalDates_ = guarded("festivalDates", festivalDates_, [["year", "int"]]);
/** @function */
export const statutoryDays: typeof statutoryDays_ = guarded("statutoryDays", statutoryDays_, [["year", "int"]]);
/** @function */
export const provisionalYear: typeof provisionalYear_ = guarded("provisionalYear", provisionalYear_, [["year", "int"], ["rule", "object", "optional"]]);
/** @function */
export const formatLocalDate: typeof formatLocalDate_ = guarded("formatLocalDate", formatLocalDate_, [["day", "int"], ["path", "path", "optional"]]);
/** @function */
export const parseLocalDate: typeof parseLocalDate_ = guarded("parseLocalDate", parseLocalDate_, [["date", "string"], ["path", "path", "optional"]]);
/** @function */
export const formatInstant: typeof formatInstant_ = guarded("formatInstant", formatInstant_, [["ms", "number"], ["timeZone", "string", "optional"], ["path", "path", "optional"]]);
/** @function */
export const localDate: typeof localDate_ = guarded("localDate", localDate_, [["instant", "time"], ["timeZone", "string", "optional"], ["path", "path", "optional"]]);
/** @function */
export const parseInstant: typeof parseInstant_ = guarded("parseInstant", parseInstant_, [["text", "string"], ["path", "path", "optional"]]);
/** @function */
export const startOfLocalDay: typeof startOfLocalDay_ = guarded("startOfLocalDay", startOfLocalDay_, [["day", "int"], ["timeZone", "string", "optional"], ["path", "path", "optional"]]);
/** @function */
export const toLocalDateTime: typeof toLocalDateTime_ = guarded("toLocalDateTime", toLocalDateTime_, [["instant", "time"], ["timeZone", "string", "optional"], ["path", "path", "optional"]]);
/** @function */
export const compileTemplate: typeof compileTemplate_ = guarded("compileTemplate", compileTemplate_, [["template", "string"], ["path", "path", "optional"]]);
/** @function */
export const checkTemplate: typeof checkTemplate_ = guarded("checkTemplate", checkTemplate_, [["numbering", "object"], ["path", "path", "optional"]]);
/** @function */
export const createMemoryAllocator: typeof createMemoryAllocator_ = guarded("createMemoryAllocator", createMemoryAllocator_, [["initial", "any"]]);
/** @function */
export const checkSnapshot: typeof checkSnapshot_ = guarded("checkSnapshot", checkSnapshot_, [["snapshot", "any"], ["pack", "pack", "optional"], ["options", "object", "optional"]]);
/** @function */
export const caseSnapshotJsonSchema: typeof caseSnapshotJsonSchema_ = guarded("caseSnapshotJsonSchema", caseSnapshotJsonSchema_, [["pack", "pack", "optional"]]);
/** @function */
export const compositeScore: typeof compositeScore_ = guarded("compositeScore", compositeScore_, [["parts", "array"]]);
/** @function */
export const parsePeriod: typeof parsePeriod_ = guarded("parsePeriod", parsePeriod_, [["text", "string"], ["options", "object", "optional"]]);
/** @function */
export const previousYear: typeof previousYear_ = guarded("previousYear", previousYear_, [["period", "object"]]);
/** @function */
export const monthsOf: typeof monthsOf_ = guarded("monthsOf", monthsOf_, [["period", "object"]]);
/** @function */
export const formatDecimal: typeof formatDecimal_ = guarded("formatDecimal", formatDecimal_, [["value", "object"], ["decimals", "int"]]);
/** @function */
export const formatPercent: typeof formatPercent_ = guarded("formatPercent", formatPercent_, [["value", "object"], ["decimals", "int"]]);
/** @function */
export const scorecardCsv: typeof scorecardCsv_ = guarded("scorecardCsv", scorecardCsv_, [["card", "object"], ["options", "object", "optional"]]);
/** @function */
export const scorecardHtml: typeof scorecardHtml_ = guarded("scorecardHtml", scorecardHtml_, [["card", "object"]]);
/** @function */
export const packSkeleton: typeof packSkeleton_ = guarded("packSkeleton", packSkeleton_, [["options", "object", "optional"]]);
/** @function */
export const compileTable: typeof compileTable_ = guarded("compileTable", compileTable_, [["table", "any"], ["ctx", "object", "optional"]]);
/** @function */
export const evaluateTable: typeof evaluateTable_ = guarded("evaluateTable", evaluateTable_, [["table", "any"], ["facts", "any"], ["ctx", "object", "optional"]]);
/** @function */
export const checkTable: typeof checkTable_ = guarded("checkTable", checkTable_, [["table", "any"], ["ctx", "object", "optional"]]);
/** @function */
export const checkUnits: typeof checkUnits_ = guarded("checkUnits", checkUnits_, [["def", "object"], ["units", "any"]]);
/** @function */
export const createCalendar: typeof createCalendar_ = guarded("createCalendar", createCalendar_, [["options", "object", "optional"]]);
/** @function */
export const parseSchedule: typeof parseSchedule_ = guarded("parseSchedule", parseSchedule_, [["raw", "any"], ["path", "path", "optional"]]);
/** @function */
export const safeParseSchedule: typeof safeParseSchedule_ = guarded("safeParseSchedule", safeParseSchedule_, [["raw", "any"], ["path", "path", "optional"]]);
/** @function */
export const scoreCases: typeof scoreCases_ = guarded("scoreCases", scoreCases_, [["pack", "object"], ["snapshots", "any"], ["period", "any"], ["options", "object", "optional"]]);
/** @function */
export const compiledPackModule: typeof compiledPackModule_ = guarded("compiledPackModule", compiledPackModule_, [["compiled", "object"], ["format", "string"]]);
/** @function */
export const readCompiledPack: typeof readCompiledPack_ = guarded("readCompiledPack", readCompiledPack_, [["compiled", "object"]]);
