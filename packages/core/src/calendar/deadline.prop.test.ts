// Properties of computeDeadline, checked against a naive reference: day-by-day loops over the raw
// dataset, with dates done by Date.UTC arithmetic (Asia/Shanghai is UTC+8 throughout 2004–2026).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { referenceYears } from "../../test/holiday-reference.js";
import { computeDeadline, computeWarnAt, createCalendar, type Deadline, type DeadlineOptions } from "./index.js";

const numRuns = process.env.JICENG_DEEP ? 20_000 : 300;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const calendar = createCalendar();
const opts: DeadlineOptions = { calendar };
const years = referenceYears;

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const shanghaiDate = (ms: number) => utcDate(ms + 8 * HOUR);
const addDays = (date: string, n: number) => utcDate(Date.parse(`${date}T00:00:00Z`) + n * DAY);
const shanghaiMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
function naiveRest(date: string): boolean {
  const y = years[date.slice(0, 4)];
  if (!y) throw new Error(`naive reference: ${date} is outside the data`);
  if (date in y.holidays) return true;
  if (y.workdays.includes(date)) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
}
function naiveCalendarDays(fromMs: number, n: number, roll = true): string {
  let last = addDays(shanghaiDate(fromMs), n);
  while (roll && naiveRest(last)) last = addDays(last, 1);
  return last;
}
function naiveWorkingDays(fromMs: number, n: number): string {
  let d = shanghaiDate(fromMs);
  for (let k = n; k > 0; ) {
    d = addDays(d, 1);
    if (!naiveRest(d)) k--;
  }
  return d;
}
/** The same instant written with another offset, e.g. 2024-06-20T10:59:00-05:00. */
function withOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const a = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

// Instants from 2004 to mid-2026, so that 90 days (plus any roll-over) stay inside the data.
const instant = fc.integer({ min: Date.UTC(2004, 0, 1), max: Date.UTC(2026, 5, 30) });
const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 });
const period = fc.oneof(
  fc.record({ amount: fc.integer({ min: 1, max: 90 }), unit: fc.constant("calendar-days" as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 60 }), unit: fc.constant("working-days" as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 2000 }), unit: fc.constant("hours" as const) }),
);
const dayPeriod = fc.oneof(
  fc.record({ amount: fc.integer({ min: 1, max: 90 }), unit: fc.constant("calendar-days" as const) }),
  fc.record({ amount: fc.integer({ min: 1, max: 60 }), unit: fc.constant("working-days" as const) }),
);

describe("computeDeadline properties", () => {
  it("dueAt is later than from", () => {
    fc.assert(
      fc.property(instant, period, (ms, p) => {
        const d = computeDeadline(ms, p, opts);
        expect(d.dueAtMs).toBeGreaterThan(ms);
        expect(Date.parse(d.dueAt)).toBe(d.dueAtMs);
      }),
      { numRuns },
    );
  });

  it("with roll-over, dueAt is the start of a local day whose previous day is a working day", () => {
    fc.assert(
      fc.property(instant, dayPeriod, (ms, p) => {
        const d = computeDeadline(ms, p, opts);
        expect(d.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$/);
        expect(d.dueAtMs).toBe(shanghaiMidnight(d.lastDay) + DAY);
        expect(naiveRest(d.lastDay)).toBe(false);
        expect(d.startDay).toBe(shanghaiDate(ms));
      }),
      { numRuns },
    );
  });

  it("calendar days agree with the naive rule: start day + N, then the next working day if that is a rest day", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 90 }), fc.boolean(), (ms, n, roll) => {
        const d = computeDeadline(ms, { amount: n, unit: "calendar-days" }, { calendar, rollOverRestDays: roll });
        const expected = naiveCalendarDays(ms, n, roll);
        expect(d.lastDay).toBe(expected);
        expect(d.rolledOver).toBe(expected !== addDays(shanghaiDate(ms), n));
        expect(d.dueAtMs).toBe(shanghaiMidnight(expected) + DAY);
      }),
      { numRuns },
    );
  });

  it("working days agree with a naive day-by-day loop", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (ms, n) => {
        const d = computeDeadline(ms, { amount: n, unit: "working-days" }, opts);
        const expected = naiveWorkingDays(ms, n);
        expect(d.lastDay).toBe(expected);
        expect(d.dueAt).toBe(`${addDays(expected, 1)}T00:00:00+08:00`);
      }),
      { numRuns },
    );
  });

  it("is monotonic: a later from never gives an earlier dueAt", () => {
    fc.assert(
      fc.property(instant, instant, period, (a, b, p) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(computeDeadline(late, p, opts).dueAtMs).toBeGreaterThanOrEqual(computeDeadline(early, p, opts).dueAtMs);
      }),
      { numRuns },
    );
  });

  it("N + 1 is never earlier than N", () => {
    fc.assert(
      fc.property(instant, period, (ms, p) => {
        const n = computeDeadline(ms, p, opts).dueAtMs;
        const n1 = computeDeadline(ms, { ...p, amount: p.amount + 1 }, opts).dueAtMs;
        expect(n1).toBeGreaterThanOrEqual(n);
        if (p.unit !== "calendar-days") expect(n1).toBeGreaterThan(n);
      }),
      { numRuns },
    );
  });

  it("hours are exact", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 3660 }), (ms, n) => {
        const d = computeDeadline(ms, { amount: n, unit: "hours" }, opts);
        expect(d.dueAtMs).toBe(ms + n * HOUR);
        expect(Date.parse(d.dueAt)).toBe(ms + n * HOUR);
        expect(d.rolledOver).toBe(false);
      }),
      { numRuns },
    );
  });

  it("the same instant written with any offset gives the same result", () => {
    fc.assert(
      fc.property(instant, offsetMinutes, offsetMinutes, period, (ms, o1, o2, p) => {
        const a = computeDeadline(withOffset(ms, o1), p, opts);
        const b = computeDeadline(withOffset(ms, o2), p, opts);
        const c = computeDeadline(new Date(ms), p, opts);
        expect(a).toEqual(b);
        expect(a).toEqual(c);
      }),
      { numRuns },
    );
  });

  it("weekends-only beyond the data (with refuse) agrees with a naive weekend loop", () => {
    const weekendsOnly = createCalendar({ outOfRange: "weekends-only", beyondSchedule: "refuse" });
    const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2027, 0, 1), max: Date.UTC(2099, 0, 1) }), fc.integer({ min: 1, max: 60 }), (ms, n) => {
        let d = shanghaiDate(ms);
        for (let k = n; k > 0; ) if (!isWeekend((d = addDays(d, 1)))) k--;
        expect(computeDeadline(ms, { amount: n, unit: "working-days" }, { calendar: weekendsOnly }).lastDay).toBe(d);
      }),
      { numRuns },
    );
  });
});

describe("computeWarnAt properties", () => {
  const warn = fc.oneof(
    fc.record({ fraction: fc.double({ min: 0.01, max: 0.99, noNaN: true }) }),
    fc.record({ before: fc.record({ amount: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("calendar-days" as const, "working-days" as const, "hours" as const) }) }),
  );
  it("warnAt lies between from and dueAt", () => {
    fc.assert(
      fc.property(instant, period, warn, (ms, p, w) => {
        const d: Deadline = computeDeadline(ms, p, opts);
        const { warnAt, warnAtMs } = computeWarnAt(ms, d, w, opts);
        expect(warnAtMs).toBeGreaterThanOrEqual(ms);
        expect(warnAtMs).toBeLessThanOrEqual(d.dueAtMs);
        expect(Date.parse(warnAt)).toBe(warnAtMs);
      }),
      { numRuns },
    );
  });
});

describe("computeWarnAt memo", () => {
  const warn = fc.record({ before: fc.record({ amount: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("calendar-days" as const, "working-days" as const, "hours" as const) }) });
  it("a warm calendar (memoized warnings) answers as a cold one, whatever `from` shares a due time", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, period, warn, fc.integer({ min: 0, max: 40 * DAY })), { minLength: 1, maxLength: 6 }), (queries) => {
        for (const [ms, p, w, later] of queries) {
          const d = computeDeadline(ms, p, opts);
          // Two starts with the same due time: the memo entry of the first must not leak into the second.
          for (const from of [ms, Math.min(ms + later, d.dueAtMs)]) {
            const warm = computeWarnAt(from, d, w, opts);
            const cold = computeWarnAt(from, d, w, { calendar: createCalendar() });
            expect(warm).toEqual(cold);
          }
        }
      }),
      { numRuns: Math.ceil(numRuns / 3) },
    );
  });
});
