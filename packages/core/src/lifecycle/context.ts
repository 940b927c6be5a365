/** The data of a case: its states and the context its snapshot carries (plain JSON). */
import type { Text } from "../errors/index.js";
import type { GradeReason } from "../grading/grade.js";
import type { AssignEvent, CaseEvent } from "./events.js";
import type { CaseRoute } from "../routing/route.js";

export type { CaseRoute };

/** The states of a case. `escalation-pending`: overdue (or applied for), waiting for the deciding body. */
export type CaseState = "graded" | "assigned" | "resolving" | "escalation-pending" | "resolved" | "closed";
export const OPEN_STATES: readonly CaseState[] = ["graded", "assigned", "resolving", "escalation-pending"];

/** One entry of a case's append-only history. */
export interface HistoryEntry {
  seq: number;
  type: CaseEvent["type"] | "overdue" | "warned" | "reported" | "ackOverdue";
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
  history: HistoryEntry[];
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
