// Worked examples of DESIGN.md decision 6 / Civil Code arts. 201–203. Every expected value was
// read off the State Council schedule (packages/core/data/holidays-cn.json), not from the code.
import { describe, expect, it } from "vitest";
import { catchJicengError } from "../testing/helpers.js";
import { computeDeadline, computeWarnAt, createCalendar, type DeadlineOptions } from "./index.js";

const calendar = createCalendar();
const opts: DeadlineOptions = { calendar };
const days = (amount: number) => ({ amount, unit: "calendar-days" as const });
const workingDays = (amount: number) => ({ amount, unit: "working-days" as const });
const hours = (amount: number) => ({ amount, unit: "hours" as const });


describe("calendar days (民法典第二百零一条、第二百零三条)", () => {
  it("received 2024-09-29, 7 days: the last day 10-06 is in the National Day holiday (10-01…10-07), so it rolls to Tuesday 10-08; due at 24:00 of 10-08", () => {
    const d = computeDeadline("2024-09-29T10:00:00+08:00", days(7), opts);
    expect(d).toMatchObject({
      startDay: "2024-09-29",
      lastDay: "2024-10-08",
      rolledOver: true,
      dueAt: "2024-10-09T00:00:00+08:00",
      dueAtMs: Date.parse("2024-10-08T16:00:00Z"),
    });
    expect(d.explanation.zh).toContain("2024-10-06 为休息日（国庆节），顺延至下一工作日 2024-10-08");
    expect(d.explanation.en).toContain("2024-10-06, is a rest day (National Day), so the period runs to the next working day, 2024-10-08");
  });

  it("the starting day is not counted: 1 day from Friday 2024-06-14 ends on Saturday 06-15, a weekend, so it rolls to Monday 06-17", () => {
    expect(computeDeadline("2024-06-14T08:00:00+08:00", days(1), opts)).toMatchObject({ lastDay: "2024-06-17", rolledOver: true, dueAt: "2024-06-18T00:00:00+08:00" });
    expect(computeDeadline("2024-06-14T08:00:00+08:00", days(1), opts).explanation.zh).toContain("休息日（周末）");
  });

  it("a last day that is an adjusted working Saturday (2024-10-12, 调休上班) does not roll", () => {
    expect(computeDeadline("2024-10-05T09:00:00+08:00", days(7), opts)).toMatchObject({ lastDay: "2024-10-12", rolledOver: false, dueAt: "2024-10-13T00:00:00+08:00" });
  });

  it("an adjusted working Sunday (2026-01-04, after New Year 2026) does not roll either", () => {
    expect(computeDeadline("2025-12-28T09:00:00+08:00", days(7), opts)).toMatchObject({ lastDay: "2026-01-04", rolledOver: false, dueAt: "2026-01-05T00:00:00+08:00" });
  });

  it("rolling over a whole Golden Week can land on an adjusted working Saturday: 2023-09-22 + 7 = 09-29 (Mid-Autumn) → 10-07", () => {
    expect(computeDeadline("2023-09-22T15:00:00+08:00", days(7), opts)).toMatchObject({ lastDay: "2023-10-07", rolledOver: true, dueAt: "2023-10-08T00:00:00+08:00" });
  });

  it("the 2020 Spring Festival extension to 2 February is in the data: 2020-01-20 + 7 rolls to Monday 02-03", () => {
    expect(computeDeadline("2020-01-20T09:00:00+08:00", days(7), opts)).toMatchObject({ lastDay: "2020-02-03", rolledOver: true, dueAt: "2020-02-04T00:00:00+08:00" });
  });

  it("with rollOverRestDays: false the period ends on the rest day itself", () => {
    expect(computeDeadline("2024-09-29T10:00:00+08:00", days(7), { calendar, rollOverRestDays: false })).toMatchObject({ lastDay: "2024-10-06", rolledOver: false, dueAt: "2024-10-07T00:00:00+08:00" });
  });

  it("Guyuan §二(三)8 yellow example: received 2022-06-20, 7 days → due 2022-06-28T00:00:00+08:00", () => {
    expect(computeDeadline("2022-06-20T09:30:00+08:00", days(7), opts).dueAt).toBe("2022-06-28T00:00:00+08:00");
  });

  describe("Guyuan §二(三)8: yellow 7, orange 15, red 45 days", () => {
    it("received Sunday 2024-04-28 (an adjusted working day before Labour Day)", () => {
      const from = "2024-04-28T09:30:00+08:00";
      // 05-05 is the last day of the Labour Day holiday (05-01…05-05) → Monday 05-06.
      expect(computeDeadline(from, days(7), opts)).toMatchObject({ lastDay: "2024-05-06", rolledOver: true, dueAt: "2024-05-07T00:00:00+08:00" });
      expect(computeDeadline(from, days(15), opts)).toMatchObject({ lastDay: "2024-05-13", rolledOver: false, dueAt: "2024-05-14T00:00:00+08:00" });
      expect(computeDeadline(from, days(45), opts)).toMatchObject({ lastDay: "2024-06-12", rolledOver: false, dueAt: "2024-06-13T00:00:00+08:00" });
    });

    it("received 2025-01-20, before the Spring Festival (01-28…02-04)", () => {
      const from = "2025-01-20T16:45:00+08:00";
      expect(computeDeadline(from, days(7), opts)).toMatchObject({ lastDay: "2025-01-27", rolledOver: false, dueAt: "2025-01-28T00:00:00+08:00" });
      expect(computeDeadline(from, days(15), opts)).toMatchObject({ lastDay: "2025-02-05", rolledOver: true, dueAt: "2025-02-06T00:00:00+08:00" });
      expect(computeDeadline(from, days(45), opts)).toMatchObject({ lastDay: "2025-03-06", rolledOver: false, dueAt: "2025-03-07T00:00:00+08:00" });
    });
  });
});

describe("working days", () => {
  it("5 working days from Friday 2025-01-24 across the Spring Festival: 01-26 (adjusted Sunday), 01-27, then 02-05, 02-06, 02-07", () => {
    const d = computeDeadline("2025-01-24T10:00:00+08:00", workingDays(5), opts);
    expect(d).toMatchObject({ startDay: "2025-01-24", lastDay: "2025-02-07", rolledOver: false, dueAt: "2025-02-08T00:00:00+08:00" });
    expect(d.explanation.en).toContain("the 5th working day after it is 2025-02-07");
  });

  it("3 working days from 2024-02-08: 02-09, then the adjusted Sunday 02-18, then 02-19", () => {
    expect(computeDeadline("2024-02-08T10:00:00+08:00", workingDays(3), opts)).toMatchObject({ lastDay: "2024-02-19", dueAt: "2024-02-20T00:00:00+08:00" });
  });

  it("the starting day is not counted even when it is a working day", () => {
    expect(computeDeadline("2024-06-17T08:00:00+08:00", workingDays(1), opts)).toMatchObject({ lastDay: "2024-06-18", dueAt: "2024-06-19T00:00:00+08:00" });
  });
});

describe("hours", () => {
  it("48 hours are exact and never roll over, even into a holiday", () => {
    const d = computeDeadline("2024-09-30T10:00:00+08:00", hours(48), opts);
    expect(d).toMatchObject({ dueAt: "2024-10-02T10:00:00+08:00", dueAtMs: Date.parse("2024-10-02T02:00:00Z"), startDay: "2024-09-30", lastDay: "2024-10-02", rolledOver: false });
  });

  it("a period ending exactly at midnight has the previous day as its last day", () => {
    expect(computeDeadline("2024-09-30T00:00:00+08:00", hours(24), opts)).toMatchObject({ dueAt: "2024-10-01T00:00:00+08:00", lastDay: "2024-09-30" });
  });
});

describe("instants and time zones", () => {
  it("23:59 in Shanghai and the same instant written in UTC give the same local starting day", () => {
    const local = computeDeadline("2024-06-20T23:59:00+08:00", days(7), opts);
    const utc = computeDeadline("2024-06-20T15:59:00Z", days(7), opts);
    expect(utc).toEqual(local);
    expect(local).toMatchObject({ startDay: "2024-06-20", dueAt: "2024-06-28T00:00:00+08:00" });
    // One minute later it is 06-21 in Shanghai.
    expect(computeDeadline("2024-06-20T16:00:00Z", days(7), opts)).toMatchObject({ startDay: "2024-06-21", dueAt: "2024-06-29T00:00:00+08:00" });
  });

  it("a Date and epoch milliseconds are accepted too", () => {
    const s = computeDeadline("2024-09-29T10:00:00+08:00", days(7), opts);
    expect(computeDeadline(new Date("2024-09-29T02:00:00Z"), days(7), opts)).toEqual(s);
    expect(computeDeadline(Date.parse("2024-09-29T02:00:00Z"), days(7), opts)).toEqual(s);
  });

  it("the pack's time zone decides the local day and the offset of dueAt", () => {
    const d = computeDeadline("2024-06-20T23:59:00+08:00", days(7), { calendar, timezone: "America/New_York" });
    expect(d).toMatchObject({ startDay: "2024-06-20", lastDay: "2024-06-27", dueAt: "2024-06-28T00:00:00-04:00" });
  });

  it("a string without an offset is ambiguous: INVALID_DATE", () => {
    for (const s of ["2024-09-29T10:00:00", "2024-09-29T10:00", "2024-09-29"]) {
      const e = catchJicengError(() => computeDeadline(s, days(7), { calendar, path: ["events", 0, "at"] }));
      expect(e.code).toBe("INVALID_DATE");
      expect(e.issues[0]?.path).toEqual(["events", 0, "at"]);
      expect(e.issues[0]?.message.en).toContain("ambiguous");
    }
  });

  it("invalid dates are INVALID_DATE, never NaN or Invalid Date", () => {
    for (const bad of ["2024-02-30T10:00:00+08:00", "2023-02-29T10:00:00+08:00", "2024-09-29T24:00:00+08:00", "2024-09-29T10:60:00+08:00", "2024-09-29T10:00:00+25:00", "tomorrow", "", new Date(Number.NaN), Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(catchJicengError(() => computeDeadline(bad as string, days(7), opts)).code).toBe("INVALID_DATE");
    }
  });

  it("an unknown time zone is rejected", () => {
    expect(catchJicengError(() => computeDeadline("2024-09-29T10:00:00+08:00", days(7), { calendar, timezone: "Mars/Olympus" })).code).toBe("INVALID_DATE");
  });

  it("a bad period is a SCHEMA error", () => {
    expect(catchJicengError(() => computeDeadline("2024-09-29T10:00:00+08:00", days(0), opts)).code).toBe("SCHEMA");
    expect(catchJicengError(() => computeDeadline("2024-09-29T10:00:00+08:00", days(1.5), opts)).code).toBe("SCHEMA");
    expect(catchJicengError(() => computeDeadline("2024-09-29T10:00:00+08:00", { amount: 7, unit: "weeks" as "hours" }, opts)).code).toBe("SCHEMA");
  });
});

describe("the end of the holiday data (2026)", () => {
  const refuse = createCalendar({ beyondSchedule: "refuse" });
  it("the notices cover 2004–2026", () => {
    expect([calendar.firstYear, calendar.officialLastYear]).toEqual([2004, 2026]);
    expect([refuse.firstYear, refuse.lastYear]).toEqual([2004, 2026]);
  });

  it("under refuse, a last day in 2027 cannot be judged: CALENDAR_OUT_OF_RANGE naming the date and the missing notice", () => {
    const e = catchJicengError(() => computeDeadline("2026-12-25T09:00:00+08:00", days(7), { calendar: refuse, path: ["facts", "receivedAt"] }));
    expect(e.code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(e.issues[0]?.path).toEqual(["facts", "receivedAt"]);
    expect(e.issues[0]?.message.zh).toContain("2027-01-01");
    expect(e.issues[0]?.message.zh).toContain("2027年放假安排尚未加载");
    expect(e.issues[0]?.message.en).toContain("the 2027 schedule is not loaded");
    expect(catchJicengError(() => computeDeadline("2027-03-01T09:00:00+08:00", days(7), { calendar: refuse })).code).toBe("CALENDAR_OUT_OF_RANGE");
    expect(catchJicengError(() => computeDeadline("2026-12-30T09:00:00+08:00", workingDays(3), { calendar: refuse })).code).toBe("CALENDAR_OUT_OF_RANGE");
  });

  it("a last day of 2026-12-31 is still in the data, though dueAt is 2027-01-01", () => {
    expect(computeDeadline("2026-12-24T09:00:00+08:00", days(7), opts)).toMatchObject({ lastDay: "2026-12-31", dueAt: "2027-01-01T00:00:00+08:00" });
  });

  it('outOfRange: "weekends-only" is an explicit choice that counts weekends only', () => {
    const weekendsOnly = createCalendar({ outOfRange: "weekends-only", beyondSchedule: "refuse" });
    // 2027-01-01 is a Friday: with weekends only it is a working day (New Year's Day is not known).
    expect(computeDeadline("2026-12-25T09:00:00+08:00", days(7), { calendar: weekendsOnly })).toMatchObject({ lastDay: "2027-01-01", rolledOver: false, dueAt: "2027-01-02T00:00:00+08:00" });
    // 2027-01-02 is a Saturday → Monday 01-04.
    expect(computeDeadline("2026-12-26T09:00:00+08:00", days(7), { calendar: weekendsOnly })).toMatchObject({ lastDay: "2027-01-04", rolledOver: true });
  });

  it("hours never look at the calendar", () => {
    expect(computeDeadline("2027-06-01T09:00:00+08:00", hours(24), opts).dueAt).toBe("2027-06-02T09:00:00+08:00");
  });
});

describe("computeWarnAt", () => {
  const from = "2024-09-29T10:00:00+08:00";
  const d = computeDeadline(from, days(7), opts); // due 2024-10-09T00:00:00+08:00

  it("before N calendar days / hours", () => {
    expect(computeWarnAt(from, d, { before: { amount: 2, unit: "calendar-days" } }, opts)).toEqual({ warnAt: "2024-10-07T00:00:00+08:00", warnAtMs: Date.parse("2024-10-06T16:00:00Z") });
    expect(computeWarnAt(from, d, { before: { amount: 24, unit: "hours" } }, opts).warnAt).toBe("2024-10-08T00:00:00+08:00");
  });

  it("before 1 working day: 24:00 of the working day before the last day (09-30, before the holiday)", () => {
    expect(computeWarnAt(from, d, { before: { amount: 1, unit: "working-days" } }, opts).warnAt).toBe("2024-10-01T00:00:00+08:00");
  });

  it("fraction: halfway from 2024-09-29T10:00 to 2024-10-09T00:00 (230 hours) is 115 hours in", () => {
    expect(computeWarnAt(from, d, { fraction: 0.5 }, opts).warnAt).toBe("2024-10-04T05:00:00+08:00");
  });

  it("never earlier than from", () => {
    const short = computeDeadline("2024-06-20T10:00:00+08:00", days(1), opts); // due 2024-06-22T00:00
    expect(computeWarnAt("2024-06-20T10:00:00+08:00", short, { before: { amount: 3, unit: "calendar-days" } }, opts).warnAt).toBe("2024-06-20T10:00:00+08:00");
  });

  it("Guyuan yellow: warn 2 days before a 7-day deadline", () => {
    const y = computeDeadline("2022-06-20T09:30:00+08:00", days(7), opts);
    expect(computeWarnAt("2022-06-20T09:30:00+08:00", y, { before: { amount: 2, unit: "calendar-days" } }, opts).warnAt).toBe("2022-06-26T00:00:00+08:00");
  });

  it("needs exactly one of before / fraction", () => {
    expect(catchJicengError(() => computeWarnAt(from, d, {}, opts)).code).toBe("SCHEMA");
    expect(catchJicengError(() => computeWarnAt(from, d, { fraction: 0.5, before: { amount: 1, unit: "hours" } }, opts)).code).toBe("SCHEMA");
    expect(catchJicengError(() => computeWarnAt(from, d, { fraction: 1 }, opts)).code).toBe("SCHEMA");
  });
});

describe("results are plain data", () => {
  it("round-trips through JSON and spreads without losing fields", () => {
    const d = computeDeadline("2024-09-29T10:00:00+08:00", days(7), opts);
    const again = computeDeadline("2024-09-29T11:00:00+08:00", days(7), opts);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect({ ...again }).toEqual(d);
    again.explanation.zh = "changed";
    expect(computeDeadline("2024-09-29T12:00:00+08:00", days(7), opts).explanation.zh).not.toBe("changed");
  });
});
