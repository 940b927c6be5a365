import type { IssuePath, Text } from "../errors/index.js";
import { IssueCode, fail, own, JicengError } from "../errors/index.js";
import { show } from "../conditions/text.js";
import { checkSnapshotList, isLoadedPack, validatorFor, type SnapshotValidator } from "./snapshot.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseSnapshot } from "./lifecycle.js";
import { STATE_LABEL } from "./lifecycle.js";
import { OPEN_STATES, type CaseContext } from "./machine.js";
import { handlingRoundStart, openRectifications, supervisionsThisRound } from "./rules.js";
import { parseIsoDateTime } from "../conditions/time.js";

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

/** What a periodic sweep at `now` finds. Each list holds snapshots' indexes into the input. */
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

/** Options for {@link sweep}. */
export interface SweepOptions {
  /** The pack the snapshots belong to: needed to know which closing steps it requires. */
  pack?: RulePack;
  /** When a period counted from an instant ends (the engine's calendar); needed for `followUpDue` and `supervisionDue`. */
  periodEnd?: (period: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string) => string;
}

const DAY = 86_400_000;

/** The pack argument of a view: a pack `loadPack` returned (INVALID_ARGUMENT otherwise). */
function checkPackArgument(pack: unknown, path: IssuePath = ["pack"]): void {
  if (!isLoadedPack(pack)) fail(IssueCode.INVALID_ARGUMENT, path, "须为 loadPack 返回的规则包", "Must be a pack that loadPack returned");
}

/**
 * Scans snapshots at `now` (ISO with offset): what is due soon, overdue, waiting for a decision,
 * reported. Pure; a plain loop with no allocation per case beyond the result lists.
 */
export function sweep(snapshots: readonly CaseSnapshot[], now: string, options: SweepOptions = {}): SweepResult {
  if (options === null || typeof options !== "object" || Array.isArray(options)) fail(IssueCode.INVALID_ARGUMENT, ["options"], "选项须为对象", "Options must be an object");
  if (options.pack !== undefined) checkPackArgument(options.pack, ["options", "pack"]);
  if (options.periodEnd !== undefined && typeof options.periodEnd !== "function") fail(IssueCode.INVALID_ARGUMENT, ["options", "periodEnd"], "periodEnd 须为函数", "periodEnd must be a function");
  const t = instantArgument(now, "now");
  checkSnapshotList(snapshots, validatorFor(options.pack));
  return sweepChecked(snapshots, now, t, options);
}

/** An instant argument (strict ISO 8601 with an offset) in epoch milliseconds; INVALID_DATE at `name`. */
function instantArgument(v: unknown, name: string): number {
  const t = typeof v === "string" ? parseIsoDateTime(v) : NaN;
  if (Number.isNaN(t)) fail(IssueCode.INVALID_DATE, [name], `时间须为带时区偏移、日期真实的 ISO 8601：${show(v)}`, `The time must be ISO 8601 with an offset and a real date: ${show(v)}`);
  return t;
}

export function sweepChecked(snapshots: readonly CaseSnapshot[], now: string, t: number, options: SweepOptions): SweepResult {
  const out: SweepResult = { at: now, dueSoon: [], overdue: [], awaitingDecision: [], reported: [], awaitingReportDecision: [], needsTick: [], ackOverdue: [], returned: [], awaitingVerification: [], awaitingEvaluation: [], rectificationOpen: [], needsCoordination: [], provisional: [], followUpDue: [], supervisionDue: [] };
  const lc = options.pack?.lifecycle;
  // What the pack asks, read once (not once per snapshot).
  const periodEnd = options.periodEnd;
  const followEvery = periodEnd ? lc?.followUp?.interval : undefined;
  const verificationRequired = lc?.verification?.required === true;
  const evaluationRequired = lc?.evaluation?.required === true;
  const sv = periodEnd ? lc?.supervision?.interval : undefined;
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i]!;
    const c = s.context;
    if (c.rectifications !== undefined && s.state !== "closed") {
      const open = openRectifications(c);
      if (open.length) out.rectificationOpen.push(i);
      if (open.some((r) => r.needsCoordination)) out.needsCoordination.push(i);
    }
    if (s.state === "resolved") {
      if (followEvery && periodEnd) {
        const last = c.followUps.length ? c.followUps[c.followUps.length - 1]!.at : c.resolvedAt;
        if (last !== undefined && t >= Date.parse(periodEnd(followEvery, last))) out.followUpDue.push(i);
      }
      if (verificationRequired && c.verifiedAt === undefined) out.awaitingVerification.push(i);
      else if (evaluationRequired && c.evaluation === undefined) out.awaitingEvaluation.push(i);
    }
    if (s.state === "resolved" || s.state === "closed") continue;
    if (c.ackDueAt !== undefined && c.acknowledgedAt === undefined && t >= Date.parse(c.ackDueAt)) {
      out.ackOverdue.push(i);
      // Indexes go in ascending order, so `i` can only be the last one: O(1), not includes()' O(n).
      if (!c.ackOverdue && out.needsTick[out.needsTick.length - 1] !== i) out.needsTick.push(i);
    }
    if (s.state === "graded" && c.returns?.length) out.returned.push(i);
    if (c.provisional !== undefined) out.provisional.push(i);
    const due = Date.parse(c.dueAt);
    if (t >= due) {
      out.overdue.push(i);
      if (!c.overdue && out.needsTick[out.needsTick.length - 1] !== i) out.needsTick.push(i);
    } else {
      const warnAt = c.warnAt !== undefined ? Date.parse(c.warnAt) : due - DAY;
      if (t >= warnAt) out.dueSoon.push(i);
    }
    if (sv && periodEnd && s.state !== "graded" && c.assignment !== undefined) {
      const round = supervisionsThisRound(c);
      const last = round.length ? round[round.length - 1]!.at : undefined;
      const from = last ?? handlingRoundStart(c);
      if (t >= Date.parse(periodEnd(sv, from))) out.supervisionDue.push(i);
    }
    if (s.state === "escalation-pending") out.awaitingDecision.push(i);
    if (c.reportedTo.length > 0) out.reported.push(i);
    if (c.reportPending !== undefined) out.awaitingReportDecision.push(i);
  }
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
