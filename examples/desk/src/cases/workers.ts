import { isJicengError, type CaseSnapshot } from "@jiceng/core";
import { sql } from "kysely";
import { engineFor, iso, type Desk } from "../context.js";
import { derivedColumns } from "./view.js";

export interface SweepStats {
  claimed: number;
  ticked: number;
  unchanged: number;
  skipped: number;
}

/**
 * One sweep round for one county: claim up to `batch` cases whose next_tick_at has come, with
 * FOR UPDATE SKIP LOCKED (another worker, or a user event, holds the rest), tick each at the
 * database clock, write only the cases core changed, and recompute next_tick_at. A tick core
 * refuses (a user event got there first with a later time) is left for the next round.
 */
export async function sweepCounty(desk: Desk, county: string, batch = 200): Promise<SweepStats> {
  return desk.store.db.transaction().execute(async (trx) => {
    const now = new Date((await sql<{ now: Date }>`select now() as now`.execute(trx)).rows[0]!.now);
    const rows = await trx
      .selectFrom("cases")
      .select(["case_id", "pack_id", "pack_version", "snapshot", "version", "number", "unit_id"])
      .where("county_code", "=", county)
      .where("next_tick_at", "<=", now)
      .orderBy("next_tick_at")
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    const stats: SweepStats = { claimed: rows.length, ticked: 0, unchanged: 0, skipped: 0 };
    const events: Array<{ county_code: string; case_id: string; seq: number; type: string; event: string; actor: string; request_id: string }> = [];
    for (const r of rows) {
      const engine = await engineFor(desk, trx, r.pack_id, r.pack_version);
      const snap = r.snapshot as CaseSnapshot;
      const at = iso(now, engine.pack.timezone);
      let next: CaseSnapshot;
      try {
        next = engine.transition(snap, { type: "tick", at });
      } catch (err) {
        if (!isJicengError(err)) throw err;
        stats.skipped++;
        continue;
      }
      if (next === snap) {
        // Nothing crossed: only the stored instant was stale (e.g. a pack's timers moved on).
        const nt = engine.nextTickAt(snap);
        await trx.updateTable("cases").set({ next_tick_at: nt !== null && Date.parse(nt) > now.getTime() ? nt : null }).where("county_code", "=", county).where("case_id", "=", r.case_id).execute();
        stats.unchanged++;
        continue;
      }
      const version = r.version + 1;
      await trx.updateTable("cases").set({ ...derivedColumns(engine, next), snapshot: JSON.stringify(next), version }).where("county_code", "=", county).where("case_id", "=", r.case_id).execute();
      events.push({ county_code: county, case_id: r.case_id, seq: version, type: "tick", event: JSON.stringify({ type: "tick", at }), actor: "system:sweep", request_id: "sweep" });
      const last = next.context.history.at(-1);
      if (last) {
        await trx.insertInto("outbox").values({ county_code: county, case_id: r.case_id, kind: last.type, payload: JSON.stringify({ unitId: r.unit_id, message: { zh: `案件 ${r.number}：${last.summary.zh}`, en: `Case ${r.number}: ${last.summary.en}` } }) }).execute();
      }
      stats.ticked++;
    }
    if (events.length) await trx.insertInto("case_events").values(events).execute();
    return stats;
  });
}

/** Sweeps every county until no due case is left (or `maxRounds`). */
export async function sweepAll(desk: Desk, options: { batch?: number; maxRounds?: number } = {}): Promise<SweepStats> {
  const total: SweepStats = { claimed: 0, ticked: 0, unchanged: 0, skipped: 0 };
  const counties = (await desk.store.db.selectFrom("counties").select("county_code").execute()).map((r) => r.county_code);
  for (const county of counties) {
    for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
      const s = await sweepCounty(desk, county, options.batch);
      total.claimed += s.claimed;
      total.ticked += s.ticked;
      total.unchanged += s.unchanged;
      total.skipped += s.skipped;
      if (s.claimed === 0 || s.ticked + s.unchanged === 0) break;
    }
  }
  return total;
}

/** How a message leaves the desk. In-app now; SMS, government IM and 12345 are seams (see README). */
export interface Deliverer {
  deliver(message: { county: string; outboxId: number; caseId: string | null; kind: string; payload: any }, db: Parameters<typeof engineFor>[1]): Promise<void>;
}

export const inApp: Deliverer = {
  async deliver(m, db) {
    const unitId = typeof m.payload?.unitId === "string" ? m.payload.unitId : undefined;
    if (!unitId) throw new Error("no unitId in payload");
    await db
      .insertInto("notifications")
      .values({ county_code: m.county, unit_id: unitId, case_id: m.caseId, outbox_id: m.outboxId, message: JSON.stringify(m.payload.message ?? {}) })
      .onConflict((oc) => oc.columns(["county_code", "outbox_id"]).doNothing())
      .execute();
  },
};

/** One outbox round for a county: deliver with back-off (2^attempts s, at most an hour), FOR UPDATE SKIP LOCKED. */
export async function deliverOutbox(desk: Desk, county: string, deliverers: Record<string, Deliverer> = { "in-app": inApp }, batch = 200) {
  return desk.store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("outbox")
      .selectAll()
      .where("county_code", "=", county)
      .where("delivered_at", "is", null)
      .where("available_at", "<=", sql<Date>`now()`)
      .orderBy("id")
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .execute();
    let delivered = 0;
    let failed = 0;
    for (const r of rows) {
      const d = deliverers[r.channel];
      await sql`savepoint deliver`.execute(trx);
      try {
        if (!d) throw new Error(`no deliverer for channel ${r.channel}`);
        await d.deliver({ county, outboxId: Number(r.id), caseId: r.case_id, kind: r.kind, payload: r.payload }, trx);
        await sql`release savepoint deliver`.execute(trx);
        await trx.updateTable("outbox").set({ delivered_at: sql<Date>`now()`, attempts: r.attempts + 1, last_error: null }).where("county_code", "=", county).where("id", "=", r.id).execute();
        delivered++;
      } catch (err) {
        await sql`rollback to savepoint deliver`.execute(trx);
        const backoff = Math.min(2 ** r.attempts, 3600);
        await trx
          .updateTable("outbox")
          .set({ attempts: r.attempts + 1, last_error: String((err as Error).message ?? err).slice(0, 500), available_at: sql<Date>`now() + make_interval(secs => ${backoff})` })
          .where("county_code", "=", county)
          .where("id", "=", r.id)
          .execute();
        failed++;
      }
    }
    return { claimed: rows.length, delivered, failed };
  });
}

/** Runs the sweep and the outbox on a timer in this process (PGlite mode, or each PostgreSQL desk). */
export function startWorkers(desk: Desk, options: { intervalMs?: number; onError?: (err: unknown) => void } = {}) {
  let running = false;
  let stopped = false;
  const round = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await sweepAll(desk, { maxRounds: 10 });
      const counties = (await desk.store.db.selectFrom("counties").select("county_code").execute()).map((r) => r.county_code);
      for (const c of counties) await deliverOutbox(desk, c);
    } catch (err) {
      options.onError?.(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(round, options.intervalMs ?? 30_000);
  timer.unref();
  void round();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
