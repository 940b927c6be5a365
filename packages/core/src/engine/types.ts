import type { BeyondSchedule, Calendar, Deadline, ScheduleSource } from "../calendar/index.js";
import type { JicengError } from "../errors/index.js";
import type { GradeExplanation, GradeResult } from "../grading/grade.js";
import type { loadPack, LoadPackOptions } from "../pack/load.js";
import type { RulePack, RulePackInput } from "../pack/schema.js";
import type { CompiledPack } from "../pack/compiled.js";
import type { LevelDef } from "../vocabulary/index.js";
import type { ParsedCaseNumber, CaseNumberParts } from "../numbering/index.js";
import type { CaseEvent, IntakeEvent } from "../lifecycle/events.js";
import type { CaseSnapshot, Lifecycle } from "../lifecycle/lifecycle.js";
import type { HistoryEntry } from "../lifecycle/context.js";
import type { statusOf, Agenda, AgendaKind, CaseListRow, SweepList, SweepResult, SweepResultOf } from "../lifecycle/views.js";
import type { Classification } from "../tables/classify.js";
import type { RouteResult } from "../routing/route.js";
import type { UnitsReport } from "../units/check.js";
import type { ScoreOptions, Scorecard } from "../scoring/score.js";
import type { AllowedEvent } from "../lifecycle/offer.js";
import type { SnapshotCheckOptions } from "../lifecycle/snapshot.js";
import type { ScoringPeriod } from "../scoring/period.js";
import type { CaseOptions, ValidCase } from "./cases.js";
import type { JicengIssue } from "../errors/index.js";

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
  /**
   * Snapshots made by other versions of this pack (read back from a store): refused with
   * INVALID_SNAPSHOT at `snapshot.pack.version` (`"same"`, the default), accepted (`"any"`), or
   * accepted for the versions listed. An accepted snapshot must still fit this version's schema
   * (its level, facts…), and `transition` stamps the next snapshot with this version.
   */
  snapshotVersions?: SnapshotCheckOptions["versions"];
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
  /**
   * A stored snapshot checked and in this engine's format (3): a format 2 snapshot, or a format 1
   * one (no `format`), comes back as format 3, a new object; a corrupted one or one of an unknown format is a
   * {@link JicengError} (INVALID_SNAPSHOT at the field).
   */
  restore(snapshot: CaseSnapshot): CaseSnapshot;
  /** The case's history as a user reads it: numbered, times written out, each entry's state and level (stored only where they change) and its sentence in zh and en rendered from its codes and parameters. */
  history(snapshot: CaseSnapshot): HistoryEntry[];
  /**
   * What is due soon, overdue, waiting for a decision, reported, at `now`: one pass over the
   * snapshots, each checked (one lookup for a snapshot this engine made or checked before).
   * `options.lists` names the lists to compute (default: all of them); the result then holds `at`
   * and those lists only, and the work only other lists need is skipped.
   *
   * @example
   * engine.sweep(snapshots, "2023-06-15T08:00:00+08:00", { lists: ["overdue", "needsTick"] });
   * // → { at: "2023-06-15T08:00:00+08:00", overdue: [3, 7], needsTick: [7] }
   */
  sweep(snapshots: readonly CaseSnapshot[], now: string, options?: { lists?: undefined }): SweepResult;
  sweep<L extends SweepList>(snapshots: readonly CaseSnapshot[], now: string, options: { lists: readonly L[] }): SweepResultOf<L>;
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
export type CreateEngineInput = RulePackInput | RulePack | RulePackJson | CompiledPack;
