import type { IssuePath, Text } from "../errors/index.js";
import { IssueCode, fail, own, JicengError } from "../errors/index.js";
import { show } from "../conditions/text.js";
import { checkSnapshotList, isLoadedPack, isProducedBy, validatorFor, type SnapshotValidator } from "./snapshot.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseSnapshot } from "./lifecycle.js";
import { STATE_LABEL } from "./lifecycle.js";
import { OPEN_STATES, type CaseContext } from "./machine.js";
import { handlingRoundStart, supervisionsThisRound } from "./rules.js";
import { parseIsoDateTime } from "../conditions/time.js";
import { dayOf, getZone } from "../calendar/timezone.js";

/** The pack and the snapshot argument of a view: a loaded pack, and a valid snapshot of it (INVALID_ARGUMENT / INVALID_SNAPSHOT). */
function checkOne(pack: RulePack, snap: unknown): void {
  checkPackArgument(pack);
  const bad = validatorFor(pack).check(snap, ["snapshot"]);
  if (bad.length) throw new JicengError(bad);
}

/** The name of the step a case is at: the document's (`lifecycle.stages`), else jiceng's. */
export function stageOf(pack: RulePack, snap: CaseSnapshot): Text {
  checkOne(pack, snap);
  return stageOfChecked(pack, snap);
}
export function stageOfChecked(pack: RulePack, snap: CaseSnapshot): Text {
  const names = pack.lifecycle.stages as Partial<Record<string, Text>> | undefined;
  // Being handled and supervised in this round (督办): the supervision link, after 执行处置.
  const sv = pack.lifecycle.supervision;
  if (sv !== undefined && snap.state === "resolving" && supervisionsThisRound(snap.context).length > 0) return own(names, "supervised") ?? sv.label;
  return own(names, snap.state) ?? STATE_LABEL[snap.state];
}

/** True once the last review level has been requested (复核) and answered: the item is terminated (终结). */
export function isTerminated(pack: RulePack, snap: CaseSnapshot): boolean {
  checkOne(pack, snap);
  return isTerminatedChecked(pack, snap);
}
function isTerminatedChecked(pack: RulePack, snap: CaseSnapshot): boolean {
  const rv = pack.lifecycle.reviews;
  return rv !== undefined && (snap.context.reviews?.length ?? 0) >= rv.stages.length && (snap.state === "resolved" || snap.state === "closed");
}

/** Where a case stands on the lists the documents ask for (正在化解 / 升级或延期化解 / 已化解). */
export function statusOf(pack: RulePack, snap: CaseSnapshot): CaseStatus {
  checkOne(pack, snap);
  return statusOfChecked(pack, snap);
}
/** Where a case stands (see {@link statusOf}). */
export interface CaseStatus {
  key: "open" | "escalated" | "resolved" | "closed";
  label: Text;
  provisional?: { fields: string[]; years: number[]; label: Text };
}
export function statusOfChecked(pack: RulePack, snap: CaseSnapshot): CaseStatus {
  const labels = pack.lifecycle.statusLabels;
  const c = snap.context;
  const key = snap.state === "closed" ? "closed" : snap.state === "resolved" ? "resolved" : snap.state === "escalation-pending" || c.escalations.some((e) => e.decision === "upgrade" || e.decision === "extend" || e.decision === "regrade") ? "escalated" : "open";
  const fallback: Record<typeof key, Text> = { open: { zh: "正在化解", en: "in progress" }, escalated: { zh: "升级或延期化解", en: "upgraded or extended" }, resolved: { zh: "已化解", en: "resolved" }, closed: { zh: "已结案", en: "closed" } };
  const label = key === "closed" ? (labels?.closed ?? labels?.resolved ?? fallback.closed) : (own(labels as Record<string, Text> | undefined, key) ?? fallback[key]);
  const p = c.provisional;
  if (p !== undefined) {
    const zh = p.years.map((y) => `${y}年`).join("、");
    return { key, label, provisional: { fields: [...p.fields], years: [...p.years], label: { zh: `暂行时限：${zh}放假安排尚未加载`, en: `Provisional deadline: the ${p.years.join(", ")} holiday schedule is not loaded` } } };
  }
  return { key, label };
}

/** One row of the three lists of the Guyuan appendix (问题清单 · 责任清单 · 考核清单). */
export interface CaseListRow {
  problem: { number?: string; id?: string; type?: unknown; level: string; levelLabel: Text; receivedAt: string; facts: Record<string, unknown> };
  responsibility: {
    leadUnit?: string; responsibleLeader?: string; responsibleUnit?: string; cooperatingUnits?: string[]; responsiblePerson?: string; dueAt: string; measures?: string;
    /** The deadline fixed at assignment (防范化解时限 / 化解时限 / 办结时限), as the list shows it. */
    assignedDeadline?: string;
    /** The assigned deadline is later than the level's limit (accepted and flagged). */
    beyondLimit?: { limit: string };
    /** The duties that come with the assignment (e.g. Xiji 三包). */
    duties?: Text[];
    /** Who took the item in and stays responsible (首问责任制). */
    firstReceiver?: string;
    platform?: string;
    /** The body that cooperates with and supervises the lead department (`routing.oversight`). */
    oversight?: { body: string; label: Text; role: Text };
  };
  assessment: {
    status: Text; statusKey: string; overdue: boolean; resolvedAt?: string; resolvedOnTime?: boolean; escalations: number; reportedTo: string[];
    /** The step the case is at, in the document's words. */
    stage: Text;
    ackOverdue?: boolean;
    returns?: number;
    verified?: boolean;
    rating?: string;
    terminated?: boolean;
    /** Supervision records (督办) of the case, and when the last one was made. */
    supervisions?: number;
    lastSupervisedAt?: string;
  };
  /** The rectification list (整改清单) entries of the case, struck off or not. */
  rectification?: NonNullable<CaseContext["rectifications"]>;
}

/** The problem / responsibility / assessment list row of a case. */
export function caseListRow(pack: RulePack, snap: CaseSnapshot): CaseListRow {
  checkOne(pack, snap);
  return caseListRowChecked(pack, snap);
}
export function caseListRowChecked(pack: RulePack, snap: CaseSnapshot): CaseListRow {
  const c = snap.context;
  const level = pack.levels.find((l) => l.id === c.level)!;
  const a = c.assignment;
  const problem: CaseListRow["problem"] = { level: c.level, levelLabel: level.label, receivedAt: c.receivedAt, facts: c.facts, type: c.facts["type"] };
  if (c.number) problem.number = c.number;
  if (c.id) problem.id = c.id;
  const responsibility: CaseListRow["responsibility"] = { dueAt: c.dueAt };
  if (a?.deadline !== undefined) responsibility.assignedDeadline = a.deadline;
  if (a?.beyondLimit) responsibility.beyondLimit = a.beyondLimit;
  if (a) for (const k of ["leadUnit", "responsibleLeader", "responsibleUnit", "cooperatingUnits", "responsiblePerson", "measures"] as const) if (a[k] !== undefined) (responsibility as Record<string, unknown>)[k] = a[k];
  const duties = pack.lifecycle.assignment?.duties;
  if (a && duties?.length) responsibility.duties = duties.map((x) => x.label);
  if (c.firstReceiver !== undefined) responsibility.firstReceiver = c.firstReceiver;
  if (c.route?.platform !== undefined) responsibility.platform = c.route.platform;
  if (c.route?.oversight !== undefined) responsibility.oversight = c.route.oversight;
  const st = statusOfChecked(pack, snap);
  const assessment: CaseListRow["assessment"] = { status: st.label, statusKey: st.key, overdue: c.overdue, escalations: c.escalations.length, reportedTo: c.reportedTo.map((r) => r.body), stage: stageOfChecked(pack, snap) };
  if (c.resolvedAt) {
    assessment.resolvedAt = c.resolvedAt;
    assessment.resolvedOnTime = Date.parse(c.resolvedAt) < Date.parse(c.dueAt) && !c.overdue;
  }
  if (c.ackOverdue) assessment.ackOverdue = true;
  if (c.returns?.length) assessment.returns = c.returns.length;
  if (pack.lifecycle.verification) assessment.verified = c.verifiedAt !== undefined;
  if (c.evaluation) assessment.rating = c.evaluation.rating;
  if (pack.lifecycle.reviews) assessment.terminated = isTerminatedChecked(pack, snap);
  if (pack.lifecycle.supervision) {
    assessment.supervisions = c.supervisions?.length ?? 0;
    const last = c.supervisions?.[c.supervisions.length - 1];
    if (last) assessment.lastSupervisedAt = last.at;
  }
  const row: CaseListRow = { problem, responsibility, assessment };
  if (c.rectifications?.length) row.rectification = c.rectifications;
  return row;
}

/** What a periodic sweep at `now` finds. Each list holds snapshots' indexes into the input, in ascending order. */
export interface SweepResult {
  at: string;
  /** Open, not overdue, past the warning time (or within a day of the deadline when the pack sets none). */
  dueSoon: number[];
  /** Open and past due (now ≥ dueAt), whether or not a tick has marked them yet. */
  overdue: number[];
  /** Waiting for the deciding body (upgrade / extension). */
  awaitingDecision: number[];
  /** Reported up the chain, and a further report decision pending. */
  reported: number[];
  awaitingReportDecision: number[];
  /** Open cases whose snapshot has not been ticked past its deadline (or sign-for deadline) yet: send them a tick. */
  needsTick: number[];
  /** Assigned, not signed for, past the sign-for deadline (签收 / 部门报到). */
  ackOverdue: number[];
  /** Returned (退回) and waiting to be dispatched again. */
  returned: number[];
  /** Resolved, waiting for verification (核实结项) the pack requires. */
  awaitingVerification: number[];
  /** Resolved (and verified if required), waiting for the evaluation the pack requires. */
  awaitingEvaluation: number[];
  /** With rectification records (整改清单) not yet struck off. */
  rectificationOpen: number[];
  /** With an open rectification record that asks a higher level to coordinate. */
  needsCoordination: number[];
  /**
   * Open cases whose deadline was counted past the last loaded holiday schedule (provisional):
   * once the notice is loaded, a tick (or `recalendar`) corrects them.
   */
  provisional: number[];
  /** Resolved, not closed, and due for a regular return visit (`followUp.interval` since resolution or the last visit). */
  followUpDue: number[];
  /**
   * Assigned and not yet resolved, and due for supervision (`lifecycle.supervision.interval` since
   * the handling round began or the last supervision record of the round; 督办).
   */
  supervisionDue: number[];
}

/** The lists a sweep can compute: every key of {@link SweepResult} but `at`, in its order. */
export const SWEEP_LISTS = ["dueSoon", "overdue", "awaitingDecision", "reported", "awaitingReportDecision", "needsTick", "ackOverdue", "returned", "awaitingVerification", "awaitingEvaluation", "rectificationOpen", "needsCoordination", "provisional", "followUpDue", "supervisionDue"] as const satisfies ReadonlyArray<Exclude<keyof SweepResult, "at">>;
/** The name of one list of a {@link SweepResult}. */
export type SweepList = (typeof SWEEP_LISTS)[number];
/** A sweep's result with only the lists `L` asked for (`options.lists`), and `at`. */
export type SweepResultOf<L extends SweepList> = Pick<SweepResult, "at" | L>;

/** Options for {@link sweep}. */
export interface SweepOptions {
  /** The pack the snapshots belong to: needed to know which closing steps it requires. */
  pack?: RulePack;
  /** When a period counted from an instant ends (the engine's calendar); needed for `followUpDue` and `supervisionDue`. */
  periodEnd?: (period: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string) => string;
  /**
   * Compute only these lists (default: all). The result then holds `at` and these keys, in
   * {@link SweepResult}'s order; work a list needs (a deadline counted for `followUpDue`, a
   * rectification scan) is skipped when no list asked for needs it. Every snapshot is still checked.
   */
  lists?: readonly SweepList[];
}

const DAY = 86_400_000;

/** The pack argument of a view: a pack `loadPack` returned (INVALID_ARGUMENT otherwise). */
function checkPackArgument(pack: unknown, path: IssuePath = ["pack"]): void {
  if (!isLoadedPack(pack)) fail(IssueCode.INVALID_ARGUMENT, path, "须为 loadPack 返回的规则包", "Must be a pack that loadPack returned");
}

/**
 * Scans snapshots at `now` (ISO with offset): what is due soon, overdue, waiting for a decision,
 * reported. Pure; one pass over the snapshots (each checked, as at every entry point: DESIGN.md
 * decision 9), with no allocation per case beyond the result lists.
 *
 * @example
 * sweep(snapshots, "2023-06-15T08:00:00+08:00", { pack, lists: ["overdue", "needsTick"] });
 * // → { at: "2023-06-15T08:00:00+08:00", overdue: [3, 7], needsTick: [7] }
 */
export function sweep(snapshots: readonly CaseSnapshot[], now: string, options?: SweepOptions & { lists?: undefined }): SweepResult;
export function sweep<L extends SweepList>(snapshots: readonly CaseSnapshot[], now: string, options: SweepOptions & { lists: readonly L[] }): SweepResultOf<L>;
export function sweep(snapshots: readonly CaseSnapshot[], now: string, options: SweepOptions = {}): Partial<SweepResult> & { at: string } {
  if (options === null || typeof options !== "object" || Array.isArray(options)) fail(IssueCode.INVALID_ARGUMENT, ["options"], "选项须为对象", "Options must be an object");
  if (options.pack !== undefined) checkPackArgument(options.pack, ["options", "pack"]);
  const periodEnd = options.periodEnd;
  if (periodEnd !== undefined && typeof periodEnd !== "function") fail(IssueCode.INVALID_ARGUMENT, ["options", "periodEnd"], "periodEnd 须为函数", "periodEnd must be a function");
  const lists = sweepListsArgument(options.lists, ["options", "lists"]);
  const t = instantArgument(now, "now");
  return sweepChecked(snapshots, now, t, { pack: options.pack, validator: validatorFor(options.pack), periodEndMs: periodEnd && ((p, from) => Date.parse(periodEnd(p, from))), lists });
}

/** An instant argument (strict ISO 8601 with an offset) in epoch milliseconds; INVALID_DATE at `name`. */
function instantArgument(v: unknown, name: string): number {
  const t = typeof v === "string" ? parseIsoDateTime(v) : NaN;
  if (Number.isNaN(t)) fail(IssueCode.INVALID_DATE, [name], `时间须为带时区偏移、日期真实的 ISO 8601：${show(v)}`, `The time must be ISO 8601 with an offset and a real date: ${show(v)}`);
  return t;
}

const LIST_BIT: Readonly<Record<SweepList, number>> = Object.freeze(Object.fromEntries(SWEEP_LISTS.map((k, i) => [k, 1 << i])) as Record<SweepList, number>);
const ALL_LISTS = (1 << SWEEP_LISTS.length) - 1;
const [DUE_SOON, OVERDUE, AWAITING_DECISION, REPORTED, AWAITING_REPORT, NEEDS_TICK, ACK_OVERDUE, RETURNED, AWAITING_VERIFICATION, AWAITING_EVALUATION, RECTIFICATION_OPEN, NEEDS_COORDINATION, PROVISIONAL, FOLLOW_UP_DUE, SUPERVISION_DUE] = SWEEP_LISTS.map((k) => LIST_BIT[k]) as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The `lists` option of a sweep: undefined (all), or an array of list names (INVALID_ARGUMENT at the item otherwise). */
export function sweepListsArgument(v: unknown, path: IssuePath): readonly SweepList[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) fail(IssueCode.INVALID_ARGUMENT, path, `lists 须为清单名称的数组，实际为 ${show(v)}`, `lists must be an array of list names, got ${show(v)}`);
  for (let i = 0; i < v.length; i++) {
    const k: unknown = v[i];
    if (typeof k !== "string" || !Object.hasOwn(LIST_BIT, k)) fail(IssueCode.INVALID_ARGUMENT, [...path, i], `未知的巡查清单 ${show(k)}；可选：${SWEEP_LISTS.join("、")}`, `Unknown sweep list ${show(k)}; the lists are ${SWEEP_LISTS.join(", ")}`);
  }
  return v as SweepList[];
}

/** The options of `engine.sweep`: none, or `{ lists }` (INVALID_ARGUMENT at the option otherwise). */
export function sweepOptions(v: unknown): readonly SweepList[] | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail(IssueCode.INVALID_ARGUMENT, ["options"], `选项须为对象，实际为 ${show(v)}`, `Options must be an object, got ${show(v)}`);
  for (const k of Object.keys(v)) if (k !== "lists") fail(IssueCode.INVALID_ARGUMENT, ["options", k], `未知的选项 ${show(k)}；巡查只接受 lists`, `Unknown option ${show(k)}; a sweep takes only lists`);
  return sweepListsArgument((v as { lists?: unknown }).lists, ["options", "lists"]);
}

/**
 * Epoch milliseconds of an instant the snapshot check accepted (parseIsoDateTime's grammar). The
 * two shapes core writes (`YYYY-MM-DDTHH:mm:ss±HH:mm`, `…ssZ`) are read by fixed position without
 * the checks (the string was checked when the snapshot was), anything else by parseIsoDateTime.
 * Not for unchecked strings.
 */
export function checkedInstantMs(s: string): number {
  const n = s.length;
  const z = s.charCodeAt(19);
  let offset: number;
  if (n === 25 && (z === 43 || z === 45) && s.charCodeAt(16) === 58) {
    const o = ((s.charCodeAt(20) - 48) * 10 + s.charCodeAt(21) - 48) * 60 + (s.charCodeAt(23) - 48) * 10 + s.charCodeAt(24) - 48;
    offset = z === 45 ? -o : o;
  } else if (n === 20 && z === 90 && s.charCodeAt(16) === 58) {
    offset = 0;
  } else {
    return parseIsoDateTime(s);
  }
  const y = (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + s.charCodeAt(3) - 48;
  const m = (s.charCodeAt(5) - 48) * 10 + s.charCodeAt(6) - 48;
  const d = (s.charCodeAt(8) - 48) * 10 + s.charCodeAt(9) - 48;
  // days_from_civil (years ≥ 1), as parseIsoDateTime.
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const doy = (((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) | 0) + d - 1;
  const day = era * 146097 + yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy - 719468;
  const minutes = ((s.charCodeAt(11) - 48) * 10 + s.charCodeAt(12) - 48) * 60 + (s.charCodeAt(14) - 48) * 10 + s.charCodeAt(15) - 48 - offset;
  return day * DAY + minutes * 60_000 + ((s.charCodeAt(17) - 48) * 10 + s.charCodeAt(18) - 48) * 1000;
}

/** What {@link sweepChecked} is given besides the snapshots: all of it read once per sweep, not per snapshot. */
export interface SweepPlan {
  pack: RulePack | undefined;
  /** Checks each snapshot in the same pass (a snapshot the engine made or branded costs one lookup); none: checked before. */
  validator: SnapshotValidator | undefined;
  /** When a period counted from an instant ends, in epoch milliseconds; needed for `followUpDue` and `supervisionDue`. */
  periodEndMs: ((period: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string) => number) | undefined;
  /**
   * The time zone whose local day of `from` alone decides `periodEndMs` for periods of days (the
   * engine's calendar: computeDeadline): its results are then kept per start day for the sweep.
   */
  periodZone?: string | undefined;
  lists: readonly SweepList[] | undefined;
}

/** The sweep of {@link sweep} and `engine.sweep`, its arguments checked (`now` is `t`): one pass, the lists asked for. */
export function sweepChecked(snapshots: readonly unknown[], now: string, t: number, plan: SweepPlan): SweepResult;
export function sweepChecked(snapshots: readonly unknown[], now: string, t: number, plan: SweepPlan): Partial<SweepResult> & { at: string } {
  const validator = plan.validator;
  if (validator !== undefined && !Array.isArray(snapshots)) checkSnapshotList(snapshots, validator);
  let want = ALL_LISTS;
  if (plan.lists !== undefined) {
    want = 0;
    for (const k of plan.lists) want |= LIST_BIT[k];
  }
  const dueSoon: number[] = [], overdue: number[] = [], awaitingDecision: number[] = [], reported: number[] = [], awaitingReportDecision: number[] = [], needsTick: number[] = [], ackOverdue: number[] = [], returned: number[] = [], awaitingVerification: number[] = [], awaitingEvaluation: number[] = [], rectificationOpen: number[] = [], needsCoordination: number[] = [], provisional: number[] = [], followUpDue: number[] = [], supervisionDue: number[] = [];
  const pack = plan.pack;
  const lc = pack?.lifecycle;
  // What the pack asks and the lists need, read once (not once per snapshot).
  const periodEndMs = plan.periodEndMs;
  const followEvery = periodEndMs !== undefined && (want & FOLLOW_UP_DUE) !== 0 ? lc?.followUp?.interval : undefined;
  const supervisionEvery = periodEndMs !== undefined && (want & SUPERVISION_DUE) !== 0 ? lc?.supervision?.interval : undefined;
  const verificationRequired = lc?.verification?.required === true;
  const evaluationRequired = lc?.evaluation?.required === true;
  const verification = (want & AWAITING_VERIFICATION) !== 0 && verificationRequired;
  const evaluation = (want & AWAITING_EVALUATION) !== 0 && evaluationRequired;
  // Anything to find among resolved cases (besides rectifications, above).
  const closing = followEvery !== undefined || verification || evaluation;
  const rectifications = (want & (RECTIFICATION_OPEN | NEEDS_COORDINATION)) !== 0;
  const ack = (want & (ACK_OVERDUE | NEEDS_TICK)) !== 0;
  const times = (want & (DUE_SOON | OVERDUE | NEEDS_TICK)) !== 0;
  const tick = (want & NEEDS_TICK) !== 0;
  // Periods of days end by the start day: one count per day a sweep meets, not one per case.
  const zone = plan.periodZone !== undefined ? getZone(plan.periodZone) : undefined;
  const followEnds = zone !== undefined && followEvery !== undefined && followEvery.unit !== "hours" ? new Map<number, number>() : undefined;
  const supervisionEnds = zone !== undefined && supervisionEvery !== undefined && supervisionEvery.unit !== "hours" ? new Map<number, number>() : undefined;
  const periodEnd = (period: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string, ends: Map<number, number> | undefined): number => {
    if (ends === undefined) return periodEndMs!(period, from);
    const day = dayOf(zone!, checkedInstantMs(from));
    let end = ends.get(day);
    if (end === undefined) ends.set(day, (end = periodEndMs!(period, from)));
    return end;
  };
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i] as CaseSnapshot;
    // Throws with every bad snapshot's issues (nothing is returned for a list with one bad item).
    if (validator !== undefined && (pack === undefined || !isProducedBy(s, pack)) && !validator.isValid(s)) checkSnapshotList(snapshots, validator);
    const state = s.state;
    if (state === "closed") continue;
    const c = s.context;
    if (rectifications && c.rectifications !== undefined) {
      let open = false;
      let coordinate = false;
      for (const r of c.rectifications) {
        if (r.struckOffAt !== undefined) continue;
        open = true;
        if (r.needsCoordination) coordinate = true;
      }
      if (open && want & RECTIFICATION_OPEN) rectificationOpen.push(i);
      if (coordinate && want & NEEDS_COORDINATION) needsCoordination.push(i);
    }
    if (state === "resolved") {
      if (!closing) continue;
      if (followEvery !== undefined) {
        const visits = c.followUps;
        const last = visits.length ? visits[visits.length - 1]!.at : c.resolvedAt;
        if (last !== undefined && t >= periodEnd(followEvery, last, followEnds)) followUpDue.push(i);
      }
      // Evaluation comes after the verification a pack requires.
      if (verificationRequired && c.verifiedAt === undefined) {
        if (verification) awaitingVerification.push(i);
      } else if (evaluation && c.evaluation === undefined) awaitingEvaluation.push(i);
      continue;
    }
    let ticked = false;
    if (ack && c.ackDueAt !== undefined && c.acknowledgedAt === undefined && t >= checkedInstantMs(c.ackDueAt)) {
      if (want & ACK_OVERDUE) ackOverdue.push(i);
      if (tick && !c.ackOverdue) {
        needsTick.push(i);
        ticked = true;
      }
    }
    if (want & RETURNED && state === "graded" && c.returns !== undefined && c.returns.length > 0) returned.push(i);
    if (want & PROVISIONAL && c.provisional !== undefined) provisional.push(i);
    if (times) {
      const due = checkedInstantMs(c.dueAt);
      if (t >= due) {
        if (want & OVERDUE) overdue.push(i);
        if (tick && !ticked && !c.overdue) needsTick.push(i);
      } else if (want & DUE_SOON) {
        const warnAt = c.warnAt;
        if (t >= (warnAt !== undefined ? checkedInstantMs(warnAt) : due - DAY)) dueSoon.push(i);
      }
    }
    if (supervisionEvery !== undefined && state !== "graded" && c.assignment !== undefined) {
      const round = supervisionsThisRound(c);
      const from = round.length ? round[round.length - 1]!.at : handlingRoundStart(c);
      if (t >= periodEnd(supervisionEvery, from, supervisionEnds)) supervisionDue.push(i);
    }
    if (want & AWAITING_DECISION && state === "escalation-pending") awaitingDecision.push(i);
    if (want & REPORTED && c.reportedTo.length > 0) reported.push(i);
    if (want & AWAITING_REPORT && c.reportPending !== undefined) awaitingReportDecision.push(i);
  }
  if (want === ALL_LISTS) return { at: now, dueSoon, overdue, awaitingDecision, reported, awaitingReportDecision, needsTick, ackOverdue, returned, awaitingVerification, awaitingEvaluation, rectificationOpen, needsCoordination, provisional, followUpDue, supervisionDue };
  const all: Omit<SweepResult, "at"> = { dueSoon, overdue, awaitingDecision, reported, awaitingReportDecision, needsTick, ackOverdue, returned, awaitingVerification, awaitingEvaluation, rectificationOpen, needsCoordination, provisional, followUpDue, supervisionDue };
  const out: Partial<SweepResult> & { at: string } = { at: now };
  for (const k of SWEEP_LISTS) if (want & LIST_BIT[k]) out[k] = all[k];
  return out;
}

export type AgendaKind = "weekly" | "monthly" | "quarterly";

/** What the branch's meeting looks at: 周例会 (week), 月研判 (month), 季考核 (quarter). */
export interface Agenda {
  kind: AgendaKind;
  label: Text;
  from: string;
  to: string;
  /** Found in the period (new items to hand out). */
  newCases: number[];
  /** Open, overdue, or waiting for a decision now: to discuss and decide. */
  toDecide: number[];
  overdue: number[];
  /** Resolved in the period. */
  resolved: number[];
  /** Escalated, extended or reported in the period. */
  escalated: number[];
  totals: { open: number; resolved: number; overdue: number; byLevel: Record<string, number> };
}

const AGENDA_LABEL: Record<AgendaKind, Text> = {
  weekly: { zh: "周例会", en: "weekly meeting" },
  monthly: { zh: "月研判", en: "monthly analysis" },
  quarterly: { zh: "季考核", en: "quarterly assessment" },
};

/** Start of the week (Monday), month or quarter containing `at`, in the offset `at` is written in, and the next one. */
function periodOf(kind: AgendaKind, at: string): [number, number] {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(at);
  const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  const local = new Date(Date.parse(at) + offset);
  const y = local.getUTCFullYear(), mo = local.getUTCMonth(), d = local.getUTCDate();
  let start: number, end: number;
  if (kind === "weekly") {
    const dow = (local.getUTCDay() + 6) % 7;
    start = Date.UTC(y, mo, d - dow);
    end = start + 7 * DAY;
  } else if (kind === "monthly") {
    start = Date.UTC(y, mo, 1);
    end = Date.UTC(y, mo + 1, 1);
  } else {
    const q = Math.floor(mo / 3) * 3;
    start = Date.UTC(y, q, 1);
    end = Date.UTC(y, q + 3, 1);
  }
  return [start - offset, end - offset];
}

/** The meeting's lists for the week / month / quarter containing `at`. */
export function agenda(pack: RulePack, snapshots: readonly CaseSnapshot[], kind: AgendaKind, at: string): Agenda {
  checkPackArgument(pack);
  return agendaWith(validatorFor(pack), pack, snapshots, kind, at);
}
export function agendaWith(validator: SnapshotValidator, pack: RulePack, snapshots: readonly CaseSnapshot[], kind: AgendaKind, at: string): Agenda {
  if (typeof kind !== "string" || !Object.hasOwn(AGENDA_LABEL, kind)) fail(IssueCode.INVALID_ARGUMENT, ["kind"], `会议类型须为 weekly、monthly 或 quarterly，实际为 ${show(kind)}`, `The meeting kind must be weekly, monthly or quarterly, got ${show(kind)}`);
  const now = instantArgument(at, "at");
  checkSnapshotList(snapshots, validator);
  const [from, to] = periodOf(kind, at);
  const inPeriod = (s?: string) => s !== undefined && Date.parse(s) >= from && Date.parse(s) < to;
  const iso = (ms: number) => new Date(ms).toISOString();
  const out: Agenda = { kind, label: own(pack.lifecycle.meetings as Record<string, Text> | undefined, kind) ?? AGENDA_LABEL[kind], from: iso(from), to: iso(to), newCases: [], toDecide: [], overdue: [], resolved: [], escalated: [], totals: { open: 0, resolved: 0, overdue: 0, byLevel: Object.fromEntries(pack.levels.map((l) => [l.id, 0])) } };
  snapshots.forEach((s, i) => {
    const c = s.context;
    const open = OPEN_STATES.includes(s.state);
    if (inPeriod(c.receivedAt)) out.newCases.push(i);
    if (open && (now >= Date.parse(c.dueAt) || s.state === "escalation-pending" || c.reportPending !== undefined)) out.toDecide.push(i);
    if (open && now >= Date.parse(c.dueAt)) out.overdue.push(i);
    if (inPeriod(c.resolvedAt)) out.resolved.push(i);
    if (c.escalations.some((e) => inPeriod(e.at)) || c.reportedTo.some((r) => inPeriod(r.at))) out.escalated.push(i);
    if (open) {
      out.totals.open++;
      out.totals.byLevel[c.level] = (out.totals.byLevel[c.level] ?? 0) + 1;
      if (now >= Date.parse(c.dueAt)) out.totals.overdue++;
    } else out.totals.resolved++;
  });
  return out;
}
