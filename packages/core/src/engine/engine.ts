import { createCalendar, computeDeadline, computeWarnAt } from "../calendar/index.js";
import { levelDeadline, levelDeadlineSpec, type DeadlinePeriod } from "../calendar/deadline.js";
import { IssueCode, JicengError, fail, type Text } from "../errors/index.js";
import { type GradeExplanation, type GradeReason, type GradeResult } from "../grading/grade.js";
import { loadPack } from "../pack/load.js";
import type { LevelDef } from "../vocabulary/index.js";
import { compileTemplate, formatCaseNumber, parseCaseNumber, type NumberTemplate, type CaseNumberParts } from "../numbering/index.js";
import { readFact } from "../conditions/facts.js";
import { formatInstant, localDate, startOfLocalDay } from "../calendar/timezone.js";
import { parseLocalDate } from "../calendar/days.js";
import { createCalendarBasis } from "../lifecycle/recalendar.js";
import { createLifecycle, type CaseSnapshot, type LifecycleInternal } from "../lifecycle/lifecycle.js";
import { atPath } from "../lifecycle/machine.js";
import { agendaWith, caseListRowChecked, statusOfChecked, sweepChecked, sweepOptions, type SweepList, type SweepResult } from "../lifecycle/views.js";
import { admitTableInput, createClassifier } from "../tables/classify.js";
import { compileRouting } from "../routing/route.js";
import { compileCondition } from "../conditions/compile.js";
import { checkUnits } from "../units/check.js";
import { compileScoring, scoreCases, type CompiledScoring, type ScoreOptions } from "../scoring/score.js";
import { allowedEvents, nextTickAtChecked } from "../lifecycle/offer.js";
import { snapshotValidator, SNAPSHOT_CHECK } from "../lifecycle/snapshot.js";
import { readHistory } from "../lifecycle/history.js";
import { parseIsoDateTime } from "../conditions/time.js";
import { show } from "../conditions/text.js";
import { scopeKey } from "../numbering/format.js";
import { buildGrader } from "./grader.js";
import { caseOptions, type CaseOptions, type ValidCase } from "./cases.js";
import type { JicengIssue } from "../errors/index.js";
import type { EngineFor } from "./typed.js";

import type { EngineOptions, CaseFacts, WithWarnings, LevelDeadline, Assessment, Engine, RulePackJson, CreateEngineInput } from "./types.js";

const isPlainOptions = (o: unknown): o is object => typeof o === "object" && o !== null && !Array.isArray(o);

export type { EngineOptions, CaseFacts, WithWarnings, LevelDeadline, Assessment, Engine, RulePackJson, CreateEngineInput };

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
  const grader = buildGrader(pack, { ...(options.generateCode === undefined ? {} : { generateCode: options.generateCode }), strict: options.strict === true });
  const { grading, gate } = grader;
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  const template: NumberTemplate | undefined = pack.numbering ? compileTemplate(pack.numbering.template, ["numbering", "template"]) : undefined;
  const facts = grader.facts;
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
    const l = typeof id === "string" ? levels.get(id) : undefined;
    if (!l) fail(IssueCode.UNKNOWN_LEVEL, ["level"], `未知等级 ${show(id)}；已声明：${[...levels.keys()].join(", ")}`, `Unknown level ${show(id)}; declared: ${[...levels.keys()].join(", ")}`);
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
      // The fallback applies exactly where reading the date fact would be MISSING_FACT (absent, no
      // default); asked first, so a case without the optional date builds no error to throw away.
      const own = facts.get(n.date.fact);
      const absent = fallback !== undefined && own !== undefined && !own.hasDefault && own.resolve(f) === undefined;
      const v: unknown = readFact(facts, f, absent ? fallback : n.date.fact);
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

  // Each level's deadline rules, prepared once; the memo of the results lives with computeDeadline's (calendar/deadline.ts).
  const levelSpecs = new Map(pack.levels.map((l) => [l.id, levelDeadlineSpec(l.deadline, l.warn, pack.calendar.rollOverRestDays)] as const));
  const deadline = (id: string, from: string | Date): LevelDeadline => {
    const spec = levelSpecs.get(id);
    if (spec === undefined) {
      const l = level(id);
      return levelDeadline(from, id, levelDeadlineSpec(l.deadline, l.warn, pack.calendar.rollOverRestDays), deadlineOptions);
    }
    return levelDeadline(from, id, spec, deadlineOptions);
  };

  const levelsByRank = [...pack.levels].sort((a, b) => a.rank - b.rank);
  // Compiled now so a broken scoring section is reported with the pack's other issues.
  const scoring: CompiledScoring | undefined = pack.scoring ? compileScoring(pack) : undefined;
  const validateFacts = (f: Record<string, unknown>) => {
    gate.admit(f, undefined);
  };
  const warned = <T extends object>(result: T, warnings: readonly JicengIssue[]): T & WithWarnings => {
    if (warnings.length) (result as WithWarnings).warnings = [...warnings];
    return result;
  };
  const versions = options.snapshotVersions;
  if (versions !== undefined && versions !== "same" && versions !== "any" && !(Array.isArray(versions) && versions.every((v) => typeof v === "string"))) {
    fail(IssueCode.INVALID_ARGUMENT, ["options", "snapshotVersions"], `snapshotVersions 须为 "same"、"any" 或版本号数组，实际为 ${show(versions)}`, `snapshotVersions must be "same", "any" or an array of versions, got ${show(versions)}`);
  }
  // Every snapshot handed in is checked against the whole snapshot schema, unless this engine made it.
  const periodEndMs = (period: DeadlinePeriod, from: string) => computeDeadline(from, period, deadlineOptions).dueAtMs;
  const snapshots = snapshotValidator(pack, versions === undefined ? {} : { versions }, facts);
  const oneSnapshot = (snap: unknown): void => {
    const bad = snapshots.check(snap, ["snapshot"]);
    if (bad.length) throw new JicengError(bad);
  };
  let lifecycle: LifecycleInternal;
  const numberCase = (f: Record<string, unknown>, seq: number) => engine.numberCase(f, seq);

  const engine: Engine = {
    pack,
    calendar,
    grade: grader.grade,
    gradeLevel: grader.gradeLevel,
    explain: grader.explain,
    validateCase: grader.validateCase,
    checkCase: grader.checkCase,
    isValidCase: grader.isValidCase,
    // A calendar error carries no path of its own: at the public entry it is the `from` argument's.
    deadline: (id, from) => atPath(["from"], () => deadline(id, from)),
    assess(f, o) {
      const w = gate.admit(f, o);
      const start = readFact(facts, f, pack.startFact);
      if (typeof start !== "string") fail(IssueCode.MISSING_FACT, ["facts", pack.startFact], `缺少期限起算事实 "${pack.startFact}"`, `Missing the start fact "${pack.startFact}"`);
      const g = grading.grade(f);
      const dl = atPath(["facts", pack.startFact], () => deadline(g.level, start));
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
      oneSnapshot(snap);
      return nextTickAtChecked(snap);
    },
    allowedEvents(snap, at) {
      oneSnapshot(snap);
      return allowedEvents(pack, snap, (s, e) => lifecycle.checkEvent(s, e), at);
    },
    parseNumber: (text) => parseCaseNumber(needTemplate(), text),
    level,
    start: (e) => lifecycle.start(e),
    transition: (snap, e) => lifecycle.transition(snap, e),
    replay: (events) => lifecycle.replay(events),
    check: (snap, e) => lifecycle.check(snap, e),
    restore: (snap) => lifecycle.restore(snap),
    history(snap) {
      oneSnapshot(snap);
      return readHistory(snap, pack);
    },
    sweep(snaps: readonly CaseSnapshot[], now: string, opts?: { lists?: readonly SweepList[] | undefined }): SweepResult {
      const lists = sweepOptions(opts);
      const t = typeof now === "string" ? parseIsoDateTime(now) : NaN;
      if (Number.isNaN(t)) fail(IssueCode.INVALID_DATE, ["now"], `时间须为带时区偏移、日期真实的 ISO 8601：${show(now)}`, `The time must be ISO 8601 with an offset and a real date: ${show(now)}`);
      // Checked in the sweep's own pass: the engine's or a branded snapshot costs one lookup.
      return sweepChecked(snaps, now, t, { pack, validator: snapshots, periodEndMs, periodZone: pack.timezone, lists }) as SweepResult;
    },
    agenda: (snaps, kind, at) => agendaWith(snapshots, pack, snaps, kind, at),
    listRow(snap) {
      oneSnapshot(snap);
      return caseListRowChecked(pack, snap);
    },
    status(snap) {
      oneSnapshot(snap);
      return statusOfChecked(pack, snap);
    },
    score: (snaps, period, opts) => scoreCases(scoring ?? pack, snaps, period, opts === undefined ? ({ [SNAPSHOT_CHECK]: snapshots } as ScoreOptions) : isPlainOptions(opts) ? ({ ...opts, [SNAPSHOT_CHECK]: snapshots } as ScoreOptions) : fail(IssueCode.INVALID_ARGUMENT, ["options"], `选项须为对象，实际为 ${show(opts)}`, `Options must be an object, got ${show(opts)}`)),
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
    snapshots,
    interpretMachine: options.interpretMachine !== false,
  });
  return engine;
}

export type { GradeExplanation, GradeReason, GradeResult, Text, CaseOptions, ValidCase };
