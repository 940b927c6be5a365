import data from "../../data/holidays-cn.json";

/** One year of a holiday dataset. */
export interface HolidayYear {
  /** Rest days of the schedule, `YYYY-MM-DD` → `中文名/English name`. */
  holidays: Record<string, string>;
  /** Adjusted working days (调休上班), `YYYY-MM-DD`: weekend days that are working days. */
  workdays: readonly string[];
  /** The holidays that are in-lieu days (调休放假); informational. */
  inLieu?: readonly string[];
}

/**
 * A holiday dataset: which dates are statutory rest days and which weekend days are working
 * days, for every year from `firstYear` to `lastYear`. The built-in one is {@link CN_STATE_COUNCIL}.
 */
export interface HolidayDataset {
  dataset: string;
  version: string;
  source?: string;
  license?: string;
  firstYear: number;
  lastYear: number;
  years: Record<string, HolidayYear>;
}

/**
 * The State Council holiday schedule (国务院办公厅部分节假日安排), adjusted working days included,
 * built from chinese-days by `scripts/build-holidays.mjs` (see `packages/core/data/holidays-cn.json`).
 *
 * @example
 * CN_STATE_COUNCIL.years["2024"]?.holidays["2024-10-01"]; // "国庆节/National Day"
 * @see createCalendar
 */
export const CN_STATE_COUNCIL: HolidayDataset = data;
