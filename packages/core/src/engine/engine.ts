import { createCalendar, computeDeadline, computeWarnAt, type BeyondSchedule, type Calendar, type Deadline, type ScheduleSource } from "../calendar/index.js";
import { IssueCode, JicengError, fail, isJicengError, type Text } from "../errors/index.js";
import { compileGrading, type GradeExplanation, type GradeReason, type GradeResult } from "../grading/grade.js";
import { loadPack, type LoadPackOptions } from "../pack/load.js";
import type { RulePack, RulePackInput } from "../pack/schema.js";
import type { LevelDef } from "../vocabulary/index.js";
import { compileTemplate, formatCaseNumber, parseCaseNumber, type NumberTemplate, type ParsedCaseNumber, type CaseNumberParts } from "../numbering/index.js";
import { readFact, buildFactIndex } from "../conditions/facts.js";
import { formatInstant, localDate, startOfLocalDay } from "../calendar/timezone.js";
import { parseLocalDate } from "../calendar/days.js";
import type { CaseEvent, IntakeEvent } from "../lifecycle/events.js";
import { createCalendarBasis } from "../lifecycle/recalendar.js";
import { createLifecycle, type CaseSnapshot, type Lifecycle } from "../lifecycle/lifecycle.js";
import { agenda, caseListRow, statusOf, sweep, type Agenda, type AgendaKind, type CaseListRow, type SweepResult } from "../lifecycle/views.js";
import { admitTableInput, createClassifier, type Classification } from "../tables/classify.js";
import { compileRouting, type RouteResult } from "../routing/route.js";
import { compileCondition } from "../conditions/compile.js";
import { checkUnits, type UnitsReport } from "../units/check.js";
import { compileScoring, scoreCases, type CompiledScoring, type ScoreOptions, type Scorecard } from "../scoring/score.js";
import { allowedEvents, nextTickAt, type AllowedEvent } from "../lifecycle/offer.js";
import { scopeKey } from "../numbering/format.js";
import type { ScoringPeriod } from "../scoring/period.js";
import { generateCleanCheck } from "../conditions/codegen.js";
import { caseOptions, createCaseGate, type CaseOptions, type ValidCase } from "./cases.js";
import type { JicengIssue } from "../errors/index.js";
import type { EngineFor } from "./typed.js";

/** Options for {@link createEngine}. */
export interface EngineOptions extends LoadPackOptions {
  /**
   * Run grading as generated JavaScript when the runtime allows code generation (default `true`);
   * `false` keeps the compiled closures. Where code generation is refused (a CSP without
   * `unsafe-eval`, Cloudflare Workers) the closures are used either way.
   */
  generateCode?: boolean;
  /** Refuse case fields the pack does not declare in every call (see {@link CaseOptions}). Default `false`: ignored with a warning. */
  strict?: boolean;
  /**
   * Run `transition` / `replay` with the interpreter of the (flat) case machine, read from the
   * XState machine's own definition (default `true`); `false` runs XState's `transition()`.
   */
  interpretMachine?: boolean;
  /**
   * Holiday schedules published after this release (schedule files, validated strictly), whether
   * a loaded year may replace a shipped one, and what to do past the last one (overrides the
   * pack's `calendar.beyondSchedule`).
   */
  calendar?: { schedules?: readonly ScheduleSource[]; override?: boolean; beyondSchedule?: BeyondSchedule };
}

/** Case facts given to the engine: any value (it is validated), or a {@link ValidCase} this engine made (trusted as is). */
export type CaseFacts = Record<string, unknown> | ValidCase;

/** A result that may carry warnings about the case (unknown fields ignored, with the nearest declared name). */
export interface WithWarnings {
  /** Present when the case had fields the pack does not declare (INVALID_CASE warnings). */
  warnings?: JicengIssue[];
}

/** Deadline of a level counted from an instant: `dueAt` is the instant the case becomes overdue. */
export interface LevelDeadline extends Deadline {
  level: string;
  warnAt?: string;
  warnAtMs?: number;
}

/** Grade + deadline for a case at intake. */
export interface Assessment extends GradeResult, WithWarnings {
  receivedAt: string;
  dueAt: string;
  warnAt?: string;
  deadline: LevelDeadline;
  /** The deadline (and warning time) counted on the provisional calendar: see `deadline.warnings`. */
  provisional?: true;
}

/** The engine built from one pack: compiled once, then pure and synchronous. */
export interface Engine {
  readonly pack: RulePack;
  readonly calendar: Calendar;
  /**
   * Level and reasons (rule id, cite, conditions that held). The case is validated first, as
   * `start` does: not a plain object → INVALID_CASE; a wrong value, or a declared container that is
   * not an object → INVALID_FACT at its path; unknown fields → `warnings` (refused when strict).
   */
  grade(facts: CaseFacts, options?: CaseOptions): GradeResult & WithWarnings;
  /** Fast path for bulk grading: the level id only (validated like {@link Engine.grade}; a {@link ValidCase} is not checked again). */
  gradeLevel(facts: CaseFacts, options?: CaseOptions): string;
  /** Like {@link Engine.grade}, plus why each more severe level did not apply. */
  explain(facts: CaseFacts, options?: CaseOptions): GradeExplanation & WithWarnings;
  /**
   * Validate case facts once, for the trusted fast path: returns a frozen copy holding the declared
   * facts only, which this engine's `grade`, `gradeLevel`, `explain`, `assess`, `route` and
   * `numberCase` then read without checking again. Throws INVALID_CASE / INVALID_FACT (and, strict,
   * INVALID_CASE for unknown fields); unknown fields are otherwise dropped (see {@link Engine.checkCase}).
   *
   * @example
   * const valid = engine.validateCase(JSON.parse(body));
   * for (let i = 0; i < 1e6; i++) engine.gradeLevel(valid); // no validation per call
   */
  validateCase(facts: unknown, options?: CaseOptions): ValidCase;
  /** Every issue of a case's facts (errors and unknown-field warnings with did-you-mean); never throws for the facts. */
  checkCase(facts: unknown, options?: CaseOptions): JicengIssue[];
  /** True for a {@link ValidCase} made by this engine. */
  isValidCase(facts: unknown): facts is ValidCase;
  /** The deadline of a level counted from `from` (ISO 8601 with offset). */
  deadline(level: string, from: string | Date): LevelDeadline;
  /** Grade a case and time it from its start fact (`receivedAt` by default). */
  assess(facts: CaseFacts, options?: CaseOptions): Assessment;
  /** Format a case number from its parts (date as YYYY-MM-DD, codes, seq). */
  number(parts: CaseNumberParts): string;
  /** Format the number of a case from its facts and a sequence number. */
  numberCase(facts: CaseFacts, seq: number): string;
  /**
   * The number scope of a case (its counter's key) and the largest sequence the template holds,
   * so an app can take the next sequence from its own counter row before {@link Engine.start};
   * `null` when the pack defines no numbering. Throws MISSING_FACT / INVALID_NUMBER for bad parts.
   * @example engine.numberScope(facts); // { scope: "06200101**", max: 99 }
   */
  numberScope(facts: CaseFacts): { scope: string; max: number } | null;
  /** The earliest instant a tick can change the case (`null`: never); any tick before it is a no-op. */
  nextTickAt(snapshot: CaseSnapshot): string | null;
  /**
   * The events the case accepts at `at` (default: its last change), with what each form still
   * needs (what a case page offers). Pass the current time: an event after the deadline may be
   * allowed only because the case is overdue by then (e.g. Xiji's 整改).
   */
  allowedEvents(snapshot: CaseSnapshot, at?: string): AllowedEvent[];
  /** Parse a case number back into its parts. */
  parseNumber(text: string): ParsedCaseNumber;
  level(id: string): LevelDef;
  /** Take a case in: grade, number (if `seq` is given), time it. Returns its first snapshot. */
  start(intake: IntakeEvent): CaseSnapshot;
  /** Pure: the next snapshot, or a {@link JicengError} (EVENT_NOT_ALLOWED, INVALID_EVENT, MISSING_FIELDS…) leaving the input untouched. */
  transition(snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot;
  /** Fold an event log (starting with intake) into a snapshot. */
  replay(events: readonly CaseEvent[]): CaseSnapshot;
  /** The issues that would reject `event` now; empty if it would be accepted. */
  check(snapshot: CaseSnapshot, event: unknown): import("../errors/index.js").JicengIssue[];
  /** What is due soon, overdue, waiting for a decision, reported, at `now`. */
  sweep(snapshots: readonly CaseSnapshot[], now: string): SweepResult;
  /** The lists for the weekly / monthly / quarterly meeting containing `at`. */
  agenda(snapshots: readonly CaseSnapshot[], kind: AgendaKind, at: string): Agenda;
  /** The row of the problem / responsibility / assessment lists for a case. */
  listRow(snapshot: CaseSnapshot): CaseListRow;
  status(snapshot: CaseSnapshot): ReturnType<typeof statusOf>;
  /**
   * KPIs per unit and in total over a period (`2022Q3`, `2022-07`, `2022`, `from..to`), targets,
   * year-on-year change, the weighted assessment and person scores, per the pack's `scoring`.
   * @throws JicengError USAGE when the pack has no scoring section.
   */
  score(snapshots: readonly CaseSnapshot[], period: string | ScoringPeriod, options?: ScoreOptions): Scorecard;
  /**
   * Classify an entity with one of the pack's decision tables (e.g. Ankang's `households`): the
   * result, its `class` / `label` / `service`, and the reasons (row, clause, conditions that held).
   * @throws JicengError UNKNOWN_TABLE, INVALID_FACT, MISSING_FACT, TABLE_OVERLAP, NO_MATCH.
   */
  classify(tableId: string, facts: unknown, options?: CaseOptions): Classification & WithWarnings;
  /**
   * Check units (villages, grids…) against the pack's `units` section: every violation with the
   * unit id, the rule, its clause and the values seen.
   * @throws JicengError USAGE when the pack has no units section; INVALID_UNITS when `units` is not a list.
   */
  checkUnits(units: unknown): UnitsReport;
  /**
   * Route an item by the pack's `routing`: platform, lead department (or the coordinator for
   * multi-department items), cooperating departments, and the reasons (row, clause, conditions).
   * @throws JicengError USAGE when the pack has no routing; MISSING_FACT, INVALID_FACT, TABLE_OVERLAP.
   */
  route(facts: CaseFacts, options?: CaseOptions): RouteResult & WithWarnings;
  readonly lifecycle: Lifecycle;
}

/**
 * A pack as JSON: what a `pack.json` imported into TypeScript looks like (its strings are widened,
 * so it is not a {@link RulePackInput}). Only the required top-level fields are stated.
 */
export interface RulePackJson {
  readonly id: string;
  readonly version: string;
  readonly name: { readonly zh: string; readonly en: string };
  readonly source: { readonly documents: readonly object[] };
  readonly facts: readonly object[];
  readonly levels: readonly object[];
  readonly grading: object;
  readonly [field: string]: unknown;
}

/**
 * What {@link createEngine} takes: a pack as written, a pack `loadPack` returned, or a pack.json
 * imported as JSON. Every one is validated at run time; the static type catches what is plainly not
 * a pack, such as a module namespace object (`{ default, pack }`). A value typed `unknown` goes
 * through {@link loadPack} first.
 */
export type CreateEngineInput = RulePackInput | RulePack | RulePackJson;

/**
 * Builds an engine from a rule pack: validates it, compiles conditions, indexes the calendar,
 * compiles the number template. Throws a {@link JicengError} with every issue if the pack is invalid.
 * The pack is validated at run time whatever its static type (see {@link CreateEngineInput}).
 *
 * @example
 * import pack from "@jiceng/rules-guyuan";
 * const engine = createEngine(pack);
 * engine.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" });
 * // → { level: "yellow", dueAt: "2022-06-28T00:00:00+08:00", reasons: [...] }
 */
export function createEngine<P extends CreateEngineInput>(input: P, options?: EngineOptions): EngineFor<P>;
export function createEngine(input: CreateEngineInput, options: EngineOptions = {}): Engine {
  const pack = loadPack(input, options);
  const calendar = createCalendar({
    outOfRange: pack.calendar.outOfRange,
    beyondSchedule: options.calendar?.beyondSchedule ?? pack.calendar.beyondSchedule,
    ...(options.calendar?.schedules !== undefined ? { schedules: options.calendar.schedules } : {}),
    override: options.calendar?.override === true,
  });
  const grading = compileGrading(pack, options.generateCode === undefined ? {} : { generateCode: options.generateCode });
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  const template: NumberTemplate | undefined = pack.numbering ? compileTemplate(pack.numbering.template, ["numbering", "template"]) : undefined;
  const facts = buildFactIndex(pack.facts);
  const classifier = createClassifier(pack);
  const routingTable = pack.routing ? classifier.table(pack.routing.table) : undefined;
  const routing = pack.routing && routingTable ? compileRouting(pack, routingTable) : undefined;
  const conditionContext = { facts, named: pack.conditions, timeZone: pack.timezone };
  const timeLimits = (pack.lifecycle.timeLimits ?? []).map((x) => ({ def: x, when: compileCondition(x.when, conditionContext) }));
  const lifecycleConditions = {
    selfClose: pack.lifecycle.selfClose ? compileCondition(pack.lifecycle.selfClose.conditions, conditionContext) : undefined,
    reviews: pack.lifecycle.reviews?.appliesWhen ? compileCondition(pack.lifecycle.reviews.appliesWhen, conditionContext) : undefined,
  };
  const deadlineOptions = { calendar, timezone: pack.timezone, rollOverRestDays: pack.calendar.rollOverRestDays };

  const level = (id: string): LevelDef => {
    const l = levels.get(id);
    if (!l) fail(IssueCode.UNKNOWN_LEVEL, ["level"], `未知等级 "${id}"；已声明：${[...levels.keys()].join(", ")}`, `Unknown level "${id}"; declared: ${[...levels.keys()].join(", ")}`);
    return l;
  };
  const needTemplate = (): NumberTemplate => {
    if (!template) fail(IssueCode.USAGE, ["numbering"], "此规则包未定义编号规则", "This pack defines no numbering");
    return template;
  };
  const numberParts = (f: Record<string, unknown>, seq: number): CaseNumberParts => {
    needTemplate();
    gate.admit(f, undefined);
    const n = pack.numbering!;
    const parts: CaseNumberParts = { seq };
    if (n.date) {
      const fallback = n.date.fallback;
      let v: unknown;
      try {
        v = readFact(facts, f, n.date.fact);
      } catch (err) {
        if (fallback === undefined || !isJicengError(err) || err.issues[0]?.code !== IssueCode.MISSING_FACT) throw err;
        v = readFact(facts, f, fallback);
      }
      if (typeof v !== "string") fail(IssueCode.MISSING_FACT, ["facts", n.date.fact], `缺少编号日期事实 "${n.date.fact}"`, `Missing the numbering date fact "${n.date.fact}"`);
      parts.date = v.length === 10 ? v : localDate(v, pack.timezone);
    }
    for (const [name, ref] of Object.entries(n.parts)) {
      const v = readFact(facts, f, ref.fact);
      if (typeof v !== "string") fail(IssueCode.MISSING_FACT, ["facts", ref.fact], `缺少编号事实 "${ref.fact}"`, `Missing the numbering fact "${ref.fact}"`);
      parts[name] = v;
    }
    return parts;
  };

  const deadline = (id: string, from: string | Date): LevelDeadline => {
    const l = level(id);
    const d = computeDeadline(from, l.deadline, deadlineOptions);
    // One object literal per shape, keys in one order: a spread plus added keys gives results of
    // many hidden classes, and every later call takes V8's slow path (bench/ANALYSIS.md).
    // A provisional deadline (past the last loaded notice) is the rare shape: it carries its mark and warning.
    if (!l.warn) {
      const out: LevelDeadline = { dueAt: d.dueAt, dueAtMs: d.dueAtMs, startDay: d.startDay, lastDay: d.lastDay, rolledOver: d.rolledOver, explanation: d.explanation, level: id };
      return d.provisional ? { ...out, provisional: true, warnings: d.warnings ?? [] } : out;
    }
    const w = computeWarnAt(from, d, l.warn, deadlineOptions);
    const out: LevelDeadline = { dueAt: d.dueAt, dueAtMs: d.dueAtMs, startDay: d.startDay, lastDay: d.lastDay, rolledOver: d.rolledOver, explanation: d.explanation, level: id, warnAt: w.warnAt, warnAtMs: w.warnAtMs };
    return d.provisional ? { ...out, provisional: true, warnings: d.warnings ?? [] } : out;
  };

  const levelsByRank = [...pack.levels].sort((a, b) => a.rank - b.rank);
  // Compiled now so a broken scoring section is reported with the pack's other issues.
  const scoring: CompiledScoring | undefined = pack.scoring ? compileScoring(pack) : undefined;
  // The per-call check of a clean case as generated code, when the grading is generated too.
  const clean = grading.mode === "generated" ? generateCleanCheck(facts) : undefined;
  const gate = clean ? createCaseGate(facts, options.strict === true, clean) : createCaseGate(facts, options.strict === true);
  const levelChecked = options.strict === true ? undefined : grading.levelChecked;
  const validateFacts = (f: Record<string, unknown>) => {
    gate.admit(f, undefined);
  };
  const warned = <T extends object>(result: T, warnings: readonly JicengIssue[]): T & WithWarnings => {
    if (warnings.length) (result as WithWarnings).warnings = [...warnings];
    return result;
  };
  let lifecycle: Lifecycle;
  const numberCase = (f: Record<string, unknown>, seq: number) => engine.numberCase(f, seq);

  const engine: Engine = {
    pack,
    calendar,
    grade: (f, o) => {
      const w = gate.admit(f, o);
      return warned(grading.grade(f), w);
    },
    gradeLevel: (f, o) => {
      if (o === undefined && typeof f === "object" && f !== null) {
        if (gate.isValid(f)) return grading.levelFrozen(f);
        // Validation and grading in one generated pass; unknown fields only warn (not strict), and
        // gradeLevel returns no warnings, so they need not be looked at. Anything irregular: below.
        if (levelChecked !== undefined) {
          const l = levelChecked(f);
          if (l !== undefined) return l;
        }
      }
      gate.admit(f, o);
      // Admitted: every declared fact present holds a valid value, so it need not be checked again.
      return grading.levelTrusted(f);
    },
    explain: (f, o) => {
      const w = gate.admit(f, o);
      return warned(grading.explain(f), w);
    },
    validateCase: (f, o) => gate.validate(f, o),
    checkCase: (f, o) => gate.check(f, o),
    isValidCase: (f): f is ValidCase => gate.isValid(f),
    deadline,
    assess(f, o) {
      const w = gate.admit(f, o);
      const start = readFact(facts, f, pack.startFact);
      if (typeof start !== "string") fail(IssueCode.MISSING_FACT, ["facts", pack.startFact], `缺少期限起算事实 "${pack.startFact}"`, `Missing the start fact "${pack.startFact}"`);
      const g = grading.grade(f);
      const dl = deadline(g.level, start);
      const out: Assessment = { ...g, receivedAt: start, dueAt: dl.dueAt, deadline: dl };
      if (dl.warnAt) out.warnAt = dl.warnAt;
      if (dl.provisional) out.provisional = true;
      return warned(out, w);
    },
    number: (parts) => formatCaseNumber(needTemplate(), parts),
    numberCase: (f, seq) => formatCaseNumber(needTemplate(), numberParts(f, seq)),
    numberScope(f) {
      if (!template) return null;
      const { seq: _seq, ...parts } = numberParts(f, 1);
      return { scope: scopeKey(template, parts), max: template.maxSeq };
    },
    nextTickAt(snap) {
      const bad = lifecycle.check(snap, { type: "tick", at: snap?.context?.lastAt });
      if (bad.some((i) => i.code === IssueCode.INVALID_SNAPSHOT)) throw new JicengError(bad);
      return nextTickAt(snap);
    },
    allowedEvents: (snap, at) => allowedEvents(pack, snap, (s, e) => lifecycle.check(s, e), at),
    parseNumber: (text) => parseCaseNumber(needTemplate(), text),
    level,
    start: (e) => lifecycle.start(e),
    transition: (snap, e) => lifecycle.transition(snap, e),
    replay: (events) => lifecycle.replay(events),
    check: (snap, e) => lifecycle.check(snap, e),
    sweep: (snaps, now) => sweep(snaps, now, { pack, periodEnd: (period, from) => computeDeadline(from, period, deadlineOptions).dueAt }),
    agenda: (snaps, kind, at) => agenda(pack, snaps, kind, at),
    listRow: (snap) => caseListRow(pack, snap),
    status: (snap) => statusOf(pack, snap),
    score: (snaps, period, opts) => scoreCases(scoring ?? pack, snaps, period, opts),
    classify: (tableId, f, o) => classifier.classify(tableId, f, { strict: caseOptions(o)?.strict ?? options.strict === true }),
    checkUnits(units) {
      if (!pack.units) fail(IssueCode.USAGE, ["units"], "此规则包未定义层级单元（units）", "This pack defines no units");
      return checkUnits(pack.units, units);
    },
    route(f, o) {
      if (!routing) fail(IssueCode.USAGE, ["routing"], "此规则包未定义分流（routing）", "This pack defines no routing");
      // The routing table reads the pack's facts, or facts of its own.
      const w = routingTable?.table.facts !== undefined ? admitTableInput(routingTable, f, caseOptions(o)?.strict ?? options.strict === true) : gate.admit(f, o);
      return warned(routing.route(f), w);
    },
    get lifecycle() {
      return lifecycle;
    },
  };
  lifecycle = createLifecycle({
    pack,
    grade: (f) => grading.grade(f),
    deadline: (id, from) => deadline(id, from),
    caseDeadline(id, from, f) {
      const limit = timeLimits.find((x) => x.when.test(f));
      if (!limit) {
        const d = deadline(id, from);
        return d.warnAt ? { dueAt: d.dueAt, warnAt: d.warnAt } : { dueAt: d.dueAt };
      }
      const d = computeDeadline(from, limit.def.deadline, deadlineOptions);
      const out: { dueAt: string; warnAt?: string; timeLimit?: string } = { dueAt: d.dueAt, timeLimit: limit.def.id };
      if (limit.def.warn) out.warnAt = computeWarnAt(from, d, limit.def.warn, deadlineOptions).warnAt;
      return out;
    },
    periodEnd: (period, from) => computeDeadline(from, period, deadlineOptions).dueAt,
    route: routing ? (f) => routing.route(f) : undefined,
    conditions: lifecycleConditions,
    dayEnd: (date) => formatInstant(startOfLocalDay(parseLocalDate(date, ["deadline"]) + 1, pack.timezone), pack.timezone),
    extend: (dueAt, days) => computeDeadline(new Date(Date.parse(dueAt) - 1), { amount: days, unit: "calendar-days" }, deadlineOptions).dueAt,
    levelsByRank,
    validateFacts,
    number: numberCase,
    parseNumber: (text) => engine.parseNumber(text),
    hasNumbering: template !== undefined,
    calendarBasis: createCalendarBasis(pack, calendar, deadlineOptions),
    interpretMachine: options.interpretMachine !== false,
  });
  return engine;
}

export type { GradeExplanation, GradeReason, GradeResult, Text, CaseOptions, ValidCase };
