/**
 * Day counting: the State Council holiday calendar (shipped and loaded schedules, provisional
 * past the last notice), time zones, and deadlines per the Civil Code.
 * @module
 */
export { createCalendar, type BeyondSchedule, type Calendar, type CalendarOptions, type CalendarYear, type DayInfo, type DayKind, type OutOfRange, type ScheduleSource } from "./calendar.js";
export { CN_STATE_COUNCIL, type HolidayDataset } from "./dataset.js";
export { computeDeadline, computeWarnAt, type Deadline, type DeadlineOptions, type DeadlinePeriod, type DeadlineWarning, type WarnTime } from "./deadline.js";
export { formatLocalDate, parseLocalDate } from "./days.js";
export { festivalDates, provisionalYear, statutoryDays, DEFAULT_MAKE_UP_RULE, FESTIVALS_FIRST_YEAR, FESTIVALS_LAST_YEAR, type FestivalDates, type MakeUpRule, type ProvisionalDay } from "./festivals.js";
export { FESTIVALS, FESTIVAL_NAMES, HolidayScheduleSchema, holidayScheduleJsonSchema, parseSchedule, safeParseSchedule, type Festival, type HolidaySchedule, type HolidayScheduleInput, type ScheduleResult } from "./schedule.js";
export { DEFAULT_TIMEZONE, formatInstant, localDate, parseInstant, startOfLocalDay, toLocalDateTime, type LocalDateTime } from "./timezone.js";
