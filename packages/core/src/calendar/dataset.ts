import data from "../../data/holidays-cn.json";
import type { HolidayScheduleInput } from "./schedule.js";

/**
 * A holiday dataset: one schedule per year's State Council notice, in the form of a holiday
 * schedule file (`schema/holiday-schedule.schema.json`), for every year from `firstYear` to
 * `lastYear`. The built-in one is {@link CN_STATE_COUNCIL}.
 */
export interface HolidayDataset {
  dataset: string;
  version: string;
  source?: string;
  license?: string;
  firstYear: number;
  lastYear: number;
  schedules: readonly HolidayScheduleInput[];
}

/**
 * The State Council holiday schedules (国务院办公厅部分节假日安排), adjusted working days included,
 * one per year 2004–2026, built from chinese-days by `scripts/build-holidays.mjs` (see
 * `packages/core/data/holidays-cn.json`). Later years are loaded as schedule files
 * (`createCalendar({ schedules })`, `jiceng --calendar FILE`), not by a release.
 *
 * @example
 * CN_STATE_COUNCIL.schedules.find((s) => s.year === 2024)?.holidays[0]; // { festival: "new-year", from: "2024-01-01", to: "2024-01-01" }
 * @see createCalendar
 */
export const CN_STATE_COUNCIL: HolidayDataset = data as HolidayDataset;
