/** The data of a case: its states and the context its snapshot carries (plain JSON). */
import type { Text } from "../errors/index.js";
import type { GradeReason } from "../grading/grade.js";
import type { AssignEvent } from "./events.js";
import type { CaseRoute } from "../routing/route.js";

export type { CaseRoute };

/** The states of a case. `escalation-pending`: overdue (or applied for), waiting for the deciding body. */
export type CaseState = "graded" | "assigned" | "resolving" | "escalation-pending" | "resolved" | "closed";
export const OPEN_STATES: readonly CaseState[] = ["graded", "assigned", "resolving", "escalation-pending"];

/** An instant in a stored history: whole seconds after the case's `receivedAt` (written in its offset), or the ISO string as given. */
export type StoredInstant = number | string;

/** What a history entry records: an event, or what a tick did. */
export type HistoryType =
  | "intake" | "assign" | "acknowledge" | "update" | "requestEscalation" | "decideEscalation" | "decideReport" | "progress" | "resolve" | "followUp" | "close" | "tick" | "recalendar"
  | "rectify" | "strikeOff" | "verify" | "evaluate" | "return" | "selfClose" | "requestReview" | "supervise"
  | "overdue" | "warned" | "reported" | "ackOverdue";

/** The parameters of an entry's sentence, by entry type (all optional in the type; the snapshot check holds each type to its own). */
export interface HistoryParams {
  /** A time limit the sentence names (intake, warned, overdue, ackOverdue, upgrade, extension, review, unchanged recalendar). */
  due?: StoredInstant;
  /** The level before (regrade, upgrade). */
  from?: string;
  /** Days of an extension. */
  days?: number;
  /** The unit an assignment went to (its lead unit, else its responsible unit). */
  unit?: string;
  /** An assigned time limit (YYYY-MM-DD) that governs, and the instant it ends. */
  deadline?: string;
  end?: StoredInstant;
  /** A report-chain body (reported, decideReport) and the body that decided (decideReport). */
  body?: string;
  decider?: string;
  /** The number of a rectification record or of a supervision. */
  n?: number;
  /** A rectification that needs a higher level to coordinate. */
  coordinate?: true;
  /** The rectification records struck off. */
  items?: number[];
  /** A return visit that found the agreement not kept. */
  agreementKept?: false;
  /** The role that closed an item on the spot. */
  role?: string;
  /** The unit an item was returned by. */
  returnedBy?: string;
  /** A review stage. */
  stage?: string;
  /** recalendar: the years whose schedules were used, the deadlines before and after, the years still missing, and whether it was already overdue. */
  years?: number[];
  was?: { dueAt?: StoredInstant; warnAt?: StoredInstant; ackDueAt?: StoredInstant };
  now?: { dueAt?: StoredInstant; warnAt?: StoredInstant; ackDueAt?: StoredInstant };
  missing?: number[];
  overdue?: true;
}

/**
 * One entry of a case's append-only history, as the snapshot stores it (format 3). `state` and
 * `level` are the case's after the entry, stored only where they change (and on every 32nd entry,
 * the first included); read them, with the sentence, through `engine.history`. Format 2 stored
 * both on every entry.
 */
export interface StoredHistoryEntry extends HistoryParams {
  type: HistoryType;
  at: StoredInstant;
  /** The case's state after the entry, when it differs from the entry before's (or at an anchor). */
  state?: CaseState;
  /** The case's level after the entry, when it differs from the entry before's (or at an anchor). */
  level?: string;
  by?: string;
  note?: string;
  decision?: string;
  /** Grading reasons without what the pack says of each rule (rendered back from the pack). */
  reasons?: GradeReason[];
  /** Grading reasons as recorded, when the pack does not give the left-out parts back exactly (a migrated snapshot of another pack version). */
  recordedReasons?: GradeReason[];
  /** The sentence as recorded, for a migrated entry whose sentence the pack does not render back exactly. */
  summary?: Text;
}

/** One entry of a case's history as a user reads it: what format 1 stored, rendered from the stored entry. */
export interface HistoryEntry {
  seq: number;
  type: HistoryType;
  at: string;
  by?: string;
  state: CaseState;
  level: string;
  summary: Text;
  decision?: string;
  note?: string;
  reasons?: GradeReason[];
}

export interface EscalationRecord {
  at: string;
  decision: "upgrade" | "extend" | "reject" | "regrade";
  by: string;
  from: string;
  to: string;
  reason?: string;
  days?: number;
}

export interface ReportRecord {
  body: string;
  label: Text;
  at: string;
  by?: string;
}

export type Assignment = Omit<AssignEvent, "type" | "at" | "by"> & {
  at: string;
  by?: string;
  /** The assigned deadline is later than the level's (or item type's) limit, accepted and flagged (`assignedDeadline.beyondLimit: "flag"`). */
  beyondLimit?: { limit: string };
};

/** A wrongly routed item sent back (退回), with the reason. */
export interface ReturnRecord {
  at: string;
  by?: string;
  from?: string;
  reason: string;
}

/** One entry of the rectification list (整改清单) for an overdue item, and its strike-off (销号). */
export interface RectificationRecord {
  n: number;
  at: string;
  by?: string;
  reason?: string;
  difficulty?: string;
  needsCoordination?: boolean;
  measures?: string;
  struckOffAt?: string;
  struckOffBy?: string;
  note?: string;
}

/** A review (复查 / 复核) requested after the reply. */
export interface ReviewRecord {
  stage: string;
  at: string;
  by?: string;
  reason: string;
  /** When the previous level had resolved it (the reply the petitioner did not accept). */
  previousResolvedAt?: string;
}

/** One supervision record (督办): who checked on the item being handled, when, and what they found or asked. */
export interface SupervisionRecord {
  at: string;
  by?: string;
  note?: string;
}

/** Everything a case knows. Plain JSON. */
export interface CaseContext {
  id?: string;
  number?: string;
  facts: Record<string, unknown>;
  level: string;
  rank: number;
  receivedAt: string;
  /** When the current period started (intake, or an upgrade that restarts the clock). */
  clockStart: string;
  dueAt: string;
  warnAt?: string;
  warned: boolean;
  overdue: boolean;
  assignment?: Assignment;
  acknowledgedAt?: string;
  escalation?: { phase: "awaiting-request" | "awaiting-decision"; requestedAt?: string; reason?: string };
  escalations: EscalationRecord[];
  reportedTo: ReportRecord[];
  /** Index in the report chain of the body whose decision is awaited (the previous body decides). */
  reportPending?: number;
  resolvedAt?: string;
  followUps: Array<{ at: string; by?: string; agreementKept?: boolean; note?: string }>;
  closedAt?: string;
  lastAt: string;
  /** The history as stored (format 3: codes and parameters, state and level where they change); read it with `engine.history`. */
  history: StoredHistoryEntry[];
  /** Sign-for deadline (签收 / 部门报到), set on assignment when the pack has an acknowledgement stage. */
  ackDueAt?: string;
  /** The sign-for deadline passed before the item was signed for. */
  ackOverdue?: boolean;
  /** Who took the item in and stays responsible for it (首问责任制). */
  firstReceiver?: string;
  route?: CaseRoute;
  /** The pack's time limit by item type that set `dueAt`, if any (e.g. petitions). */
  timeLimit?: string;
  returns?: ReturnRecord[];
  rectifications?: RectificationRecord[];
  verifications?: Array<{ at: string; by?: string; passed: boolean; note?: string }>;
  verifiedAt?: string;
  evaluation?: { at: string; by?: string; rating: string; note?: string };
  /** Checklists confirmed (e.g. 五不放过), with the items. */
  confirmed?: Array<{ checklist: string; before: "resolve" | "close"; at: string; by?: string; items: string[] }>;
  reviews?: ReviewRecord[];
  /** Supervision records (督办, `lifecycle.supervision`), oldest first. */
  supervisions?: SupervisionRecord[];
  selfClosed?: { role: string; by?: string };
  /** The holiday schedules (year + notice) the deadlines were counted with; provisional years marked. */
  schedules?: Array<{ year: number; notice?: string; provisional?: true }>;
  /** Deadlines counted past the last loaded notice (which fields, which years lack one): corrected at the next tick once loaded. */
  provisional?: { fields: Array<"dueAt" | "warnAt" | "ackDueAt">; years: number[] };
}
