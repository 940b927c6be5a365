import { assign as xassign, setup } from "xstate";
import { JicengError, isJicengError, type IssuePath } from "../errors/index.js";
import type { GradeReason, GradeResult } from "../grading/grade.js";
import type { RulePack } from "../pack/schema.js";
import type { LevelDef } from "../vocabulary/index.js";
import type { Period } from "../vocabulary/index.js";
import type { AssignEvent, CaseEvent, EventOf } from "./events.js";
import { closeIssues } from "./rules.js";
import { putReasons, storeInstant, storedEntry } from "./history.js";
import { WHOLE_CONTEXT } from "./flat.js";

import { OPEN_STATES, type CaseState, type HistoryEntry, type StoredHistoryEntry, type HistoryParams, type HistoryType, type EscalationRecord, type ReportRecord, type Assignment, type CaseRoute, type ReturnRecord, type RectificationRecord, type ReviewRecord, type SupervisionRecord, type CaseContext } from "./context.js";
import { parseIsoDateTime } from "../conditions/time.js";

export { OPEN_STATES };
export type { CaseState, HistoryEntry, StoredHistoryEntry, HistoryParams, HistoryType, EscalationRecord, ReportRecord, Assignment, CaseRoute, ReturnRecord, RectificationRecord, ReviewRecord, SupervisionRecord, CaseContext };

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

/**
 * An assign action of the case machine. Every action computes the whole next context: a spread of
 * the context first, then the keys it changes or adds; a key it drops is set to undefined with
 * {@link unset}, never deleted (the snapshot leaves undefined keys out). So the keys it keeps stay
 * in the context's order, which is what XState's merge gives: the flat interpreter takes `fn`'s
 * result as it is (flat.ts, WHOLE_CONTEXT).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const assign = (fn: (args: { context: CaseContext; event: CaseEvent }) => CaseContext): any => {
  const assignment = (args: { context: CaseContext; event: CaseEvent }) => replaceContext(args.context, fn(args));
  Object.defineProperty(assignment, WHOLE_CONTEXT, { value: fn });
  return xassign(assignment as never);
};

/**
 * Drops `key` from a context an action has just made (a fresh object): set to undefined, not
 * deleted. A delete would turn the object into a slow dictionary in V8 (every later read and
 * copy of it slower), and a key deleted and set again would move to the end of the key order.
 */
function unset(c: CaseContext, key: keyof CaseContext): void {
  if (c[key] !== undefined) (c as unknown as Record<string, unknown>)[key] = undefined;
}

/**
 * The next context: `context` with `changes`, copied onto a fresh object. The same keys as
 * `{ ...context, ...changes }` in the same order, but V8 gives every such copy with the same keys one
 * shared hidden class; a spread to which a key is added gives each copy a class of its own (so every
 * later read of a context, and every copy, went megamorphic: ~2 µs a copy instead of ~0.3).
 */
function extend(context: CaseContext, changes: Partial<CaseContext>): CaseContext {
  return Object.assign({}, context, changes);
}

/** The history to append to: the array itself while a replay owns it, else a copy (snapshots stay immutable). */
function historyOf(s: CaseServices, list: StoredHistoryEntry[]): StoredHistoryEntry[] {
  return s.ownedHistories !== undefined && s.ownedHistories.has(list) ? list : list.slice();
}
/** `[...list, h]`, appended in place when a replay owns `list`. */
function append(s: CaseServices, list: StoredHistoryEntry[], h: StoredHistoryEntry): StoredHistoryEntry[] {
  const out = historyOf(s, list);
  out.push(h);
  return out;
}

/** A history entry of `ctx` (codes and parameters; the sentence is rendered on read), to append to `ctx.history`. */
function entry(ctx: CaseContext, state: CaseState, type: HistoryType, at: string, by: string | undefined, params?: HistoryParams, note?: string, decision?: string): StoredHistoryEntry {
  return storedEntry(ctx.history, ctx.receivedAt, type, at, state, ctx.level, by, note, decision, params);
}
/** An instant as the history stores it. */
const inst = (ctx: CaseContext, at: string) => storeInstant(ctx.receivedAt, at);
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
  const now = parseIsoDateTime(at);
  const ackOverdue = ctx.ackDueAt !== undefined && ctx.acknowledgedAt === undefined && ctx.ackOverdue !== true && ctx.resolvedAt === undefined && now >= parseIsoDateTime(ctx.ackDueAt);
  const overdue = !ctx.overdue && now >= parseIsoDateTime(ctx.dueAt);
  // Overdue supersedes the warning when one tick crosses both.
  const warn = !overdue && !ctx.warned && !ctx.overdue && ctx.warnAt !== undefined && now >= parseIsoDateTime(ctx.warnAt);
  const top = isTopLevel(s, ctx.rank);
  const esc = s.pack.escalation;
  return { warn, overdue, toPending: overdue && !top && esc !== undefined, report: overdue && top && esc?.report !== undefined && ctx.reportedTo.length === 0, ackOverdue };
}

function applyTick(s: CaseServices, ctx: CaseContext, at: string, target: CaseState): CaseContext {
  const fx = tickEffects(s, ctx, at);
  if (!fx.warn && !fx.overdue && !fx.ackOverdue) return ctx;
  const history = historyOf(s, ctx.history);
  const next: CaseContext = extend(ctx, { lastAt: at, history });
  if (fx.ackOverdue) {
    next.ackOverdue = true;
    history.push(entry(next, target, "ackOverdue", at, undefined, { due: inst(ctx, ctx.ackDueAt!) }));
  }
  if (fx.warn) {
    next.warned = true;
    history.push(entry(next, target, "warned", at, undefined, { due: inst(ctx, ctx.dueAt) }));
  }
  if (fx.overdue) {
    next.overdue = true;
    next.warned = true;
    history.push(entry(next, target, "overdue", at, undefined, { due: inst(ctx, ctx.dueAt) }));
    if (fx.toPending) {
      const esc = s.pack.escalation!;
      next.escalation = ctx.escalation ?? { phase: esc.requestRequired ? "awaiting-request" : "awaiting-decision" };
    }
    if (fx.report) {
      const chain = s.pack.escalation!.report!.chain;
      const first = chain[0]!;
      next.reportedTo = [{ body: first.id, label: first.label, at }];
      if (chain.length > 1) next.reportPending = 1;
      history.push(entry(next, target, "reported", at, undefined, { body: first.id }));
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
  // New facts leave the case where it is, except that a regrade ends a pending escalation (its
  // transition goes back to resolving: the guard updateRegrades is the same test as here).
  const updateFacts = (context: CaseContext, event: CaseEvent, here: CaseState): CaseContext => {
    const e = event as EventOf<"update">;
    const facts = mergeFacts(context.facts, e.facts);
    let next: CaseContext = extend(context, { facts, lastAt: e.at });
    const history = historyOf(s, context.history);
    let from: string | undefined;
    let reasons: GradeReason[] | undefined;
    if (pack.lifecycle.regrade !== "never") {
      const g = s.grade(facts);
      if (g.rank > context.rank || (pack.lifecycle.regrade === "any" && g.rank < context.rank)) {
        next = extend(next, { level: g.level, rank: g.rank, escalations: [...context.escalations, withBy({ at: e.at, decision: "regrade" as const, from: context.level, to: g.level }, e.by ?? "rules") as EscalationRecord] });
        // An assigned time limit that governs (四定) stands: a regrade changes the colour, not the 化解时限.
        if (!(pack.lifecycle.assignment?.assignedDeadline?.governs && context.assignment?.deadline !== undefined)) {
          const dl = atPath(["event", "at"], () => s.caseDeadline(g.level, e.at, facts));
          next = extend(next, { clockStart: e.at, dueAt: dl.dueAt, warned: false, overdue: false });
          if (dl.warnAt) next.warnAt = dl.warnAt;
          else unset(next, "warnAt");
          if (dl.timeLimit) next.timeLimit = dl.timeLimit;
          else unset(next, "timeLimit");
        }
        unset(next, "escalation");
        from = context.level;
        reasons = g.reasons;
      }
    }
    const h = entry(next, reasons && here === "escalation-pending" ? "resolving" : here, "update", e.at, e.by, from !== undefined ? { from } : undefined, e.note || undefined);
    if (reasons) putReasons(pack, h, reasons);
    history.push(h);
    next.history = history;
    return next;
  };
  // A decision whether to report up (上报) leaves the case where it is: its entry records that state.
  const decideReport = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"decideReport">;
    const chain = pack.escalation!.report!.chain;
    const i = context.reportPending!;
    const target = chain[i]!;
    const decider = chain[i - 1]!;
    const next: CaseContext = extend(context, { lastAt: e.at });
    unset(next, "reportPending");
    if (e.report) {
      next.reportedTo = [...context.reportedTo, { body: target.id, label: target.label, at: e.at, by: e.by }];
      if (i + 1 < chain.length) next.reportPending = i + 1;
    }
    const h = entry(next, state, "decideReport", e.at, e.by, { body: target.id, decider: decider.id }, e.note || undefined, e.report ? "report" : "keep");
    next.history = append(s, context.history, h);
    return next;
  };
  const rectify = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"rectify">;
    const list = context.rectifications ?? [];
    const rec: RectificationRecord = withBy({ n: list.length + 1, at: e.at }, e.by);
    if (e.reason !== undefined) rec.reason = e.reason;
    if (e.difficulty !== undefined) rec.difficulty = e.difficulty;
    if (e.needsCoordination !== undefined) rec.needsCoordination = e.needsCoordination;
    if (e.measures !== undefined) rec.measures = e.measures;
    const h = entry(context, state, "rectify", e.at, e.by, e.needsCoordination ? { n: rec.n, coordinate: true } : { n: rec.n }, e.measures || undefined);
    return extend(context, { lastAt: e.at, rectifications: [...list, rec], history: append(s, context.history, h) });
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
    const h = entry(context, state, "strikeOff", e.at, e.by, { items: struck }, e.note || undefined);
    return extend(context, { lastAt: e.at, rectifications, history: append(s, context.history, h) });
  };
  const supervise = (context: CaseContext, event: CaseEvent, state: CaseState): CaseContext => {
    const e = event as EventOf<"supervise">;
    const rec: SupervisionRecord = withBy({ at: e.at }, e.by);
    if (e.note !== undefined) rec.note = e.note;
    const n = (context.supervisions?.length ?? 0) + 1;
    const h = entry(context, state, "supervise", e.at, e.by, { n }, e.note || undefined);
    return extend(context, { lastAt: e.at, supervisions: [...(context.supervisions ?? []), rec], history: append(s, context.history, h) });
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
        const { at, by } = e;
        // The event's fields but type, at and by, then at and by: a validated event's own keys (an
        // object rest copies the same, ~20× slower in V8).
        const fields = {} as Record<string, unknown>;
        for (const k in e) if (k !== "type" && k !== "at" && k !== "by") fields[k] = (e as unknown as Record<string, unknown>)[k];
        fields["at"] = at;
        const assignment = withBy(fields, by) as unknown as Assignment;
        const state: CaseState = acknowledge ? "assigned" : "resolving";
        const h = entry(context, state, "assign", at, by, { unit: e.leadUnit ?? e.responsibleUnit ?? "" });
        const next: CaseContext = extend(context, { assignment, lastAt: at, history: append(s, context.history, h) });
        if (pack.lifecycle.acknowledge) next.ackDueAt = atPath(["event", "at"], () => s.periodEnd(pack.lifecycle.acknowledge!.deadline, at));
        const ad = pack.lifecycle.assignment?.assignedDeadline;
        if (ad && e.deadline !== undefined) {
          const end = atPath(["event", "deadline"], () => s.dayEnd(e.deadline!));
          const limit = atPath(["snapshot", "context", "clockStart"], () => s.caseDeadline(context.level, context.clockStart, context.facts)).dueAt;
          if (ad.beyondLimit === "flag" && parseIsoDateTime(end) > parseIsoDateTime(limit)) assignment.beyondLimit = { limit };
          if (ad.governs) {
            Object.assign(next, { dueAt: end, overdue: false, warned: false });
            unset(next, "warnAt");
            h.deadline = e.deadline;
            h.end = inst(context, end);
          }
        }
        return next;
      }),
      acknowledgeCase: assign(({ context, event }) => {
        const e = event as EventOf<"acknowledge">;
        return extend(context, { acknowledgedAt: e.at, lastAt: e.at, history: append(s, context.history, entry(context, "resolving", "acknowledge", e.at, e.by)) });
      }),
      updateFactsGraded: inState("graded", updateFacts),
      updateFactsAssigned: inState("assigned", updateFacts),
      updateFacts: inState("resolving", updateFacts),
      updateFactsPending: inState("escalation-pending", updateFacts),
      requestEscalation: assign(({ context, event }) => {
        const e = event as EventOf<"requestEscalation">;
        return extend(context, {
          lastAt: e.at,
          escalation: { phase: "awaiting-decision" as const, requestedAt: e.at, reason: e.reason },
          history: append(s, context.history, entry(context, "escalation-pending", "requestEscalation", e.at, e.by, undefined, e.reason)),
        });
      }),
      decideEscalation: assign(({ context, event }) => {
        const e = event as EventOf<"decideEscalation">;
        const base: CaseContext = extend(context, { lastAt: e.at });
        unset(base, "escalation");
        const rec: EscalationRecord = { at: e.at, decision: e.decision, by: e.by, from: context.level, to: context.level };
        if (context.escalation?.reason) rec.reason = context.escalation.reason;
        let params: HistoryParams | undefined;
        if (e.decision === "upgrade") {
          const up = nextLevelUp(s, context.rank)!;
          const from = pack.escalation?.upgrade.clock === "continue" ? context.clockStart : e.at;
          const dl = atPath(from === e.at ? ["event", "at"] : ["snapshot", "context", "clockStart"], () => s.caseDeadline(up.id, from, context.facts));
          Object.assign(base, { level: up.id, rank: up.rank, clockStart: from, dueAt: dl.dueAt, warned: false, overdue: false });
          if (dl.warnAt) base.warnAt = dl.warnAt;
          else unset(base, "warnAt");
          if (dl.timeLimit) base.timeLimit = dl.timeLimit;
          else unset(base, "timeLimit");
          rec.to = up.id;
          params = { from: context.level, due: inst(context, dl.dueAt) };
        } else if (e.decision === "extend") {
          const dueAt = atPath(["event", "days"], () => s.extend(context.dueAt, e.days!));
          Object.assign(base, { dueAt, overdue: false, warned: false });
          unset(base, "warnAt");
          rec.days = e.days!;
          params = { days: e.days!, due: inst(context, dueAt) };
        }
        const h = entry(base, "resolving", "decideEscalation", e.at, e.by, params, e.note || undefined, e.decision);
        base.escalations = [...context.escalations, rec];
        base.history = append(s, context.history, h);
        return base;
      }),
      decideReportGraded: inState("graded", decideReport),
      decideReportAssigned: inState("assigned", decideReport),
      decideReport: inState("resolving", decideReport),
      decideReportPending: inState("escalation-pending", decideReport),
      progress: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return extend(context, { lastAt: e.at, history: append(s, context.history, entry(context, "resolving", "progress", e.at, e.by, undefined, e.note)) });
      }),
      progressPending: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return extend(context, { lastAt: e.at, history: append(s, context.history, entry(context, "escalation-pending", "progress", e.at, e.by, undefined, e.note)) });
      }),
      resolveCase: assign(({ context, event }) => {
        const e = event as EventOf<"resolve">;
        const next: CaseContext = extend(context, { resolvedAt: e.at, lastAt: e.at });
        unset(next, "escalation");
        recordChecklists(next, "resolve", e);
        const h = entry(next, "resolved", "resolve", e.at, e.by, undefined, e.note || undefined);
        next.history = append(s, context.history, h);
        return next;
      }),
      followUp: assign(({ context, event }) => {
        const e = event as EventOf<"followUp">;
        const visit: CaseContext["followUps"][number] = withBy({ at: e.at }, e.by);
        if (e.agreementKept !== undefined) visit.agreementKept = e.agreementKept;
        if (e.note) visit.note = e.note;
        const h = entry(context, "resolved", "followUp", e.at, e.by, e.agreementKept === false ? { agreementKept: false } : undefined, e.note || undefined);
        return extend(context, { lastAt: e.at, followUps: [...context.followUps, visit], history: append(s, context.history, h) });
      }),
      closeCase: assign(({ context, event }) => {
        const e = event as EventOf<"close">;
        const h = entry(context, "closed", "close", e.at, e.by, undefined, e.note || undefined);
        const next: CaseContext = extend(context, { closedAt: e.at, lastAt: e.at, history: append(s, context.history, h) });
        recordChecklists(next, "close", e);
        return next;
      }),
      selfCloseCase: assign(({ context, event }) => {
        const e = event as EventOf<"selfClose">;
        const h = entry(context, "closed", "selfClose", e.at, e.by, { role: e.role }, e.note || undefined);
        const next: CaseContext = extend(context, { resolvedAt: e.at, closedAt: e.at, lastAt: e.at, selfClosed: withBy({ role: e.role }, e.by), history: append(s, context.history, h) });
        unset(next, "escalation");
        return next;
      }),
      returnCase: assign(({ context, event }) => {
        const e = event as EventOf<"return">;
        const from = context.assignment?.leadUnit ?? context.assignment?.responsibleUnit;
        const rec: ReturnRecord = withBy({ at: e.at, reason: e.reason }, e.by);
        if (from !== undefined) rec.from = from;
        const h = entry(context, "graded", "return", e.at, e.by, from ? { returnedBy: from } : undefined, e.reason);
        const next: CaseContext = extend(context, { lastAt: e.at, returns: [...(context.returns ?? []), rec], history: append(s, context.history, h) });
        unset(next, "assignment");
        unset(next, "acknowledgedAt");
        unset(next, "ackDueAt");
        unset(next, "ackOverdue");
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
        const rec: NonNullable<CaseContext["verifications"]>[number] = withBy({ at: e.at, passed: true }, e.by);
        if (e.note) rec.note = e.note;
        const h = entry(context, "resolved", "verify", e.at, e.by, undefined, e.note || undefined, "passed");
        return extend(context, { lastAt: e.at, verifiedAt: e.at, verifications: [...(context.verifications ?? []), rec], history: append(s, context.history, h) });
      }),
      verifyFail: assign(({ context, event }) => {
        const e = event as EventOf<"verify">;
        const rec: NonNullable<CaseContext["verifications"]>[number] = withBy({ at: e.at, passed: false }, e.by);
        if (e.note) rec.note = e.note;
        const h = entry(context, "resolving", "verify", e.at, e.by, undefined, e.note || undefined, "failed");
        const next: CaseContext = extend(context, { lastAt: e.at, verifications: [...(context.verifications ?? []), rec], history: append(s, context.history, h) });
        unset(next, "resolvedAt");
        unset(next, "verifiedAt");
        unset(next, "evaluation");
        return next;
      }),
      evaluateCase: assign(({ context, event }) => {
        const e = event as EventOf<"evaluate">;
        const evaluation: NonNullable<CaseContext["evaluation"]> = withBy({ at: e.at, rating: e.rating }, e.by);
        if (e.note) evaluation.note = e.note;
        const h = entry(context, "resolved", "evaluate", e.at, e.by, undefined, e.note || undefined, e.rating);
        return extend(context, { lastAt: e.at, evaluation, history: append(s, context.history, h) });
      }),
      requestReviewCase: assign(({ context, event }) => {
        const e = event as EventOf<"requestReview">;
        const stages = pack.lifecycle.reviews!.stages;
        const done = context.reviews ?? [];
        const stage = stages[done.length]!;
        const dueAt = atPath(["event", "at"], () => s.periodEnd(stage.deadline, e.at));
        const rec: ReviewRecord = withBy({ stage: stage.id, at: e.at, reason: e.reason }, e.by);
        if (context.resolvedAt !== undefined) rec.previousResolvedAt = context.resolvedAt;
        const h = entry(context, "resolving", "requestReview", e.at, e.by, { stage: stage.id, due: inst(context, dueAt) }, e.reason);
        const next: CaseContext = extend(context, { lastAt: e.at, clockStart: e.at, dueAt, warned: false, overdue: false, reviews: [...done, rec], history: append(s, context.history, h) });
        for (const k of ["warnAt", "resolvedAt", "verifiedAt", "evaluation", "escalation", "timeLimit"] as const) unset(next, k);
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
          update: { actions: "updateFactsGraded" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tickGraded" }],
          decideReport: { guard: "reportAwaited", actions: "decideReportGraded" },
          selfClose: { target: "closed", actions: "selfCloseCase" },
        },
      },
      assigned: {
        on: {
          acknowledge: { target: "resolving", actions: "acknowledgeCase" },
          update: { actions: "updateFactsAssigned" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tickAssigned" }],
          decideReport: { guard: "reportAwaited", actions: "decideReportAssigned" },
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
          update: [{ guard: "updateRegrades", target: "resolving", actions: "updateFactsPending" }, { actions: "updateFactsPending" }],
          progress: { actions: "progressPending" },
          requestEscalation: { actions: "requestEscalation" },
          decideEscalation: { guard: "escalationRequested", target: "resolving", actions: "decideEscalation" },
          decideReport: { guard: "reportAwaited", actions: "decideReportPending" },
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
