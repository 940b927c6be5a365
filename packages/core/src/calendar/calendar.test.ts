import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catchJicengError } from "../testing/helpers.js";
import { CN_STATE_COUNCIL, createCalendar, formatLocalDate, parseLocalDate, type HolidayDataset } from "./index.js";

const numRuns = process.env.JICENG_DEEP ? 20_000 : 300;
const cal = createCalendar();
const d = parseLocalDate;


describe("createCalendar (State Council schedule)", () => {
  it("rest days: weekends, statutory holidays and in-lieu days; adjusted working days are working days", () => {
    expect(cal.isRestDay(d("2024-10-01"))).toBe(true); // National Day
    expect(cal.isRestDay(d("2024-10-07"))).toBe(true); // a Monday inside the holiday
    expect(cal.isRestDay(d("2024-10-08"))).toBe(false);
    expect(cal.isRestDay(d("2024-09-29"))).toBe(false); // adjusted working Sunday
    expect(cal.isRestDay(d("2024-10-12"))).toBe(false); // adjusted working Saturday
    expect(cal.isRestDay(d("2024-10-13"))).toBe(true); // an ordinary Sunday
    expect(cal.isWorkingDay(d("2024-10-14"))).toBe(true);
    expect(cal.isWorkingDay(d("2025-01-28"))).toBe(false); // Spring Festival's eve (除夕), a holiday since 2025
  });

  it("nextWorkingDay is strictly after; addWorkingDays counts both ways", () => {
    expect(formatLocalDate(cal.nextWorkingDay(d("2024-09-30")))).toBe("2024-10-08");
    expect(formatLocalDate(cal.nextWorkingDay(d("2024-10-08")))).toBe("2024-10-09");
    expect(formatLocalDate(cal.addWorkingDays(d("2024-09-30"), 5))).toBe("2024-10-12");
    expect(formatLocalDate(cal.addWorkingDays(d("2024-10-08"), -1))).toBe("2024-09-30");
    expect(formatLocalDate(cal.addWorkingDays(d("2024-10-08"), -2))).toBe("2024-09-29");
    expect(cal.addWorkingDays(d("2024-10-05"), 0)).toBe(d("2024-10-05"));
  });

  it("describeDay says why", () => {
    expect(cal.describeDay(d("2024-10-06"))).toEqual({ day: d("2024-10-06"), date: "2024-10-06", rest: true, kind: "holiday", name: { zh: "国庆节", en: "National Day" }, inData: true });
    expect(cal.describeDay(d("2024-10-12"))).toMatchObject({ rest: false, kind: "adjusted-workday", name: { zh: "国庆节" } });
    expect(cal.describeDay(d("2024-10-13"))).toEqual({ day: d("2024-10-13"), date: "2024-10-13", rest: true, kind: "weekend", inData: true });
    expect(cal.describeDay(d("2024-10-14"))).toMatchObject({ rest: false, kind: "workday" });
  });

  it("under beyondSchedule: refuse, covers 2004-01-01 … 2026-12-31 and says so when asked beyond", () => {
    const refuse = createCalendar({ beyondSchedule: "refuse" });
    expect(formatLocalDate(refuse.firstDay)).toBe("2004-01-01");
    expect(formatLocalDate(refuse.lastDay)).toBe("2026-12-31");
    expect(refuse.isRestDay(d("2026-12-31"))).toBe(false);
    const e = catchJicengError(() => refuse.isRestDay(d("2027-01-01"), ["cases", 3, "receivedAt"]));
    expect(e.code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(e.issues[0]).toMatchObject({ path: ["cases", 3, "receivedAt"], severity: "error" });
    expect(e.issues[0]?.message.zh).toMatch(/2027-01-01.*2026-12-31.*2027年放假安排尚未加载/);
    expect(e.issues[0]?.message.en).toMatch(/2027-01-01.*2026-12-31.*the 2027 schedule is not loaded/);
    expect(catchJicengError(() => refuse.isRestDay(d("2003-12-31"))).code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(catchJicengError(() => refuse.addWorkingDays(d("2026-12-30"), 2)).code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(catchJicengError(() => refuse.addWorkingDays(d("2004-01-05"), -3)).code).toBe("CALENDAR_OUT_OF_RANGE");
  });

  it("by default, past the last notice, counts on the provisional calendar up to 2100 and marks those days", () => {
    expect(formatLocalDate(cal.officialLastDay)).toBe("2026-12-31");
    expect(formatLocalDate(cal.lastDay)).toBe("2100-12-31");
    expect(cal.describeDay(d("2026-12-31"))).not.toHaveProperty("provisional");
    // 2027: 元旦 Friday 01-01; 除夕 02-05 (Fri) … 初三 02-08 (Mon); 初一 and 初二 fall on the weekend → 02-09, 02-10 made up.
    expect(cal.describeDay(d("2027-01-01"))).toMatchObject({ rest: true, kind: "holiday", name: { zh: "元旦" }, provisional: true });
    for (const x of ["2027-02-05", "2027-02-08"]) expect(cal.describeDay(d(x))).toMatchObject({ rest: true, name: { zh: "春节" } });
    for (const x of ["2027-02-09", "2027-02-10"]) expect(cal.describeDay(d(x))).toMatchObject({ rest: true, name: { zh: "春节补假" } });
    expect(cal.isRestDay(d("2027-02-11"))).toBe(false);
    expect(cal.isRestDay(d("2027-04-05"))).toBe(true); // 清明 (solar term), a Monday
    expect(cal.provisionalYears(d("2026-12-20"), d("2027-01-05"))).toEqual([2027]);
    expect(cal.provisionalYears(d("2026-12-01"), d("2026-12-31"))).toEqual([]);
    expect(catchJicengError(() => cal.isRestDay(d("2101-01-03"))).code).toBe("CALENDAR_OUT_OF_RANGE");
  });

  it("weekends-only, chosen explicitly with refuse, counts Saturdays and Sundays beyond the data", () => {
    const w = createCalendar({ outOfRange: "weekends-only", beyondSchedule: "refuse" });
    expect(w.isRestDay(d("2027-01-01"))).toBe(false); // a Friday; New Year's Day 2027 is not in the data
    expect(w.isRestDay(d("2027-01-02"))).toBe(true);
    expect(w.isRestDay(d("2024-10-07"))).toBe(true); // inside the data nothing changes
    expect(formatLocalDate(w.addWorkingDays(d("2026-12-30"), 3))).toBe("2027-01-04");
    expect(w.describeDay(d("2027-01-02"))).toMatchObject({ rest: true, kind: "weekend", inData: false });
  });

  it("rejects day numbers that are not integers", () => {
    expect(catchJicengError(() => cal.isRestDay(19_997.5)).code).toBe("INVALID_DATE");
    expect(catchJicengError(() => cal.isRestDay(Number.NaN)).code).toBe("INVALID_DATE");
    expect(catchJicengError(() => cal.addWorkingDays(19_997, 1.5)).code).toBe("SCHEMA");
    expect(catchJicengError(() => cal.formatDate(19_997.5)).code).toBe("INVALID_DATE");
    expect(cal.formatDate(19_997)).toBe("2024-10-01");
    expect(catchJicengError(() => createCalendar({ outOfRange: "ignore" as "error" })).code).toBe("SCHEMA");
  });

  it("takes another base dataset, validated like a loaded schedule", () => {
    const only2024 = CN_STATE_COUNCIL.schedules.find((s) => s.year === 2024)!;
    const y2024: HolidayDataset = { dataset: "cn-state-council", version: "test-2024", firstYear: 2024, lastYear: 2024, schedules: [only2024] };
    const c = createCalendar({ dataset: y2024, beyondSchedule: "refuse" });
    expect(c.isRestDay(d("2024-10-07"))).toBe(true);
    expect(c.isRestDay(d("2024-10-12"))).toBe(false);
    expect(c.version).toBe("test-2024");
    expect(catchJicengError(() => c.isRestDay(d("2023-12-31"))).code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(catchJicengError(() => c.isRestDay(d("2025-01-02"))).code).toBe("CALENDAR_OUT_OF_RANGE");
    const bad = { ...only2024, workdays: [{ date: "2024-10-07", festival: "national-day" as const }] };
    const e = catchJicengError(() => createCalendar({ dataset: { ...y2024, schedules: [bad] } }));
    expect(e.code).toBe("INVALID_SCHEDULE");
    expect(e.issues.map((i) => i.path)).toContainEqual(["dataset", "schedules", 0, "workdays", 0, "date"]);
  });

  it("the built-in dataset names its source and licence", () => {
    expect(CN_STATE_COUNCIL).toMatchObject({ dataset: "cn-state-council", license: "MIT (chinese-days)", firstYear: 2004, lastYear: 2026 });
    expect(CN_STATE_COUNCIL.version).toMatch(/^chinese-days@\d+\.\d+\.\d+$/);
  });
});

describe("calendar properties", () => {
  // Far enough from both ends of the data for 20 working days either way.
  const inData = fc.integer({ min: d("2004-03-01"), max: d("2026-11-30") });

  it("n working days forward then n back returns to a working day", () => {
    fc.assert(
      fc.property(inData, fc.integer({ min: 1, max: 20 }), (day, n) => {
        const start = cal.isWorkingDay(day) ? day : cal.nextWorkingDay(day);
        const there = cal.addWorkingDays(start, n);
        expect(cal.isWorkingDay(there)).toBe(true);
        expect(cal.addWorkingDays(there, -n)).toBe(start);
      }),
      { numRuns },
    );
  });

  it("addWorkingDays(d, n) is the nth working day after d, counted one by one", () => {
    fc.assert(
      fc.property(inData, fc.integer({ min: -20, max: 20 }), (day, n) => {
        let x = day;
        for (let k = Math.abs(n); k > 0; ) if (cal.isWorkingDay((x += Math.sign(n)))) k--;
        expect(cal.addWorkingDays(day, n)).toBe(x);
      }),
      { numRuns },
    );
  });
});
