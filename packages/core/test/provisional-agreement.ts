// issue 13: how often a deadline counted on the provisional calendar (that year's notice withheld)
// equals the official one, for every start day 2015–2026 and every period the five packs use.
//
//   npx tsx --conditions=@jiceng/source packages/core/test/provisional-agreement.ts          print the table
//   npx tsx --conditions=@jiceng/source packages/core/test/provisional-agreement.ts --write  update the READMEs
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CN_STATE_COUNCIL, computeDeadline, createCalendar, parseLocalDate, type Calendar, type MakeUpRule } from "../src/index.js";

/** The periods of the five packs (levels, time limits, sign-for and review limits). */
export const PERIODS = [
  { amount: 7, unit: "calendar-days" },
  { amount: 15, unit: "calendar-days" },
  { amount: 30, unit: "calendar-days" },
  { amount: 45, unit: "calendar-days" },
  { amount: 60, unit: "calendar-days" },
  { amount: 1, unit: "working-days" },
  { amount: 10, unit: "working-days" },
  { amount: 24, unit: "hours" },
] as const;
export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2026;

export interface PeriodAgreement {
  period: string;
  compared: number;
  identical: number;
  /** Largest difference between the provisional and the official due time, in days. */
  maxDaysOff: number;
  /** Of the different ones, how many the provisional calendar put earlier than the official. */
  earlier: number;
}

const official = createCalendar({ beyondSchedule: "provisional" });
const withheldCache = new Map<string, Calendar>();
/** The shipped notices before `year`, provisional from `year` on. */
function withheld(year: number, makeUp: MakeUpRule): Calendar {
  const key = `${year}|${makeUp}`;
  let c = withheldCache.get(key);
  if (c === undefined) {
    const schedules = CN_STATE_COUNCIL.schedules.filter((s) => s.year < year);
    c = createCalendar({ dataset: { ...CN_STATE_COUNCIL, lastYear: year - 1, schedules }, beyondSchedule: "provisional", makeUp });
    withheldCache.set(key, c);
  }
  return c;
}

const label = (p: (typeof PERIODS)[number]) => (p.unit === "hours" ? `${p.amount} 小时 hours` : p.unit === "working-days" ? `${p.amount} 个工作日 working days` : `${p.amount} 日 days (顺延 rolled over)`);

/** Every start day 2015–2026 at 10:00 Beijing time; deadlines whose official result is itself provisional (into 2027) are left out. */
export function measure(makeUp: MakeUpRule): PeriodAgreement[] {
  return PERIODS.map((period) => {
    const r: PeriodAgreement = { period: label(period), compared: 0, identical: 0, maxDaysOff: 0, earlier: 0 };
    for (let day = parseLocalDate(`${FIRST_YEAR}-01-01`); day <= parseLocalDate(`${LAST_YEAR}-12-31`); day++) {
      const from = day * 86_400_000 + 2 * 3_600_000; // 10:00 +08:00
      const o = computeDeadline(from, period, { calendar: official });
      if (o.provisional) continue;
      const year = new Date(from + 8 * 3_600_000).getUTCFullYear();
      const p = computeDeadline(from, period, { calendar: withheld(year, makeUp) });
      r.compared++;
      if (p.dueAtMs === o.dueAtMs) r.identical++;
      else {
        r.maxDaysOff = Math.max(r.maxDaysOff, Math.abs(p.dueAtMs - o.dueAtMs) / 86_400_000);
        if (p.dueAtMs < o.dueAtMs) r.earlier++;
      }
    }
    return r;
  });
}

const pct = (r: PeriodAgreement) => ((100 * r.identical) / r.compared).toFixed(1);

/** The README table (Chinese first), for the rule the calendar uses and the rule it was measured against. */
export function renderTable(): string {
  const chosen = measure("next-working-day");
  const none = measure("none");
  const rows = chosen.map((r, i) => `| ${r.period} | ${r.compared} | **${pct(r)} %** | ${r.compared - r.identical} | ${r.maxDaysOff} | ${r.earlier} | ${pct(none[i]!)} % |`);
  return [
    "| 期限 Period | 比较数 Compared | 相同 Identical | 不同 Different | 最多相差（日）Max days off | 其中偏早 Of which earlier | 不补假时 Without make-up days |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

const START = "<!-- provisional-agreement:start -->";
const END = "<!-- provisional-agreement:end -->";
export const README_FILES = ["../../../README.md", "../README.md"].map((f) => fileURLToPath(new URL(f, import.meta.url)));

/** The README text with the table between the markers replaced. */
export function withTable(text: string, table: string): string {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`no ${START} … ${END} in the README`);
  return `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const table = renderTable();
  console.log(table);
  if (process.argv.includes("--write")) for (const f of README_FILES) writeFileSync(f, withTable(readFileSync(f, "utf8"), table));
}
