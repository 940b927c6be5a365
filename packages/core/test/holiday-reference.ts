// The holiday data as it was before schedules (one rest/working flag per date, by calendar year),
// read straight from chinese-days' data file with the same correction scripts/build-holidays.mjs
// applies. Tests hold the schedule-built calendar against it date by date.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface ReferenceYear {
  /** Rest days, `YYYY-MM-DD` → `中文名/English name`. */
  holidays: Record<string, string>;
  /** Adjusted working days. */
  workdays: string[];
}

const require = createRequire(import.meta.url);
const src = JSON.parse(readFileSync(join(dirname(require.resolve("chinese-days/package.json")), "dist/chinese-days.json"), "utf8")) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};
const label = (v: string) => {
  const [en, zh] = v.split(",");
  return `${zh!.trim()}/${en!.trim()}`;
};

/** Per calendar year 2004–2026: the reference rest days and adjusted working days. */
export const referenceYears: Record<string, ReferenceYear> = {};
for (let y = 2004; y <= 2026; y++) referenceYears[String(y)] = { holidays: {}, workdays: [] };
for (const [date, v] of Object.entries(src.holidays)) {
  const y = referenceYears[date.slice(0, 4)];
  if (y) y.holidays[date] = label(v);
}
for (const date of Object.keys(src.workdays).sort()) referenceYears[date.slice(0, 4)]?.workdays.push(date);
// The correction of scripts/build-holidays.mjs: 2005-12-31 was a working Saturday (2006 notice).
delete referenceYears["2005"]!.holidays["2005-12-31"];
referenceYears["2005"]!.workdays.push("2005-12-31");
referenceYears["2005"]!.workdays.sort();

/** Rest day per the reference, by date. */
export function referenceRest(date: string): boolean {
  const y = referenceYears[date.slice(0, 4)];
  if (!y) throw new Error(`reference: ${date} is outside 2004–2026`);
  if (date in y.holidays) return true;
  if (y.workdays.includes(date)) return false;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
}
