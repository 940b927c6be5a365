import fc from "./fast-check.js";
import type { Arbitrary, Parameters as FcParameters } from "fast-check";
import { createEngine, type Engine, type CreateEngineInput } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import type { CaseEvent, IntakeEvent } from "../lifecycle/events.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { OPEN_STATES } from "../lifecycle/machine.js";
import { missingConfirmations, supervisionsThisRound } from "../lifecycle/rules.js";
import type { RulePack } from "../pack/schema.js";
import type { FactDef } from "../vocabulary/index.js";
import { setFactValue } from "../conditions/paths.js";
import { parseLocalDate } from "../calendar/days.js";
import { startOfLocalDay } from "../calendar/timezone.js";

const HOUR = 3_600_000;


/** ISO 8601 in +08:00 for an instant. */
export function isoAt(ms: number, offsetMinutes = 480): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const off = Math.abs(offsetMinutes);
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${sign}${p(Math.floor(off / 60))}:${p(off % 60)}`;
}

function factValue(f: FactDef, startMs: number): Arbitrary<unknown> {
  const enumValues = f.values?.map((v) => v.value) ?? [];
  switch (f.type) {
    case "boolean": return fc.boolean();
    case "number": return fc.double({ min: f.min ?? -1e6, max: f.max ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case "integer": return fc.integer({ min: f.min ?? -1000, max: f.max ?? 1000 });
    case "enum": return fc.constantFrom(...enumValues);
    case "enum-list": return fc.uniqueArray(fc.constantFrom(...enumValues), { maxLength: enumValues.length });
    case "string-list": return fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 });
    case "date": return fc.integer({ min: 0, max: 365 }).map((d) => isoAt(startMs - d * 24 * HOUR).slice(0, 10));
    case "datetime": return fc.constant(isoAt(startMs));
    default: return /code$/i.test(f.name) ? fc.stringMatching(/^[0-9]{2}$/) : fc.string({ minLength: 1, maxLength: 8 });
  }
}

/** Random, well-typed facts for a pack's declared facts; facts with a default are sometimes left out. */
export function caseFactsArbitrary(pack: RulePack, startMs: number): Arbitrary<Record<string, unknown>> {
  const entries = pack.facts.map((f) => {
    const v = f.name === pack.startFact ? fc.constant(isoAt(startMs)) : factValue(f, startMs);
    return f.default !== undefined ? fc.option(v, { nil: undefined, freq: 3 }) : v;
  });
  return fc.tuple(...entries).map((values) => {
    const out: Record<string, unknown> = {};
    pack.facts.forEach((f, i) => {
      if (values[i] !== undefined) setFactValue(out, f.name, values[i]);
    });
    return out;
  });
}

/** An intake event at a random time inside the holiday calendar's range. */
export function intakeArbitrary(pack: RulePack, options: { from?: string; to?: string; facts?: ReadonlyArray<Record<string, unknown>> } = {}): Arbitrary<IntakeEvent> {
  const lo = Date.parse(options.from ?? "2021-01-04T00:00:00+08:00");
  const hi = Date.parse(options.to ?? "2025-06-30T00:00:00+08:00");
  const steer = options.facts ?? [];
  return fc
    .integer({ min: 0, max: Math.floor((hi - lo) / 60_000) })
    .chain((min) => {
      const start = lo + min * 60_000;
      const random = caseFactsArbitrary(pack, start);
      // Half the intakes, when asked, carry one of the given facts (e.g. { category: "petition" }).
      const facts = steer.length ? fc.oneof(random, fc.tuple(random, fc.constantFrom(...steer)).map(([f, s]) => mergeFacts(f, s))) : random;
      return fc.record({ facts, seq: fc.integer({ min: 1, max: 99 }) }).map(({ facts, seq }) => ({ type: "intake" as const, at: isoAt(start), facts, seq }));
    });
}

function mergeFacts(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === "object" && !Array.isArray(v) && prev && typeof prev === "object" && !Array.isArray(prev) ? mergeFacts(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

type Step = { gapHours: number; kind: number; pick: number; flag: boolean; days: number };

/** Turns abstract steps into concrete events at increasing times after `startMs`. */
function concretize(steps: Step[], startMs: number, pack: RulePack): CaseEvent[] {
  let t = startMs;
  const fields = ["leadUnit", "responsibleLeader", "responsibleUnit", "responsiblePerson", "measures"] as const;
  const boolFacts = pack.facts.filter((f) => f.type === "boolean" || f.type === "enum");
  const lc = pack.lifecycle;
  /** Every item of the checklists for `before`, or (sometimes) all but one, which the pack must refuse. */
  const confirmations = (before: "resolve" | "close", s: Step): { confirmations?: string[] } => {
    const items = (lc.checklists ?? []).filter((c) => c.before === before).flatMap((c) => c.items.map((i) => i.id));
    if (!items.length) return {};
    return { confirmations: s.pick % 5 === 0 ? items.filter((_, i) => i !== s.pick % items.length) : items };
  };
  const ratings = lc.evaluation?.ratings.map((r) => r.value) ?? ["satisfied"];
  const roles = lc.selfClose?.roles ?? ["grid-worker"];
  return steps.flatMap((s): CaseEvent[] => {
    t += s.gapHours * HOUR;
    const at = isoAt(t);
    // An application is usually followed by the branch's decision (random order would rarely get there).
    if (s.kind === 5 && s.flag) {
      t += HOUR;
      return [
        { type: "requestEscalation", at, reason: "cannot be resolved in time", by: "unit" },
        { type: "decideEscalation", at: isoAt(t), by: "branch", decision: (["upgrade", "upgrade", "extend", "reject"] as const)[s.pick % 4]!, ...(s.pick % 4 === 2 ? { days: s.days } : {}) },
      ];
    }
    // Likewise the steps a pack requires before closing, resolving or after a review request, so
    // random cases reach verification, evaluation, strike-off, reviews and a proper close.
    const next = () => isoAt((t += HOUR));
    if (s.kind === 11 && s.flag) {
      const prep: CaseEvent[] = [];
      if (lc.rectification) prep.push({ type: "rectify", at, by: "unit", reason: "parties disagree", difficulty: "no survey", needsCoordination: false, measures: "joint mediation" }, { type: "strikeOff", at, by: "branch" });
      if (lc.followUp?.required) prep.push({ type: "followUp", at: next(), by: "unit", agreementKept: true });
      if (lc.verification) prep.push({ type: "verify", at: next(), by: "command-room", passed: true });
      if (lc.evaluation) prep.push({ type: "evaluate", at: next(), by: "public", rating: ratings[0]! });
      return [...prep, { type: "close", at: next(), by: "branch", ...confirmations("close", { ...s, pick: 1 }) }];
    }
    // A pack that requires supervision (督办) before resolving gets it first, mostly; sometimes not, which it must refuse.
    const supervised = (): CaseEvent[] => (lc.supervision && s.pick % 7 !== 0 ? [{ type: "supervise", at: next(), by: "command-room", note: "checked on progress" }] : []);
    if (s.kind === 9 && s.flag && lc.acknowledge) return [{ type: "acknowledge", at, by: "unit" }, ...supervised(), { type: "resolve", at: next(), by: "unit", ...confirmations("resolve", s) }];
    if (s.kind === 9 && s.flag && lc.supervision) return [...supervised(), { type: "resolve", at: next(), by: "unit", ...confirmations("resolve", s) }];
    if (s.kind === 20 && s.flag) {
      // A review, its reply, and sometimes the next level and a request past the last one (refused: terminated).
      const chain: CaseEvent[] = [{ type: "requestReview", at, by: "petitioner", reason: "does not accept the reply" }, ...supervised(), { type: "resolve", at: next(), by: "reviewing body" }];
      if (s.pick % 2) for (let i = 0; i < 3; i++) chain.push({ type: "requestReview", at: next(), by: "petitioner", reason: "still does not accept" }, ...supervised(), { type: "resolve", at: next(), by: "reviewing body" });
      return chain;
    }
    return [concreteOne(s, at)];
  });

  function concreteOne(s: Step, at: string): CaseEvent {
    switch (s.kind) {
      case 0: {
        const a: Record<string, unknown> = { type: "assign", at, by: "branch" };
        // Mostly complete assignments; sometimes one with fields missing (which a pack may refuse).
        const complete = s.pick % 4 !== 0;
        fields.forEach((f, i) => { if (complete || (s.pick >> i) % 2 === 0) a[f] = `${f}-${s.pick % 3}`; });
        if (complete || s.flag) a["cooperatingUnits"] = ["police"];
        // Usually the day itself; sometimes two months out (beyond every level's limit, which a pack may refuse or flag).
        if (complete || s.flag) a["deadline"] = s.pick % 5 === 0 ? isoAt(t + 60 * 24 * HOUR).slice(0, 10) : at.slice(0, 10);
        return a as CaseEvent;
      }
      case 1: return { type: "acknowledge", at, by: "unit" };
      case 2: case 3: case 4: return { type: "tick", at };
      case 5: return { type: "requestEscalation", at, reason: "cannot be resolved in time", by: "unit" };
      case 6: return { type: "decideEscalation", at, by: "branch", decision: (["upgrade", "extend", "reject"] as const)[s.pick % 3]!, ...(s.pick % 3 === 1 ? { days: s.days } : {}) };
      case 7: return { type: "decideReport", at, by: "township", report: s.flag };
      case 8: return { type: "progress", at, note: "visited the parties" };
      case 9: return { type: "resolve", at, by: "unit", ...confirmations("resolve", s) };
      case 10: return { type: "followUp", at, by: "unit", agreementKept: s.flag };
      case 11: return { type: "close", at, by: "branch", ...confirmations("close", s) };
      case 12: {
        const f = boolFacts[s.pick % Math.max(1, boolFacts.length)];
        const facts: Record<string, unknown> = {};
        if (f) setFactValue(facts, f.name, f.type === "boolean" ? s.flag : f.values![s.pick % f.values!.length]!.value);
        return { type: "update", at, facts };
      }
      case 14: {
        // A rectification record: usually complete, sometimes missing fields the pack may require.
        const r: Record<string, unknown> = { type: "rectify", at, by: "unit" };
        const complete = s.pick % 4 !== 0;
        if (complete || s.pick % 2) r["reason"] = "parties disagree";
        if (complete || s.pick % 3) r["difficulty"] = "no survey of the boundary";
        if (complete || s.flag) r["needsCoordination"] = s.flag;
        if (complete) r["measures"] = "joint mediation";
        return r as CaseEvent;
      }
      case 15: return { type: "strikeOff", at, by: "branch", ...(s.pick % 3 === 0 ? { item: 1 + (s.pick % 2) } : {}) };
      case 16: return { type: "verify", at, by: "command-room", passed: s.pick % 4 !== 0 };
      case 17: return { type: "evaluate", at, by: "public", rating: s.pick % 7 === 0 ? "no-such-rating" : ratings[s.pick % ratings.length]! };
      case 18: return { type: "return", at, by: "department", reason: "not ours: wrongly routed" };
      case 19: return { type: "selfClose", at, by: "grid worker", role: s.pick % 5 === 0 ? "passer-by" : roles[s.pick % roles.length]!, note: "handled on the spot" };
      case 20: return { type: "requestReview", at, by: "petitioner", reason: "does not accept the reply" };
      case 21: return { type: "supervise", at, by: "command-room", ...(s.flag ? { note: "urged the department on" } : {}) };
      default: return (s.flag ? { type: "resolve", at: "yesterday" } : { type: "teleport", at }) as unknown as CaseEvent; // malformed on purpose
    }
  }
}

/** A random case: an intake and a sequence of events at increasing times, valid or not. */
export function caseHistoryArbitrary(pack: RulePack, options: { maxEvents?: number; facts?: ReadonlyArray<Record<string, unknown>> } = {}): Arbitrary<{ intake: IntakeEvent; events: CaseEvent[] }> {
  // Weighted so random cases reach every stage: assignment, overdue ticks, applications, decisions,
  // reports, resolution, visits, closing — and some malformed events along the way.
  // 0 assign · 1 acknowledge · 2–4 tick · 5 request · 6 decide · 7 report decision · 8 progress · 9 resolve ·
  // 10 follow-up · 11 close · 12 update · 13 malformed · 14 rectify · 15 strike off · 16 verify ·
  // 17 evaluate · 18 return · 19 self-close · 20 request review · 21 supervise. Stages a pack does not have get no weight.
  const lc = pack.lifecycle;
  const on = (x: unknown, w: number) => (x ? w : 0);
  // Events a pack cannot accept keep a small weight, so their rejections are exercised too.
  const esc = pack.escalation;
  const weights = [
    lc.return ? 5 : 3, on(lc.acknowledge, 3) || 1, 3, 2, 2, on(esc, 3) || 1, on(esc, 4) || 1, on(esc?.report, 2) || 1, 1, lc.acknowledge ? 3 : 2, 2, 3, 1, 1,
    on(lc.rectification, 2), on(lc.rectification, 2), on(lc.verification, 2), on(lc.evaluation, 2), on(lc.return, 1), on(lc.selfClose, 1), on(lc.reviews, 3), on(lc.supervision, 3),
  ];
  const kind = fc.oneof(...weights.map((weight, k) => ({ arbitrary: fc.constant(k), weight })));
  const step = fc.record({ gapHours: fc.oneof(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 24, max: 24 * 50 })), kind, pick: fc.nat(63), flag: fc.boolean(), days: fc.integer({ min: 1, max: 30 }) });
  const max = options.maxEvents ?? 25;
  return intakeArbitrary(pack, options.facts ? { facts: options.facts } : {}).chain((intake) =>
    fc.array(step, { minLength: Math.min(4, max), maxLength: max }).map((steps) => ({ intake, events: concretize(steps, Date.parse(intake.at), pack) })),
  );
}

/** A violated invariant, with the case that shows it. */
export class InvariantViolation extends Error {}

function must(cond: unknown, what: string): asserts cond {
  if (!cond) throw new InvariantViolation(what);
}

/**
 * Checks DESIGN.md's invariants on one transition.
 * @returns nothing; throws {@link InvariantViolation} with a description.
 */
export function checkStep(engine: Engine, prev: CaseSnapshot, event: CaseEvent, next: CaseSnapshot): void {
  const pack = engine.pack;
  const ranks = [...pack.levels].map((l) => l.rank).sort((a, b) => a - b);
  const p = prev.context, n = next.context;
  must(n.rank >= p.rank || (pack.lifecycle.regrade === "any" && event.type === "update"), `severity decreased: ${p.level} → ${n.level} on ${event.type}`);
  if (n.level !== p.level) {
    must(event.type === "decideEscalation" || event.type === "update", `level changed without a rule on ${event.type}`);
    if (event.type === "decideEscalation") {
      must(ranks.indexOf(n.rank) === ranks.indexOf(p.rank) + 1, `an upgrade moved more than one step: ${p.level} → ${n.level}`);
      must(event.decision === "upgrade", "level changed on a decision that was not an upgrade");
    }
  }
  const wasOpen = OPEN_STATES.includes(prev.state);
  const isOpen = OPEN_STATES.includes(next.state);
  if (!wasOpen) {
    must(n.escalations.length === p.escalations.length && n.reportedTo.length === p.reportedTo.length, "a resolved or closed case escalated");
    if (!isOpen) must(n.overdue === p.overdue, "a resolved or closed case became overdue");
    else {
      // Only two events reopen a resolved case: a review (a new period from the request) or a failed verification (same deadline).
      must(prev.state === "resolved", "a closed case was reopened");
      if (event.type === "requestReview") {
        must(!n.overdue && n.clockStart === event.at && Date.parse(n.dueAt) > Date.parse(event.at), "a review did not start a new period at the request");
        must((n.reviews?.length ?? 0) === (p.reviews?.length ?? 0) + 1, "a review was not recorded");
        must((n.reviews?.length ?? 0) <= (pack.lifecycle.reviews?.stages.length ?? 0), "more reviews than the pack's levels (termination not enforced)");
      } else {
        must(event.type === "verify" && !event.passed, `a resolved case was reopened by ${event.type}`);
        must(n.dueAt === p.dueAt && n.overdue === p.overdue, "a failed verification changed the deadline");
      }
    }
  }
  if (event.type === "return") {
    must(next.state === "graded" && n.assignment === undefined && n.dueAt === p.dueAt && n.level === p.level, "a return did not send the item back unchanged");
    if (p.firstReceiver !== undefined) must(n.firstReceiver === p.firstReceiver, "the first receiver changed");
  }
  if (n.firstReceiver !== p.firstReceiver) must(false, "the first receiver changed");
  if (isOpen && n.ackDueAt !== undefined && n.assignment) must(Date.parse(n.ackDueAt) > Date.parse(n.assignment.at), "the sign-for deadline is not after the assignment");
  if (n.ackOverdue && !p.ackOverdue) must(event.type === "tick" && n.acknowledgedAt === undefined && Date.parse(event.at) >= Date.parse(n.ackDueAt!), "sign-for overdue without a tick past its deadline");
  if (next.state === "closed" && prev.state !== "closed") {
    must(event.type === "close" || event.type === "selfClose", `closed by ${event.type}`);
    if (event.type === "close") {
      must(missingConfirmations(pack, "close", event.confirmations).length === 0, "closed without every checklist item confirmed");
      if (pack.lifecycle.verification?.required) must(n.verifiedAt !== undefined, "closed without verification");
      if (pack.lifecycle.evaluation?.required) must(n.evaluation !== undefined, "closed without evaluation");
      if (pack.lifecycle.rectification?.strikeOffBeforeClose) must((n.rectifications ?? []).every((r) => r.struckOffAt !== undefined), "closed with rectification records not struck off");
      if (pack.lifecycle.followUp?.required) must(n.followUps.length > 0, "closed without a return visit");
      if (pack.lifecycle.rectification?.requiredWhenOverdue && (p.overdue || p.history.some((h) => h.type === "overdue") || Date.parse(p.resolvedAt ?? event.at) >= Date.parse(p.dueAt))) {
        must((n.rectifications ?? []).length > 0, "an item that was overdue closed without a rectification record");
      }
    } else {
      must(pack.lifecycle.selfClose?.roles.includes(event.role) === true, "closed on the spot by a role without the permission");
    }
  }
  if (event.type === "decideEscalation" && event.decision === "extend" && pack.escalation?.extend?.atTopLevel === "refuse") {
    must(p.rank !== ranks[ranks.length - 1], "a top-level case was extended although the pack refuses it (it must be reported)");
  }
  const ad = pack.lifecycle.assignment?.assignedDeadline;
  if (event.type === "assign" && ad && event.deadline !== undefined) {
    const end = startOfLocalDay(parseLocalDate(event.deadline) + 1, pack.timezone);
    if (ad.governs) must(Date.parse(n.dueAt) === end && !n.overdue, `the assigned deadline ${event.deadline} does not govern: due ${n.dueAt}`);
    if (ad.beyondLimit === "refuse" && p.timeLimit === undefined) must(end <= engine.deadline(p.level, p.clockStart).dueAtMs, `an assigned deadline ${event.deadline} beyond the level's limit was accepted`);
  }
  if (event.type === "assign") {
    const missing = (pack.lifecycle.assignment?.required ?? []).filter((f) => (event as Record<string, unknown>)[f] === undefined);
    must(missing.length === 0, `assigned without ${missing.join(", ")}`);
  }
  if (event.type === "resolve" && pack.lifecycle.supervision?.requiredBeforeResolve) {
    must(supervisionsThisRound(p).length > 0, "resolved without a supervision record of its handling round");
  }
  if (event.type === "supervise") must(wasOpen && prev.state !== "graded" && (n.supervisions?.length ?? 0) === (p.supervisions?.length ?? 0) + 1, "a supervision record outside handling, or not recorded");
  if (event.type === "rectify") must(n.overdue || n.history.some((h) => h.type === "overdue") || Date.parse(event.at) >= Date.parse(p.dueAt), "a rectification record for an item never overdue");
  if (OPEN_STATES.includes(next.state)) {
    must(typeof n.dueAt === "string" && !Number.isNaN(Date.parse(n.dueAt)), "an open case has no active deadline");
    must(Date.parse(n.dueAt) > Date.parse(n.clockStart), `deadline ${n.dueAt} is not after its start ${n.clockStart}`);
  }
  const chain = pack.escalation?.report?.chain;
  if (event.type === "tick" && OPEN_STATES.includes(next.state) && chain && n.rank === ranks[ranks.length - 1] && Date.parse(event.at) >= Date.parse(n.dueAt)) {
    must(n.reportedTo.length >= 1, "an overdue top-level case was not reported at the tick");
  }
  if (chain) {
    must(n.reportedTo.length <= chain.length, "reported beyond the end of the chain");
    must(new Set(n.reportedTo.map((r) => r.body)).size === n.reportedTo.length, "reported twice to the same body");
  }
  must(n.history.length >= p.history.length && n.history.slice(0, p.history.length).every((h, i) => JSON.stringify(h) === JSON.stringify(p.history[i])), "history is not append-only");
  must(JSON.stringify(JSON.parse(JSON.stringify(next))) === JSON.stringify(next), "snapshot is not plain JSON");
}

/** The outcome of running one random case. */
export interface CaseRun {
  snapshot: CaseSnapshot;
  accepted: CaseEvent[];
  rejected: number;
  /** Rejections of a close or resolve that named missing checklist items (MISSING_FIELDS at event.confirmations). */
  checklistRejected: number;
}

/** Runs a case's events, checking every invariant at every step; rejections must be typed and change nothing. */
export function runCase(engine: Engine, intake: IntakeEvent, events: readonly CaseEvent[]): CaseRun {
  let snap = engine.start(intake);
  const accepted: CaseEvent[] = [intake];
  let rejected = 0;
  let checklistRejected = 0;
  for (const e of events) {
    const before = JSON.stringify(snap);
    let next: CaseSnapshot;
    try {
      next = engine.transition(snap, e);
    } catch (err) {
      must(isJicengError(err), `event ${JSON.stringify(e)} threw a non-jiceng error: ${String(err)}`);
      must(JSON.stringify(snap) === before, "a rejected event changed the snapshot");
      must(err.issues.every((i) => typeof i.message.zh === "string" && i.message.zh.length > 0 && typeof i.message.en === "string" && i.message.en.length > 0), "a rejection without a zh + en message");
      if (err.issues.some((i) => i.code === "MISSING_FIELDS" && i.path[1] === "confirmations")) checklistRejected++;
      rejected++;
      continue;
    }
    must(JSON.stringify(snap) === before, "a transition mutated its input snapshot");
    checkStep(engine, snap, e, next);
    snap = next;
    accepted.push(e);
  }
  return { snapshot: snap, accepted, rejected, checklistRejected };
}

/** Options for {@link checkInvariants}. */
export interface CheckInvariantsOptions {
  numRuns?: number;
  seed?: number;
  maxEvents?: number;
  variant?: string;
  /**
   * Facts to steer random cases toward: half the intakes carry one of them, merged over random
   * facts (e.g. `[{ category: "petition" }]` so the petition-only review levels get exercised).
   */
  facts?: ReadonlyArray<Record<string, unknown>>;
}

/** Statistics from {@link checkInvariants}: how much of the machine the random cases reached. */
export interface InvariantStats {
  runs: number;
  events: number;
  rejected: number;
  states: Record<string, number>;
  upgrades: number;
  reports: number;
  /** How often the optional stages were reached: returns, rectification records, strike-offs, verifications (passed / failed), evaluations, reviews, self-closes, sign-for overdue. */
  features: Record<"returns" | "rectifications" | "struckOff" | "verified" | "verificationFailed" | "evaluated" | "reviews" | "selfClosed" | "ackOverdue" | "checklistRejected" | "closedWithChecklist" | "supervised", number>;
}

/**
 * Runs the property suite of DESIGN.md's invariants on random event sequences with random
 * clocks against a pack: severity never decreases; upgrades move one step; no level change without
 * a rule; resolved/closed cases never become overdue or escalate; an open case always has one
 * deadline after its start; an overdue top-level case is reported at the tick; the chain is finite;
 * rejected events are typed and change nothing; replay and JSON round-trip give identical snapshots.
 * Throws (fast-check's report with the shrunk counter-example) if any invariant fails.
 *
 * @example
 * import { checkInvariants } from "@jiceng/core/testing";
 * it("my pack keeps the invariants", () => { checkInvariants(myPack, { numRuns: 200 }); });
 */
export function checkInvariants(packInput: unknown, options: CheckInvariantsOptions = {}): InvariantStats {
  const engine = createEngine(packInput as CreateEngineInput /* validated by createEngine */, options.variant !== undefined ? { variant: options.variant } : {});
  const stats: InvariantStats = {
    runs: 0, events: 0, rejected: 0, states: {}, upgrades: 0, reports: 0,
    features: { returns: 0, rectifications: 0, struckOff: 0, verified: 0, verificationFailed: 0, evaluated: 0, reviews: 0, selfClosed: 0, ackOverdue: 0, checklistRejected: 0, closedWithChecklist: 0, supervised: 0 },
  };
  const params: FcParameters<[{ intake: IntakeEvent; events: CaseEvent[] }, number]> = { numRuns: options.numRuns ?? 200 };
  if (options.seed !== undefined) params.seed = options.seed;
  fc.assert(
    fc.property(caseHistoryArbitrary(engine.pack, { ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}), ...(options.facts ? { facts: options.facts } : {}) }), fc.nat(), ({ intake, events }, cutSeed) => {
      const run = runCase(engine, intake, events);
      stats.runs++;
      stats.events += events.length;
      stats.rejected += run.rejected;
      stats.states[run.snapshot.state] = (stats.states[run.snapshot.state] ?? 0) + 1;
      stats.upgrades += run.snapshot.context.escalations.filter((e) => e.decision === "upgrade").length;
      stats.reports += run.snapshot.context.reportedTo.length;
      const c = run.snapshot.context;
      const f = stats.features;
      f.returns += c.returns?.length ?? 0;
      f.rectifications += c.rectifications?.length ?? 0;
      f.struckOff += c.rectifications?.filter((r) => r.struckOffAt !== undefined).length ?? 0;
      f.verified += c.verifications?.filter((v) => v.passed).length ?? 0;
      f.verificationFailed += c.verifications?.filter((v) => !v.passed).length ?? 0;
      f.evaluated += c.evaluation ? 1 : 0;
      f.reviews += c.reviews?.length ?? 0;
      f.selfClosed += c.selfClosed ? 1 : 0;
      f.ackOverdue += c.ackOverdue ? 1 : 0;
      f.checklistRejected += run.checklistRejected;
      f.supervised += c.supervisions?.length ?? 0;
      f.closedWithChecklist += run.snapshot.state === "closed" && c.confirmed?.some((x) => x.before === "close") ? 1 : 0;
      // Replay of the accepted log gives the same snapshot.
      const replayed = engine.replay(run.accepted);
      must(JSON.stringify(replayed) === JSON.stringify(run.snapshot), "replay differs from step-by-step transition");
      // Cut anywhere, round-trip through JSON, continue: same end.
      const cut = 1 + (cutSeed % run.accepted.length);
      let snap: CaseSnapshot = JSON.parse(JSON.stringify(engine.replay(run.accepted.slice(0, cut))));
      for (const e of run.accepted.slice(cut)) snap = engine.transition(snap, e);
      must(JSON.stringify(snap) === JSON.stringify(run.snapshot), "a JSON round-tripped snapshot continued differently");
      // Case numbers parse back to the facts they came from.
      if (engine.pack.numbering && run.snapshot.context.number) {
        const parsed = engine.parseNumber(run.snapshot.context.number);
        must(engine.number({ ...parsedToParts(parsed, intake, engine.pack) }) === run.snapshot.context.number, "parse(format(x)) ≠ x for the case number");
      }
    }),
    params,
  );
  return stats;
}

function readPath(facts: Record<string, unknown>, name: string): unknown {
  let v: unknown = facts;
  for (const k of name.split(".")) v = v !== null && typeof v === "object" && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function parsedToParts(parsed: unknown, intake: IntakeEvent, pack: RulePack): Parameters<Engine["number"]>[0] {
  const p = parsed as { year?: number; month?: number; day?: number; seq: number; parts: Record<string, string> };
  // A number carries no year: take it from the fact the date came from (e.g. Guyuan's date found, a leap day), else receipt.
  const nd = pack.numbering?.date;
  const dated = [nd?.fact, nd?.fallback, "receivedAt"].map((k) => (k === undefined ? undefined : readPath(intake.facts, k))).find((v) => typeof v === "string");
  const year = p.year ?? Number(String(dated ?? intake.at).slice(0, 4));
  const date = p.month !== undefined && p.day !== undefined ? `${year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}` : undefined;
  return { ...p.parts, seq: p.seq, ...(date ? { date } : {}) } as Parameters<Engine["number"]>[0];
}

export { createEngine };
