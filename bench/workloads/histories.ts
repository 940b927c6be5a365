// Realistic case histories for the Guyuan pack (~10 events each): intake, assignment, progress,
// the warning tick, the overdue tick, an application and the branch's decision (or, for a red case,
// the township's report decision), more progress, resolution, a return visit, closing. Built
// step by step with the engine so every tick lands after the warning or the deadline it is for.
import type { CaseEvent, CaseSnapshot, Engine, IntakeEvent } from "@jiceng/core";
import { rng } from "../lib/harness.js";
import { guyuanCases } from "./guyuan-data.js";

const HOUR = 3_600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** ISO 8601 in +08:00. */
export function iso8(ms: number): string {
  const d = new Date(ms + 8 * HOUR);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

export interface History {
  events: CaseEvent[];
  /** The snapshot after each event (index 0: after intake). */
  snapshots: CaseSnapshot[];
}

export function guyuanHistories(engine: Engine, count: number, seed = 11): History[] {
  const r = rng(seed);
  const facts = guyuanCases(count, seed);
  const out: History[] = [];
  const lo = Date.parse("2021-01-04T00:00:00+08:00");
  const span = Date.parse("2025-06-30T00:00:00+08:00") - lo;
  for (let h = 0; h < count; h++) {
    let t = lo + Math.floor((r() * span) / 60_000) * 60_000;
    const f = { ...facts[h]!, receivedAt: iso8(t) };
    const intake: IntakeEvent = { type: "intake", at: iso8(t), by: "综治中心", facts: f, seq: 1 + (h % 99) };
    let snap = engine.start(intake);
    const events: CaseEvent[] = [intake];
    const snapshots: CaseSnapshot[] = [snap];
    const step = (e: CaseEvent) => {
      snap = engine.transition(snap, e);
      events.push(e);
      snapshots.push(snap);
    };
    const at = (ms: number) => {
      t = Math.max(t + 60_000, ms);
      return iso8(t);
    };
    step({ type: "assign", at: at(t + 2 * HOUR), by: "功能型党支部", leadUnit: "司法所", responsibleUnit: "司法所", responsiblePerson: `李${h % 50}`, deadline: iso8(Date.parse(snap.context.dueAt) - HOUR).slice(0, 10), measures: "上门调解" });
    step({ type: "progress", at: at(t + 20 * HOUR), by: "司法所", note: "第一次调解" });
    if (snap.context.warnAt !== undefined && Date.parse(snap.context.warnAt) > t) step({ type: "tick", at: at(Date.parse(snap.context.warnAt) + HOUR) });
    step({ type: "tick", at: at(Date.parse(snap.context.dueAt) + HOUR) });
    if (snap.state === "escalation-pending") {
      step({ type: "requestEscalation", at: at(t + 2 * HOUR), by: "司法所", reason: "时限内不能化解" });
      const x = r();
      const decision = x < 0.6 ? "upgrade" : x < 0.8 ? "extend" : "reject";
      step({ type: "decideEscalation", at: at(t + 20 * HOUR), by: "功能型党支部", decision, ...(decision === "extend" ? { days: 5 } : {}) });
    } else if (snap.context.reportPending !== undefined) {
      step({ type: "decideReport", at: at(t + 20 * HOUR), by: "乡镇党委", report: r() < 0.5 });
    }
    step({ type: "progress", at: at(t + 30 * HOUR), by: "司法所", note: "第二次调解" });
    step({ type: "resolve", at: at(t + 40 * HOUR), by: "司法所", note: "达成调解协议" });
    if (r() < 0.7) step({ type: "followUp", at: at(t + 7 * 24 * HOUR), by: "司法所", agreementKept: r() < 0.9 });
    step({ type: "close", at: at(t + 8 * 24 * HOUR), by: "功能型党支部" });
    out.push({ events, snapshots });
  }
  return out;
}
