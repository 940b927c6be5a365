import { assign as xassign, setup } from "xstate";
import type { Text } from "../errors/index.js";
import type { GradeReason, GradeResult } from "../grading/grade.js";
import type { LevelDef, RulePack } from "../pack/schema.js";
import type { AssignEvent, CaseEvent, EventOf } from "./events.js";

/** The states of a case. `escalation-pending`: overdue (or applied for), waiting for the deciding body. */
export type CaseState = "graded" | "assigned" | "resolving" | "escalation-pending" | "resolved" | "closed";
export const OPEN_STATES: readonly CaseState[] = ["graded", "assigned", "resolving", "escalation-pending"];

/** One entry of a case's append-only history. */
export interface HistoryEntry {
  seq: number;
  type: CaseEvent["type"] | "overdue" | "warned" | "reported";
  at: string;
  by?: string;
  state: CaseState;
  level: string;
  summary: Text;
  decision?: string;
  note?: string;
  reasons?: GradeReason[];
}

export interface EscalationRecord {
  at: string;
  decision: "upgrade" | "extend" | "reject" | "regrade";
  by: string;
  from: string;
  to: string;
  reason?: string;
  days?: number;
}

export interface ReportRecord {
  body: string;
  label: Text;
  at: string;
  by?: string;
}

export type Assignment = Omit<AssignEvent, "type" | "at" | "by"> & { at: string; by?: string };

/** Everything a case knows. Plain JSON. */
export interface CaseContext {
  id?: string;
  number?: string;
  facts: Record<string, unknown>;
  level: string;
  rank: number;
  receivedAt: string;
  /** When the current period started (intake, or an upgrade that restarts the clock). */
  clockStart: string;
  dueAt: string;
  warnAt?: string;
  warned: boolean;
  overdue: boolean;
  assignment?: Assignment;
  acknowledgedAt?: string;
  escalation?: { phase: "awaiting-request" | "awaiting-decision"; requestedAt?: string; reason?: string };
  escalations: EscalationRecord[];
  reportedTo: ReportRecord[];
  /** Index in the report chain of the body whose decision is awaited (the previous body decides). */
  reportPending?: number;
  resolvedAt?: string;
  followUps: Array<{ at: string; by?: string; agreementKept?: boolean; note?: string }>;
  closedAt?: string;
  lastAt: string;
  history: HistoryEntry[];
}

/** What the machine needs from the engine: pure functions of the pack. */
export interface CaseServices {
  pack: RulePack;
  grade(facts: Record<string, unknown>): GradeResult;
  deadline(level: string, from: string): { dueAt: string; dueAtMs: number; warnAt?: string; warnAtMs?: number };
  extend(dueAt: string, days: number): string;
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
  const out: Record<string, unknown> = { ...next };
  for (const k of Object.keys(prev)) if (!(k in next)) out[k] = undefined;
  return out as unknown as CaseContext;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const assign = (fn: (args: { context: CaseContext; event: CaseEvent }) => CaseContext): any => xassign(((args: { context: CaseContext; event: CaseEvent }) => replaceContext(args.context, fn(args))) as never);

function entry(ctx: CaseContext, state: CaseState, e: Omit<HistoryEntry, "seq" | "state" | "level"> & { level?: string }): HistoryEntry {
  return { seq: ctx.history.length + 1, state, level: e.level ?? ctx.level, ...e } as HistoryEntry;
}
const t = (zh: string, en: string): Text => ({ zh, en });
const withBy = <T extends object>(o: T, by: string | undefined): T => (by === undefined ? o : { ...o, by });

function mergeFacts(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev) ? mergeFacts(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** What a tick at `at` changes; shared by the machine's guard and action so both agree. */
export function tickEffects(s: CaseServices, ctx: CaseContext, at: string): { warn: boolean; overdue: boolean; toPending: boolean; report: boolean } {
  const now = Date.parse(at);
  const overdue = !ctx.overdue && now >= Date.parse(ctx.dueAt);
  // Overdue supersedes the warning when one tick crosses both.
  const warn = !overdue && !ctx.warned && !ctx.overdue && ctx.warnAt !== undefined && now >= Date.parse(ctx.warnAt);
  const top = isTopLevel(s, ctx.rank);
  const esc = s.pack.escalation;
  return { warn, overdue, toPending: overdue && !top && esc !== undefined, report: overdue && top && esc?.report !== undefined && ctx.reportedTo.length === 0 };
}

function applyTick(s: CaseServices, ctx: CaseContext, at: string, target: CaseState): CaseContext {
  const fx = tickEffects(s, ctx, at);
  if (!fx.warn && !fx.overdue) return ctx;
  const history = [...ctx.history];
  const next: CaseContext = { ...ctx, lastAt: at, history };
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
  const followUpRequired = pack.lifecycle.followUp?.required === true;

  return setup({
    types: {} as { context: CaseContext; events: CaseEvent; input: CaseContext },
    guards: {
      tickGoesPending: ({ context, event }) => event.type === "tick" && tickEffects(s, context, event.at).toPending,
      canUpgrade: ({ context }) => !isTopLevel(s, context.rank),
      followUpDone: ({ context }) => !followUpRequired || context.followUps.length > 0,
      escalationRequested: ({ context }) => context.escalation?.phase === "awaiting-decision",
      reportAwaited: ({ context }) => context.reportPending !== undefined,
      updateRegrades: ({ context, event }) => {
        if (event.type !== "update" || pack.lifecycle.regrade !== "upgrade-only") return false;
        return s.grade(mergeFacts(context.facts, event.facts)).rank > context.rank;
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
        const who = fields.leadUnit ?? fields.responsibleUnit ?? "";
        return { ...context, assignment, lastAt: at, history: [...context.history, entry(context, state, withBy({ type: "assign" as const, at, summary: t(`交办：${who}`, `Assigned: ${who}`) }, by))] };
      }),
      acknowledgeCase: assign(({ context, event }) => {
        const e = event as EventOf<"acknowledge">;
        return { ...context, acknowledgedAt: e.at, lastAt: e.at, history: [...context.history, entry(context, "resolving", withBy({ type: "acknowledge" as const, at: e.at, summary: t("已签收", "Signed for") }, e.by))] };
      }),
      updateFacts: assign(({ context, event }) => {
        const e = event as EventOf<"update">;
        const facts = mergeFacts(context.facts, e.facts);
        let next: CaseContext = { ...context, facts, lastAt: e.at };
        const history = [...context.history];
        let summary = t("补充事实", "Facts updated");
        let reasons: GradeReason[] | undefined;
        if (pack.lifecycle.regrade === "upgrade-only") {
          const g = s.grade(facts);
          if (g.rank > context.rank) {
            const dl = s.deadline(g.level, e.at);
            next = { ...next, level: g.level, rank: g.rank, clockStart: e.at, dueAt: dl.dueAt, warned: false, overdue: false, escalations: [...context.escalations, withBy({ at: e.at, decision: "regrade" as const, from: context.level, to: g.level }, e.by ?? "rules") as EscalationRecord] };
            if (dl.warnAt) next.warnAt = dl.warnAt;
            else delete next.warnAt;
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
          history: [...context.history, entry(context, "escalation-pending", withBy({ type: "requestEscalation" as const, at: e.at, note: e.reason, summary: t(`申请升级或延期：${e.reason}`, `Applied for upgrade or extension: ${e.reason}`) }, e.by))],
        };
      }),
      decideEscalation: assign(({ context, event }) => {
        const e = event as EventOf<"decideEscalation">;
        const body = pack.escalation?.decidedBy.label ?? t("决定机构", "the deciding body");
        const base: CaseContext = { ...context, lastAt: e.at };
        delete base.escalation;
        const rec: EscalationRecord = { at: e.at, decision: e.decision, by: e.by, from: context.level, to: context.level };
        if (context.escalation?.reason) rec.reason = context.escalation.reason;
        let summary: Text;
        if (e.decision === "upgrade") {
          const up = nextLevelUp(s, context.rank)!;
          const from = pack.escalation?.upgrade.clock === "continue" ? context.clockStart : e.at;
          const dl = s.deadline(up.id, from);
          Object.assign(base, { level: up.id, rank: up.rank, clockStart: from, dueAt: dl.dueAt, warned: false, overdue: false });
          if (dl.warnAt) base.warnAt = dl.warnAt;
          else delete base.warnAt;
          rec.to = up.id;
          summary = t(`${body.zh}决定升级：${context.level} → ${up.id}，新时限 ${dl.dueAt}`, `${body.en} decided to upgrade: ${context.level} → ${up.id}, new time limit ${dl.dueAt}`);
        } else if (e.decision === "extend") {
          const dueAt = s.extend(context.dueAt, e.days!);
          Object.assign(base, { dueAt, overdue: false, warned: false });
          delete base.warnAt;
          rec.days = e.days!;
          summary = t(`${body.zh}决定延期 ${e.days} 天，新时限 ${dueAt}`, `${body.en} extended the time limit by ${e.days} days to ${dueAt}`);
        } else {
          summary = t(`${body.zh}不同意升级或延期`, `${body.en} rejected the application`);
        }
        const h = entry(base, "resolving", { type: "decideEscalation", at: e.at, by: e.by, decision: e.decision, summary });
        if (e.note) h.note = e.note;
        return { ...base, escalations: [...context.escalations, rec], history: [...context.history, h] };
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
        return { ...next, history: [...context.history, h] };
      }),
      progress: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return { ...context, lastAt: e.at, history: [...context.history, entry(context, "resolving", withBy({ type: "progress" as const, at: e.at, note: e.note, summary: t("办理进展", "Progress") }, e.by))] };
      }),
      progressPending: assign(({ context, event }) => {
        const e = event as EventOf<"progress">;
        return { ...context, lastAt: e.at, history: [...context.history, entry(context, "escalation-pending", withBy({ type: "progress" as const, at: e.at, note: e.note, summary: t("办理进展", "Progress") }, e.by))] };
      }),
      resolveCase: assign(({ context, event }) => {
        const e = event as EventOf<"resolve">;
        const next: CaseContext = { ...context, resolvedAt: e.at, lastAt: e.at };
        delete next.escalation;
        const h = entry(next, "resolved", withBy({ type: "resolve" as const, at: e.at, summary: t("已化解", "Resolved") }, e.by));
        if (e.note) h.note = e.note;
        return { ...next, history: [...context.history, h] };
      }),
      followUp: assign(({ context, event }) => {
        const e = event as EventOf<"followUp">;
        const visit: CaseContext["followUps"][number] = withBy({ at: e.at }, e.by);
        if (e.agreementKept !== undefined) visit.agreementKept = e.agreementKept;
        if (e.note) visit.note = e.note;
        const h = entry(context, "resolved", withBy({ type: "followUp" as const, at: e.at, summary: e.agreementKept === false ? t("回访：协议未履行", "Return visit: the agreement is not kept") : t("回访", "Return visit") }, e.by));
        if (e.note) h.note = e.note;
        return { ...context, lastAt: e.at, followUps: [...context.followUps, visit], history: [...context.history, h] };
      }),
      closeCase: assign(({ context, event }) => {
        const e = event as EventOf<"close">;
        const h = entry(context, "closed", withBy({ type: "close" as const, at: e.at, summary: t("结案", "Closed") }, e.by));
        if (e.note) h.note = e.note;
        return { ...context, closedAt: e.at, lastAt: e.at, history: [...context.history, h] };
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
        },
      },
      assigned: {
        on: {
          acknowledge: { target: "resolving", actions: "acknowledgeCase" },
          update: { actions: "updateFacts" },
          tick: [{ guard: "tickGoesPending", target: "escalation-pending", actions: "tickPending" }, { actions: "tickAssigned" }],
          decideReport: { guard: "reportAwaited", actions: "decideReport" },
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
        },
      },
      resolved: {
        on: {
          followUp: { actions: "followUp" },
          close: { guard: "followUpDone", target: "closed", actions: "closeCase" },
          tick: {},
        },
      },
      closed: { type: "final" },
    },
  });
}

export type CaseMachine = ReturnType<typeof createCaseMachine>;
