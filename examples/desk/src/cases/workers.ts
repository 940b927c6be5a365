import { isJicengError, type CaseSnapshot } from "@jiceng/core";
import { sql } from "kysely";
import { hostname } from "node:os";
import { auditRows, engineFor, iso, sealAudit, type Desk } from "../context.js";
import { derivedColumns } from "./view.js";

export interface SweepStats {
  claimed: number;
  ticked: number;
  unchanged: number;
  skipped: number;
}

/** Who a sweep worker is, as the actor of its tick events: `system:sweep@<host>/<pid>`. */
export const SWEEP_WORKER = `system:sweep@${hostname()}/${process.pid}`;

/**
 * One sweep round for one county: claim up to `batch` cases whose next_tick_at has come, with
 * FOR UPDATE SKIP LOCKED (another worker, or a user event, holds the rest), tick each at the
 * database clock, and write the whole batch in one statement: the cases core changed (snapshot,
 * version, columns; one UPDATE … FROM unnest), their tick events (actor: the worker), their outbox
 * rows and one audit entry naming every case and version it ticked; the cases core left as they
 * were get only their next_tick_at recomputed. A tick core refuses (a user event got there first
 * with a later time) is left for the next round. Round trips per batch: BEGIN, claim, write, COMMIT.
 */
export async function sweepCounty(desk: Desk, county: string, batch = 500, options: { worker?: string } = {}): Promise<SweepStats> {
  const worker = options.worker ?? SWEEP_WORKER;
  return desk.store.db.transaction().execute(async (trx) => {
    const rows = (
      await sql<{ now: Date; case_id: string; pack_id: string; pack_version: string; snapshot: CaseSnapshot; version: number; number: string; unit_id: string }>`/* desk:sweep_claim */
        select now() as now, case_id, pack_id, pack_version, snapshot, version, number, unit_id from cases
        where county_code = ${county} and next_tick_at <= now()
        order by next_tick_at limit ${batch}::int
        for update skip locked`.execute(trx)
    ).rows;
    const stats: SweepStats = { claimed: rows.length, ticked: 0, unchanged: 0, skipped: 0 };
    if (rows.length === 0) return stats;
    const now = new Date(rows[0]!.now);
    // The batch goes to the database as one JSON document (json_to_recordset): no per-element
    // array escaping, one parse on the server.
    const changed: Array<Record<string, unknown>> = [];
    const same: Array<{ case_id: string; next_tick_at: string | null }> = [];
    const outbox: Array<{ case_id: string; kind: string; payload: unknown }> = [];
    for (const r of rows) {
      const engine = await engineFor(desk, trx, r.pack_id, r.pack_version);
      const at = iso(now, engine.pack.timezone);
      let snap: CaseSnapshot;
      let next: CaseSnapshot;
      try {
        // A row of an older snapshot format is read as this engine's (migrated on read): written
        // back in the new format with the case's next change, not for the migration alone.
        snap = engine.restore(r.snapshot);
        next = engine.transition(snap, { type: "tick", at });
      } catch (err) {
        if (!isJicengError(err)) throw err;
        stats.skipped++;
        continue;
      }
      if (next === snap) {
        // Nothing crossed: only the stored instant was stale (e.g. a pack's timers moved on).
        const nt = engine.nextTickAt(snap);
        same.push({ case_id: r.case_id, next_tick_at: nt !== null && Date.parse(nt) > now.getTime() ? nt : null });
        stats.unchanged++;
        continue;
      }
      changed.push({ case_id: r.case_id, ...derivedColumns(engine, next), snapshot: next, version: r.version + 1, event: { type: "tick", at } });
      const last = engine.history(next).at(-1);
      if (last) outbox.push({ case_id: r.case_id, kind: last.type, payload: { unitId: r.unit_id, message: { zh: `案件 ${r.number}：${last.summary.zh}`, en: `Case ${r.number}: ${last.summary.en}` } } });
      stats.ticked++;
    }
    const entries = changed.length ? [{ at: now, actor: worker, action: "event" as const, detail: { type: "tick", cases: changed.map((c) => [c["case_id"], c["version"]]) } }] : [];
    await sql`/* desk:sweep_write */ with v as (
        select * from json_to_recordset(${JSON.stringify(changed)}::json)
          as t(case_id uuid, state text, status text, level text, rank int, due_at timestamptz, warn_at timestamptz, next_tick_at timestamptz, last_event_at timestamptz,
               overdue boolean, awaiting_decision boolean, to_sign_for boolean, to_follow_up boolean, snapshot jsonb, version int, event jsonb)
      ), u as (
        update cases c set state = v.state, status = v.status, level = v.level, rank = v.rank, due_at = v.due_at, warn_at = v.warn_at, next_tick_at = v.next_tick_at,
          last_event_at = v.last_event_at, overdue = v.overdue, awaiting_decision = v.awaiting_decision, to_sign_for = v.to_sign_for, to_follow_up = v.to_follow_up,
          snapshot = v.snapshot, version = v.version
        from v where c.county_code = ${county} and c.case_id = v.case_id
        returning c.case_id
      ), s as (
        update cases c set next_tick_at = t.next_tick_at
        from json_to_recordset(${JSON.stringify(same)}::json) as t(case_id uuid, next_tick_at timestamptz)
        where c.county_code = ${county} and c.case_id = t.case_id
      ), e as (
        insert into case_events (county_code, case_id, seq, type, event, actor, request_id)
        select ${county}, v.case_id, v.version, 'tick', v.event, ${worker}, 'sweep' from v
      ), o as (
        insert into outbox (county_code, case_id, kind, payload)
        select ${county}, t.case_id, t.kind, t.payload from json_to_recordset(${JSON.stringify(outbox)}::json) as t(case_id uuid, kind text, payload jsonb)
      ), ${auditRows(county, entries)}
      select count(*)::int as n from u`.execute(trx);
    return stats;
  });
}

/** Sweeps every county until no due case is left (or `maxRounds`). */
export async function sweepAll(desk: Desk, options: { batch?: number; maxRounds?: number; worker?: string } = {}): Promise<SweepStats> {
  const total: SweepStats = { claimed: 0, ticked: 0, unchanged: 0, skipped: 0 };
  const counties = (await desk.store.db.selectFrom("counties").select("county_code").execute()).map((r) => r.county_code);
  for (const county of counties) {
    for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
      const s = await sweepCounty(desk, county, options.batch, options.worker ? { worker: options.worker } : {});
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

/** Seals every county's committed audit entries (see sealAudit); returns how many. */
export async function sealAll(desk: Desk): Promise<number> {
  const counties = (await desk.store.db.selectFrom("counties").select("county_code").execute()).map((r) => r.county_code);
  let n = 0;
  for (const c of counties) n += await sealAudit(desk.store.db, c);
  return n;
}

/**
 * Runs the sweep and the outbox on a timer in this process (PGlite mode, or each PostgreSQL desk),
 * and the audit sealer on a shorter one (`sealMs`, default 1 s: how long an entry may wait unchained).
 */
export function startWorkers(desk: Desk, options: { intervalMs?: number; sealMs?: number; onError?: (err: unknown) => void } = {}) {
  let running = false;
  let sealing = false;
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
  const seal = async () => {
    if (sealing || stopped) return;
    sealing = true;
    try {
      await sealAll(desk);
    } catch (err) {
      options.onError?.(err);
    } finally {
      sealing = false;
    }
  };
  const timer = setInterval(round, options.intervalMs ?? 30_000);
  const sealTimer = setInterval(seal, options.sealMs ?? 1_000);
  timer.unref();
  sealTimer.unref();
  void round();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(sealTimer);
      while (running || sealing) await new Promise((r) => setTimeout(r, 20));
      await sealAll(desk).catch(() => {});
    },
  };
}
