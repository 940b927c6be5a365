import { initialTransition, transition as xstateTransition } from "xstate";
import { issuesOf, collectIssues, IssueCode, JicengError, fail, issue, isJicengError, own, type JicengIssue, type Text } from "../errors/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import type { CompiledCondition } from "../conditions/compile.js";
import { describeTrace } from "../grading/describe.js";
import { CaseEventSchema, IntakeEventSchema, type AssignEvent, type CaseEvent, type IntakeEvent } from "./events.js";
import { OPEN_STATES, atPath, createCaseMachine, mergeFacts, isTopLevel, tickEffects, type CaseContext, type CaseRoute, type CaseServices, type CaseState } from "./machine.js";
import { compileFlatMachine } from "./flat.js";
import { fastEvent } from "./event-check.js";
import { markCalendar, recalendared, sameDeadlines, type CalendarBasis } from "./recalendar.js";
import { markProduced, migrateSnapshot, validatorFor, type SnapshotValidator } from "./snapshot.js";
import { SNAPSHOT_FORMAT, putReasons, storeInstant, storedEntry } from "./history.js";
import { RECTIFICATION_LABELS, checklistIssues, closeIssues, hasBeenOverdue, openRectifications, supervisionIssues } from "./rules.js";
import { parseIsoDateTime } from "../conditions/time.js";

/** A case at one moment: plain JSON, safe to store and to restore exactly. */
export interface CaseSnapshot {
  kind: "jiceng.case";
  /** The snapshot format (3: history entries as codes and parameters, state and level where they change). Format 2, and a snapshot without it (format 1), are read and migrated. */
  format: 3;
  pack: { id: string; version: string };
  state: CaseState;
  context: CaseContext;
}

const STATE_LABEL: Record<CaseState, Text> = {
  graded: { zh: "已定级待交办", en: "graded, not yet assigned" },
  assigned: { zh: "已交办待签收", en: "assigned, not yet signed for" },
  resolving: { zh: "正在化解", en: "being resolved" },
  "escalation-pending": { zh: "待研究决定（升级或延期）", en: "waiting for a decision (upgrade or extension)" },
  resolved: { zh: "已化解", en: "resolved" },
  closed: { zh: "已结案", en: "closed" },
};

/** Which events each state accepts at all (guards are checked after). */
const ACCEPTS: Record<CaseState, ReadonlyArray<CaseEvent["type"]>> = {
  graded: ["assign", "update", "tick", "recalendar", "decideReport", "selfClose"],
  assigned: ["acknowledge", "update", "tick", "recalendar", "decideReport", "return", "rectify", "strikeOff", "supervise"],
  resolving: ["update", "progress", "requestEscalation", "decideReport", "resolve", "tick", "recalendar", "return", "rectify", "strikeOff", "supervise"],
  "escalation-pending": ["update", "progress", "requestEscalation", "decideEscalation", "decideReport", "resolve", "tick", "recalendar", "rectify", "strikeOff", "supervise"],
  resolved: ["followUp", "close", "tick", "recalendar", "verify", "evaluate", "requestReview", "strikeOff", "rectify"],
  closed: ["tick", "recalendar"],
};

const ASSIGNMENT_LABELS: Record<string, Text> = {
  leadUnit: { zh: "牵头单位", en: "lead unit" },
  responsibleLeader: { zh: "责任领导", en: "responsible leader" },
  responsibleUnit: { zh: "责任单位", en: "responsible unit" },
  cooperatingUnits: { zh: "配合单位", en: "cooperating units" },
  responsiblePerson: { zh: "责任人", en: "responsible person" },
  deadline: { zh: "防范化解时限", en: "deadline" },
  measures: { zh: "防范化解措施", en: "measures" },
};

/** The pure lifecycle API of one pack. */
export interface Lifecycle {
  start(intake: IntakeEvent): CaseSnapshot;
  transition(snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot;
  replay(events: readonly CaseEvent[]): CaseSnapshot;
  /** Why `event` would be rejected now, or an empty list if it would be accepted. */
  check(snapshot: CaseSnapshot, event: unknown): JicengIssue[];
  /** A stored snapshot checked and in this engine's format (format 1 migrated to 2). */
  restore(snapshot: CaseSnapshot): CaseSnapshot;
  machine: ReturnType<typeof createCaseMachine>;
  /** How transitions run: `"flat"` (the interpreter of the machine's own definition) or `"xstate"`. */
  readonly runner: "flat" | "xstate";
}

export interface LifecycleDeps extends CaseServices {
  /** Validates and normalises case facts (defaults), throwing INVALID_CASE. */
  validateFacts(facts: Record<string, unknown>): void;
  /** The pack's routing, when it has one. */
  route?: ((facts: Record<string, unknown>) => CaseRoute) | undefined;
  /** The pack's lifecycle conditions, compiled: who may self-close, which items may be reviewed. */
  conditions: { selfClose?: CompiledCondition | undefined; reviews?: CompiledCondition | undefined };
  number(facts: Record<string, unknown>, seq: number): string;
  parseNumber(text: string): unknown;
  hasNumbering: boolean;
  /** The check of snapshots handed in (default: the pack's, same version only). */
  snapshots?: SnapshotValidator | undefined;
  /** Run the flat interpreter when the machine is flat (default true); false: always XState. */
  interpretMachine?: boolean;
  /**
   * The case's deadlines recounted from their starts on the engine's calendar (which schedules,
   * which fields provisional), or undefined when they cannot be rederived.
   */
  calendarBasis?: ((context: CaseContext) => CalendarBasis | undefined) | undefined;
}

const notAllowed = (state: CaseState, type: string, zhWhy: string, enWhy: string): JicengIssue =>
  issue(IssueCode.EVENT_NOT_ALLOWED, ["event", "type"], `当前状态“${STATE_LABEL[state].zh}”不接受事件 ${type}：${zhWhy}`, `Event ${type} is not allowed while the case is ${STATE_LABEL[state].en}: ${enWhy}`);

/** The lifecycle with what only the engine uses. */
export interface LifecycleInternal extends Lifecycle {
  /** {@link Lifecycle.check} for a snapshot already checked. */
  checkEvent(snapshot: CaseSnapshot, event: unknown): JicengIssue[];
}

export function createLifecycle(deps: LifecycleDeps): LifecycleInternal {
  const { pack } = deps;
  const ownedHistories = new WeakSet<object>();
  const machine = createCaseMachine({ ...deps, ownedHistories });
  // The machine is flat: run it with the interpreter read from its own definition (flat.ts), else XState.
  const flat = deps.interpretMachine === false ? undefined : compileFlatMachine<CaseContext, CaseEvent>(machine);

  const validateEvent = (event: unknown): { ok: true; event: CaseEvent } | { ok: false; issues: JicengIssue[] } => {
    // The ordinary event is checked and copied by hand (event-check.ts); zod decides the rest.
    const fast = fastEvent(event);
    if (fast !== undefined) return { ok: true, event: fast };
    const r = CaseEventSchema.safeParse(event);
    if (!r.success) return { ok: false, issues: fromZodIssues(r.error.issues, ["event"]).map((i) => ({ ...i, code: IssueCode.INVALID_EVENT })) };
    return { ok: true, event: r.data };
  };

  const snapshots = deps.snapshots ?? validatorFor(pack);
  const checkSnapshot = (snap: unknown): JicengIssue[] => snapshots.check(snap, ["snapshot"]);

  /** The pack's and the state's rules for an event that is already well-formed. */
  const checkEvent = (snapshot: CaseSnapshot, e: CaseEvent): JicengIssue[] => {
    const { state, context: c } = snapshot;
    if (e.type === "intake") return [notAllowed(state, e.type, "案件已受理", "the case has already been taken in")];
    if (parseIsoDateTime(e.at) < parseIsoDateTime(c.lastAt))
      return [issue(IssueCode.EVENT_NOT_ALLOWED, ["event", "at"], `事件时间 ${e.at} 早于案件最后一次变化 ${c.lastAt}：时间不能倒流`, `Event time ${e.at} is before the case's last change ${c.lastAt}: time cannot go backwards`)];
    if (!ACCEPTS[state].includes(e.type)) {
      const why: Record<string, [string, string]> = {
        resolve: state === "assigned" ? [`须先${pack.lifecycle.acknowledge?.label.zh ?? "签收"}`, `it must be signed for first (${pack.lifecycle.acknowledge?.label.en ?? "sign-for"})`] : ["须先交办", "it must be assigned first"],
        close: state === "closed" ? ["案件已结案", "the case is already closed"] : ["须先化解", "it must be resolved first"],
        followUp: ["回访在化解之后", "return visits come after resolution"],
        decideEscalation: ["没有待决定的升级或延期申请", "there is no pending application for upgrade or extension"],
        acknowledge: ["没有待签收的交办", "there is no assignment waiting to be signed for"],
        assign: state === "assigned" || state === "resolving" ? ["案件已交办", "the case is already assigned"] : ["案件已化解或结案", "the case is resolved or closed"],
        return: ["只有已交办、尚未化解的事项可以退回", "only an assigned item not yet resolved can be returned"],
        selfClose: ["只有尚未交办的事项可以自行办结", "only an item not yet assigned can be closed on the spot"],
        rectify: ["整改清单只记录已交办的超期事项", "the rectification list holds only assigned overdue items"],
        strikeOff: ["没有可销号的整改记录", "there is no rectification record to strike off"],
        verify: ["核实在化解之后", "verification comes after resolution"],
        evaluate: ["评价在化解之后", "evaluation comes after resolution"],
        requestReview: ["复查、复核的请求在化解（答复）之后、结案之前提出", "a review is requested after the reply (resolution) and before closing"],
        supervise: ["督办的是已交办、尚未化解的事项", "supervision is of an item assigned and not yet resolved"],
      };
      const [zh, en] = why[e.type] ?? ["此状态下不适用", "it does not apply in this state"];
      return [notAllowed(state, e.type, zh, en)];
    }
    const lc = pack.lifecycle;
    const notInPack = (zh: string, en: string) => [notAllowed(state, e.type, `规则包未规定${zh}`, `the pack defines no ${en}`)];
    switch (e.type) {
      case "assign": {
        const a = lc.assignment;
        const required = a?.required ?? [];
        const missing = required.filter((f) => {
          const val = (e as Record<string, unknown>)[f];
          return val === undefined || (Array.isArray(val) && val.length === 0);
        });
        if (missing.length) {
          const name = (f: string) => own(a?.fieldLabels as Record<string, Text> | undefined, f) ?? own(ASSIGNMENT_LABELS, f) ?? { zh: f, en: f };
          const zh = missing.map((f) => name(f).zh).join("、");
          const en = missing.map((f) => name(f).en).join(", ");
          const group = a?.label ? [`（${a.label.zh}）`, ` (${a.label.en})`] : ["", ""];
          return [issue(IssueCode.MISSING_FIELDS, ["event", ...(missing.length === 1 ? [missing[0]!] : [])], `交办缺少必填项${group[0]}：${zh}`, `The assignment is missing required fields${group[1]}: ${en}`)];
        }
        return e.deadline !== undefined ? assignedDeadlineIssues(c, e.deadline, e.at) : [];
      }
      case "update":
        return issuesOf(() => deps.validateFacts(mergeFacts(c.facts, e.facts)), (i) => ({ ...i, path: ["event", ...i.path] }));
      case "requestEscalation": {
        if (!pack.escalation) return [notAllowed(state, e.type, "规则包未规定升级或延期", "the pack defines no escalation")];
        const canExtend = pack.escalation.extend?.allowed === true && !(pack.escalation.extend.atTopLevel === "refuse" && isTopLevel(deps, c.rank));
        const canUpgrade = pack.escalation.upgrade.allowed && !isTopLevel(deps, c.rank);
        if (!canUpgrade && !canExtend) return [notAllowed(state, e.type, isTopLevel(deps, c.rank) ? "已是最高等级，逾期时逐级上报" : "规则包不允许升级或延期", isTopLevel(deps, c.rank) ? "the case is at the top level; when overdue it is reported up the chain" : "the pack allows neither upgrades nor extensions")];
        if (c.escalation?.phase === "awaiting-decision") return [notAllowed(state, e.type, "已有待决定的申请", "an application is already waiting for a decision")];
        return [];
      }
      case "decideEscalation": {
        if (c.escalation?.phase !== "awaiting-decision") return [notAllowed(state, e.type, "须先提出申请、说明原因", "an application with reasons must come first")];
        if (e.decision === "upgrade" && isTopLevel(deps, c.rank)) return [notAllowed(state, e.type, "已是最高等级，无法再升级", "the case is already at the top level")];
        if (e.decision === "upgrade" && !pack.escalation?.upgrade.allowed) return [notAllowed(state, e.type, "规则包不允许升级", "the pack does not allow upgrades")];
        if (e.decision === "extend") {
          const ext = pack.escalation?.extend;
          if (!ext?.allowed) return [notAllowed(state, e.type, "规则包不允许延期", "the pack does not allow extensions")];
          if (ext.atTopLevel === "refuse" && isTopLevel(deps, c.rank)) return [notAllowed(state, e.type, "最高等级不能延期：逾期未化解的须逐级上报", "the top level cannot be extended: when overdue it must be reported up the chain")];
          if (e.days === undefined) return [issue(IssueCode.INVALID_EVENT, ["event", "days"], "延期须写明天数 days", "An extension needs its number of days")];
          if (ext.maxDays !== undefined && e.days > ext.maxDays) return [issue(IssueCode.INVALID_EVENT, ["event", "days"], `延期不得超过 ${ext.maxDays} 天`, `An extension may not exceed ${ext.maxDays} days`)];
          const limit = c.timeLimit !== undefined ? lc.timeLimits?.find((x) => x.id === c.timeLimit)?.extension : undefined;
          if (limit) {
            const used = c.escalations.filter((x) => x.decision === "extend" && parseIsoDateTime(x.at) >= parseIsoDateTime(c.clockStart)).reduce((n, x) => n + (x.days ?? 0), 0);
            if (used + e.days > limit.maxDays) {
              return [issue(IssueCode.INVALID_EVENT, ["event", "days"], `延期累计不得超过 ${limit.maxDays} 天（已延期 ${used} 天）`, `Extensions may not add up to more than ${limit.maxDays} days (${used} already granted)`)];
            }
          }
        }
        return [];
      }
      case "decideReport":
        if (c.reportPending === undefined) return [notAllowed(state, e.type, "没有待决定的上报", "no report is waiting for a decision")];
        return [];
      case "resolve":
        return [...supervisionIssues(pack, c), ...checklistIssues(pack, "resolve", e.confirmations)];
      case "supervise":
        if (!lc.supervision) return notInPack("督办环节", "supervision link");
        return [];
      case "close":
        return closeIssues(pack, c, e.confirmations);
      case "return":
        if (!lc.return) return notInPack("退回", "return of items");
        return [];
      case "selfClose": {
        const sc = lc.selfClose;
        const cond = deps.conditions.selfClose;
        if (!sc || !cond) return notInPack("自行办结的权限", "permission to close items on the spot");
        if (!sc.roles.includes(e.role)) {
          return [issue(IssueCode.EVENT_NOT_ALLOWED, ["event", "role"], `身份 "${e.role}" 无权自行办结（${sc.label.zh}）；有权的身份：${sc.roles.join("、")}`, `Role "${e.role}" may not close items on the spot (${sc.label.en}); roles that may: ${sc.roles.join(", ")}`)];
        }
        const held = evaluate(cond, c.facts);
        if (!held.ok) return held.issues;
        if (!held.result) {
          const failed = describeTrace(pack, held.trace, false);
          return [notAllowed(state, e.type, `此事项不在可自行办结的所列事项之内（${sc.label.zh}）：${failed.zh}`, `this item is not among those that may be closed on the spot (${sc.label.en}): ${failed.en}`)];
        }
        return [];
      }
      case "rectify": {
        const r = lc.rectification;
        if (!r) return notInPack("整改清单", "rectification list");
        if (!hasBeenOverdue(c, e.at)) return [notAllowed(state, e.type, `${r.label.zh}只记录超期未办结的事项，此事项尚未超期（时限 ${c.dueAt}）`, `the ${r.label.en} holds overdue items only; this one is not overdue (due ${c.dueAt})`)];
        const missing = r.required.filter((f) => (e as Record<string, unknown>)[f] === undefined);
        if (missing.length) {
          return [issue(IssueCode.MISSING_FIELDS, ["event", ...(missing.length === 1 ? [missing[0]!] : [])], `${r.label.zh}缺少必填项：${missing.map((f) => RECTIFICATION_LABELS[f].zh).join("、")}`, `The ${r.label.en} record is missing: ${missing.map((f) => RECTIFICATION_LABELS[f].en).join("; ")}`)];
        }
        return [];
      }
      case "strikeOff": {
        const r = lc.rectification;
        if (!r) return notInPack("整改清单", "rectification list");
        const open = openRectifications(c);
        if (!open.length) return [notAllowed(state, e.type, `没有未销号的${r.label.zh}记录`, `there is no open ${r.label.en} record`)];
        if (e.item !== undefined && !open.some((x) => x.n === e.item)) {
          return [issue(IssueCode.INVALID_EVENT, ["event", "item"], `第 ${e.item} 项不存在或已销号；未销号的：${open.map((x) => x.n).join("、")}`, `Record no. ${e.item} does not exist or is already struck off; open: ${open.map((x) => x.n).join(", ")}`)];
        }
        return [];
      }
      case "verify":
        if (!lc.verification) return notInPack("核实环节", "verification stage");
        if (c.verifiedAt !== undefined) return [notAllowed(state, e.type, "已核实通过", "it has already been verified")];
        return [];
      case "evaluate": {
        const ev = lc.evaluation;
        if (!ev) return notInPack("评价环节", "evaluation stage");
        if (c.evaluation !== undefined) return [notAllowed(state, e.type, "已评价", "it has already been evaluated")];
        if (lc.verification?.required && c.verifiedAt === undefined) return [notAllowed(state, e.type, `须先${lc.verification.label.zh}`, `${lc.verification.label.en} must come first`)];
        if (!ev.ratings.some((r) => r.value === e.rating)) {
          return [issue(IssueCode.INVALID_EVENT, ["event", "rating"], `评价等次 "${e.rating}" 无效；可选：${ev.ratings.map((r) => `${r.value}（${r.label.zh}）`).join("、")}`, `Invalid rating "${e.rating}"; allowed: ${ev.ratings.map((r) => r.value).join(", ")}`)];
        }
        return [];
      }
      case "requestReview": {
        const rv = lc.reviews;
        if (!rv) return notInPack("复查、复核", "review levels");
        const done = c.reviews?.length ?? 0;
        if (done >= rv.stages.length) return [notAllowed(state, e.type, `${rv.terminal.label.zh}：已经${rv.stages.map((x) => x.label.zh).join("、")}，不再受理`, `${rv.terminal.label.en}: already through ${rv.stages.map((x) => x.label.en).join(", ")}; no further requests are accepted`)];
        if (deps.conditions.reviews) {
          const held = evaluate(deps.conditions.reviews, c.facts);
          if (!held.ok) return held.issues;
          if (!held.result) return [notAllowed(state, e.type, `此事项不适用${rv.label.zh}：${describeTrace(pack, held.trace, false).zh}`, `${rv.label.en} does not apply to this item: ${describeTrace(pack, held.trace, false).en}`)];
        }
        if (rv.requestWithin && c.resolvedAt !== undefined) {
          const end = deps.periodEnd(rv.requestWithin, c.resolvedAt);
          if (parseIsoDateTime(e.at) >= parseIsoDateTime(end)) {
            return [notAllowed(state, e.type, `请求期限已过：须在 ${end} 之前提出`, `the time to ask has passed: it had to be asked before ${end}`)];
          }
        }
        return [];
      }
      default:
        return [];
    }
  };

  /** An assigned deadline (YYYY-MM-DD): a real date, not before the day of assignment, and within the level's limit when the pack refuses later ones. */
  const assignedDeadlineIssues = (c: CaseContext, date: string, at: string): JicengIssue[] => {
    const bad: JicengIssue[] = [];
    const end = collectIssues(bad, () => deps.dayEnd(date), (i) => ({ ...i, code: IssueCode.INVALID_EVENT, path: ["event", "deadline"] }));
    if (end === undefined) return bad;
    if (parseIsoDateTime(end) <= parseIsoDateTime(at)) return [issue(IssueCode.INVALID_EVENT, ["event", "deadline"], `化解时限 ${date} 早于交办时间 ${at}`, `The deadline ${date} is before the assignment at ${at}`)];
    const ad = pack.lifecycle.assignment?.assignedDeadline;
    if (ad?.beyondLimit === "refuse") {
      const limit = deps.caseDeadline(c.level, c.clockStart, c.facts).dueAt;
      if (parseIsoDateTime(end) > parseIsoDateTime(limit)) {
        const lv = pack.levels.find((l) => l.id === c.level)!;
        return [issue(IssueCode.INVALID_EVENT, ["event", "deadline"], `交办的时限 ${date}（至 ${end}）超过${lv.label.zh}的时限（至 ${limit}）`, `The assigned deadline ${date} (until ${end}) is later than the limit of ${lv.label.en} (until ${limit})`)];
      }
    }
    return [];
  };

  /** A compiled lifecycle condition on the case's facts: its result and trace, or the issues (e.g. a missing fact). */
  const evaluate = (cond: CompiledCondition, facts: Record<string, unknown>): { ok: true; result: boolean; trace: ReturnType<CompiledCondition["explain"]> } | { ok: false; issues: JicengIssue[] } => {
    const issues: JicengIssue[] = [];
    const trace = collectIssues(issues, () => cond.explain(facts), (i) => ({ ...i, path: ["snapshot", "context", ...i.path] }));
    return trace ? { ok: true, result: trace.result, trace } : { ok: false, issues };
  };

  const basisOf = (c: CaseContext): CalendarBasis | undefined => {
    if (deps.calendarBasis === undefined) return undefined;
    try {
      return deps.calendarBasis(c);
    } catch (err) {
      if (isJicengError(err)) return undefined;
      throw err;
    }
  };

  /** Records the schedules the deadlines were counted with, and the provisional mark, when they were (re)set. */
  const markDeadlines = (prev: CaseContext | undefined, c: CaseContext): void => {
    if (prev !== undefined && prev.dueAt === c.dueAt && prev.warnAt === c.warnAt && prev.ackDueAt === c.ackDueAt && prev.clockStart === c.clockStart) return;
    const b = basisOf(c);
    if (b !== undefined && sameDeadlines(c, b)) markCalendar(c, b);
    else {
      delete c.schedules;
      delete c.provisional;
    }
  };

  /**
   * A provisional case ticked (or sent `recalendar`) by an engine whose calendar now covers its
   * deadlines: recounted from the original start, never for a resolved or closed case.
   */
  const correct = (snapshot: CaseSnapshot, at: string, by: string | undefined): CaseSnapshot => {
    const c = snapshot.context;
    if (c.provisional === undefined || !OPEN_STATES.includes(snapshot.state)) return snapshot;
    const b = basisOf(c);
    if (b === undefined) return snapshot;
    const same = sameDeadlines(c, b) && b.provisional.length === c.provisional.fields.length && b.missing.join() === c.provisional.years.join();
    if (same) return snapshot;
    return toSnapshot(snapshot.state, recalendared(c, b, at, by, snapshot.state));
  };

  const packRef = { id: pack.id, version: pack.version };
  /**
   * A snapshot of a context the machine just made (a fresh object no snapshot shares), without the
   * keys set to undefined. Not yet marked as the engine's: the public entry points mark what they
   * return (a replay only its last snapshot).
   */
  const toSnapshot = (value: unknown, context: CaseContext): CaseSnapshot => {
    let clean = context as unknown as Record<string, unknown>;
    for (const k in clean) {
      if (clean[k] === undefined) {
        const out: Record<string, unknown> = {};
        for (const j in clean) if (clean[j] !== undefined) out[j] = clean[j];
        clean = out;
        break;
      }
    }
    return { kind: "jiceng.case", format: SNAPSHOT_FORMAT, pack: { id: packRef.id, version: packRef.version }, state: value as CaseState, context: clean as unknown as CaseContext };
  };

  const start = (raw: IntakeEvent): CaseSnapshot => markProduced(startUnmarked(raw), pack);

  /** `start` without marking the snapshot as the engine's (a replay marks only what it returns). */
  const startUnmarked = (raw: IntakeEvent): CaseSnapshot => {
    const fast = fastEvent(raw);
    let e: IntakeEvent;
    if (fast !== undefined && fast.type === "intake") e = fast;
    else {
      const r = IntakeEventSchema.safeParse(raw);
      if (!r.success) throw new JicengError(fromZodIssues(r.error.issues, ["event"]).map((i) => ({ ...i, code: IssueCode.INVALID_EVENT })));
      e = r.data;
    }
    deps.validateFacts(e.facts);
    const g = deps.grade(e.facts);
    const startFact = e.facts[pack.startFact];
    const receivedAt = typeof startFact === "string" ? startFact : e.at;
    const dl = atPath(typeof startFact === "string" ? ["event", "facts", pack.startFact] : ["event", "at"], () => deps.caseDeadline(g.level, receivedAt, e.facts));
    const ctx: CaseContext = {
      facts: e.facts,
      level: g.level,
      rank: g.rank,
      receivedAt,
      clockStart: receivedAt,
      dueAt: dl.dueAt,
      warned: false,
      overdue: false,
      escalations: [],
      reportedTo: [],
      followUps: [],
      lastAt: e.at,
      history: [],
    };
    if (dl.warnAt) ctx.warnAt = dl.warnAt;
    if (dl.timeLimit) ctx.timeLimit = dl.timeLimit;
    if (e.id !== undefined) ctx.id = e.id;
    if ((pack.routing?.firstReceiver ?? pack.lifecycle.firstReceiver) && e.by !== undefined) ctx.firstReceiver = e.by;
    const route = deps.route?.(e.facts);
    if (route) ctx.route = route;
    if (e.number !== undefined) {
      deps.parseNumber(e.number);
      ctx.number = e.number;
    } else if (e.seq !== undefined && deps.hasNumbering) ctx.number = deps.number(e.facts, e.seq);
    const h = storedEntry(ctx.history, receivedAt, "intake", e.at, "graded", g.level, e.by, undefined, undefined, { due: storeInstant(receivedAt, dl.dueAt) });
    putReasons(pack, h, g.reasons);
    ctx.history.push(h);
    markDeadlines(undefined, ctx);
    let first: CaseSnapshot;
    if (flat) {
      const init = flat.initial(ctx);
      first = toSnapshot(init.value, init.context);
    } else {
      const [snap] = initialTransition(machine, ctx);
      first = toSnapshot(snap.value, snap.context);
    }
    return route && pack.routing?.autoDispatch ? autoDispatch(first, route, e.at) : first;
  };

  /** 自动派单: assign the item to the routed lead at intake, when that makes a complete assignment. */
  const autoDispatch = (snap: CaseSnapshot, route: CaseRoute, at: string): CaseSnapshot => {
    const a: AssignEvent = { type: "assign", at, by: "auto-dispatch", leadUnit: route.lead, responsibleUnit: route.lead };
    if (route.cooperating.length) a.cooperatingUnits = route.cooperating;
    // The snapshot is the one `open` just made: valid, in this engine's format, not checked again.
    if (checkValidEvent(snap, a).length) return snap;
    return advance(snap, a);
  };

  /**
   * The issues of an event on a checked snapshot, as `transition` finds them: the event's shape,
   * the pack's and the state's rules, then the step itself run and thrown away (pure), so what
   * only the step finds (a deadline past the calendar's range…) is reported too. `check` and
   * `transition` are one code path: the issues are equal, and empty exactly when it succeeds.
   */
  const checkValidEvent = (snapshot: CaseSnapshot, raw: unknown): JicengIssue[] => {
    const v = validateEvent(raw);
    if (!v.ok) return v.issues;
    const issues = checkEvent(snapshot, v.event);
    if (issues.length) return issues;
    return issuesOf(() => step(snapshot, v.event));
  };

  const check = (snapshot: CaseSnapshot, raw: unknown): JicengIssue[] => {
    const bad = checkSnapshot(snapshot);
    return bad.length ? bad : checkValidEvent(migrateSnapshot(snapshot, pack), raw);
  };

  /** A snapshot handed in, checked, as this engine's format (a format 1 snapshot migrated: a new object, the input untouched). */
  const restore = (snapshot: CaseSnapshot): CaseSnapshot => {
    const bad = checkSnapshot(snapshot);
    if (bad.length) throw new JicengError(bad);
    const out = migrateSnapshot(snapshot, pack);
    return out === snapshot ? out : markProduced(out, pack);
  };

  const transition = (snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot => {
    const from = restore(snapshot);
    const next = advance(from, event);
    return next === from ? next : markProduced(next, pack);
  };

  /** `transition` of a snapshot known to be valid (the engine's own): the result is not marked. */
  const advance = (snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot => {
    // Validate the event once; the parsed copy is what the machine sees.
    const v = validateEvent(event);
    if (!v.ok) throw new JicengError(v.issues);
    const e = v.event;
    const issues = checkEvent(snapshot, e);
    if (issues.length) throw new JicengError(issues);
    return step(snapshot, e);
  };

  /** One step of a checked snapshot by a well-formed, allowed event. */
  const step = (snapshot: CaseSnapshot, e: CaseEvent): CaseSnapshot => {
    if (e.type === "recalendar") return correct(snapshot, e.at, e.by);
    if (e.type === "tick") {
      snapshot = correct(snapshot, e.at, undefined);
      const fx = tickEffects(deps, snapshot.context, e.at);
      if (!fx.warn && !fx.overdue && !fx.ackOverdue) return snapshot;
      if (!OPEN_STATES.includes(snapshot.state)) return snapshot;
    }
    let out: CaseSnapshot;
    if (flat) {
      const next = flat.transition(snapshot.state, snapshot.context, e);
      if (next.value === snapshot.state && next.context === snapshot.context) {
        fail(IssueCode.EVENT_NOT_ALLOWED, ["event", "type"], `事件 ${e.type} 未被接受`, `Event ${e.type} was not accepted`);
      }
      out = toSnapshot(next.value, next.context);
    } else {
      const xs = machine.resolveState({ value: snapshot.state, context: snapshot.context });
      const [next] = xstateTransition(machine, xs, e);
      if (next.value === xs.value && next.context === xs.context) {
        fail(IssueCode.EVENT_NOT_ALLOWED, ["event", "type"], `事件 ${e.type} 未被接受`, `Event ${e.type} was not accepted`);
      }
      out = toSnapshot(next.value, next.context);
    }
    markDeadlines(snapshot.context, out.context);
    return out;
  };

  const replay = (events: readonly CaseEvent[]): CaseSnapshot => {
    if (!Array.isArray(events)) fail(IssueCode.INVALID_ARGUMENT, ["events"], "事件记录须为事件数组", "An event log must be an array of events");
    const first = events[0];
    if (!first || first.type !== "intake") fail(IssueCode.INVALID_EVENT, ["events", 0, "type"], "事件记录须以 intake（受理）开始", "An event log must start with intake");
    let snap = startUnmarked(first);
    // The history of the case being replayed is seen by no one until the replay returns: append
    // to it in place (O(n) for n events) instead of copying it at every event.
    const history = snap.context.history;
    ownedHistories.add(history);
    try {
      for (let i = 1; i < events.length; i++) {
        try {
          // Each snapshot here is the one the step before made: valid, not checked again.
          snap = advance(snap, events[i]!);
        } catch (err) {
          if (isJicengError(err)) throw new JicengError(err.issues.map((x) => ({ ...x, path: ["events", i, ...x.path.slice(x.path[0] === "event" ? 1 : 0)] })));
          throw err;
        }
      }
    } finally {
      ownedHistories.delete(history);
      ownedHistories.delete(snap.context.history);
    }
    return markProduced(snap, pack);
  };

  return { start, transition, replay, check, restore, checkEvent: checkValidEvent, machine, runner: flat ? "flat" : "xstate" };
}

export { STATE_LABEL };
