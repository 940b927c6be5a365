// Second-source check of the holiday dataset. Ours comes from chinese-days; holiday-calendar
// (github.com/cg-zhou/holiday-calendar, data/CN/<year>.json) is transcribed independently from
// the same State Council notices. Each year file lists dates with type "public_holiday" (rest) or
// "transfer_workday" (adjusted working day); a year's file may also hold late-December dates of
// the year before (the New Year arrangement), so all files are merged by date.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CN_STATE_COUNCIL as data, createCalendar, parseLocalDate } from "./index.js";

const require = createRequire(import.meta.url);
const hcDir = join(dirname(require.resolve("holiday-calendar/package.json")), "data", "CN");

interface HcEntry {
  date: string;
  name: string;
  type: string;
}
const hc = new Map<string, HcEntry>();
const hcYears: number[] = [];
for (let y = 2000; y <= 2100; y++) {
  const file = join(hcDir, `${y}.json`);
  if (!existsSync(file)) continue;
  hcYears.push(y);
  for (const e of (JSON.parse(readFileSync(file, "utf8")) as { dates: HcEntry[] }).dates) hc.set(e.date, e);
}

const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const ours = createCalendar();
const oursRest = (date: string): boolean => ours.isRestDay(parseLocalDate(date));
const hcRest = (date: string): boolean => {
  const t = hc.get(date)?.type;
  if (t !== undefined && t !== "public_holiday" && t !== "transfer_workday") throw new Error(`holiday-calendar: unknown type ${t} on ${date}`);
  return t === "public_holiday" ? true : t === "transfer_workday" ? false : weekend(date);
};
function* datesOf(year: number): Generator<string> {
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) yield new Date(t).toISOString().slice(0, 10);
}
function disagreements(from: number, to: number): string[] {
  const out: string[] = [];
  for (let y = from; y <= to; y++) {
    for (const date of datesOf(y)) {
      if (oursRest(date) !== hcRest(date)) out.push(`${date} ours:${oursRest(date) ? "rest" : "work"} holiday-calendar:${hcRest(date) ? "rest" : "work"}`);
    }
  }
  return out;
}

/**
 * Where the two sources differ before 2020, each checked against the notice of that year
 * (quoted in chinese-days' src/holidays/generate.ts, or the State Council text). Ours is right
 * on all of these; 2005-12-31 is right because scripts/build-holidays.mjs corrects chinese-days.
 */
const KNOWN_BEFORE_2020 = [
  "2004-01-02 ours:work holiday-calendar:rest", // 2004 notice: 元旦 1月1日放假 (one day)
  "2004-04-25 ours:rest holiday-calendar:work", // 2004 notice: 五一 … 5月8日、9日上班
  "2004-05-09 ours:work holiday-calendar:rest",
  "2004-09-26 ours:rest holiday-calendar:work", // 2004 notice: 十一 … 10月9日、10日上班
  "2004-10-10 ours:work holiday-calendar:rest",
  "2007-12-29 ours:work holiday-calendar:rest", // 2008 notice: 2007年12月30日至2008年1月1日放假，12月29日(星期六)上班
  "2007-12-31 ours:rest holiday-calendar:work",
  "2008-05-04 ours:work holiday-calendar:rest", // 2008 notice: 5月1日至3日放假，5月4日(星期日)上班
  "2008-06-07 ours:rest holiday-calendar:work", // 2008 notice: 端午 6月7日至9日放假
  "2008-09-13 ours:rest holiday-calendar:work", // 2008 notice: 中秋 9月13日至15日放假
  "2009-01-04 ours:work holiday-calendar:rest", // 2009 notice: 1月4日(星期日)上班
  "2009-09-27 ours:work holiday-calendar:rest", // 2009 notice: 9月27日(星期日)、10月10日(星期六)上班
  "2011-12-31 ours:work holiday-calendar:rest", // 2012 notice: 2011年12月31日(星期六)上班
  "2015-01-04 ours:work holiday-calendar:rest", // 2015 notice: 1月4日(星期日)上班
  "2016-04-02 ours:rest holiday-calendar:work", // 2016 notice: 清明 4月2日至4日放假
  "2018-06-16 ours:rest holiday-calendar:work", // 2018 notice: 端午 6月16日至18日放假
  "2018-09-22 ours:rest holiday-calendar:work", // 2018 notice: 中秋 9月22日至24日放假
];

describe("holiday dataset cross-check against holiday-calendar", () => {
  const shared = { from: Math.max(2020, data.firstYear), to: Math.min(data.lastYear, Math.max(...hcYears)) };

  it("both sources cover 2020 to 2026", () => {
    expect(shared).toEqual({ from: 2020, to: 2026 });
  });

  it("agree on every date's rest / working status from 2020 on", () => {
    expect(disagreements(shared.from, shared.to)).toEqual([]);
  });

  it("before 2020 they differ only on the dates checked against the notices", () => {
    expect(disagreements(Math.max(data.firstYear, Math.min(...hcYears)), 2019)).toEqual(KNOWN_BEFORE_2020);
  });

  it("our dataset covers every year holiday-calendar has (rebuild when a new notice is out)", () => {
    expect(data.lastYear).toBeGreaterThanOrEqual(Math.max(...hcYears));
  });

  it("the calendar index says exactly what the dataset says, day by day", () => {
    const calendar = createCalendar();
    const wrong: string[] = [];
    for (let y = data.firstYear; y <= data.lastYear; y++) {
      for (const date of datesOf(y)) if (calendar.isRestDay(parseLocalDate(date)) !== oursRest(date)) wrong.push(date);
    }
    expect(wrong).toEqual([]);
  });

  it("the committed dataset is what scripts/build-holidays.mjs builds from the installed chinese-days", () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "../../../..");
    expect(() => execFileSync(process.execPath, [join(root, "scripts/build-holidays.mjs"), "--check"], { stdio: "pipe" })).not.toThrow();
  });
});
