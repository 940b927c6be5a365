import { parseInstant } from "../calendar/timezone.js";
import { createConditionCompiler, type ConditionCompiler } from "../conditions/compile.js";
import { buildFactIndex } from "../conditions/facts.js";
import { didYouMean } from "../conditions/text.js";
import { collectIssues, IssueCode, JicengError, fail, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { entryAt } from "../lifecycle/history.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseTest, EscalationDecision, When } from "./schema.js";

/** A period as epoch milliseconds: `start ≤ t < end`. */
export interface Window {
  start: number;
  end: number;
}

/** A snapshot read once for scoring: every instant parsed, the level history laid out. */
export interface CaseView {
  readonly index: number;
  readonly snap: CaseSnapshot;
  /** The case number, else its id, else `#<index>`. */
  readonly key: string;
  readonly received: number;
  readonly assigned: number | undefined;
  readonly acknowledged: number | undefined;
  readonly resolved: number | undefined;
  readonly closed: number | undefined;
  readonly due: number;
  readonly followUps: readonly number[];
  /** Instants at which the case became overdue (see {@link viewCase}). */
  readonly overdue: readonly number[];
  readonly escalations: ReadonlyArray<{ at: number; decision: EscalationDecision; from: string; to: string }>;
  readonly reported: readonly number[];
  readonly verified: readonly number[];
  readonly verificationFailed: readonly number[];
  readonly evaluated: number | undefined;
  readonly rating: string | undefined;
  readonly returned: readonly number[];
  readonly selfClosed: boolean;
  readonly ackOverdue: boolean;
  readonly agreement: ReadonlySet<boolean>;
  readonly initialLevel: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Reads a snapshot for scoring. The instants a case became overdue are its `overdue` history
 * entries (the tick that found it), plus — for the deadline in force now, if no tick has marked
 * it — the deadline itself, when it passed before the case was resolved and no later than `asOf`.
 * @throws JicengError `INVALID_SNAPSHOT` naming the snapshot and field.
 */
export function viewCase(snap: CaseSnapshot, index: number, packId: string, asOf: number, path: IssuePath = ["snapshots", index]): CaseView {
  const s = snap as unknown;
  if (!isObj(s) || s["kind"] !== "jiceng.case" || !isObj(s["context"])) {
    fail(IssueCode.INVALID_SNAPSHOT, path, `第 ${index + 1} 个不是 jiceng 案件快照`, `Item ${index + 1} is not a jiceng case snapshot`);
  }
  const packOf = isObj(s["pack"]) ? s["pack"]["id"] : undefined;
  if (packOf !== packId) fail(IssueCode.INVALID_SNAPSHOT, [...path, "pack", "id"], `第 ${index + 1} 个快照属于规则包 "${String(packOf)}"，而非 "${packId}"`, `Snapshot ${index + 1} belongs to pack "${String(packOf)}", not "${packId}"`);
  const c = snap.context;
  const at = (v: unknown, field: IssuePath): number => {
    if (typeof v !== "string") fail(IssueCode.INVALID_SNAPSHOT, [...path, "context", ...field], `第 ${index + 1} 个快照缺少时间 ${field.join(".")}`, `Snapshot ${index + 1} lacks the time ${field.join(".")}`);
    return parseInstant(v, [...path, "context", ...field]);
  };
  const opt = (v: unknown, field: string) => (v === undefined ? undefined : at(v, [field]));
  const received = at(c.receivedAt, ["receivedAt"]);
  const due = at(c.dueAt, ["dueAt"]);
  const resolved = opt(c.resolvedAt, "resolvedAt");
  const history = Array.isArray(c.history) ? c.history : [];
  const overdue: number[] = [];
  history.forEach((h, i) => {
    if (h && h.type === "overdue") overdue.push(at(typeof h.at === "number" ? entryAt(c, h) : h.at, ["history", i, "at"]));
  });
  if (c.overdue !== true && due <= asOf && (resolved === undefined || resolved >= due)) overdue.push(due);
  const escalations = (Array.isArray(c.escalations) ? c.escalations : []).map((e, i) => ({ at: at(e.at, ["escalations", i, "at"]), decision: e.decision, from: e.from, to: e.to }));
  const agreement = new Set<boolean>();
  const followUps = (Array.isArray(c.followUps) ? c.followUps : []).map((f, i) => {
    if (typeof f.agreementKept === "boolean") agreement.add(f.agreementKept);
    return at(f.at, ["followUps", i, "at"]);
  });
  const verified: number[] = [];
  const verificationFailed: number[] = [];
  (Array.isArray(c.verifications) ? c.verifications : []).forEach((v, i) => (v.passed ? verified : verificationFailed).push(at(v.at, ["verifications", i, "at"])));
  if (typeof c.level !== "string") fail(IssueCode.INVALID_SNAPSHOT, [...path, "context", "level"], `第 ${index + 1} 个快照缺少等级`, `Snapshot ${index + 1} has no level`);
  return {
    index,
    snap,
    key: c.number ?? c.id ?? `#${index + 1}`,
    received,
    assigned: c.assignment ? opt(c.assignment.at, "assignment.at") : undefined,
    acknowledged: opt(c.acknowledgedAt, "acknowledgedAt"),
    resolved,
    closed: opt(c.closedAt, "closedAt"),
    due,
    followUps,
    overdue,
    escalations,
    reported: (Array.isArray(c.reportedTo) ? c.reportedTo : []).map((r, i) => at(r.at, ["reportedTo", i, "at"])),
    verified,
    verificationFailed,
    evaluated: c.evaluation ? opt(c.evaluation.at, "evaluation.at") : undefined,
    rating: c.evaluation?.rating,
    returned: (Array.isArray(c.returns) ? c.returns : []).map((r, i) => at(r.at, ["returns", i, "at"])),
    selfClosed: c.selfClosed !== undefined,
    ackOverdue: ackOverdue(c, asOf, at),
    agreement,
    initialLevel: escalations[0]?.from ?? c.level,
  };
}

/** Signed for late: marked by a tick, or signed for (or still not, as of `asOf`) after the sign-for limit. */
function ackOverdue(c: CaseSnapshot["context"], asOf: number, at: (v: unknown, field: IssuePath) => number): boolean {
  if (c.ackOverdue === true) return true;
  if (c.ackDueAt === undefined) return false;
  const due = at(c.ackDueAt, ["ackDueAt"]);
  const ack = c.acknowledgedAt === undefined ? undefined : at(c.acknowledgedAt, ["acknowledgedAt"]);
  if (ack !== undefined) return ack >= due;
  return c.resolvedAt === undefined && due <= asOf;
}

/** The level a case had just before instant `t` (its intake level if nothing changed it before). */
export function levelAt(v: CaseView, t: number): string {
  let level = v.initialLevel;
  for (const e of v.escalations) if (e.at < t && (e.decision === "upgrade" || e.decision === "regrade")) level = e.to;
  return level;
}

const inWhen = (t: number | undefined, when: When, w: Window): boolean =>
  t !== undefined && (when === "period" ? t >= w.start && t < w.end : when === "by-end" ? t < w.end : when === "before-start" ? t < w.start : true);
const anyWhen = (ts: readonly number[], when: When, w: Window): boolean => {
  for (const t of ts) if (inWhen(t, when, w)) return true;
  return false;
};

/** A compiled case test. */
export type CasePredicate = (v: CaseView, w: Window) => boolean;

/** A field reader: the group keys of a case (none, one, or several for a list). */
export type FieldReader = (v: CaseView) => string[];

const ASSIGNMENT_FIELDS = new Set(["leadUnit", "responsibleUnit", "responsiblePerson", "responsibleLeader", "cooperatingUnits"]);

function keysOf(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return [...new Set(value.filter((x): x is string => typeof x === "string" && x !== ""))];
  return [];
}

/**
 * Compiles a grouping field (`facts.unitCode`, `assignment.responsibleUnit`, `intake.by`,
 * `resolve.by`, `level`) into a reader.
 * @throws JicengError `SCHEMA` for anything else.
 */
export function compileField(field: string, path: IssuePath, declared: readonly { name: string }[]): FieldReader {
  if (field === "level") return (v) => [v.snap.context.level];
  if (field === "intake.by") return (v) => keysOf(v.snap.context.history?.[0]?.type === "intake" ? v.snap.context.history[0].by : undefined);
  if (field === "resolve.by") {
    return (v) => {
      const h = v.snap.context.history ?? [];
      for (let i = h.length - 1; i >= 0; i--) if (h[i]!.type === "resolve") return keysOf(h[i]!.by);
      return [];
    };
  }
  const dot = field.indexOf(".");
  const head = field.slice(0, dot);
  const rest = field.slice(dot + 1);
  if (head === "assignment" && ASSIGNMENT_FIELDS.has(rest)) return (v) => keysOf((v.snap.context.assignment as Record<string, unknown> | undefined)?.[rest]);
  if (head === "facts" && /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/.test(rest)) {
    // A misspelt fact would group every case under "unspecified" and score nothing: refuse it.
    if (!declared.some((f) => f.name === rest)) {
      const hint = didYouMean(rest, declared.map((f) => f.name));
      fail(IssueCode.UNKNOWN_FACT, path, `字段 "${field}" 引用了未声明的事实 "${rest}"${hint.zh}`, `Field "${field}" refers to an undeclared fact "${rest}"${hint.en}`);
    }
    const segs = rest.split(".");
    return (v) => {
      let cur: unknown = v.snap.context.facts;
      for (const s of segs) {
        if (!isObj(cur) || !Object.prototype.hasOwnProperty.call(cur, s)) return [];
        cur = cur[s];
      }
      return keysOf(cur);
    };
  }
  fail(
    IssueCode.SCHEMA,
    path,
    `无法按 "${field}" 分组：可用 facts.<事实>、assignment.<leadUnit|responsibleUnit|responsiblePerson|responsibleLeader|cooperatingUnits>、intake.by、resolve.by、level`,
    `Cannot group by "${field}": use facts.<fact>, assignment.<leadUnit|responsibleUnit|responsiblePerson|responsibleLeader|cooperatingUnits>, intake.by, resolve.by, or level`,
  );
}

/** What case tests compile against. */
export interface CaseTestContext {
  pack: RulePack;
  compiler: ConditionCompiler;
  onTime: "final-deadline" | "never-overdue";
  levels: ReadonlySet<string>;
}

/** The context for compiling a pack's case tests. */
export function caseTestContext(pack: RulePack): CaseTestContext {
  return {
    pack,
    compiler: createConditionCompiler({ facts: buildFactIndex(pack.facts), named: pack.conditions, timeZone: pack.timezone }),
    onTime: pack.scoring?.onTime?.rule ?? "final-deadline",
    levels: new Set(pack.levels.map((l) => l.id)),
  };
}

/** Whether a resolved case was resolved on time under `rule`. */
export function resolvedOnTime(v: CaseView, rule: CaseTestContext["onTime"]): boolean {
  if (v.resolved === undefined || v.resolved >= v.due) return false;
  if (rule === "never-overdue") for (const t of v.overdue) if (t <= v.resolved) return false;
  return true;
}

/**
 * Compiles a case test (what counts) into a predicate. Unknown levels and bad fact conditions are
 * errors with their JSON path.
 * @throws JicengError with every issue found.
 */
export function compileCaseTest(test: CaseTest, ctx: CaseTestContext, path: IssuePath): CasePredicate {
  const issues: JicengIssue[] = [];
  const out = compileNode(test, ctx, path, issues);
  if (issues.length) throw new JicengError(issues);
  return out;
}

function compileNode(t: CaseTest, ctx: CaseTestContext, path: IssuePath, issues: JicengIssue[]): CasePredicate {
  if ("all" in t) {
    const parts = t.all.map((x, i) => compileNode(x, ctx, [...path, "all", i], issues));
    return (v, w) => {
      for (const p of parts) if (!p(v, w)) return false;
      return true;
    };
  }
  if ("any" in t) {
    const parts = t.any.map((x, i) => compileNode(x, ctx, [...path, "any", i], issues));
    return (v, w) => {
      for (const p of parts) if (p(v, w)) return true;
      return false;
    };
  }
  if ("not" in t) {
    const p = compileNode(t.not, ctx, [...path, "not"], issues);
    return (v, w) => !p(v, w);
  }
  if ("event" in t) {
    const when: When = t.when ?? "period";
    switch (t.event) {
      case "received": return (v, w) => inWhen(v.received, when, w);
      case "assigned": return (v, w) => inWhen(v.assigned, when, w);
      case "acknowledged": return (v, w) => inWhen(v.acknowledged, when, w);
      case "verified": return (v, w) => anyWhen(v.verified, when, w);
      case "verification-failed": return (v, w) => anyWhen(v.verificationFailed, when, w);
      case "evaluated": return (v, w) => inWhen(v.evaluated, when, w);
      case "returned": return (v, w) => anyWhen(v.returned, when, w);
      case "self-closed": return (v, w) => v.selfClosed && inWhen(v.closed, when, w);
      case "resolved": return (v, w) => inWhen(v.resolved, when, w);
      case "closed": return (v, w) => inWhen(v.closed, when, w);
      case "followed-up": return (v, w) => anyWhen(v.followUps, when, w);
      case "overdue": return (v, w) => anyWhen(v.overdue, when, w);
      case "reported": return (v, w) => anyWhen(v.reported, when, w);
      case "escalated": {
        const decisions = new Set<EscalationDecision>(t.decision ?? ["upgrade", "regrade"]);
        return (v, w) => {
          for (const e of v.escalations) if (decisions.has(e.decision) && inWhen(e.at, when, w)) return true;
          return false;
        };
      }
    }
  }
  if ("open" in t) {
    const atStart = t.open === "at-start";
    return (v, w) => {
      const at = atStart ? w.start : w.end;
      return v.received < at && !(v.resolved !== undefined && v.resolved < at);
    };
  }
  if ("resolvedOnTime" in t) {
    const want = t.resolvedOnTime;
    const rule = ctx.onTime;
    return (v) => v.resolved !== undefined && resolvedOnTime(v, rule) === want;
  }
  if ("level" in t) {
    t.level.forEach((id, i) => {
      if (!ctx.levels.has(id)) issues.push(issue(IssueCode.UNKNOWN_LEVEL, [...path, "level", i], `未知等级 "${id}"；已声明：${[...ctx.levels].join(", ")}`, `Unknown level "${id}"; declared: ${[...ctx.levels].join(", ")}`));
    });
    const set = new Set(t.level);
    if (t.at === "intake") return (v) => set.has(v.initialLevel);
    return (v, w) => set.has(levelAt(v, w.end));
  }
  if ("agreementKept" in t) {
    const want = t.agreementKept;
    return (v) => v.agreement.has(want);
  }
  if ("evaluation" in t) {
    const ratings = (ctx.pack.lifecycle as { evaluation?: { ratings: ReadonlyArray<{ value: string }> } }).evaluation?.ratings.map((r) => r.value);
    if (!ratings) issues.push(issue(IssueCode.SCHEMA, [...path, "evaluation"], "规则包没有综合评价（lifecycle.evaluation）", "The pack has no evaluation stage (lifecycle.evaluation)"));
    else
      t.evaluation.forEach((r, i) => {
        if (!ratings.includes(r)) issues.push(issue(IssueCode.SCHEMA, [...path, "evaluation", i], `未知评价结果 "${r}"；可选：${ratings.join(", ")}`, `Unknown rating "${r}"; the pack's ratings: ${ratings.join(", ")}`));
      });
    const set = new Set(t.evaluation);
    return (v) => v.rating !== undefined && set.has(v.rating);
  }
  if ("ackOverdue" in t) {
    const want = t.ackOverdue;
    return (v) => v.ackOverdue === want;
  }
  if ("facts" in t) {
    const c = collectIssues(issues, () => ctx.compiler.compile(t.facts, [...path, "facts"]));
    return c ? (v) => c.test(v.snap.context.facts) : () => false;
  }
  if ("field" in t) {
    const read = collectIssues(issues, () => compileField(t.field, [...path, "field"], ctx.pack.facts));
    if (!read) return () => false;
    const set = new Set(t.in);
    return (v) => read(v).some((k) => set.has(k));
  }
  issues.push(issue(IssueCode.SCHEMA, path, "无法识别的计数口径", "Unrecognised case test"));
  return () => false;
}
