import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type CreateEngineInput, type Engine } from "../engine/engine.js";
import { computeDeadline } from "../calendar/index.js";
import { isJicengError } from "../errors/index.js";
import { parseIsoDateTime } from "../conditions/time.js";
import { caseHistoryArbitrary, intakeArbitrary, isoAt } from "../testing/lifecycle.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseSnapshot } from "./lifecycle.js";
import { checkSnapshot } from "./snapshot.js";
import { checkedInstantMs, sweep, SWEEP_LISTS, type SweepList, type SweepResult } from "./views.js";

// The optimised sweep (one pass, the brand check inline, instants read by position, only the lists
// asked for) held equal to a straightforward one — the sweep as it was written before issue 17's
// fourth session: Date.parse on every instant, every list, the helpers of rules.ts — on random
// snapshots of every pack, read back from JSON or not, with fields and instant formats varied, at
// random clocks and on the boundaries (now = a deadline, a warning, a visit due).

const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as unknown);

const DAY = 86_400_000;
const OPEN = ["graded", "assigned", "resolving", "escalation-pending"];

/** The reference: the sweep written plainly, every list, for the engine of `pack`. */
function referenceSweep(engine: Engine, snapshots: readonly CaseSnapshot[], now: string): SweepResult {
  const pack = engine.pack;
  const t = Date.parse(now);
  const periodEnd = (period: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string) =>
    computeDeadline(from, period, { calendar: engine.calendar, timezone: pack.timezone, rollOverRestDays: pack.calendar.rollOverRestDays }).dueAt;
  const out: SweepResult = { at: now, dueSoon: [], overdue: [], awaitingDecision: [], reported: [], awaitingReportDecision: [], needsTick: [], ackOverdue: [], returned: [], awaitingVerification: [], awaitingEvaluation: [], rectificationOpen: [], needsCoordination: [], provisional: [], followUpDue: [], supervisionDue: [] };
  const lc = pack.lifecycle;
  snapshots.forEach((s, i) => {
    const c = s.context;
    if (c.rectifications !== undefined && s.state !== "closed") {
      const open = c.rectifications.filter((r) => r.struckOffAt === undefined);
      if (open.length) out.rectificationOpen.push(i);
      if (open.some((r) => r.needsCoordination)) out.needsCoordination.push(i);
    }
    if (s.state === "resolved") {
      if (lc.followUp?.interval) {
        const last = c.followUps.length ? c.followUps[c.followUps.length - 1]!.at : c.resolvedAt;
        if (last !== undefined && t >= Date.parse(periodEnd(lc.followUp.interval, last))) out.followUpDue.push(i);
      }
      if (lc.verification?.required === true && c.verifiedAt === undefined) out.awaitingVerification.push(i);
      else if (lc.evaluation?.required === true && c.evaluation === undefined) out.awaitingEvaluation.push(i);
    }
    if (s.state === "resolved" || s.state === "closed") return;
    if (c.ackDueAt !== undefined && c.acknowledgedAt === undefined && t >= Date.parse(c.ackDueAt)) {
      out.ackOverdue.push(i);
      if (!c.ackOverdue && !out.needsTick.includes(i)) out.needsTick.push(i);
    }
    if (s.state === "graded" && c.returns?.length) out.returned.push(i);
    if (c.provisional !== undefined) out.provisional.push(i);
    const due = Date.parse(c.dueAt);
    if (t >= due) {
      out.overdue.push(i);
      if (!c.overdue && !out.needsTick.includes(i)) out.needsTick.push(i);
    } else if (t >= (c.warnAt !== undefined ? Date.parse(c.warnAt) : due - DAY)) out.dueSoon.push(i);
    if (lc.supervision?.interval && s.state !== "graded" && c.assignment !== undefined) {
      let since = c.assignment.at ?? c.receivedAt;
      for (const v of c.verifications ?? []) if (!v.passed && Date.parse(v.at) > Date.parse(since)) since = v.at;
      const round = (c.supervisions ?? []).filter((x) => Date.parse(x.at) >= Date.parse(since));
      const from = round.length ? round[round.length - 1]!.at : since;
      if (t >= Date.parse(periodEnd(lc.supervision.interval, from))) out.supervisionDue.push(i);
    }
    if (s.state === "escalation-pending") out.awaitingDecision.push(i);
    if (c.reportedTo.length > 0) out.reported.push(i);
    if (c.reportPending !== undefined) out.awaitingReportDecision.push(i);
  });
  return out;
}

/** Every snapshot random cases pass through. */
function walk(engine: Engine, histories: ReadonlyArray<{ intake: Parameters<Engine["start"]>[0]; events: Parameters<Engine["transition"]>[1][] }>): CaseSnapshot[] {
  const out: CaseSnapshot[] = [];
  for (const h of histories) {
    let snap = engine.start(h.intake);
    out.push(snap);
    for (const e of h.events) {
      try {
        snap = engine.transition(snap, e);
        out.push(snap);
      } catch (err) {
        if (!isJicengError(err)) throw err;
      }
    }
  }
  return out;
}

/** The same instant written another way core accepts (another offset, Z, a fraction, no seconds). */
function rewrite(iso: string, style: number): string {
  const ms = parseIsoDateTime(iso);
  switch (style % 6) {
    case 1: return new Date(ms).toISOString(); // …sss.fffZ: the general parser
    case 2: return new Date(ms).toISOString().slice(0, 19) + "Z"; // …ssZ when ms is whole seconds
    case 3: return isoAt(ms, -330); // −05:30
    case 4: return ms % 60_000 === 0 ? isoAt(ms, 0).slice(0, 16) + "+00:00" : iso; // no seconds
    case 5: return isoAt(ms, 840); // +14:00
    default: return iso;
  }
}

interface Edit {
  copy: boolean;
  style: number;
  state: number;
  ack: number;
  ackHours: number;
  returned: boolean;
  provisional: boolean;
  rect: number;
  verified: boolean;
  visits: number;
  supervisions: number;
  hours: number;
}
const editArb: fc.Arbitrary<Edit> = fc.record({
  copy: fc.boolean(),
  style: fc.nat(5),
  state: fc.nat(15),
  ack: fc.nat(4),
  ackHours: fc.integer({ min: -72, max: 72 }),
  returned: fc.boolean(),
  provisional: fc.boolean(),
  rect: fc.nat(5),
  verified: fc.boolean(),
  visits: fc.nat(2),
  supervisions: fc.nat(2),
  hours: fc.integer({ min: -24 * 40, max: 24 * 40 }),
});

/**
 * A JSON copy of `snap` with some fields set as an app's store might hold them (each still a valid
 * snapshot of the pack, or the copy is dropped): other states, sign-for deadlines, returns,
 * rectification records, visits, supervisions, instants written in other formats.
 */
function edited(pack: RulePack, snap: CaseSnapshot, e: Edit): CaseSnapshot {
  if (!e.copy) return snap;
  const s = JSON.parse(JSON.stringify(snap)) as CaseSnapshot;
  const c = s.context as unknown as Record<string, unknown> & CaseSnapshot["context"];
  const at = (h: number) => isoAt(parseIsoDateTime(c.dueAt) + (h + e.hours) * 3_600_000);
  const states = ["graded", "assigned", "resolving", "escalation-pending", "resolved", "closed"] as const;
  if (e.state < states.length) s.state = states[e.state]!;
  // Sign-for fields only where the pack has a sign-for stage (elsewhere the snapshot check refuses them).
  if (pack.lifecycle.acknowledge !== undefined) {
    if (e.ack === 1 || e.ack === 2) c.ackDueAt = at(e.ackHours);
    if (e.ack === 2) c.acknowledgedAt = at(e.ackHours - 1);
    if (e.ack === 3) c.ackOverdue = true;
  }
  if (e.returned) c.returns = [{ at: at(-5), reason: "退回" }];
  if (e.provisional) c.provisional = { fields: ["dueAt"], years: [2031] };
  if (e.rect > 0) c.rectifications = Array.from({ length: e.rect % 3 }, (_, k) => ({ n: k + 1, at: at(k), ...(e.rect > 3 && k === 0 ? { needsCoordination: true } : {}), ...(e.rect === 3 ? { struckOffAt: at(k + 2) } : {}) }));
  if (e.verified) c.verifiedAt = at(-1);
  if (e.visits > 0) c.followUps = Array.from({ length: e.visits }, (_, k) => ({ at: at(-48 - 24 * k) }));
  if (e.supervisions > 0) c.supervisions = Array.from({ length: e.supervisions }, (_, k) => ({ at: at(-72 + 24 * k) }));
  if (c.assignment && e.hours % 3 === 0) c.assignment = { ...c.assignment, at: at(-100) };
  c.dueAt = rewrite(c.dueAt, e.style);
  if (c.warnAt !== undefined) c.warnAt = rewrite(c.warnAt, e.style + 1);
  if (c.ackDueAt !== undefined) c.ackDueAt = rewrite(c.ackDueAt, e.style + 2);
  if (c.resolvedAt !== undefined) c.resolvedAt = rewrite(c.resolvedAt, e.style + 3);
  return checkSnapshot(s, pack).length === 0 ? s : snap;
}

/** A clock: on an instant of one of the snapshots (a deadline, a warning, a sign-for deadline…), near it, or anywhere. */
function clockArb(): fc.Arbitrary<{ pick: number; field: number; deltaMs: number; offset: number }> {
  return fc.record({
    pick: fc.nat(),
    field: fc.nat(7),
    deltaMs: fc.oneof(fc.constant(0), fc.constant(-1), fc.integer({ min: -3 * DAY, max: 3 * DAY }), fc.integer({ min: -60 * DAY, max: 60 * DAY })),
    offset: fc.constantFrom(480, 0, -330, 840),
  });
}
function clockOf(engine: Engine, snaps: readonly CaseSnapshot[], k: { pick: number; field: number; deltaMs: number; offset: number }): string {
  const c = snaps[k.pick % snaps.length]!.context;
  const lc = engine.pack.lifecycle;
  const ends = (every: { amount: number; unit: "calendar-days" | "working-days" | "hours" } | undefined, from: string) => (every ? computeDeadline(from, every, { calendar: engine.calendar, timezone: engine.pack.timezone, rollOverRestDays: engine.pack.calendar.rollOverRestDays }).dueAt : c.dueAt);
  const bases = [
    c.dueAt,
    c.warnAt ?? c.dueAt,
    c.ackDueAt ?? c.lastAt,
    c.resolvedAt ?? c.receivedAt,
    c.lastAt,
    isoAt(parseIsoDateTime(c.dueAt) - DAY), // when due soon starts for a pack that sets no warning
    ends(lc.followUp?.interval, c.followUps.at(-1)?.at ?? c.resolvedAt ?? c.lastAt), // a return visit falls due
    ends(lc.supervision?.interval, c.supervisions?.at(-1)?.at ?? c.assignment?.at ?? c.lastAt), // a supervision falls due
  ];
  return isoAt(parseIsoDateTime(bases[k.field % bases.length]!) + k.deltaMs, k.offset);
}

const listsArb = fc.option(fc.subarray([...SWEEP_LISTS]), { nil: undefined });
function pick(r: SweepResult, lists: readonly SweepList[] | undefined): Partial<SweepResult> {
  if (lists === undefined) return r;
  const out: Partial<SweepResult> = { at: r.at };
  for (const k of SWEEP_LISTS) if (lists.includes(k)) (out as Record<string, unknown>)[k] = r[k];
  return out;
}

describe("sweep: the optimised pass ≡ a straightforward sweep, for every pack", () => {
  it("finds the packs", () => expect(packs.length).toBeGreaterThanOrEqual(5));
  for (const raw of packs) {
    const engine = createEngine(raw as CreateEngineInput);
    const pack = engine.pack;
    it(`${pack.id}: engine.sweep and sweep() give the reference's lists, key order included, on random snapshots and clocks`, () => {
      const seen: Record<string, number> = {};
      fc.assert(
        fc.property(fc.array(caseHistoryArbitrary(pack, { maxEvents: 14 }), { minLength: 1, maxLength: 4 }), fc.array(editArb, { maxLength: 40 }), clockArb(), listsArb, (histories, edits, clock, lists) => {
          const snaps = walk(engine, histories).map((s, i) => (i < edits.length ? edited(pack, s, edits[i]!) : s));
          const now = clockOf(engine, snaps, clock);
          const expected = referenceSweep(engine, snaps, now);
          for (const k of SWEEP_LISTS) seen[k] = (seen[k] ?? 0) + expected[k].length;
          const got = lists === undefined ? engine.sweep(snaps, now) : engine.sweep(snaps, now, { lists });
          expect(JSON.stringify(got)).toBe(JSON.stringify(pick(expected, lists)));
          // The same again (every snapshot now branded), and through the pure function with the engine's calendar.
          expect(JSON.stringify(engine.sweep(snaps, now))).toBe(JSON.stringify(expected));
          const periodEnd = (p: { amount: number; unit: "calendar-days" | "working-days" | "hours" }, from: string) => computeDeadline(from, p, { calendar: engine.calendar, timezone: pack.timezone, rollOverRestDays: pack.calendar.rollOverRestDays }).dueAt;
          const plain = lists === undefined ? sweep(snaps, now, { pack, periodEnd }) : sweep(snaps, now, { pack, periodEnd, lists });
          expect(JSON.stringify(plain)).toBe(JSON.stringify(pick(expected, lists)));
        }),
        { numRuns: 80, seed: Number(process.env["JICENG_SEED"] ?? 4242) },
      );
      // The random snapshots reach the lists the pack can fill (a differential on empty lists proves little).
      for (const k of ["dueSoon", "overdue", "needsTick", "returned", "rectificationOpen", "needsCoordination", "provisional"] as const) expect(seen[k], k).toBeGreaterThan(0);
      if (pack.lifecycle.acknowledge) expect(seen["ackOverdue"]).toBeGreaterThan(0);
      if (pack.lifecycle.followUp?.interval) expect(seen["followUpDue"]).toBeGreaterThan(0);
      if (pack.lifecycle.supervision?.interval) expect(seen["supervisionDue"]).toBeGreaterThan(0);
      if (pack.lifecycle.verification?.required) expect(seen["awaitingVerification"]).toBeGreaterThan(0);
      if (pack.escalation) expect(seen["awaitingDecision"]).toBeGreaterThan(0);
    });

    it(`${pack.id}: a resolved or closed case is never on a deadline list; an overdue case no tick has marked is on needsTick, and the tick marks it (a top-level one reported)`, () => {
      const ranks = pack.levels.map((l) => l.rank);
      const top = Math.max(...ranks);
      const chain = pack.escalation?.report?.chain;
      let ticked = 0;
      let reportedTop = 0;
      fc.assert(
        fc.property(fc.array(caseHistoryArbitrary(pack, { maxEvents: 14 }), { minLength: 1, maxLength: 3 }), fc.array(editArb, { maxLength: 20 }), clockArb(), (histories, edits, clock) => {
          const snaps = walk(engine, histories).map((s, i) => (i < edits.length ? edited(pack, s, edits[i]!) : s));
          const now = clockOf(engine, snaps, clock);
          const t = parseIsoDateTime(now);
          const r = engine.sweep(snaps, now);
          const listed = new Set([...r.overdue, ...r.dueSoon, ...r.needsTick, ...r.ackOverdue, ...r.awaitingDecision, ...r.awaitingReportDecision, ...r.supervisionDue, ...r.returned, ...r.provisional]);
          snaps.forEach((s, i) => {
            if (s.state === "resolved" || s.state === "closed") expect(listed.has(i), `${s.state} case ${i} listed`).toBe(false);
          });
          snaps.forEach((s, i) => {
            const c = s.context;
            if (!OPEN.includes(s.state) || t < parseIsoDateTime(c.dueAt)) return;
            expect(r.overdue).toContain(i);
            if (!c.overdue) expect(r.needsTick).toContain(i);
            // The tick the sweep asks for, on a snapshot as the engine made it (an edited one may hold a
            // sign-for deadline its pack never sets, which no tick marks): accepted, and afterwards the
            // case is marked (not asked for again).
            if (!r.needsTick.includes(i) || edits[i]?.copy === true || t < parseIsoDateTime(c.lastAt)) return;
            const next = engine.transition(s, { type: "tick", at: now });
            ticked++;
            expect(engine.sweep([next], now).needsTick).toEqual([]);
            if (chain && c.rank === top && OPEN.includes(next.state) && t >= parseIsoDateTime(next.context.dueAt)) {
              expect(next.context.reportedTo.length).toBeGreaterThanOrEqual(1);
              reportedTop++;
            }
          });
        }),
        { numRuns: 60, seed: Number(process.env["JICENG_SEED"] ?? 4243) },
      );
      expect(ticked).toBeGreaterThan(0);
      if (chain) expect(reportedTop).toBeGreaterThan(0);
    });
  }
});

describe("sweep: periods counted per start day", () => {
  for (const raw of packs) {
    const engine = createEngine(raw as CreateEngineInput);
    const every = engine.pack.lifecycle.followUp?.interval;
    if (!every) continue;
    it(`${engine.pack.id}: return visits due for cases resolved at every hour of ten local days, at each one's end and a millisecond before`, () => {
      // The sweep keeps the end of a period per local start day: cases resolved at 07:00 and 09:00
      // (+08:00) share a UTC day but not a local one, and must not share an end.
      const first = engine.start(fc.sample(intakeArbitrary(engine.pack), { numRuns: 1, seed: 3 })[0]!);
      // Ten days of May 2023: most ends a day apart (around a holiday, ends of several days merge).
      const start = Date.parse("2023-05-04T00:00:00Z");
      const snaps = Array.from({ length: 240 }, (_, h) => {
        const s = JSON.parse(JSON.stringify(first)) as CaseSnapshot;
        s.state = "resolved";
        s.context.resolvedAt = isoAt(start + h * 3_600_000 + 17 * 60_000, h % 2 ? 480 : 0);
        // Edited in as a whole: the history ends in the state too (its entry at the intake's time, so time still runs forward).
        s.context.history.push({ type: "resolve", at: s.context.history.at(-1)!.at, state: "resolved", by: "化解单位" } as (typeof s.context.history)[number]);
        return s;
      });
      expect(snaps.every((s) => checkSnapshot(s, engine.pack).length === 0)).toBe(true);
      let due = 0;
      for (const s of snaps) {
        const end = parseIsoDateTime(computeDeadline(s.context.resolvedAt!, every, { calendar: engine.calendar, timezone: engine.pack.timezone, rollOverRestDays: engine.pack.calendar.rollOverRestDays }).dueAt);
        for (const now of [isoAt(end), isoAt(end - 1), isoAt(end, 0)]) {
          const got = engine.sweep(snaps, now, { lists: ["followUpDue"] }).followUpDue;
          expect(got).toEqual(referenceSweep(engine, snaps, now).followUpDue);
          due += got.length;
        }
      }
      expect(due).toBeGreaterThan(0);
    });
  }
});

describe("checkedInstantMs ≡ parseIsoDateTime on the instants a snapshot check accepts", () => {
  it("every shape: offsets, Z, fractions, no seconds, years 0001–9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000 + 15 * 3_600_000, max: 253_402_300_799_000 - 15 * 3_600_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.nat(5), (ms, offset, style) => {
        let s = isoAt(ms, offset);
        if (style === 1) s = new Date(ms).toISOString();
        if (style === 2) s = new Date(ms).toISOString().slice(0, 19) + "Z";
        if (style === 3) s = s.slice(0, 16) + s.slice(19);
        if (style === 4) s = s.slice(0, 19) + ".5" + s.slice(19);
        const want = parseIsoDateTime(s);
        expect(Number.isNaN(want)).toBe(false);
        expect(checkedInstantMs(s)).toBe(want);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("sweep options", () => {
  const engine = createEngine(packs.find((p) => (p as { id: string }).id === "guyuan") as CreateEngineInput);
  const snap = engine.start(fc.sample(intakeArbitrary(engine.pack), { numRuns: 1, seed: 7 })[0]!);
  const now = isoAt(parseIsoDateTime(snap.context.dueAt) + DAY);
  it("lists: the result holds at and the lists asked for, in SweepResult's order, whatever the order asked", () => {
    const r = engine.sweep([snap], now, { lists: ["needsTick", "overdue", "overdue"] });
    expect(Object.keys(r)).toEqual(["at", "overdue", "needsTick"]);
    expect(r).toEqual({ at: now, overdue: [0], needsTick: [0] });
    expect(engine.sweep([snap], now, { lists: [] })).toEqual({ at: now });
    expect(Object.keys(engine.sweep([snap], now))).toEqual(["at", ...SWEEP_LISTS]);
  });
  it("a bad option, list name or snapshot: INVALID_ARGUMENT / INVALID_SNAPSHOT at its path, zh + en (also when no list is asked for)", () => {
    const issue = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (!isJicengError(e)) throw e;
        const i = e.issues[0]!;
        expect(i.message.zh.length && i.message.en.length).toBeTruthy();
        return `${i.code} ${JSON.stringify(i.path)}`;
      }
      throw new Error("accepted");
    };
    const call = engine.sweep as (s: unknown, n: unknown, o?: unknown) => unknown;
    expect(issue(() => call([snap], now, { lists: ["overdue", "late"] }))).toBe('INVALID_ARGUMENT ["options","lists",1]');
    expect(issue(() => call([snap], now, { lists: "overdue" }))).toBe('INVALID_ARGUMENT ["options","lists"]');
    expect(issue(() => call([snap], now, { lists: ["toString"] }))).toBe('INVALID_ARGUMENT ["options","lists",0]');
    expect(issue(() => call([snap], now, { list: ["overdue"] }))).toBe('INVALID_ARGUMENT ["options","list"]');
    expect(issue(() => call([snap], now, null))).toBe('INVALID_ARGUMENT ["options"]');
    expect(issue(() => call([snap], now, []))).toBe('INVALID_ARGUMENT ["options"]');
    expect(issue(() => call([snap], "2023-07-01", { lists: [] }))).toBe('INVALID_DATE ["now"]');
    const bad = { ...JSON.parse(JSON.stringify(snap)), context: { ...snap.context, dueAt: "2023-02-30T00:00:00+08:00" } };
    expect(issue(() => call([snap, bad], now, { lists: [] }))).toBe('INVALID_SNAPSHOT ["snapshots",1,"context","dueAt"]');
    expect(issue(() => call([bad, snap], now))).toBe('INVALID_SNAPSHOT ["snapshots",0,"context","dueAt"]');
    expect(issue(() => call({ length: 1, 0: snap }, now))).toBe('INVALID_ARGUMENT ["snapshots"]');
    expect(issue(() => sweep([snap], now, { lists: ["nope" as SweepList] }))).toBe('INVALID_ARGUMENT ["options","lists",0]');
  });
});
