import { IssueCode, JicengError, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseEventType } from "./events.js";
import type { CaseSnapshot } from "./lifecycle.js";
import { OPEN_STATES } from "./machine.js";
import { validatorFor } from "./snapshot.js";

/**
 * The earliest instant at which a `tick` can change the case, or `null` when no tick ever can
 * (resolved or closed cases, or every timer already fired). Any tick before it is a no-op, so an
 * app stores it beside the snapshot and sweeps only the cases whose instant has come.
 *
 * A tick changes a case when it crosses one of its timers: the acknowledgement limit (签收时限)
 * while not signed for, the warning time while not warned, the deadline while not overdue.
 *
 * @example
 * const snap = engine.start({ type: "intake", at, facts });
 * nextTickAt(snap); // snap.context.warnAt ?? snap.context.dueAt
 * @see DESIGN.md § Decisions 1 (time is an input)
 */
export function nextTickAt(snapshot: CaseSnapshot): string | null {
  const bad = validatorFor(undefined).check(snapshot, ["snapshot"]);
  if (bad.length) throw new JicengError(bad);
  return nextTickAtChecked(snapshot);
}
export function nextTickAtChecked(snapshot: CaseSnapshot): string | null {
  const c = snapshot.context;
  if (!OPEN_STATES.includes(snapshot.state)) return null;
  const candidates: string[] = [];
  if (c.ackDueAt !== undefined && c.acknowledgedAt === undefined && c.ackOverdue !== true && c.resolvedAt === undefined) candidates.push(c.ackDueAt);
  if (!c.overdue) {
    candidates.push(c.dueAt);
    if (!c.warned && c.warnAt !== undefined) candidates.push(c.warnAt);
  }
  let best: string | null = null;
  for (const x of candidates) if (best === null || Date.parse(x) < Date.parse(best)) best = x;
  return best;
}

/** An event the case accepts now, as a case page offers it. */
export interface AllowedEvent {
  type: CaseEventType;
  label: Text;
  /**
   * What the form must still fill in for the event to be accepted (e.g. the required assignment
   * fields, a rating, checklist confirmations): the issues core would report for an empty form.
   */
  needs: JicengIssue[];
  /** For `decideEscalation`: the decisions the pack allows now. */
  decisions?: Array<"upgrade" | "extend" | "reject">;
}

const LABELS: Record<Exclude<CaseEventType, "intake" | "tick" | "recalendar">, Text> = {
  assign: { zh: "交办", en: "Assign" },
  acknowledge: { zh: "签收", en: "Sign for" },
  update: { zh: "补充事实", en: "Update facts" },
  requestEscalation: { zh: "申请升级或延期", en: "Ask for an upgrade or extension" },
  decideEscalation: { zh: "研究决定（升级、延期或驳回）", en: "Decide (upgrade, extend or reject)" },
  decideReport: { zh: "决定是否继续上报", en: "Decide whether to report further up" },
  progress: { zh: "记录进展", en: "Record progress" },
  resolve: { zh: "化解办结", en: "Resolve" },
  followUp: { zh: "回访", en: "Follow-up visit" },
  close: { zh: "结案", en: "Close" },
  rectify: { zh: "列入整改清单", en: "Put on the rectification list" },
  strikeOff: { zh: "销号", en: "Strike off" },
  verify: { zh: "核实", en: "Verify" },
  evaluate: { zh: "评价", en: "Evaluate" },
  return: { zh: "退回", en: "Return" },
  selfClose: { zh: "自行办结", en: "Close on the spot" },
  requestReview: { zh: "申请复查、复核", en: "Request a review" },
  supervise: { zh: "督办", en: "Supervise" },
};

type Check = (snapshot: CaseSnapshot, event: unknown) => JicengIssue[];

/**
 * The events a case accepts now (what its page offers), each with what the form still needs. Asks
 * the lifecycle's own check with an empty form per event type, so the offer never disagrees with
 * what `transition` accepts: an event is offered unless the check says EVENT_NOT_ALLOWED.
 * `intake` and `tick` (the clock's) are never offered. `now` (default: the case's last change) is
 * the instant the offer is for: a bad snapshot or an impossible `now` (malformed, or before the
 * case's last change) throws the JicengError the lifecycle gives.
 *
 * @example
 * engine.allowedEvents(engine.start(intake)).map((e) => e.type); // ["assign", "update", ...]
 * @see DESIGN.md § Case lifecycle
 */
export function allowedEvents(pack: RulePack, snapshot: CaseSnapshot, check: Check, now?: string): AllowedEvent[] {
  const bad = check(snapshot, { type: "tick", at: now ?? snapshot.context?.lastAt });
  const aboutNow = (i: JicengIssue) => i.path[i.path.length - 1] === "at";
  const fatal = bad.filter((i) => i.code !== IssueCode.EVENT_NOT_ALLOWED || aboutNow(i));
  if (fatal.length > 0) throw new JicengError(fatal.map((i) => (aboutNow(i) ? { ...i, path: ["now"] } : i)));
  const lc = pack.lifecycle;
  const at = now ?? snapshot.context.lastAt;
  const by = "-";
  const probes: Record<keyof typeof LABELS, Array<Record<string, unknown>>> = {
    assign: [{}],
    acknowledge: [{}],
    update: [{ facts: {} }],
    requestEscalation: [{ reason: "-" }],
    decideEscalation: [{ decision: "upgrade" }, { decision: "extend", days: 1 }, { decision: "reject" }],
    decideReport: [{ report: true }],
    progress: [{ note: "-" }],
    resolve: [{}],
    followUp: [{}],
    close: [{}],
    rectify: [{}],
    strikeOff: [{}],
    verify: [{ passed: true }],
    evaluate: [{ rating: lc.evaluation?.ratings[0]?.value ?? "-" }],
    return: [{ reason: "-" }],
    selfClose: [{ role: lc.selfClose?.roles[0] ?? "-" }],
    requestReview: [{ reason: "-" }],
    supervise: [{}],
  };
  const out: AllowedEvent[] = [];
  for (const [type, forms] of Object.entries(probes) as Array<[keyof typeof LABELS, Array<Record<string, unknown>>]>) {
    let offered: AllowedEvent | undefined;
    for (const form of forms) {
      const issues = check(snapshot, { type, at, by, ...form });
      if (issues.some((i) => i.code === IssueCode.EVENT_NOT_ALLOWED)) continue;
      if (!offered) offered = { type, label: labelOf(pack, type), needs: issues };
      if (type === "decideEscalation") (offered.decisions ??= []).push(form["decision"] as "upgrade" | "extend" | "reject");
    }
    if (offered) out.push(offered);
  }
  return out;
}

function labelOf(pack: RulePack, type: keyof typeof LABELS): Text {
  const lc = pack.lifecycle;
  const own: Partial<Record<keyof typeof LABELS, Text | undefined>> = {
    acknowledge: lc.acknowledge?.label,
    rectify: lc.rectification ? { zh: `列入${lc.rectification.label.zh}`, en: `Put on the ${lc.rectification.label.en}` } : undefined,
    verify: lc.verification?.label,
    evaluate: lc.evaluation?.label,
    selfClose: lc.selfClose?.label,
    requestReview: lc.reviews?.label,
    supervise: lc.supervision?.label,
  };
  return own[type] ?? LABELS[type];
}
