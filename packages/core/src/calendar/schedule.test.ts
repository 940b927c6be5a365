import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { referenceYears } from "../../test/holiday-reference.js";
import { CN_STATE_COUNCIL, createCalendar, formatLocalDate, holidayScheduleJsonSchema, parseLocalDate, safeParseSchedule, type HolidayScheduleInput } from "./index.js";

const d = parseLocalDate;
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const shipped = (y: number) => structuredClone(CN_STATE_COUNCIL.schedules.find((s) => s.year === y)!) as HolidayScheduleInput & { holidays: any[]; workdays: any[] };
const issuesOf = (raw: unknown) => {
  const r = safeParseSchedule(raw);
  return r.success ? [] : r.issues;
};

describe("shipped data as schedules", () => {
  it("every shipped year is a valid schedule file", () => {
    for (const s of CN_STATE_COUNCIL.schedules) expect(issuesOf(s), String(s.year)).toEqual([]);
  });

  it("builds the same index as the per-date data it replaced: same kind and name on every date 2004–2026", () => {
    const cal = createCalendar({ beyondSchedule: "refuse" });
    let checked = 0;
    for (let day = d("2004-01-01"); day <= d("2026-12-31"); day++) {
      const date = formatLocalDate(day);
      const y = referenceYears[date.slice(0, 4)]!;
      const label = y.holidays[date];
      const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
      const kind = label !== undefined ? "holiday" : y.workdays.includes(date) ? "adjusted-workday" : wd === 0 || wd === 6 ? "weekend" : "workday";
      const info = cal.describeDay(day);
      expect({ date, kind: info.kind, rest: info.rest, name: info.kind === "holiday" ? `${info.name?.zh}/${info.name?.en}` : undefined }).toEqual({
        date,
        kind,
        rest: kind === "holiday" || kind === "weekend",
        name: label,
      });
      checked++;
    }
    expect(checked).toBe(8401);
  });

  it("the committed data is what scripts/build-holidays.mjs builds", () => {
    expect(() => execFileSync(process.execPath, ["scripts/build-holidays.mjs", "--check"], { cwd: root, stdio: "pipe" })).not.toThrow();
  });

  it("the committed JSON Schema matches the zod schema (npm run schema -w @jiceng/core)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/holiday-schedule.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(holidayScheduleJsonSchema());
    expect(JSON.stringify(committed)).toMatch(/调休上班日 \/ An adjusted working day/);
  });
});

describe("schedule validation: every error with a path and zh/en message", () => {
  const base = () => shipped(2026);

  it("accepts the 2026 notice as shipped, warning that the number and date are not given", () => {
    const r = safeParseSchedule(base());
    expect(r.success).toBe(true);
    if (r.success) expect(r.warnings.map((w) => w.path)).toEqual([["notice"]]);
  });

  it("rejects dates that do not exist, and dates outside the year", () => {
    const s = base();
    s.holidays[1].to = "2026-02-30";
    s.workdays[0].date = "2025-06-01";
    const issues = issuesOf(s);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["INVALID_SCHEDULE", ["holidays", 1, "to"]],
      ["INVALID_SCHEDULE", ["workdays", 0, "date"]],
    ]);
    expect(issues[0]!.message.zh).toContain("不是真实存在的日期");
    expect(issues[1]!.message.en).toContain("not in 2026");
  });

  it("allows the New Year spill-over into the December before, and nothing else", () => {
    const s = shipped(2019);
    expect(s.holidays[0]).toMatchObject({ festival: "new-year", from: "2018-12-30" });
    expect(issuesOf(s)).toEqual([]);
    const t = base();
    t.holidays[1].from = "2025-12-30";
    expect(issuesOf(t).map((i) => i.path)).toEqual([["holidays", 1, "from"]]);
  });

  it("rejects overlapping periods, backwards periods, and a working day inside a period", () => {
    const s = base();
    s.holidays[3].from = "2026-04-06";
    expect(issuesOf(s).map((i) => [i.path, i.message.zh])).toEqual([[["holidays", 3, "from"], "2026年放假安排：与 $.holidays[2] 的假期重叠（2026-04-06）"]]);
    const t = base();
    t.holidays[3].to = "2026-04-01";
    expect(issuesOf(t).map((i) => i.message.en)).toEqual(["2026 holiday schedule: the last day 2026-04-01 is before the first day 2026-05-01"]);
    const u = base();
    u.workdays.push({ date: "2026-10-04", festival: "national-day" });
    expect(issuesOf(u).map((i) => i.path)).toEqual([["workdays", u.workdays.length - 1, "date"]]);
  });

  it("rejects an adjusted working day that is not a weekend day, or listed twice", () => {
    const s = base();
    s.workdays[0].date = "2026-01-05";
    const [i] = issuesOf(s);
    expect(i).toMatchObject({ code: "INVALID_SCHEDULE", path: ["workdays", 0, "date"] });
    expect(i!.message.zh).toContain("不是周六或周日");
    const t = base();
    t.workdays.push({ ...t.workdays[0] });
    expect(issuesOf(t).map((x) => x.message.en)).toEqual(["2026 holiday schedule: the adjusted working day 2026-01-04 is listed twice (already at $.workdays[0].date)"]);
  });

  it("requires every festival of the law, each on its own day (清明 on the solar term, 春节 on 正月初一…)", () => {
    const s = base();
    s.holidays = s.holidays.filter((p: { festival: string }) => p.festival !== "dragon-boat");
    expect(issuesOf(s).map((i) => i.message.zh)).toEqual(["2026年放假安排：缺少端午（《全国年节及纪念日放假办法》规定的节日）"]);
    const t = base();
    const qm = t.holidays.find((p: { festival: string }) => p.festival === "qingming")!;
    qm.from = "2026-04-09";
    qm.to = "2026-04-10";
    expect(issuesOf(t).map((i) => i.message.en)).toEqual(["2026 holiday schedule: the Tomb-sweeping Day period does not include the festival itself (2026-04-05)"]);
  });

  it("lets 中秋 be merged into the National Day period (2020)", () => {
    const s = shipped(2020);
    expect(s.holidays.some((p: { festival: string }) => p.festival === "mid-autumn")).toBe(false);
    expect(issuesOf(s)).toEqual([]);
  });

  it("rejects unknown fields, a missing title, and other festivals without a name", () => {
    const s: any = base();
    s.extra = 1;
    delete s.notice.title;
    s.holidays.push({ festival: "other", from: "2026-12-01", to: "2026-12-01" });
    const paths = issuesOf(s).map((i) => i.path);
    expect(paths).toContainEqual(["notice", "title"]);
    expect(paths.some((p) => p[0] === "extra" || (p.length === 0))).toBe(true);
    const t: any = base();
    t.holidays.push({ festival: "other", from: "2026-12-01", to: "2026-12-01" });
    expect(issuesOf(t).map((i) => i.path)).toEqual([["holidays", 7, "name"]]);
  });
});
