import data from "../../data/festivals-cn.json";
import type { Text } from "../errors/index.js";
import { daysFromCivil, isWeekend, readDate } from "./days.js";

/**
 * The festival days the law fixes without a notice, as day numbers: 正月初一, 清明 (the solar
 * term), 五月初五, 八月十五. Precomputed for 2004–2100 from the `chinese-days` library by
 * `scripts/build-holidays.mjs` (see `data/festivals-cn.json`), so core needs no lunar library
 * at run time.
 */
export interface FestivalDates {
  springFestival: number;
  qingming: number;
  dragonBoat: number;
  midAutumn: number;
}

/** First and last year the festival dates are known for. */
export const FESTIVALS_FIRST_YEAR: number = data.firstYear;
export const FESTIVALS_LAST_YEAR: number = data.lastYear;
/** Where the festival dates come from, e.g. `chinese-days@1.5.7`. */
export const FESTIVALS_VERSION: string = data.version;

const years = data.years as Record<string, { springFestival: string; qingming: string; dragonBoat: string; midAutumn: string }>;
const cache = new Map<number, FestivalDates>();

/** The festival days of `year`, or undefined outside 2004–2100. */
export function festivalDates(year: number): FestivalDates | undefined {
  let f = cache.get(year);
  if (f === undefined) {
    const y = years[String(year)];
    if (y === undefined) return undefined;
    f = { springFestival: readDate(y.springFestival), qingming: readDate(y.qingming), dragonBoat: readDate(y.dragonBoat), midAutumn: readDate(y.midAutumn) };
    cache.set(year, f);
  }
  return f;
}

/** How statutory days that fall on a weekend are made up (补假) on the provisional calendar. */
export type MakeUpRule = "none" | "next-working-day";

/**
 * The make-up rule the provisional calendar uses: measured against every notice of 2015–2026
 * (`scripts/measure-provisional.ts`, figures in the core README), `next-working-day` agrees with
 * the official deadlines more often than `none` for every period the packs use.
 */
export const DEFAULT_MAKE_UP_RULE: MakeUpRule = "next-working-day";

/** One rest day of a provisional year. */
export interface ProvisionalDay {
  day: number;
  festival: string;
  name: Text;
  /** A statutory day (法定节假日) or a make-up day (补假) for one that fell on a weekend. */
  kind: "statutory" | "make-up";
}

const NAMES: Record<string, Text> = {
  "new-year": { zh: "元旦", en: "New Year's Day" },
  "spring-festival": { zh: "春节", en: "Spring Festival" },
  qingming: { zh: "清明", en: "Tomb-sweeping Day" },
  "labour-day": { zh: "劳动节", en: "Labour Day" },
  "dragon-boat": { zh: "端午", en: "Dragon Boat Festival" },
  "mid-autumn": { zh: "中秋", en: "Mid-autumn Festival" },
  "national-day": { zh: "国庆节", en: "National Day" },
};

/**
 * The statutory days of `year` per the 《全国年节及纪念日放假办法》 in force that year:
 * from 2025 (2024 revision) 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3;
 * 2014–2024 (2013 revision) 春节 初一 to 初三 and 劳动节 1; 2008–2013 (2007 revision) 春节 除夕 to
 * 初二; before 2008 (1999 version) 元旦 1, 春节 3, 劳动节 3, 国庆 3 and no 清明/端午/中秋.
 */
export function statutoryDays(year: number): Array<{ festival: string; days: number[] }> | undefined {
  const f = festivalDates(year);
  if (f === undefined) return undefined;
  const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const sf = f.springFestival;
  const may1 = daysFromCivil(year, 5, 1);
  const out: Array<{ festival: string; days: number[] }> = [{ festival: "new-year", days: [daysFromCivil(year, 1, 1)] }];
  if (year >= 2025) out.push({ festival: "spring-festival", days: range(sf - 1, 4) });
  else if (year >= 2014) out.push({ festival: "spring-festival", days: range(sf, 3) });
  else if (year >= 2008) out.push({ festival: "spring-festival", days: range(sf - 1, 3) });
  else out.push({ festival: "spring-festival", days: range(sf, 3) });
  if (year >= 2008) out.push({ festival: "qingming", days: [f.qingming] });
  out.push({ festival: "labour-day", days: range(may1, year >= 2025 ? 2 : year >= 2008 ? 1 : 3) });
  if (year >= 2008) out.push({ festival: "dragon-boat", days: [f.dragonBoat] }, { festival: "mid-autumn", days: [f.midAutumn] });
  out.push({ festival: "national-day", days: range(daysFromCivil(year, 10, 1), 3) });
  return out.sort((a, b) => a.days[0]! - b.days[0]!);
}

/**
 * The rest days (besides weekends) of `year` on the provisional calendar: the statutory days,
 * and — with `next-working-day` — for each one that falls on a Saturday or Sunday, a make-up day
 * on the next weekday after its festival that is not already a rest day (办法 第六条: 适逢星期六、
 * 星期日，应当在工作日补假). Undefined outside the years the festival dates are known for.
 */
export function provisionalYear(year: number, rule: MakeUpRule = DEFAULT_MAKE_UP_RULE): ProvisionalDay[] | undefined {
  const stat = statutoryDays(year);
  if (stat === undefined) return undefined;
  const out: ProvisionalDay[] = [];
  const rest = new Set<number>();
  for (const s of stat) for (const day of s.days) rest.add(day);
  for (const s of stat) {
    const name = NAMES[s.festival]!;
    for (const day of s.days) out.push({ day, festival: s.festival, name, kind: "statutory" });
    if (rule === "none") continue;
    let owed = s.days.filter(isWeekend).length;
    let day = s.days[s.days.length - 1]!;
    while (owed > 0) {
      day++;
      if (isWeekend(day) || rest.has(day)) continue;
      rest.add(day);
      out.push({ day, festival: s.festival, name: { zh: `${name.zh}补假`, en: `${name.en} (make-up day)` }, kind: "make-up" });
      owed--;
    }
  }
  return out.sort((a, b) => a.day - b.day);
}
