import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { caseHistoryArbitrary } from "../testing/lifecycle.js";
import { compositeScore, scoreCases, type KpiValue, type Scorecard } from "./score.js";

const T = (zh: string, en = zh) => ({ zh, en });
const LOCAL = { local: true, note: T("测试用本地值", "A local value for the test") } as const;
const deep = Boolean(process.env["JICENG_DEEP"]);

const pack = {
  id: "prop-scoring",
  version: "0.0.1",
  name: T("性质测试", "Property test"),
  source: { documents: [{ id: "d", title: T("文件", "Document") }] },
  facts: [
    { name: "receivedAt", type: "datetime", label: T("受理时间", "Received") },
    { name: "unitCode", type: "enum", label: T("单位", "Unit"), values: ["01", "02", "03"].map((v) => ({ value: v, label: T(v) })), ...LOCAL },
    { name: "red", type: "boolean", label: T("红色", "Red"), default: false },
  ],
  levels: [
    { id: "yellow", rank: 1, label: T("黄色"), colour: "yellow", deadline: { amount: 7, ...LOCAL }, ...LOCAL },
    { id: "orange", rank: 2, label: T("橙色"), colour: "orange", deadline: { amount: 15, ...LOCAL }, ...LOCAL },
    { id: "red", rank: 3, label: T("红色"), colour: "red", deadline: { amount: 45, ...LOCAL }, ...LOCAL },
  ],
  grading: { default: { level: "yellow", ...LOCAL }, rules: [{ id: "red", level: "red", conditions: { all: [{ fact: "red", operator: "equal", value: true }] }, ...LOCAL }] },
  escalation: {
    decidedBy: { id: "branch", label: T("支部"), ...LOCAL },
    requestRequired: true,
    fieldProvenance: { requestRequired: LOCAL },
    upgrade: { clock: "restart", ...LOCAL },
    extend: { allowed: true, ...LOCAL },
    report: { chain: [{ id: "township", label: T("乡镇党委"), ...LOCAL }, { id: "county", label: T("县委政法委"), ...LOCAL }], ...LOCAL },
  },
  scoring: {
    groupBy: { field: "assignment.responsibleUnit", label: T("责任单位"), ...LOCAL },
    kpis: [
      { id: "found", label: T("排查数"), kind: "count", breakdown: "level", definition: T("受理"), count: { event: "received" }, ...LOCAL },
      { id: "resolution-rate", label: T("化解率"), kind: "rate", definition: T("化解率"), numerator: { event: "resolved", when: "by-end" }, denominator: { event: "received" }, ...LOCAL,
        alternatives: [{ id: "should", label: T("应化解"), definition: T("应化解"), numerator: { event: "resolved" }, denominator: { any: [{ event: "received" }, { open: "at-start" }] }, ...LOCAL }] },
      { id: "on-time-rate", label: T("按期化解率"), kind: "rate", definition: T("按期"), numerator: { resolvedOnTime: true }, denominator: { event: "resolved" }, ...LOCAL },
      { id: "return-visit-rate", label: T("回访率"), kind: "rate", definition: T("回访"), numerator: { event: "followed-up", when: "by-end" }, denominator: { event: "resolved" }, ...LOCAL },
      { id: "rework-rate", label: T("返工率"), kind: "rate", better: "lower", definition: T("返工"), numerator: { agreementKept: false }, denominator: { event: "resolved" }, ...LOCAL },
      { id: "overdue", label: T("逾期数"), kind: "count", definition: T("逾期"), count: { event: "overdue" }, ...LOCAL },
      { id: "upgrades", label: T("升级数"), kind: "count", breakdown: "level", definition: T("升级"), count: { event: "escalated", decision: ["upgrade"] }, ...LOCAL },
      { id: "reported", label: T("上报数"), kind: "count", definition: T("上报"), count: { event: "reported" }, ...LOCAL },
    ],
    targets: [{ id: "t95", kpi: "resolution-rate", op: ">=", value: 95, unit: "percent", ...LOCAL }],
    trends: [{ id: "down", kpi: "found", goal: "decrease", by: { percent: 10 }, ...LOCAL }],
    assessment: {
      label: T("考核"),
      scale: { min: 0, max: 100, ...LOCAL },
      assessors: [{ id: "township", label: T("乡镇"), weight: 0.6, ...LOCAL }, { id: "county", label: T("县直部门"), weight: 0.4, ...LOCAL }],
      indicators: [
        { id: "r", label: T("化解"), assessor: "township", kpi: "resolution-rate", method: "proportional", points: 70, ...LOCAL },
        { id: "o", label: T("按期"), assessor: "township", kpi: "on-time-rate", method: "proportional", points: 40, empty: "full", ...LOCAL },
        { id: "d", label: T("上报扣分"), assessor: "township", kpi: "reported", method: "per-case", points: -5, max: 20, ...LOCAL },
      ],
    },
  },
};
const engine = createEngine(pack);

/** Snapshots from random case histories (events the lifecycle rejects are skipped). */
const snapshotsArb = fc.array(caseHistoryArbitrary(engine.pack, { maxEvents: 15 }), { minLength: 0, maxLength: deep ? 60 : 25 }).map((cases) =>
  cases.map(({ intake, events }) => {
    let snap = engine.start(intake);
    for (const e of events) {
      try {
        snap = engine.transition(snap, e);
      } catch (error) {
        if (!isJicengError(error)) throw error;
      }
    }
    return snap;
  }),
);
const periodArb = fc.constantFrom("2022", "2023Q2", "2021-03..2024-08", "2024-02");
const assessmentsArb = fc.array(fc.record({ subject: fc.constantFrom("responsibleUnit-0", "responsibleUnit-1", "responsibleUnit-2", "x"), township: fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => n / 10)), county: fc.integer({ min: 0, max: 100 }) }), { maxLength: 4 }).map((xs) => {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(x.subject) && seen.add(x.subject)).map((x) => ({ subject: x.subject, scores: { county: x.county, ...(x.township === null ? {} : { township: x.township }) } }));
});

function shuffle<T>(xs: readonly T[], keys: readonly number[]): T[] {
  return xs.map((x, i) => [keys[i % Math.max(1, keys.length)]! + i / 1e6, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
}

function everyKpiValue(card: Scorecard): KpiValue[] {
  const out: KpiValue[] = [];
  for (const u of [card.total, ...card.units]) {
    out.push(...Object.values(u.kpis), ...Object.values(u.previous ?? {}));
  }
  for (const m of card.monthly) out.push(...Object.values(m.kpis));
  return out;
}

describe("scoring properties", () => {
  const runs = deep ? 300 : 40;

  it("scores do not depend on the order of the cases", () => {
    fc.assert(
      fc.property(snapshotsArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), periodArb, assessmentsArb, (snaps, keys, period, assessments) => {
        // Cases with neither number nor id are named by position (#n) in `explain`: give them ids.
        snaps = snaps.map((s, i) => ({ ...s, context: { ...s.context, id: `case-${i}` } }));
        const a = scoreCases(engine.pack, snaps, period, { assessments, explain: true });
        const b = scoreCases(engine.pack, shuffle(snaps, keys), period, { assessments, explain: true });
        const c = scoreCases(engine.pack, [...snaps].reverse(), period, { assessments, explain: true, denominators: { "resolution-rate": "default" } });
        expect(b).toEqual(a);
        expect(c).toEqual(a);
        // And a JSON round trip of the snapshots changes nothing (snapshots are plain JSON).
        expect(scoreCases(engine.pack, JSON.parse(JSON.stringify(snaps)) as CaseSnapshot[], period, { assessments, explain: true })).toEqual(a);
      }),
      { numRuns: runs },
    );
  });

  it("rates are in [0, 1], numerator ≤ denominator, and the units partition the total", () => {
    fc.assert(
      fc.property(snapshotsArb, periodArb, fc.boolean(), (snaps, period, should) => {
        const card = scoreCases(engine.pack, snaps, period, should ? { denominators: { "resolution-rate": "should" } } : {});
        for (const v of everyKpiValue(card)) {
          if (v.kind !== "rate") continue;
          expect(v.numerator!).toBeLessThanOrEqual(v.denominator!);
          if (v.denominator === 0) expect(v.value).toBeNull();
          else {
            expect(v.value).toBeGreaterThanOrEqual(0);
            expect(v.value).toBeLessThanOrEqual(1);
          }
        }
        // Every case has exactly one responsible unit (or none): the units partition the total.
        for (const k of card.kpis) {
          const sumOf = (f: (v: KpiValue) => number) => card.units.reduce((n, u) => n + f(u.kpis[k.id]!), 0);
          if (k.kind === "count") expect(sumOf((v) => v.value!)).toBe(card.total.kpis[k.id]!.value);
          else expect(sumOf((v) => v.denominator!)).toBe(card.total.kpis[k.id]!.denominator);
        }
      }),
      { numRuns: runs },
    );
  });

  it("a composite lies between the lowest and highest assessor score when the weights sum to 1", () => {
    const weights = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map((xs) => {
      // Integer hundredths that sum to exactly 100, written as decimals (0.37, 0.2, …).
      const total = xs.reduce((a, b) => a + b, 0);
      const h = xs.map((x) => Math.floor((x * 100) / total));
      h[0]! += 100 - h.reduce((a, b) => a + b, 0);
      return h.filter((x) => x > 0).map((x) => x / 100);
    });
    fc.assert(
      fc.property(weights, fc.array(fc.integer({ min: 0, max: 10000 }).map((n) => n / 100), { minLength: 6, maxLength: 6 }), (ws, scores) => {
        const parts = ws.map((weight, i) => ({ weight, score: scores[i]! }));
        const c = compositeScore(parts);
        const lo = Math.min(...parts.map((p) => p.score));
        const hi = Math.max(...parts.map((p) => p.score));
        expect(c).toBeGreaterThanOrEqual(lo);
        expect(c).toBeLessThanOrEqual(hi);
        if (lo === hi) expect(c).toBe(lo);
      }),
      { numRuns: deep ? 5000 : 500 },
    );
  });

  it("in a scorecard, every composite lies between its assessors' scores", () => {
    fc.assert(
      fc.property(snapshotsArb, periodArb, assessmentsArb, (snaps, period, assessments) => {
        const card = scoreCases(engine.pack, snaps, period, { assessments });
        for (const s of card.assessment!.subjects) {
          const scores = s.assessors.map((a) => a.score);
          if (scores.some((x) => x === null)) {
            expect(s.composite).toBeNull();
            continue;
          }
          expect(s.composite!).toBeGreaterThanOrEqual(Math.min(...(scores as number[])));
          expect(s.composite!).toBeLessThanOrEqual(Math.max(...(scores as number[])));
          for (const a of s.assessors) expect(a.score!).toBeGreaterThanOrEqual(0), expect(a.score!).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: runs },
    );
  });
});
