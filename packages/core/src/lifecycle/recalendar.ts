import { computeDeadline, computeWarnAt, parseLocalDate, type Calendar, type Deadline, type DeadlineOptions } from "../calendar/index.js";
import { formatInstant, startOfLocalDay } from "../calendar/timezone.js";
import type { RulePack } from "../pack/schema.js";
import type { CaseContext, HistoryEntry, HistoryParams } from "./machine.js";
import { storeInstant, storedEntry } from "./history.js";
import { parseIsoDateTime } from "../conditions/time.js";

/** A case deadline field that can be counted on the provisional calendar. */
export type CalendarField = "dueAt" | "warnAt" | "ackDueAt";

/** One year of holiday schedule a case's deadlines were counted with: its notice, or provisional. */
export interface ScheduleRef {
  year: number;
  /** The notice's number, or its title when the number is not known. */
  notice?: string;
  /** No notice was loaded for the year: counted on the provisional calendar. */
  provisional?: true;
}

/** The deadlines of a case recomputed from their starts under one calendar. */
export interface CalendarBasis {
  dueAt: string;
  warnAt?: string;
  ackDueAt?: string;
  /** Which of them counted a day past the last loaded notice. */
  provisional: CalendarField[];
  /** Years without a notice that were counted on. */
  missing: number[];
  schedules: ScheduleRef[];
}

const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * How a case's deadlines were derived, replayed under a calendar: the level's (or the item type's
 * time limit's) period from `clockStart`, a review stage's period from its request, then each
 * extension granted since the last upgrade; the sign-for limit from the assignment. Returns
 * undefined when the derivation is not one of these (the case keeps its deadlines as they are).
 */
export function createCalendarBasis(pack: RulePack, calendar: Calendar, options: DeadlineOptions) {
  const opts: DeadlineOptions = { ...options, calendar };
  const notices = new Map(calendar.years.map((y) => [y.year, y.notice.number ?? y.notice.title] as const));
  return (c: CaseContext): CalendarBasis | undefined => {
    const from = c.clockStart;
    const review = c.reviews?.[c.reviews.length - 1];
    let due: Deadline;
    let warnAt: string | undefined;
    if (review !== undefined && review.at === from) {
      const stage = pack.lifecycle.reviews?.stages.find((s) => s.id === review.stage);
      if (stage === undefined) return undefined;
      due = computeDeadline(from, stage.deadline, opts);
    } else {
      const limit = c.timeLimit !== undefined ? pack.lifecycle.timeLimits?.find((x) => x.id === c.timeLimit) : undefined;
      const level = pack.levels.find((l) => l.id === c.level);
      if ((c.timeLimit !== undefined && limit === undefined) || level === undefined) return undefined;
      const period = limit ? limit.deadline : level.deadline;
      const warn = limit ? limit.warn : level.warn;
      due = computeDeadline(from, period, opts);
      if (warn) warnAt = computeWarnAt(from, due, warn, opts).warnAt;
    }
    // An assigned deadline that governs (Xiji's 四定 化解时限) stands until an upgrade sets a new period: a fixed day, no calendar.
    const ad = pack.lifecycle.assignment?.assignedDeadline;
    const assigned = c.assignment;
    if (ad?.governs && assigned?.deadline !== undefined && !c.escalations.some((x) => x.decision === "upgrade" && parseIsoDateTime(x.at) >= parseIsoDateTime(assigned.at))) {
      const ms = startOfLocalDay(parseLocalDate(assigned.deadline) + 1, pack.timezone);
      const { provisional: _provisional, ...fixed } = due;
      due = { ...fixed, dueAt: formatInstant(ms, pack.timezone), dueAtMs: ms, lastDay: assigned.deadline };
      warnAt = undefined;
    }
    // The extensions granted since the last upgrade (which set a new deadline), each from the due time before it.
    let extensions: number[] = [];
    const since = parseIsoDateTime(from);
    for (const x of c.escalations) {
      if (parseIsoDateTime(x.at) < since) continue;
      if (x.decision === "upgrade" || x.decision === "regrade") extensions = [];
      else if (x.decision === "extend" && x.days !== undefined) extensions.push(x.days);
    }
    for (const days of extensions) due = computeDeadline(new Date(due.dueAtMs - 1), { amount: days, unit: "calendar-days" }, opts);
    if (extensions.length) warnAt = undefined;
    const provisional: CalendarField[] = [];
    const missing = new Set<number>();
    const note = (field: CalendarField, d: Deadline) => {
      if (!d.provisional) return;
      provisional.push(field);
      for (const y of calendar.provisionalYears(parseLocalDate(d.startDay) + 1, parseLocalDate(d.lastDay))) missing.add(y);
    };
    note("dueAt", due);
    if (warnAt !== undefined && due.provisional) provisional.push("warnAt");
    const out: CalendarBasis = { dueAt: due.dueAt, provisional, missing: [], schedules: [] };
    if (warnAt !== undefined) out.warnAt = warnAt;
    let lastYear = yearOf(due.lastDay);
    if (c.ackDueAt !== undefined && c.assignment !== undefined && pack.lifecycle.acknowledge !== undefined) {
      const ack = computeDeadline(c.assignment.at, pack.lifecycle.acknowledge.deadline, opts);
      out.ackDueAt = ack.dueAt;
      note("ackDueAt", ack);
      lastYear = Math.max(lastYear, yearOf(ack.lastDay));
    }
    out.missing = [...missing].sort((a, b) => a - b);
    for (let y = yearOf(due.startDay); y <= lastYear; y++) {
      const n = notices.get(y);
      out.schedules.push(n !== undefined ? { year: y, notice: n } : { year: y, provisional: true });
    }
    return out;
  };
}

/** Does the basis describe the deadlines the context holds? */
export function sameDeadlines(c: CaseContext, b: CalendarBasis): boolean {
  return c.dueAt === b.dueAt && (c.warnAt === undefined || c.warnAt === b.warnAt) && (c.ackDueAt === undefined || c.ackDueAt === b.ackDueAt);
}

/** Sets (or clears) the provisional mark and the schedules record of a context, in place. */
export function markCalendar(c: CaseContext, b: CalendarBasis): void {
  c.schedules = b.schedules;
  const fields = b.provisional.filter((f) => c[f] !== undefined);
  if (fields.length) c.provisional = { fields, years: b.missing };
  else delete c.provisional;
}

/**
 * The context with its deadlines recomputed under the calendar of `basis` (a notice has been
 * loaded since they were counted), the provisional mark cleared or updated, and a history entry
 * in zh and en. The overdue and warned flags are left as they are: a case found overdue under the
 * provisional deadline stays so (the deciding body may extend it); a corrected deadline already
 * past makes the case overdue at this tick, like any deadline.
 */
export function recalendared(c: CaseContext, b: CalendarBasis, at: string, by: string | undefined, state: HistoryEntry["state"]): CaseContext {
  const next: CaseContext = { ...c, lastAt: at };
  const years = c.provisional?.years ?? [];
  const loaded = years.filter((y) => !b.missing.includes(y));
  const I = (x: string) => storeInstant(c.receivedAt, x);
  const was: NonNullable<HistoryParams["was"]> = {};
  const now: NonNullable<HistoryParams["now"]> = {};
  if (b.dueAt !== c.dueAt) {
    was.dueAt = I(c.dueAt);
    now.dueAt = I(b.dueAt);
  }
  next.dueAt = b.dueAt;
  if (c.warnAt !== undefined) {
    if (b.warnAt !== undefined && b.warnAt !== c.warnAt) {
      was.warnAt = I(c.warnAt);
      now.warnAt = I(b.warnAt);
    }
    if (b.warnAt !== undefined) next.warnAt = b.warnAt;
  }
  if (c.ackDueAt !== undefined && b.ackDueAt !== undefined) {
    if (b.ackDueAt !== c.ackDueAt) {
      was.ackDueAt = I(c.ackDueAt);
      now.ackDueAt = I(b.ackDueAt);
    }
    next.ackDueAt = b.ackDueAt;
  }
  markCalendar(next, b);
  const params: HistoryParams = { years: loaded.length ? loaded : years };
  if (was.dueAt !== undefined || was.warnAt !== undefined || was.ackDueAt !== undefined) {
    params.was = was;
    params.now = now;
  } else params.due = I(b.dueAt);
  if (next.provisional) params.missing = b.missing;
  if (c.overdue) params.overdue = true;
  const h = storedEntry(c.history, c.receivedAt, "recalendar", at, state, c.level, by, undefined, undefined, params);
  next.history = [...c.history, h];
  return next;
}
