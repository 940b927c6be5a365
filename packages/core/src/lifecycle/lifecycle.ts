import { initialTransition, transition as xstateTransition } from "xstate";
import { IssueCode, JicengError, fail, issue, isJicengError, type JicengIssue, type Text } from "../errors/index.js";
import { fromZodIssues } from "../pack/zod-issues.js";
import { CaseEventSchema, IntakeEventSchema, type CaseEvent, type IntakeEvent } from "./events.js";
import { OPEN_STATES, createCaseMachine, isTopLevel, tickEffects, type CaseContext, type CaseServices, type CaseState } from "./machine.js";

/** A case at one moment: plain JSON, safe to store and to restore exactly. */
export interface CaseSnapshot {
  kind: "jiceng.case";
  pack: { id: string; version: string };
  state: CaseState;
  context: CaseContext;
}

const STATES: readonly CaseState[] = ["graded", "assigned", "resolving", "escalation-pending", "resolved", "closed"];

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
  graded: ["assign", "update", "tick", "decideReport"],
  assigned: ["acknowledge", "update", "tick", "decideReport"],
  resolving: ["update", "progress", "requestEscalation", "decideReport", "resolve", "tick"],
  "escalation-pending": ["update", "progress", "requestEscalation", "decideEscalation", "decideReport", "resolve", "tick"],
  resolved: ["followUp", "close", "tick"],
  closed: ["tick"],
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
  machine: ReturnType<typeof createCaseMachine>;
}

export interface LifecycleDeps extends CaseServices {
  /** Validates and normalises case facts (defaults), throwing INVALID_CASE. */
  validateFacts(facts: Record<string, unknown>): void;
  number(facts: Record<string, unknown>, seq: number): string;
  parseNumber(text: string): unknown;
  hasNumbering: boolean;
}

const notAllowed = (state: CaseState, type: string, zhWhy: string, enWhy: string): JicengIssue =>
  issue(IssueCode.EVENT_NOT_ALLOWED, ["event", "type"], `当前状态“${STATE_LABEL[state].zh}”不接受事件 ${type}：${zhWhy}`, `Event ${type} is not allowed while the case is ${STATE_LABEL[state].en}: ${enWhy}`);

export function createLifecycle(deps: LifecycleDeps): Lifecycle {
  const { pack } = deps;
  const machine = createCaseMachine(deps);

  const validateEvent = (event: unknown): { ok: true; event: CaseEvent } | { ok: false; issues: JicengIssue[] } => {
    const r = CaseEventSchema.safeParse(event);
    if (!r.success) return { ok: false, issues: fromZodIssues(r.error.issues, ["event"]).map((i) => ({ ...i, code: IssueCode.INVALID_EVENT })) };
    return { ok: true, event: r.data };
  };

  const checkSnapshot = (snap: unknown): JicengIssue[] => {
    const s = snap as Partial<CaseSnapshot> | null;
    if (!s || typeof s !== "object" || s.kind !== "jiceng.case" || !s.context || typeof s.context !== "object")
      return [issue(IssueCode.INVALID_SNAPSHOT, ["snapshot"], "不是 jiceng 案件快照", "Not a jiceng case snapshot")];
    if (!s.pack || s.pack.id !== pack.id)
      return [issue(IssueCode.INVALID_SNAPSHOT, ["snapshot", "pack", "id"], `快照属于规则包 "${s.pack?.id}"，而非 "${pack.id}"`, `The snapshot belongs to pack "${s.pack?.id}", not "${pack.id}"`)];
    if (!STATES.includes(s.state as CaseState)) return [issue(IssueCode.INVALID_SNAPSHOT, ["snapshot", "state"], `未知状态 "${String(s.state)}"`, `Unknown state "${String(s.state)}"`)];
    return [];
  };

  const check = (snapshot: CaseSnapshot, raw: unknown): JicengIssue[] => {
    const bad = checkSnapshot(snapshot);
    if (bad.length) return bad;
    const v = validateEvent(raw);
    if (!v.ok) return v.issues;
    const e = v.event;
    const { state, context: c } = snapshot;
    if (e.type === "intake") return [notAllowed(state, e.type, "案件已受理", "the case has already been taken in")];
    if (Date.parse(e.at) < Date.parse(c.lastAt))
      return [issue(IssueCode.EVENT_NOT_ALLOWED, ["event", "at"], `事件时间 ${e.at} 早于案件最后一次变化 ${c.lastAt}：时间不能倒流`, `Event time ${e.at} is before the case's last change ${c.lastAt}: time cannot go backwards`)];
    if (!ACCEPTS[state].includes(e.type)) {
      const why: Record<string, [string, string]> = {
        resolve: ["须先交办", "it must be assigned first"],
        close: ["须先化解", "it must be resolved first"],
        followUp: ["回访在化解之后", "return visits come after resolution"],
        decideEscalation: ["没有待决定的升级或延期申请", "there is no pending application for upgrade or extension"],
        acknowledge: ["没有待签收的交办", "there is no assignment waiting to be signed for"],
        assign: state === "assigned" || state === "resolving" ? ["案件已交办", "the case is already assigned"] : ["案件已化解或结案", "the case is resolved or closed"],
      };
      const [zh, en] = why[e.type] ?? ["此状态下不适用", "it does not apply in this state"];
      return [notAllowed(state, e.type, zh, en)];
    }
    switch (e.type) {
      case "assign": {
        const required = pack.lifecycle.assignment?.required ?? [];
        const missing = required.filter((f) => {
          const val = (e as Record<string, unknown>)[f];
          return val === undefined || (Array.isArray(val) && val.length === 0);
        });
        if (missing.length) {
          const zh = missing.map((f) => ASSIGNMENT_LABELS[f]?.zh ?? f).join("、");
          const en = missing.map((f) => ASSIGNMENT_LABELS[f]?.en ?? f).join(", ");
          return [issue(IssueCode.MISSING_FIELDS, ["event", ...(missing.length === 1 ? [missing[0]!] : [])], `交办缺少必填项：${zh}`, `The assignment is missing required fields: ${en}`)];
        }
        return [];
      }
      case "update":
        try {
          deps.validateFacts({ ...c.facts, ...e.facts });
        } catch (err) {
          if (isJicengError(err)) return err.issues.map((i) => ({ ...i, path: ["event", ...i.path] }));
          throw err;
        }
        return [];
      case "requestEscalation": {
        if (!pack.escalation) return [notAllowed(state, e.type, "规则包未规定升级或延期", "the pack defines no escalation")];
        const canExtend = pack.escalation.extend?.allowed === true;
        if (isTopLevel(deps, c.rank) && !canExtend) return [notAllowed(state, e.type, "已是最高等级，逾期时逐级上报", "the case is at the top level; when overdue it is reported up the chain")];
        if (c.escalation?.phase === "awaiting-decision") return [notAllowed(state, e.type, "已有待决定的申请", "an application is already waiting for a decision")];
        return [];
      }
      case "decideEscalation": {
        if (c.escalation?.phase !== "awaiting-decision") return [notAllowed(state, e.type, "须先提出申请、说明原因", "an application with reasons must come first")];
        if (e.decision === "upgrade" && isTopLevel(deps, c.rank)) return [notAllowed(state, e.type, "已是最高等级，无法再升级", "the case is already at the top level")];
        if (e.decision === "extend") {
          const ext = pack.escalation?.extend;
          if (!ext?.allowed) return [notAllowed(state, e.type, "规则包不允许延期", "the pack does not allow extensions")];
          if (e.days === undefined) return [issue(IssueCode.INVALID_EVENT, ["event", "days"], "延期须写明天数 days", "An extension needs its number of days")];
          if (ext.maxDays !== undefined && e.days > ext.maxDays) return [issue(IssueCode.INVALID_EVENT, ["event", "days"], `延期不得超过 ${ext.maxDays} 天`, `An extension may not exceed ${ext.maxDays} days`)];
        }
        return [];
      }
      case "decideReport":
        if (c.reportPending === undefined) return [notAllowed(state, e.type, "没有待决定的上报", "no report is waiting for a decision")];
        return [];
      case "close":
        if (pack.lifecycle.followUp?.required && c.followUps.length === 0) {
          return [issue(IssueCode.MISSING_FIELDS, ["event"], `结案前须回访当事人（${pack.lifecycle.followUp.label.zh}）`, `A return visit to the parties is required before closing (${pack.lifecycle.followUp.label.en})`)];
        }
        return [];
      default:
        return [];
    }
  };

  const toSnapshot = (value: unknown, context: CaseContext): CaseSnapshot => {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(context)) if (v !== undefined) clean[k] = v;
    return { kind: "jiceng.case", pack: { id: pack.id, version: pack.version }, state: value as CaseState, context: clean as unknown as CaseContext };
  };

  const start = (raw: IntakeEvent): CaseSnapshot => {
    const r = IntakeEventSchema.safeParse(raw);
    if (!r.success) throw new JicengError(fromZodIssues(r.error.issues, ["event"]).map((i) => ({ ...i, code: IssueCode.INVALID_EVENT })));
    const e = r.data;
    deps.validateFacts(e.facts);
    const g = deps.grade(e.facts);
    const startFact = e.facts[pack.startFact];
    const receivedAt = typeof startFact === "string" ? startFact : e.at;
    const dl = deps.deadline(g.level, receivedAt);
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
    if (e.id !== undefined) ctx.id = e.id;
    if (e.number !== undefined) {
      deps.parseNumber(e.number);
      ctx.number = e.number;
    } else if (e.seq !== undefined && deps.hasNumbering) ctx.number = deps.number(e.facts, e.seq);
    const h: CaseContext["history"][number] = { seq: 1, type: "intake", at: e.at, state: "graded", level: g.level, summary: { zh: `受理并定级：${pack.levels.find((l) => l.id === g.level)?.label.zh}，时限 ${dl.dueAt}`, en: `Taken in and graded ${pack.levels.find((l) => l.id === g.level)?.label.en}, due ${dl.dueAt}` }, reasons: g.reasons };
    if (e.by !== undefined) h.by = e.by;
    ctx.history.push(h);
    const [snap] = initialTransition(machine, ctx);
    return toSnapshot(snap.value, snap.context);
  };

  const transition = (snapshot: CaseSnapshot, event: CaseEvent): CaseSnapshot => {
    const issues = check(snapshot, event);
    if (issues.length) throw new JicengError(issues);
    const e = CaseEventSchema.parse(event);
    if (e.type === "tick") {
      const fx = tickEffects(deps, snapshot.context, e.at);
      if (!fx.warn && !fx.overdue) return snapshot;
      if (!OPEN_STATES.includes(snapshot.state)) return snapshot;
    }
    const xs = machine.resolveState({ value: snapshot.state, context: snapshot.context });
    const [next] = xstateTransition(machine, xs, e);
    if (next.value === xs.value && next.context === xs.context) {
      fail(IssueCode.EVENT_NOT_ALLOWED, ["event", "type"], `事件 ${e.type} 未被接受`, `Event ${e.type} was not accepted`);
    }
    return toSnapshot(next.value, next.context);
  };

  const replay = (events: readonly CaseEvent[]): CaseSnapshot => {
    const [first, ...rest] = events;
    if (!first || first.type !== "intake") fail(IssueCode.INVALID_EVENT, ["events", 0, "type"], "事件记录须以 intake（受理）开始", "An event log must start with intake");
    let snap = start(first);
    rest.forEach((e, i) => {
      try {
        snap = transition(snap, e);
      } catch (err) {
        if (isJicengError(err)) throw new JicengError(err.issues.map((x) => ({ ...x, path: ["events", i + 1, ...x.path.slice(x.path[0] === "event" ? 1 : 0)] })));
        throw err;
      }
    });
    return snap;
  };

  return { start, transition, replay, check, machine };
}

export { STATE_LABEL };
