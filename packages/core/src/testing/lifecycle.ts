import fc from "fast-check";
import { createEngine, type Engine } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import type { CaseEvent, IntakeEvent } from "../lifecycle/events.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { OPEN_STATES } from "../lifecycle/machine.js";
import type { FactDef, RulePack } from "../pack/schema.js";

const HOUR = 3_600_000;

function setPath(target: Record<string, unknown>, name: string, value: unknown): void {
  const parts = name.split(".");
  let o = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (typeof o[k] !== "object" || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

/** ISO 8601 in +08:00 for an instant. */
export function isoAt(ms: number, offsetMinutes = 480): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const off = Math.abs(offsetMinutes);
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${sign}${p(Math.floor(off / 60))}:${p(off % 60)}`;
}

function factValue(f: FactDef, startMs: number): fc.Arbitrary<unknown> {
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
export function caseFactsArbitrary(pack: RulePack, startMs: number): fc.Arbitrary<Record<string, unknown>> {
  const entries = pack.facts.map((f) => {
    const v = f.name === pack.startFact ? fc.constant(isoAt(startMs)) : factValue(f, startMs);
    return f.default !== undefined ? fc.option(v, { nil: undefined, freq: 3 }) : v;
  });
  return fc.tuple(...entries).map((values) => {
    const out: Record<string, unknown> = {};
    pack.facts.forEach((f, i) => {
      if (values[i] !== undefined) setPath(out, f.name, values[i]);
    });
    return out;
  });
}

/** An intake event at a random time inside the holiday calendar's range. */
export function intakeArbitrary(pack: RulePack, options: { from?: string; to?: string } = {}): fc.Arbitrary<IntakeEvent> {
  const lo = Date.parse(options.from ?? "2021-01-04T00:00:00+08:00");
  const hi = Date.parse(options.to ?? "2025-06-30T00:00:00+08:00");
  return fc
    .integer({ min: 0, max: Math.floor((hi - lo) / 60_000) })
    .chain((min) => {
      const start = lo + min * 60_000;
      return fc.record({ facts: caseFactsArbitrary(pack, start), seq: fc.integer({ min: 1, max: 99 }) }).map(({ facts, seq }) => ({ type: "intake" as const, at: isoAt(start), facts, seq }));
    });
}

type Step = { gapHours: number; kind: number; pick: number; flag: boolean; days: number };

/** Turns abstract steps into concrete events at increasing times after `startMs`. */
function concretize(steps: Step[], startMs: number, pack: RulePack): CaseEvent[] {
  let t = startMs;
  const fields = ["leadUnit", "responsibleLeader", "responsibleUnit", "responsiblePerson", "measures"] as const;
  const boolFacts = pack.facts.filter((f) => f.type === "boolean" || f.type === "enum");
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
        if (complete || s.flag) a["deadline"] = at.slice(0, 10);
        return a as CaseEvent;
      }
      case 1: return { type: "acknowledge", at, by: "unit" };
      case 2: case 3: case 4: return { type: "tick", at };
      case 5: return { type: "requestEscalation", at, reason: "cannot be resolved in time", by: "unit" };
      case 6: return { type: "decideEscalation", at, by: "branch", decision: (["upgrade", "extend", "reject"] as const)[s.pick % 3]!, ...(s.pick % 3 === 1 ? { days: s.days } : {}) };
      case 7: return { type: "decideReport", at, by: "township", report: s.flag };
      case 8: return { type: "progress", at, note: "visited the parties" };
      case 9: return { type: "resolve", at, by: "unit" };
      case 10: return { type: "followUp", at, by: "unit", agreementKept: s.flag };
      case 11: return { type: "close", at, by: "branch" };
      case 12: {
        const f = boolFacts[s.pick % Math.max(1, boolFacts.length)];
        const facts: Record<string, unknown> = {};
        if (f) setPath(facts, f.name, f.type === "boolean" ? s.flag : f.values![s.pick % f.values!.length]!.value);
        return { type: "update", at, facts };
      }
      default: return (s.flag ? { type: "resolve", at: "yesterday" } : { type: "teleport", at }) as unknown as CaseEvent; // malformed on purpose
    }
  }
}

/** A random case: an intake and a sequence of events at increasing times, valid or not. */
export function caseHistoryArbitrary(pack: RulePack, options: { maxEvents?: number } = {}): fc.Arbitrary<{ intake: IntakeEvent; events: CaseEvent[] }> {
  // Weighted so random cases reach every stage: assignment, overdue ticks, applications, decisions,
  // reports, resolution, visits, closing — and some malformed events along the way.
  const weights = [3, 1, 3, 2, 2, 3, 4, 2, 1, 2, 2, 3, 1, 1];
  const kind = fc.oneof(...weights.map((weight, k) => ({ arbitrary: fc.constant(k), weight })));
  const step = fc.record({ gapHours: fc.oneof(fc.integer({ min: 0, max: 48 }), fc.integer({ min: 24, max: 24 * 50 })), kind, pick: fc.nat(63), flag: fc.boolean(), days: fc.integer({ min: 1, max: 30 }) });
  const max = options.maxEvents ?? 25;
  return intakeArbitrary(pack).chain((intake) =>
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
  must(n.rank >= p.rank, `severity decreased: ${p.level} → ${n.level} on ${event.type}`);
  if (n.level !== p.level) {
    must(event.type === "decideEscalation" || event.type === "update", `level changed without a rule on ${event.type}`);
    if (event.type === "decideEscalation") {
      must(ranks.indexOf(n.rank) === ranks.indexOf(p.rank) + 1, `an upgrade moved more than one step: ${p.level} → ${n.level}`);
      must(event.decision === "upgrade", "level changed on a decision that was not an upgrade");
    }
  }
  const wasOpen = OPEN_STATES.includes(prev.state);
  if (!wasOpen) {
    must(n.overdue === p.overdue, "a resolved or closed case became overdue");
    must(n.escalations.length === p.escalations.length && n.reportedTo.length === p.reportedTo.length, "a resolved or closed case escalated");
  }
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
}

/** Runs a case's events, checking every invariant at every step; rejections must be typed and change nothing. */
export function runCase(engine: Engine, intake: IntakeEvent, events: readonly CaseEvent[]): CaseRun {
  let snap = engine.start(intake);
  const accepted: CaseEvent[] = [intake];
  let rejected = 0;
  for (const e of events) {
    const before = JSON.stringify(snap);
    let next: CaseSnapshot;
    try {
      next = engine.transition(snap, e);
    } catch (err) {
      must(isJicengError(err), `event ${JSON.stringify(e)} threw a non-jiceng error: ${String(err)}`);
      must(JSON.stringify(snap) === before, "a rejected event changed the snapshot");
      rejected++;
      continue;
    }
    must(JSON.stringify(snap) === before, "a transition mutated its input snapshot");
    checkStep(engine, snap, e, next);
    snap = next;
    accepted.push(e);
  }
  return { snapshot: snap, accepted, rejected };
}

/** Options for {@link checkInvariants}. */
export interface CheckInvariantsOptions {
  numRuns?: number;
  seed?: number;
  maxEvents?: number;
  variant?: string;
}

/** Statistics from {@link checkInvariants}: how much of the machine the random cases reached. */
export interface InvariantStats {
  runs: number;
  events: number;
  rejected: number;
  states: Record<string, number>;
  upgrades: number;
  reports: number;
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
  const engine = createEngine(packInput, options.variant !== undefined ? { variant: options.variant } : {});
  const stats: InvariantStats = { runs: 0, events: 0, rejected: 0, states: {}, upgrades: 0, reports: 0 };
  const params: fc.Parameters<[{ intake: IntakeEvent; events: CaseEvent[] }, number]> = { numRuns: options.numRuns ?? 200 };
  if (options.seed !== undefined) params.seed = options.seed;
  fc.assert(
    fc.property(caseHistoryArbitrary(engine.pack, options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}), fc.nat(), ({ intake, events }, cutSeed) => {
      const run = runCase(engine, intake, events);
      stats.runs++;
      stats.events += events.length;
      stats.rejected += run.rejected;
      stats.states[run.snapshot.state] = (stats.states[run.snapshot.state] ?? 0) + 1;
      stats.upgrades += run.snapshot.context.escalations.filter((e) => e.decision === "upgrade").length;
      stats.reports += run.snapshot.context.reportedTo.length;
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
        must(engine.number({ ...parsedToParts(parsed, intake) }) === run.snapshot.context.number, "parse(format(x)) ≠ x for the case number");
      }
    }),
    params,
  );
  return stats;
}

function parsedToParts(parsed: unknown, intake: IntakeEvent): Parameters<Engine["number"]>[0] {
  const p = parsed as { year?: number; month?: number; day?: number; seq: number; parts: Record<string, string> };
  const year = p.year ?? Number(String(intake.facts["receivedAt"] ?? intake.at).slice(0, 4));
  const date = p.month !== undefined && p.day !== undefined ? `${year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}` : undefined;
  return { ...p.parts, seq: p.seq, ...(date ? { date } : {}) } as Parameters<Engine["number"]>[0];
}

export { createEngine };
