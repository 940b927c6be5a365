import { describe, expect, it } from "vitest";
import { countdownText, daysLeft, formatDate, formatDateTime, formatDue, formatNumber, formatRange, humanizeDates } from "./format.js";

describe("the desk's number and date formats", () => {
  it("writes numbers with thousands separators in both languages", () => {
    expect(formatNumber(1234567, "zh")).toBe("1,234,567");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
    expect(formatNumber(12.345, "zh", 1)).toBe("12.3");
  });

  it("writes dates as 2022年6月20日 in Chinese, in the pack's zone (Asia/Shanghai)", () => {
    expect(formatDate("2022-06-20T09:30:00+08:00", "zh")).toBe("2022年6月20日");
    // 23:30 UTC on the 19th is already the 20th in Shanghai.
    expect(formatDate("2022-06-19T23:30:00Z", "zh")).toBe("2022年6月20日");
    expect(formatDate("2022-06-20T09:30:00+08:00", "en")).toBe("20 Jun 2022");
    expect(formatDate(null, "zh")).toBe("—");
  });

  it("counts down in calendar days, or in working days where the pack counts them", () => {
    const now = Date.parse("2022-06-17T10:00:00+08:00"); // a Friday
    const due = "2022-06-21T00:00:00+08:00"; // Tuesday 00:00
    // The period ends at 24:00 on Monday: Saturday, Sunday and Monday are left.
    expect(daysLeft(due, now, "Asia/Shanghai")).toBe(3);
    const weekdays = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(daysLeft(due, now, "Asia/Shanghai", weekdays)).toBe(1); // Monday only
    expect(daysLeft("2022-06-18T00:00:00+08:00", now, "Asia/Shanghai")).toBe(0); // ends tonight
    expect(daysLeft("2022-06-15T00:00:00+08:00", now, "Asia/Shanghai")).toBe(-3); // ended on the 14th
    expect(daysLeft("2022-06-17T09:00:00+08:00", now, "Asia/Shanghai")).toBe(-1); // ended this morning
    expect(countdownText(-3, false, "zh")).toBe("超期 3天");
    expect(countdownText(2, true, "zh")).toBe("剩 2个工作日");
    expect(countdownText(1, false, "en")).toBe("1 day left");
  });
  it("writes instants as 2022年6月20日 10:00 (20 Jun 2022, 10:00 in English), 24-hour, in Shanghai", () => {
    expect(formatDateTime("2022-06-20T10:00:00+08:00", "zh")).toBe("2022年6月20日 10:00");
    expect(formatDateTime("2022-06-20T02:05:00Z", "zh")).toBe("2022年6月20日 10:05");
    expect(formatDateTime("2022-06-20T10:00:00+08:00", "en")).toBe("20 Jun 2022, 10:00");
    expect(formatDateTime("2022-06-20T00:00:00+08:00", "zh")).toBe("2022年6月20日 00:00");
  });

  it("writes a deadline stored as 00:00 of the next day as 24:00 of its last day (Civil Code art. 203)", () => {
    expect(formatDue("2022-06-21T00:00:00+08:00", "zh")).toBe("2022年6月20日 24:00");
    expect(formatDue("2022-06-21T00:00:00+08:00", "en")).toBe("20 Jun 2022, 24:00");
    expect(formatDue("2022-07-01T00:00:00+08:00", "zh")).toBe("2022年6月30日 24:00");
    expect(formatDue("2022-06-20T17:30:00+08:00", "zh")).toBe("2022年6月20日 17:30");
  });

  it("writes a meeting's week, month and quarter with an inclusive last day", () => {
    expect(formatRange("2022-06-20T00:00:00+08:00", "2022-06-27T00:00:00+08:00", "zh")).toBe("2022年6月20日 – 2022年6月26日");
    expect(formatRange("2022-06-01T00:00:00+08:00", "2022-07-01T00:00:00+08:00", "zh")).toBe("2022年6月1日 – 2022年6月30日");
    expect(formatRange("2022-10-01T00:00:00+08:00", "2023-01-01T00:00:00+08:00", "en")).toBe("1 Oct 2022 – 31 Dec 2022");
  });

  it("rewrites the ISO dates in core's timeline summaries, in both languages", () => {
    expect(humanizeDates("受理并定级：黄色预警，时限 2026-10-15T00:00:00+08:00", "zh")).toBe("受理并定级：黄色预警，时限 2026年10月14日 24:00");
    expect(humanizeDates("交办：t1；化解时限 2026-10-12（至 2026-10-13T00:00:00+08:00）", "zh")).toBe("交办：t1；化解时限 2026年10月12日（至 2026年10月12日 24:00）");
    expect(humanizeDates("Assigned: t1; time limit 2026-10-12 (until 2026-10-13T00:00:00+08:00)", "en")).toBe("Assigned: t1; time limit 12 Oct 2026 (until 12 Oct 2026, 24:00)");
    expect(humanizeDates("办理进展", "zh")).toBe("办理进展");
  });
});
