// Workload 3: 1M deadlines from Date instants, jiceng's computeDeadline against the day-by-day loop
// an app would write with holiday Sets, and date-fns' addBusinessDays (weekends only) as the
// familiar reference. Every variant takes a Date; the loops return epoch ms, date-fns a Date,
// computeDeadline its Deadline (dueAt as ISO text and epoch ms, the days, the explanation).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { computeDeadline, computeWarnAt, createCalendar, createEngine, type LevelDeadline, type RulePackInput } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { addBusinessDays } from "date-fns";
import { assertSame, rng, type Variant } from "../lib/harness.js";
import type { Prepared, Size, Workload } from "../lib/workload.js";

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000; // no DST since 1991: a fixed offset is exact for these years

interface Dataset {
  schedules: ReadonlyArray<{ holidays: ReadonlyArray<{ from: string; to: string }>; workdays?: ReadonlyArray<{ date: string }> }>;
}

/** Every holiday date and adjusted working day of the schedules (one period → its dates). */
function readSets(datasetFile: string) {
  const data = JSON.parse(readFileSync(datasetFile, "utf8")) as Dataset;
  const holidays: string[] = [];
  const workdays: string[] = [];
  for (const s of data.schedules) {
    for (const p of s.holidays) for (let d = Date.parse(p.from); d <= Date.parse(p.to); d += DAY) holidays.push(new Date(d).toISOString().slice(0, 10));
    for (const w of s.workdays ?? []) workdays.push(w.date);
  }
  return { holidays, workdays };
}

/**
 * The loop an app would write by hand: local dates as day numbers (days since 1970-01-01),
 * Sets of holiday and adjusted-working-day numbers, one day at a time.
 */
export function dayByDay(datasetFile: string) {
  const sets = readSets(datasetFile);
  const holidays = new Set(sets.holidays.map((d) => Date.parse(d) / DAY));
  const workdays = new Set(sets.workdays.map((d) => Date.parse(d) / DAY));
  const isRest = (d: number): boolean => {
    if (holidays.has(d)) return true;
    if (workdays.has(d)) return false;
    const w = (d + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return w === 0 || w === 6;
  };
  // The period ends at 24:00 of the last day: the next local midnight.
  const endOf = (last: number) => (last + 1) * DAY - SHANGHAI;
  return {
    calendarDays(from: Date, n: number): number {
      let last = Math.floor((from.getTime() + SHANGHAI) / DAY) + n;
      while (isRest(last)) last++;
      return endOf(last);
    },
    workingDays(from: Date, n: number): number {
      let d = Math.floor((from.getTime() + SHANGHAI) / DAY);
      for (let k = 0; k < n; ) if (!isRest(++d)) k++;
      return endOf(d);
    },
  };
}

/** The same loop on Date objects and "YYYY-MM-DD" Set keys, as it is often written. */
export function dayByDayDates(datasetFile: string) {
  const sets = readSets(datasetFile);
  const holidays = new Set(sets.holidays);
  const workdays = new Set(sets.workdays);
  // `d` is the local date as a UTC-midnight Date.
  const isRest = (d: Date): boolean => {
    const key = d.toISOString().slice(0, 10);
    if (holidays.has(key)) return true;
    if (workdays.has(key)) return false;
    const w = d.getUTCDay();
    return w === 0 || w === 6;
  };
  const localDay = (from: Date) => {
    const l = new Date(from.getTime() + SHANGHAI);
    return new Date(Date.UTC(l.getUTCFullYear(), l.getUTCMonth(), l.getUTCDate()));
  };
  const endOf = (last: Date) => last.getTime() + DAY - SHANGHAI;
  return {
    calendarDays(from: Date, n: number): number {
      const last = localDay(from);
      last.setUTCDate(last.getUTCDate() + n);
      while (isRest(last)) last.setUTCDate(last.getUTCDate() + 1);
      return endOf(last);
    },
    workingDays(from: Date, n: number): number {
      const d = localDay(from);
      for (let k = 0; k < n; ) {
        d.setUTCDate(d.getUTCDate() + 1);
        if (!isRest(d)) k++;
      }
      return endOf(d);
    },
  };
}

export const deadlines: Workload = {
  id: "deadlines",
  async prepare(size: Size): Promise<Prepared> {
    const n = Math.max(300, Math.round(1_000_000 * size.scale));
    const r = rng(3);
    const lo = Date.UTC(2021, 0, 1);
    const span = Date.UTC(2025, 9, 31) - lo;
    const from: Date[] = new Array(n);
    const calAmount = new Int32Array(n);
    const workAmount = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      from[i] = new Date(lo + Math.floor(r() * span / 60_000) * 60_000);
      calAmount[i] = [7, 15, 45][i % 3]!; // Guyuan's yellow / orange / red limits
      workAmount[i] = [3, 5, 10, 20][i % 4]!;
    }
    // One calendar per group, as one engine per pack has: a pack times its levels in one unit.
    const options = { calendar: createCalendar(), timezone: "Asia/Shanghai" };
    const workOptions = { calendar: createCalendar(), timezone: "Asia/Shanghai" };
    const datasetFile = fileURLToPath(new URL("../../packages/core/data/holidays-cn.json", import.meta.url));
    const naive = dayByDay(datasetFile);
    const naiveDates = dayByDayDates(datasetFile);
    // The Date + string-key loop is ~50× slower: time it on a slice, normalised to calls/s.
    const nSlice = size.smoke ? n : Math.min(n, 50_000);
    const periods = {
      cal: [7, 15, 45].map((amount) => ({ amount, unit: "calendar-days" as const })),
      work: [3, 5, 10, 20].map((amount) => ({ amount, unit: "working-days" as const })),
    };
    const idx = (a: number) => (a === 7 ? 0 : a === 15 ? 1 : a === 45 ? 2 : a === 3 ? 0 : a === 5 ? 1 : a === 10 ? 2 : 3);

    const out = { datesCal: new Float64Array(nSlice), datesWork: new Float64Array(nSlice), naiveCal: new Float64Array(n), jicengCal: new Float64Array(n), naiveWork: new Float64Array(n), jicengWork: new Float64Array(n), dateFns: new Float64Array(n) };
    const naiveCal = () => {
      for (let i = 0; i < n; i++) out.naiveCal[i] = naive.calendarDays(from[i]!, calAmount[i]!);
      return out.naiveCal;
    };
    const datesCal = () => {
      for (let i = 0; i < nSlice; i++) out.datesCal[i] = naiveDates.calendarDays(from[i]!, calAmount[i]!);
      return out.datesCal;
    };
    const datesWork = () => {
      for (let i = 0; i < nSlice; i++) out.datesWork[i] = naiveDates.workingDays(from[i]!, workAmount[i]!);
      return out.datesWork;
    };
    const sliceNote = nSlice < n ? `timed on the first ${nSlice.toLocaleString("en")} calls` : undefined;
    const jicengCal = () => {
      for (let i = 0; i < n; i++) out.jicengCal[i] = computeDeadline(from[i]!, periods.cal[idx(calAmount[i]!)]!, options).dueAtMs;
      return out.jicengCal;
    };
    const naiveWork = () => {
      for (let i = 0; i < n; i++) out.naiveWork[i] = naive.workingDays(from[i]!, workAmount[i]!);
      return out.naiveWork;
    };
    const jicengWork = () => {
      for (let i = 0; i < n; i++) out.jicengWork[i] = computeDeadline(from[i]!, periods.work[idx(workAmount[i]!)]!, workOptions).dueAtMs;
      return out.jicengWork;
    };
    const dateFns = () => {
      for (let i = 0; i < n; i++) out.dateFns[i] = addBusinessDays(from[i]!, workAmount[i]!).getTime();
      return out.dateFns;
    };
    // engine.deadline(level, Date): Guyuan's three levels (calendar days, with a warning before).
    const engine = createEngine<RulePackInput>(guyuan);
    const levelIds = engine.pack.levels.map((l) => l.id);
    const levelDefs = engine.pack.levels;
    const engOptions = { calendar: engine.calendar, timezone: engine.pack.timezone, rollOverRestDays: engine.pack.calendar.rollOverRestDays };
    const dl = { alone: new Float64Array(n), engine: new Float64Array(n), spread: new Float64Array(n), engineWarn: new Float64Array(n), spreadWarn: new Float64Array(n) };
    const computeAlone = () => {
      for (let i = 0; i < n; i++) dl.alone[i] = computeDeadline(from[i]!, levelDefs[i % 3]!.deadline, engOptions).dueAtMs;
      return dl.alone;
    };
    const engineDeadline = () => {
      for (let i = 0; i < n; i++) {
        const d = engine.deadline(levelIds[i % 3]!, from[i]!);
        dl.engine[i] = d.dueAtMs;
        dl.engineWarn[i] = d.warnAtMs ?? 0;
      }
      return dl.engine;
    };
    // The code engine.deadline had before issue 17: a spread plus two added keys.
    const spreadDeadline = () => {
      for (let i = 0; i < n; i++) {
        const l = levelDefs[i % 3]!;
        const d = computeDeadline(from[i]!, l.deadline, engOptions);
        const o: LevelDeadline = { ...d, level: l.id };
        if (l.warn) {
          const w = computeWarnAt(from[i]!, d, l.warn, engOptions);
          o.warnAt = w.warnAt;
          o.warnAtMs = w.warnAtMs;
        }
        dl.spread[i] = o.dueAtMs;
        dl.spreadWarn[i] = o.warnAtMs ?? 0;
      }
      return dl.spread;
    };
    const show = (i: number) => from[i]!.toISOString();
    const groups = [
      {
        title: "Calendar days (7 / 15 / 45) with rest-day roll-over",
        unit: "calls",
        variants: [
          { name: "day-by-day loop, holiday Sets", ops: n, run: naiveCal, baseline: true },
          { name: "jiceng computeDeadline", ops: n, run: jicengCal },
          { name: "day-by-day loop, Date + \"YYYY-MM-DD\" Sets", ops: nSlice, run: datesCal, note: sliceNote },
        ] as Variant[],
      },
      {
        title: "Working days (3 / 5 / 10 / 20)",
        unit: "calls",
        variants: [
          { name: "day-by-day loop, holiday Sets", ops: n, run: naiveWork, baseline: true },
          { name: "jiceng computeDeadline", ops: n, run: jicengWork },
          { name: "day-by-day loop, Date + \"YYYY-MM-DD\" Sets", ops: nSlice, run: datesWork, note: sliceNote },
          { name: "date-fns addBusinessDays", ops: n, run: dateFns, note: "weekends only, keeps the time of day: another rule, not checked" },
        ] as Variant[],
      },
      {
        title: "engine.deadline(level, Date), Guyuan levels (7 / 15 / 45 calendar days, warning 7 / 3 / 2 days before)",
        unit: "calls",
        variants: [
          { name: "computeDeadline alone (no level, no warning)", ops: n, run: computeAlone, baseline: true },
          { name: "jiceng engine.deadline", ops: n, run: engineDeadline, note: "one object literal, warning memoized" },
          { name: "the same built as { ...deadline, level } + warnAt, warnAtMs", ops: n, run: spreadDeadline, note: "engine.deadline's code before issue 17, same process" },
        ] as Variant[],
      },
    ];
    return {
      id: "deadlines",
      title: `Deadlines: ${n.toLocaleString("en")} calls from Date instants (2021–2025, Asia/Shanghai)`,
      groups,
      async check() {
        naiveCal();
        jicengCal();
        naiveWork();
        jicengWork();
        assertSame("computeDeadline (calendar days) vs day-by-day loop", out.naiveCal, out.jicengCal, show);
        assertSame("computeDeadline (working days) vs day-by-day loop", out.naiveWork, out.jicengWork, show);
        datesCal();
        datesWork();
        assertSame("Date loop (calendar days) vs day-number loop", out.naiveCal.subarray(0, nSlice), out.datesCal, show);
        assertSame("Date loop (working days) vs day-number loop", out.naiveWork.subarray(0, nSlice), out.datesWork, show);
        computeAlone();
        engineDeadline();
        spreadDeadline();
        assertSame("engine.deadline vs computeDeadline", dl.alone, dl.engine, show);
        assertSame("engine.deadline vs the spread", dl.spread, dl.engine, show);
        assertSame("engine.deadline warnAt vs the spread", dl.spreadWarn, dl.engineWarn, show);
        const other = { calendar: createCalendar(), timezone: engine.pack.timezone };
        for (let i = 0; i < Math.min(n, 2000); i++) {
          const a = JSON.stringify(engine.deadline(levelIds[i % 3]!, from[i]!));
          const l = levelDefs[i % 3]!;
          const d = computeDeadline(from[i]!, l.deadline, engOptions);
          const w = computeWarnAt(from[i]!, d, l.warn!, other);
          const b = JSON.stringify({ ...d, level: l.id, warnAt: w.warnAt, warnAtMs: w.warnAtMs });
          if (a !== b) throw new Error(`engine.deadline JSON differs at ${show(i)}:\n${a}\n${b}`);
        }
        let rolled = 0;
        for (let i = 0; i < n; i++) if (out.naiveCal[i]! - (Math.floor((from[i]!.getTime() + SHANGHAI) / DAY) + calAmount[i]! + 1) * DAY + SHANGHAI !== 0) rolled++;
        return [`computeDeadline agrees with the day-by-day loop on all ${n.toLocaleString("en")} calendar-day and working-day deadlines (and the Date-based loop on the first ${nSlice.toLocaleString("en")}) (${((100 * rolled) / n).toFixed(1)}% of the calendar-day ones rolled over a rest day).`];
      },
      async after() {
        assertSame("computeDeadline (calendar days, timed pass)", out.naiveCal, out.jicengCal, show);
        assertSame("computeDeadline (working days, timed pass)", out.naiveWork, out.jicengWork, show);
        assertSame("engine.deadline (timed pass)", dl.spread, dl.engine, show);
        return ["engine.deadline gives the same JSON, byte for byte, as the old spread with the warning computed on another calendar (first 2,000 calls), and the same dueAt / warnAt on every call."];
      },
    };
  },
};
