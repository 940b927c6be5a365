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
 * @packageDocumentation
 */

// Errors
export { JicengError, isJicengError, IssueCode, formatPath } from "./errors/index.js";
export type { JicengIssue, IssuePath, SafeResult, Text } from "./errors/index.js";

// Packs
export { loadPack, safeLoadPack, isLoadedPack } from "./pack/load.js";
export type { LoadPackOptions } from "./pack/load.js";
export { RulePackSchema } from "./pack/schema.js";
export type {
  RulePack, RulePackInput, Cite, FactDef, FactType, LevelDef, GradingRule, NumberingDef, Period, PeriodUnit, Warn,
  Condition, TopLevelCondition, FactCondition, AllCondition, AnyCondition, NotCondition, ConditionReference,
  LifecycleDef, EscalationDef, AssignmentField,
} from "./pack/schema.js";
export { rulePackJsonSchema } from "./pack/json-schema.js";
export { lintPack } from "./cli/lint.js";

// Engine
export { createEngine } from "./engine/engine.js";
export type { Engine, EngineOptions, Assessment, LevelDeadline } from "./engine/engine.js";

// Conditions
export { compileCondition } from "./conditions/compile.js";
export type { CompiledCondition, ConditionTrace } from "./conditions/compile.js";
export { buildFactIndex, validateCaseFacts } from "./conditions/facts.js";
export { checkCondition } from "./conditions/check.js";

// Grading
export { compileGrading } from "./grading/grade.js";
export type { CompiledGrading, GradeResult, GradeReason, GradeExplanation, RejectedLevel } from "./grading/grade.js";
export { describeReason, describeTrace } from "./grading/describe.js";

// Calendar
export { createCalendar, computeDeadline, computeWarnAt } from "./calendar/index.js";
export type { Calendar, Deadline } from "./calendar/index.js";

// Numbering
export { compileTemplate, checkTemplate, formatCaseNumber, parseCaseNumber, scopeKey, isValidCaseNumber, createMemoryAllocator, allocateCaseNumber } from "./numbering/index.js";
export type { NumberTemplate, CaseNumberParts, ScopeParts, ParsedCaseNumber, SequenceAllocator, MemoryAllocator } from "./numbering/index.js";

// Lifecycle
export { CaseEventSchema } from "./lifecycle/events.js";
export type { CaseEvent, CaseEventType, IntakeEvent, AssignEvent } from "./lifecycle/events.js";
export type { CaseSnapshot, Lifecycle } from "./lifecycle/lifecycle.js";
export type { CaseContext, CaseState, HistoryEntry, EscalationRecord, ReportRecord, Assignment } from "./lifecycle/machine.js";
export { sweep, agenda, caseListRow, statusOf } from "./lifecycle/views.js";
export type { SweepResult, Agenda, AgendaKind, CaseListRow } from "./lifecycle/views.js";
