/**
 * Day counting: the State Council holiday calendar, time zones, and deadlines per the Civil Code.
 * @module
 */
export { createCalendar, type Calendar, type CalendarOptions, type DayInfo, type DayKind, type OutOfRange } from "./calendar.js";
export { CN_STATE_COUNCIL, type HolidayDataset, type HolidayYear } from "./dataset.js";
export { computeDeadline, computeWarnAt, type Deadline, type DeadlineOptions, type DeadlinePeriod, type DeadlineWarning, type WarnTime } from "./deadline.js";
export { formatLocalDate, parseLocalDate } from "./days.js";
export { DEFAULT_TIMEZONE, formatInstant, localDate, parseInstant, startOfLocalDay, toLocalDateTime, type LocalDateTime } from "./timezone.js";
