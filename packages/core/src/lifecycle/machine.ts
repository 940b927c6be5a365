import { assign as xassign, setup } from "xstate";
import { JicengError, isJicengError, type IssuePath, type Text } from "../errors/index.js";
import type { GradeReason, GradeResult } from "../grading/grade.js";
import type { RulePack } from "../pack/schema.js";
import type { LevelDef } from "../vocabulary/index.js";
import type { Period } from "../vocabulary/index.js";
import type { AssignEvent, CaseEvent, EventOf } from "./events.js";
import { closeIssues } from "./rules.js";

import { OPEN_STATES, type CaseState, type HistoryEntry, type EscalationRecord, type ReportRecord, type Assignment, type CaseRoute, type ReturnRecord, type RectificationRecord, type ReviewRecord, type SupervisionRecord, type CaseContext } from "./context.js";

export { OPEN_STATES };
export type { CaseState, HistoryEntry, EscalationRecord, ReportRecord, Assignment, CaseRoute, ReturnRecord, RectificationRecord, ReviewRecord, SupervisionRecord, CaseContext };

/** What the machine needs from the engine: pure functions of the pack. */
export interface CaseServices {
  /**
   * History arrays that a replay owns while it runs (no caller can see them): actions append to
   * these in place instead of copying, so replaying n events costs O(n), not O(n²).
   */
  ownedHistories?: WeakSet<object>;
  pack: RulePack;
  grade(facts: Record<string, unknown>): GradeResult;
  deadline(level: string, from: string): { dueAt: string; dueAtMs: number; warnAt?: string; warnAtMs?: number };
  /** The deadline of a case: the first matching time limit by item type, else its level's. */
  caseDeadline(level: string, from: string, facts: Record<string, unknown>): { dueAt: string; warnAt?: string; timeLimit?: string };
  /** When a period counted from `from` ends (sign-for limits, review limits). */
  periodEnd(period: Pick<Period, "amount" | "unit">, from: string): string;
  extend(dueAt: string, days: number): string;
  /** 24:00 of a local date (YYYY-MM-DD) in the pack's timezone: the end of an assigned deadline day. */
  dayEnd(date: string): string;
  levelsByRank: readonly LevelDef[];
}

export function nextLevelUp(services: CaseServices, rank: number): LevelDef | undefined {
  return services.levelsByRank.find((l) => l.rank > rank);
}
export function isTopLevel(services: CaseServices, rank: number): boolean {
  return nextLevelUp(services, rank) === undefined;
}

/**
 * XState's `assign` merges what it is given into the context, so a key we removed would survive.
 * Our actions compute the whole next context; mark the removed keys undefined so the merge drops
 * them (the snapshot is cleaned of undefined keys when it leaves the machine).
 */
function replaceContext(prev: CaseContext, next: CaseContext): CaseContext {
  if (prev === next) return next;
  // Most steps remove nothing: then `next` merges as it is (the merge copies it anyway).
  let removed = false;
  for (const k in prev) {
    if (!(k in next)) {
      removed = true;
      break;
    }
  }
  if (!removed) return next;
  const out: Record<string, unknown> = { ...next };
  for (const k of Object.keys(prev)) if (!(k in next)) out[k] = undefined;
  return out as unknown as CaseContext;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const assign = (fn: (args: { context: CaseContext; event: CaseEvent }) => CaseContext): any => xassign(((args: { context: CaseContext; event: CaseEvent }) => replaceContext(args.context, fn(args))) as never);

/** The history to append to: the array itself while a replay owns it, else a copy (snapshots stay immutable). */
function historyOf(s: CaseServices, list: HistoryEntry[]): HistoryEntry[] {
  return s.ownedHistories !== undefined && s.ownedHistories.has(list) ? list : list.slice();
}
/** `[...list, h]`, appended in place when a replay owns `list`. */
function append(s: CaseServices, list: HistoryEntry[], h: HistoryEntry): HistoryEntry[] {
  const out = historyOf(s, list);
  out.push(h);
  return out;
}

function entry(ctx: CaseContext, state: CaseState, e: Omit<HistoryEntry, "seq" | "state" | "level"> & { level?: string }): HistoryEntry {
  return { seq: ctx.history.length + 1, state, level: e.level ?? ctx.level, ...e } as HistoryEntry;
}
const t = (zh: string, en: string): Text => ({ zh, en });
/** `o` with `by` added last when there is one (`o` is always a fresh literal: added in place, not copied). */
const withBy = <T extends object>(o: T, by: string | undefined): T => {
  if (by !== undefined) (o as T & { by: string }).by = by;
  return o;
};

/**
 * Runs a deadline computation for a field of the event or the case: its calendar errors
 * (CALENDAR_OUT_OF_RANGE, INVALID_DATE), which carry no path of their own, get that field's.
 */
export function atPath<T>(path: IssuePath, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!isJicengError(err)) throw err;
    throw new JicengError(err.issues.map((i) => (i.path.length === 0 ? { ...i, path } : i)));
  }
}

/** The facts after an update: objects merged key by key, any other value replaced (the one merge `check` and the machine share). */
export function mergeFacts(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev) ? mergeFacts(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** What a tick at `at` changes; shared by the machine's guard and action so both agree. */
export function tickEffects(s: CaseServices, ctx: CaseContext, at: string): { warn: boolean; overdue: boolean; toPending: boolean; report: boolean; ackOverdue: boolean } {
  const now = Date.parse(at);
  const ackOverdue = ctx.ackDueAt !== undefined && ctx.acknowledgedAt === undefined && ctx.ackOverdue !== true && ctx.resolvedAt === undefined && now >= Date.parse(ctx.ackDueAt);
  const overdue = !ctx.overdue && now >= Date.parse(ctx.dueAt);
  // Overdue supersedes the warning when one tick crosses both.
  const warn = !overdue && !ctx.warned && !ctx.overdue && ctx.warnAt !== undefined && now >= Date.parse(ctx.warnAt);
  const top = isTopLevel(s, ctx.rank);
  const esc = s.pack.escalation;
  return { warn, overdue, toPending: overdue && !top && esc !== undefined, report: overdue && top && esc?.report !== undefined && ctx.reportedTo.length === 0, ackOverdue };
}

function applyTick(s: CaseServices, ctx: CaseContext, at: string, target: CaseState): CaseContext {
  const fx = tickEffects(s, ctx, at);
  if (!fx.warn && !fx.overdue && !fx.ackOverdue) return ctx;
  const history = historyOf(s, ctx.history);
  const next: CaseContext = { ...ctx, lastAt: at, history };
  if (fx.ackOverdue) {
    next.ackOverdue = true;
    const label = s.pack.lifecycle.acknowledge?.label ?? t("签收", "sign-for");
    history.push(entry(next, target, { type: "ackOverdue", at, summary: t(`逾期未${label.zh}：时限 ${ctx.ackDueAt}`, `Not signed for in time (${label.en}): the limit was ${ctx.ackDueAt}`) }));
  }
  if (fx.warn) {
    next.warned = true;
    history.push(entry(next, target, { type: "warned", at, summary: t(`临近时限：${ctx.dueAt} 到期`, `Deadline approaching: due ${ctx.dueAt}`) }));
  }
  if (fx.overdue) {
    next.overdue = true;
    next.warned = true;
    history.push(entry(next, target, { type: "overdue", at, summary: t(`已逾期：时限 ${ctx.dueAt}`, `Overdue: the time limit was ${ctx.dueAt}`) }));
    if (fx.toPending) {
      const esc = s.pack.escalation!;
      next.escalation = ctx.escalation ?? { phase: esc.requestRequired ? "awaiting-request" : "awaiting-decision" };
    }
    if (fx.report) {
      const chain = s.pack.escalation!.report!.chain;
      const first = chain[0]!;
      next.reportedTo = [{ body: first.id, label: first.label, at }];
      if (chain.length > 1) next.reportPending = 1;
      history.push(entry(next, target, { type: "reported", at, summary: t(`最高等级逾期未化解，报${first.label.zh}研究`, `Top level overdue: reported to ${first.label.en}`) }));
    }
  }
  return next;
}

/**
 * The XState v5 machine of a case, built from the pack with `setup({ guards, actions })`.
 * All time comes from events; no timers, no clock.
 */
export function createCaseMachine(s: CaseServices) {
  const pack = s.pack;
  const acknowledge = pack.lifecycle.acknowledge !== undefined;
  /** The same action in one state: the history entry records the state it happened in. */
  const inState = (state: CaseState, fn: (context: CaseContext, event: CaseEvent, state: CaseState) => CaseContext) => assign(({ context, event }) => fn(context, event, state));
  const rectify = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"rectify">;
    const list = context.rectifications ?? [];
    const rec: RectificationRecord = withBy({ n: list.length + 1, at: e.at }, e.by);
    if (e.reason !== undefined) rec.reason = e.reason;
    if (e.difficulty !== undefined) rec.difficulty = e.difficulty;
    if (e.needsCoordination !== undefined) rec.needsCoordination = e.needsCoordination;
    if (e.measures !== undefined) rec.measures = e.measures;
    const label = pack.lifecycle.rectification?.label ?? t("整改清单", "rectification list");
    const coord = e.needsCoordination ? t("；需上级部门协调", "; a higher level must coordinate") : t("", "");
    const h = entry(context, state, withBy({ type: "rectify" as const, at: e.at, summary: t(`列入${label.zh}（第 ${rec.n} 项）${coord.zh}`, `Put on the ${label.en} (no. ${rec.n})${coord.en}`) }, e.by));
    if (e.measures) h.note = e.measures;
    return { ...context, lastAt: e.at, rectifications: [...list, rec], history: append(s, context.history, h) };
  };
  const strikeOff = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"strikeOff">;
    const struck: number[] = [];
    const rectifications = (context.rectifications ?? []).map((r) => {
      if (r.struckOffAt !== undefined || (e.item !== undefined && r.n !== e.item)) return r;
      struck.push(r.n);
      const out: RectificationRecord = { ...r, struckOffAt: e.at };
      if (e.by !== undefined) out.struckOffBy = e.by;
      if (e.note !== undefined) out.note = e.note;
      return out;
    });
    const h = entry(context, state, withBy({ type: "strikeOff" as const, at: e.at, summary: t(`销号：第 ${struck.join("、")} 项`, `Struck off: no. ${struck.join(", ")}`) }, e.by));
    if (e.note) h.note = e.note;
    return { ...context, lastAt: e.at, rectifications, history: append(s, context.history, h) };
  };
  const supervise = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"supervise">;
    const rec: SupervisionRecord = withBy({ at: e.at }, e.by);
    if (e.note !== undefined) rec.note = e.note;
    const sv = pack.lifecycle.supervision;
    const label = sv?.label ?? t("督办", "supervision");
    const body = sv?.by ? t(`（${sv.by.label.zh}）`, ` (${sv.by.label.en})`) : t("", "");
    const n = (context.supervisions?.length ?? 0) + 1;
    const h = entry(context, state, withBy({ type: "supervise" as const, at: e.at, summary: t(`${label.zh}${body.zh}：第 ${n} 次`, `${label.en}${body.en}: no. ${n}`) }, e.by));
    if (e.note) h.note = e.note;
    return { ...context, lastAt: e.at, supervisions: [...(context.supervisions ?? []), rec], history: append(s, context.history, h) };
  };
  const recordChecklists = (next: CaseContext, before: "resolve" | "close", e: { at: string; by?: string | undefined; confirmations?: string[] | undefined }) => {
    const lists = (pack.lifecycle.checklists ?? []).filter((c) => c.before === before);
    if (!lists.length) return;
    const given = new Set(e.confirmations ?? []);
    next.confirmed = [...(next.confirmed ?? []), ...lists.map((c) => withBy({ checklist: c.id, before, at: e.at, items: c.items.map((i) => i.id).filter((id) => given.has(id)) }, e.by))];
  };

  return setup({
    types: {} as { context: CaseContext; events: CaseEvent; input: CaseContext },
    guards: {
      tickGoesPending: ({ context, event }) => event.type === "tick" && tickEffects(s, context, event.at).toPending,
      canUpgrade: ({ context }) => !isTopLevel(s, context.rank),
      canClose: ({ context, event }) => event.type === "close" && closeIssues(pack, context, event.confirmations).length === 0,
      verifyPassed: ({ event }) => event.type === "verify" && event.passed,
      escalationRequested: ({ context }) => context.escalation?.phase === "awaiting-decision",
      reportAwaited: ({ context }) => context.reportPending !== undefined,
      updateRegrades: ({ context, event }) => {
        if (event.type !== "update" || pack.lifecycle.regrade === "never") return false;
        const rank = s.grade(mergeFacts(context.facts, event.facts)).rank;
        return rank > context.rank || (pack.lifecycle.regrade === "any" && rank < context.rank);
      },
    },
    actions: {
      tick: assign(({ context, event }) => applyTick(s, context, (event as EventOf<"tick">).at, "resolving")),
      tickGraded: assign(({ context, event }) => applyTick(s, context, (event as EventOf<"tick">).at, "graded")),
      tickAssigned: assign(({ context, event }) => applyTick(s, context, (event as EventOf<"tick">).at, "assigned")),
      tickPending: assign(({ context, event }) => applyTick(s, context, (event as EventOf<"tick">).at, "escalation-pending")),
      assignCase: assign(({ context, event }) => {
        const e = event as AssignEvent;
        const { type: _type, at, by, ...fields } = e;
        const assignment = withBy({ ...fields, at }, by) as Assignment;
        const state: CaseState = acknowledge ? "assigned" : "resolving";
        const id = fields.leadUnit ?? fields.responsibleUnit ?? "";
        const named = pack.routing ? [...pack.routing.departments, pack.routing.coordinator, ...(pack.routing.coordinators ?? [])].find((x) => x.id === id) : undefined;
        const who = named ? t(`${named.label.zh}（${id}）`, `${named.label.en} (${id})`) : t(id, id);
        const auto = by === "auto-dispatch" ? t("自动派单", "Dispatched automatically") : t("交办", "Assigned");
        const next: CaseContext = { ...context, assignment, lastAt: at, history: append(s, context.history, entry(context, state, withBy({ type: "assign" as const, at, summary: t(`${auto.zh}：${who.zh}`, `${auto.en}: ${who.en}`) }, by))) };
        if (pack.lifecycle.acknowledge) next.ackDueAt = atPath(["event", "at"], () => s.periodEnd(pack.lifecycle.acknowledge!.deadline, at));
        const ad = pack.lifecycle.assignment?.assignedDeadline;
        if (ad && fields.deadline !== undefined) {
          const end = atPath(["event", "deadline"], () => s.dayEnd(fields.deadline!));
          const limit = atPath(["snapshot", "context", "clockStart"], () => s.caseDeadline(context.level, context.clockStart, context.facts)).dueAt;
          if (ad.beyondLimit === "flag" && Date.parse(end) > Date.parse(limit)) assignment.beyondLimit = { limit };
          if (ad.governs) {
            Object.assign(next, { dueAt: end, overdue: false, warned: false });
            delete next.warnAt;
            next.history[next.history.length - 1]!.summary = t(`${next.history.at(-1)!.summary.zh}；化解时限 ${fields.deadline}（至 ${end}）`, `${next.history.at(-1)!.summary.en}; time limit ${fields.deadline} (until ${end})`);
          }
        }
        return next;
      }),
      acknowledgeCase: assign(({ context, event }) => {
        const e = event as EventOf<"acknowledge">;
        const label = pack.lifecycle.acknowledge?.label;
        const summary = label ? t(`已${label.zh}`, `Done: ${label.en}`) : t("已签收", "Signed for");
        return { ...context, acknowledgedAt: e.at, lastAt: e.at, history: append(s, context.history, entry(context, "resolving", withBy({ type: "acknowledge" as const, at: e.at, summary }, e.by))) };
      }),
      updateFacts: assign(({ context, event }) => {
        const e = event as EventOf<"update">;
        const facts = mergeFacts(context.facts, e.facts);
        let next: CaseContext = { ...context, facts, lastAt: e.at };
        const history = historyOf(s, context.history);
        let summary = t("补充事实", "Facts updated");
        let reasons: GradeReason[] | undefined;
        if (pack.lifecycle.regrade !== "never") {
          const g = s.grade(facts);
          if (g.rank > context.rank || (pack.lifecycle.regrade === "any" && g.rank < context.rank)) {
            next = { ...next, level: g.level, rank: g.rank, escalations: [...context.escalations, withBy({ at: e.at, decision: "regrade" as const, from: context.level, to: g.level }, e.by ?? "rules") as EscalationRecord] };
            // An assigned time limit that governs (四定) stands: a regrade changes the colour, not the 化解时限.
            if (!(pack.lifecycle.assignment?.assignedDeadline?.governs && context.assignment?.deadline !== undefined)) {
              const dl = atPath(["event", "at"], () => s.caseDeadline(g.level, e.at, facts));
              next = { ...next, clockStart: e.at, dueAt: dl.dueAt, warned: false, overdue: false };
              if (dl.warnAt) next.warnAt = dl.warnAt;
              else delete next.warnAt;
              if (dl.timeLimit) next.timeLimit = dl.timeLimit;
              else delete next.timeLimit;
            }
            delete next.escalation;
            summary = t(`依新事实重新定级：${context.level} → ${g.level}`, `Regraded on new facts: ${context.level} → ${g.level}`);
            reasons = g.reasons;
          }
        }
        const h = entry(next, reasons ? "resolving" : context.escalation ? "escalation-pending" : context.assignment ? (acknowledge && !context.acknowledgedAt ? "assigned" : "resolving") : "graded", withBy({ type: "update" as const, at: e.at, summary }, e.by));
        if (reasons) h.reasons = reasons;
        if (e.note) h.note = e.note;
        history.push(h);
        return { ...next, history };
      }),
      requestEscalation: assign(({ context, event }) => {
        const e = event as EventOf<"requestEscalation">;
        return {
          ...context,
          lastAt: e.at,
          escalation: { phase: "awaiting-decision" as const, requestedAt: e.at, reason: e.reason },
          history: append(s, context.history, entry(context, "escalation-pending", withBy({ type: "requestEscalation" as const, at: e.at, note: e.reason, summary: t(`申请升级或延期：${e.reason}`, `Applied for upgrade or extension: ${e.reason}`) }, e.by))),
        };
      }),
      decideEscalation: assign(({ context, event }) => {
        const e = event as EventOf<"decideEscalation">;
        const body = (e.decision === "extend" ? pack.escalation?.extend?.decidedBy?.label : undefined) ?? pack.escalation?.decidedBy.label ?? t("决定机构", "the deciding body");
        const base: CaseContext = { ...context, lastAt: e.at };
        delete base.escalation;
        const rec: EscalationRecord = { at: e.at, decision: e.decision, by: e.by, from: context.level, to: context.level };
        if (context.escalation?.reason) rec.reason = context.escalation.reason;
        let summary: Text;
        if (e.decision === "upgrade") {
          const up = nextLevelUp(s, context.rank)!;
          const from = pack.escalation?.upgrade.clock === "continue" ? context.clockStart : e.at;
          const dl = atPath(from === e.at ? ["event", "at"] : ["snapshot", "context", "clockStart"], () => s.caseDeadline(up.id, from, context.facts));
          Object.assign(base, { level: up.id, rank: up.rank, clockStart: from, dueAt: dl.dueAt, warned: false, overdue: false });
          if (dl.warnAt) base.warnAt = dl.warnAt;
          else delete base.warnAt;
          if (dl.timeLimit) base.timeLimit = dl.timeLimit;
          else delete base.timeLimit;
          rec.to = up.id;
          summary = t(`${body.zh}决定升级：${context.level} → ${up.id}，新时限 ${dl.dueAt}`, `${body.en} decided to upgrade: ${context.level} → ${up.id}, new time limit ${dl.dueAt}`);
        } else if (e.decision === "extend") {
          const dueAt = atPath(["event", "days"], () => s.extend(context.dueAt, e.days!));
          Object.assign(base, { dueAt, overdue: false, warned: false });
          delete base.warnAt;
          rec.days = e.days!;
          summary = t(`${body.zh}决定延期 ${e.days} 天，新时限 ${dueAt}`, `${body.en} extended the time limit by ${e.days} days to ${dueAt}`);
        } else {
          summary = t(`${body.zh}不同意升级或延期`, `${body.en} rejected the application`);
        }
        const h = entry(base, "resolving", { type: "decideEscalation", at: e.at, by: e.by, decision: e.decision, summary });
        if (e.note) h.note = e.note;
        return { ...base, escalations: [...context.escalations, rec], history: append(s, context.history, h) };
      }),
      decideReport: assign(({ context, event }) => {
        const e = event as EventOf<"decideReport">;
        const chain = pack.escalation!.report!.chain;
        const i = context.reportPending!;
        const target = chain[i]!;
        const decider = chain[i - 1]!;
        const next: CaseContext = { ...context, lastAt: e.at };
        delete next.reportPending;
        let summary: Text;
        if (e.report) {
          next.reportedTo = [...context.reportedTo, { body: target.id, label: target.label, at: e.at, by: e.by }];
          if (i + 1 < chain.length) next.reportPending = i + 1;
          summary = t(`${decider.label.zh}决定报送${target.label.zh}`, `${decider.label.en} decided to report to ${target.label.en}`);
        } else {
          summary = t(`${decider.label.zh}决定不报送${target.label.zh}`, `${decider.label.en} decided not to report to ${target.label.en}`);
        }
        const h = entry(next, "resolving", { type: "decideReport", at: e.at, by: e.by, decision: e.report ? "report" : "keep", summary });
        if (e.note) h.note = e.note;
        return { ...next, history: append(s, context.history, h) };
      }),
      progress: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return { ...context, lastAt: e.at, history: append(s, context.history, entry(context, "resolving", withBy({ type: "progress" as const, at: e.at, note: e.note, summary: t("办理进展", "Progress") }, e.by))) };
      }),
      progressPending: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return { ...context, lastAt: e.at, history: append(s, context.history, entry(context, "escalation-pending", withBy({ type: "progress" as const, at: e.at, note: e.note, summary: t("办理进展", "Progress") }, e.by))) };
      }),
      resolveCase: assign(({ context, event }) => {
        const e = event as EventOf<"resolve">;
        const next: CaseContext = { ...context, resolvedAt: e.at, lastAt: e.at };
        delete next.escalation;
        recordChecklists(next, "resolve", e);
        const h = entry(next, "resolved", withBy({ type: "resolve" as const, at: e.at, summary: t("已化解", "Resolved") }, e.by));
        if (e.note) h.note = e.note;
        return { ...next, history: append(s, context.history, h) };
      }),
      followUp: assign(({ context, event }) => {
        const e = event as EventOf<"followUp">;
        const visit: CaseContext["followUps"][number] = withBy({ at: e.at }, e.by);
        if (e.agreementKept !== undefined) visit.agreementKept = e.agreementKept;
        if (e.note) visit.note = e.note;
        const h = entry(context, "resolved", withBy({ type: "followUp" as const, at: e.at, summary: e.agreementKept === false ? t("回访：协议未履行", "Return visit: the agreement is not kept") : t("回访", "Return visit") }, e.by));
        if (e.note) h.note = e.note;
        return { ...context, lastAt: e.at, followUps: [...context.followUps, visit], history: append(s, context.history, h) };
      }),
      closeCase: assign(({ context, event }) => {
        const e = event as EventOf<"close">;
        const h = entry(context, "closed", withBy({ type: "close" as const, at: e.at, summary: t("结案", "Closed") }, e.by));
        if (e.note) h.note = e.note;
        const next: CaseContext = { ...context, closedAt: e.at, lastAt: e.at, history: append(s, context.history, h) };
        recordChecklists(next, "close", e);
        return next;
      }),
      selfCloseCase: assign(({ context, event }) => {
        const e = event as EventOf<"selfClose">;
        const label = pack.lifecycle.selfClose?.label ?? t("自行办结", "closed on the spot");
        const h = entry(context, "closed", withBy({ type: "selfClose" as const, at: e.at, summary: t(`${label.zh}（${e.role}）`, `${label.en} (${e.role})`) }, e.by));
        if (e.note) h.note = e.note;
        const next: CaseContext = { ...context, resolvedAt: e.at, closedAt: e.at, lastAt: e.at, selfClosed: withBy({ role: e.role }, e.by), history: append(s, context.history, h) };
        delete next.escalation;
        return next;
      }),
      returnCase: assign(({ context, event }) => {
        const e = event as EventOf<"return">;
        const from = context.assignment?.leadUnit ?? context.assignment?.responsibleUnit;
        const rec: ReturnRecord = withBy({ at: e.at, reason: e.reason }, e.by);
        if (from !== undefined) rec.from = from;
        const back = context.firstReceiver ?? pack.routing?.coordinator.label.zh;
        const backEn = context.firstReceiver ?? pack.routing?.coordinator.label.en;
        const h = entry(context, "graded", withBy({ type: "return" as const, at: e.at, note: e.reason, summary: t(`退回${from ? "（" + from + "）" : ""}：${e.reason}${back ? "；由" + back + "重新分流" : ""}`, `Returned${from ? " by " + from : ""}: ${e.reason}${backEn ? "; to be dispatched again by " + backEn : ""}`) }, e.by));
        const next: CaseContext = { ...context, lastAt: e.at, returns: [...(context.returns ?? []), rec], history: append(s, context.history, h) };
        delete next.assignment;
        delete next.acknowledgedAt;
        delete next.ackDueAt;
        delete next.ackOverdue;
        return next;
      }),
      rectifyAssigned: inState("assigned", rectify),
      rectifyResolving: inState("resolving", rectify),
      rectifyPending: inState("escalation-pending", rectify),
      strikeOffAssigned: inState("assigned", strikeOff),
      strikeOffResolving: inState("resolving", strikeOff),
      strikeOffPending: inState("escalation-pending", strikeOff),
      strikeOffResolved: inState("resolved", strikeOff),
      rectifyResolved: inState("resolved", rectify),
      superviseAssigned: inState("assigned", supervise),
      superviseResolving: inState("resolving", supervise),
      supervisePending: inState("escalation-pending", supervise),

      verifyPass: assign(({ context, event }) => {
        const e = event as EventOf<"verify">;
        const label = pack.lifecycle.verification?.label ?? t("核实", "verification");
        const rec: NonNullable<CaseContext["verifications"]>[number] = withBy({ at: e.at, passed: true }, e.by);
        if (e.note) rec.note = e.note;
        const h = entry(context, "resolved", withBy({ type: "verify" as const, at: e.at, decision: "passed", summary: t(`${label.zh}：通过`, `${label.en}: passed`) }, e.by));
        if (e.note) h.note = e.note;
        return { ...context, lastAt: e.at, verifiedAt: e.at, verifications: [...(context.verifications ?? []), rec], history: append(s, context.history, h) };
      }),
      verifyFail: assign(({ context, event }) => {
        const e = event as EventOf<"verify">;
        const label = pack.lifecycle.verification?.label ?? t("核实", "verification");
        const rec: NonNullable<CaseContext["verifications"]>[number] = withBy({ at: e.at, passed: false }, e.by);
        if (e.note) rec.note = e.note;
        const h = entry(context, "resolving", withBy({ type: "verify" as const, at: e.at, decision: "failed", summary: t(`${label.zh}未通过，退回办理`, `${label.en} failed: back to be handled again`) }, e.by));
        if (e.note) h.note = e.note;
        const next: CaseContext = { ...context, lastAt: e.at, verifications: [...(context.verifications ?? []), rec], history: append(s, context.history, h) };
        delete next.resolvedAt;
        delete next.verifiedAt;
        delete next.evaluation;
        return next;
      }),
      evaluateCase: assign(({ context, event }) => {
        const e = event as EventOf<"evaluate">;
        const ev = pack.lifecycle.evaluation;
        const rating = ev?.ratings.find((r) => r.value === e.rating)?.label ?? t(e.rating, e.rating);
        const evaluation: NonNullable<CaseContext["evaluation"]> = withBy({ at: e.at, rating: e.rating }, e.by);
        if (e.note) evaluation.note = e.note;
        const h = entry(context, "resolved", withBy({ type: "evaluate" as const, at: e.at, decision: e.rating, summary: t(`${ev?.label.zh ?? "评价"}：${rating.zh}`, `${ev?.label.en ?? "evaluation"}: ${rating.en}`) }, e.by));
        if (e.note) h.note = e.note;
        return { ...context, lastAt: e.at, evaluation, history: append(s, context.history, h) };
      }),
      requestReviewCase: assign(({ context, event }) => {
        const e = event as EventOf<"requestReview">;
        const stages = pack.lifecycle.reviews!.stages;
        const done = context.reviews ?? [];
        const stage = stages[done.length]!;
        const dueAt = atPath(["event", "at"], () => s.periodEnd(stage.deadline, e.at));
        const rec: ReviewRecord = withBy({ stage: stage.id, at: e.at, reason: e.reason }, e.by);
        if (context.resolvedAt !== undefined) rec.previousResolvedAt = context.resolvedAt;
        const h = entry(context, "resolving", withBy({ type: "requestReview" as const, at: e.at, note: e.reason, summary: t(`请求${stage.label.zh}，时限 ${dueAt}`, `${stage.label.en} requested, due ${dueAt}`) }, e.by));
        const next: CaseContext = { ...context, lastAt: e.at, clockStart: e.at, dueAt, warned: false, overdue: false, reviews: [...done, rec], history: append(s, context.history, h) };
        for (const k of ["warnAt", "resolvedAt", "verifiedAt", "evaluation", "escalation", "timeLimit"] as const) delete next[k];
        return next;
      }),
    },
  }).createMachine({
    id: `jiceng-case-${pack.id}`,
    context: ({ input }) => input,
    initial: "graded",
    states: {
      graded: {
        on: {
          assign: { target: acknowledge ? "assigned" : "resolving", actions: "assignCase" },
          update: { actions: "updateFacts" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tickGraded" }],
          decideReport: { guard: "reportAwaited", actions: "decideReport" },
          selfClose: { target: "closed", actions: "selfCloseCase" },
        },
      },
      assigned: {
        on: {
          acknowledge: { target: "resolving", actions: "acknowledgeCase" },
          update: { actions: "updateFacts" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tickAssigned" }],
          decideReport: { guard: "reportAwaited", actions: "decideReport" },
          return: { target: "graded", actions: "returnCase" },
          rectify: { actions: "rectifyAssigned" },
          strikeOff: { actions: "strikeOffAssigned" },
          supervise: { actions: "superviseAssigned" },
        },
      },
      resolving: {
        on: {
          update: { actions: "updateFacts" },
          progress: { actions: "progress" },
          requestEscalation: { target: "escalation-pending", actions: "requestEscalation" },
          decideReport: { guard: "reportAwaited", actions: "decideReport" },
          resolve: { target: "resolved", actions: "resolveCase" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tick" }],
          return: { target: "graded", actions: "returnCase" },
          rectify: { actions: "rectifyResolving" },
          strikeOff: { actions: "strikeOffResolving" },
          supervise: { actions: "superviseResolving" },
        },
      },
      "escalation-pending": {
        on: {
          update: [{ guard: "updateRegrades", target: "resolving", actions: "updateFacts" }, { actions: "updateFacts" }],
          progress: { actions: "progressPending" },
          requestEscalation: { actions: "requestEscalation" },
          decideEscalation: { guard: "escalationRequested", target: "resolving", actions: "decideEscalation" },
          decideReport: { guard: "reportAwaited", actions: "decideReport" },
          resolve: { target: "resolved", actions: "resolveCase" },
          tick: { actions: "tickPending" },
          rectify: { actions: "rectifyPending" },
          strikeOff: { actions: "strikeOffPending" },
          supervise: { actions: "supervisePending" },
        },
      },
      resolved: {
        on: {
          followUp: { actions: "followUp" },
          close: { guard: "canClose", target: "closed", actions: "closeCase" },
          verify: [{ guard: "verifyPassed", actions: "verifyPass" }, { target: "resolving", actions: "verifyFail" }],
          evaluate: { actions: "evaluateCase" },
          requestReview: { target: "resolving", actions: "requestReviewCase" },
          strikeOff: { actions: "strikeOffResolved" },
          rectify: { actions: "rectifyResolved" },
          tick: {},
        },
      },
      closed: { type: "final" },
    },
  });
}

export type CaseMachine = ReturnType<typeof createCaseMachine>;
