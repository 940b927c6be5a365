import { stageOf, type CaseSnapshot, type Engine } from "@jiceng/core";
import type { Selectable } from "kysely";
import { EVENT_ROLES, hasRole, type Principal } from "../auth/index.js";
import { isoOrNull } from "../context.js";
import type { CaseRow } from "../db/types.js";

export type CaseRecord = Omit<Selectable<CaseRow>, "snapshot"> & { snapshot: unknown };

/** The columns a snapshot decides (state, level, times, queue flags). */
export function derivedColumns(engine: Engine, snap: CaseSnapshot) {
  const c = snap.context;
  return {
    state: snap.state,
    status: engine.status(snap).key,
    level: c.level,
    rank: c.rank,
    due_at: c.dueAt ?? null,
    warn_at: c.warnAt ?? null,
    next_tick_at: engine.nextTickAt(snap),
    last_event_at: c.lastAt,
    overdue: c.overdue === true,
    awaiting_decision: snap.state === "escalation-pending" || c.reportPending !== undefined,
    to_sign_for: snap.state === "assigned",
    to_follow_up: snap.state === "resolved",
  };
}

/** Red / yellow / green on the official calendar at `now`; null once resolved or closed. */
export function light(row: Pick<CaseRecord, "state" | "due_at" | "warn_at" | "overdue">, now: Date): "red" | "yellow" | "green" | null {
  if (row.state === "resolved" || row.state === "closed") return null;
  const t = now.getTime();
  if (row.overdue || (row.due_at && t >= new Date(row.due_at).getTime())) return "red";
  if (row.warn_at && t >= new Date(row.warn_at).getTime()) return "yellow";
  return "green";
}

/** A case as lists show it. */
export function caseSummary(engine: Engine, row: CaseRecord, now: Date) {
  const tz = engine.pack.timezone;
  const lv = engine.pack.levels.find((l) => l.id === row.level);
  const snap = row.snapshot as CaseSnapshot;
  return {
    id: row.case_id,
    number: row.number,
    packId: row.pack_id,
    packVersion: row.pack_version,
    channel: row.channel,
    title: row.title,
    state: row.state,
    stage: snap ? stageLabel(engine, snap) : null,
    status: row.status,
    level: { id: row.level, label: lv?.label ?? { zh: row.level, en: row.level }, colour: lv?.colour ?? null },
    light: light(row, now),
    unitId: row.unit_id,
    intakeUnitId: row.intake_unit_id,
    receivedAt: isoOrNull(row.received_at, tz),
    dueAt: isoOrNull(row.due_at, tz),
    warnAt: isoOrNull(row.warn_at, tz),
    nextTickAt: isoOrNull(row.next_tick_at, tz),
    lastEventAt: isoOrNull(row.last_event_at, tz),
    overdue: row.overdue,
    awaitingDecision: row.awaiting_decision,
    toSignFor: row.to_sign_for,
    toFollowUp: row.to_follow_up,
    // Deadlines counted on the provisional calendar (a holiday notice not loaded yet): the pages mark them.
    provisional: snap?.context.provisional !== undefined,
    version: row.version,
  };
}

/** The pack's name of the case's state, else core's (one per state, unlike the status labels). */
function stageLabel(engine: Engine, snap: CaseSnapshot) {
  return stageOf(engine.pack, snap);
}

/** A case as its page shows it: the summary, snapshot, timeline, reasons and the events this user may apply now. */
export function caseDetail(engine: Engine, row: CaseRecord, now: Date, p: Principal) {
  const snap = row.snapshot as CaseSnapshot;
  // What the case accepts now (e.g. 整改 only once overdue); never before its last change.
  const at = Math.max(now.getTime(), Date.parse(snap.context.lastAt));
  const allowed = engine.allowedEvents(snap, isoOrNull(new Date(at), engine.pack.timezone)!).filter((e) => hasRole(p, EVENT_ROLES[e.type] ?? []));
  // The history as a user reads it, rendered by core from the stored codes (formats 2 and 3) or as a format 1 row stored it.
  const timeline = engine.history(snap);
  return {
    ...caseSummary(engine, row, now),
    reasons: timeline[0]?.reasons ?? [],
    timeline,
    allowedEvents: allowed,
    listRow: engine.listRow(snap),
    snapshot: snap,
  };
}
