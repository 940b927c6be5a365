import { createHash } from "node:crypto";
import { createEngine, loadPack, formatInstant, isJicengError, parseInstant, type Engine, type JicengIssue } from "@jiceng/core";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Store } from "./db/store.js";
import type { DB } from "./db/types.js";

/** An error the HTTP layer turns into a response: status + issues in core's shape. */
export class DeskError extends Error {
  constructor(readonly status: number, readonly issues: readonly JicengIssue[], readonly headers: Record<string, string> = {}, readonly extra: Record<string, unknown> = {}) {
    super(issues.map((i) => i.message.en).join("; "));
  }
}
export const deskIssue = (code: string, path: Array<string | number>, zh: string, en: string): JicengIssue =>
  ({ code, path, message: { zh, en }, severity: "error" }) as JicengIssue;
export const fail = (status: number, code: string, path: Array<string | number>, zh: string, en: string): never => {
  throw new DeskError(status, [deskIssue(code, path, zh, en)]);
};

/** A county's organisation tree as the desk caches it: unit id → path and parent. */
export interface UnitTree {
  units: Map<string, { path: string; parentId: string | null }>;
  loadedAt: number;
}

/**
 * The desk: a store, the engines of the pack versions it has met (compiled once each), and two
 * short-lived caches that take round trips off every request: signed-in principals by token hash
 * (`authCacheMs`, default 5 s: a role change or sign-out elsewhere reaches this process within it;
 * in this process at once) and each county's unit tree (`unitCacheMs`, default 60 s).
 */
export interface Desk {
  store: Store;
  engines: Map<string, Engine>;
  principals: Map<string, { principal: unknown; expires: number; fetched: number }>;
  unitTrees: Map<string, UnitTree>;
  authCacheMs: number;
  unitCacheMs: number;
}

export type Tx = Transaction<DB> | Kysely<DB>;

export function createDesk(store: Store, options: { authCacheMs?: number; unitCacheMs?: number } = {}): Desk {
  return {
    store,
    engines: new Map(),
    principals: new Map(),
    unitTrees: new Map(),
    authCacheMs: options.authCacheMs ?? Number(process.env["DESK_AUTH_CACHE_MS"] ?? 5_000),
    unitCacheMs: options.unitCacheMs ?? Number(process.env["DESK_UNIT_CACHE_MS"] ?? 60_000),
  };
}

/** A county's unit tree, from the cache while it is fresh. */
export async function unitTree(desk: Desk, county: string, db: Tx = desk.store.db): Promise<UnitTree> {
  const hit = desk.unitTrees.get(county);
  if (hit && performance.now() - hit.loadedAt < desk.unitCacheMs) return hit;
  const rows = await db.selectFrom("units").select(["unit_id", "path", "parent_id"]).where("county_code", "=", county).execute();
  const tree: UnitTree = { units: new Map(rows.map((r) => [r.unit_id, { path: r.path, parentId: r.parent_id }])), loadedAt: performance.now() };
  desk.unitTrees.set(county, tree);
  return tree;
}

/** The engine of one stored pack version (compiled once, then cached). Cases keep their version. */
export async function engineFor(desk: Desk, db: Tx, packId: string, version: string): Promise<Engine> {
  const key = `${packId}@${version}`;
  const hit = desk.engines.get(key);
  if (hit) return hit;
  const row = await db.selectFrom("packs").select(["content"]).where("pack_id", "=", packId).where("version", "=", version).executeTakeFirst();
  if (!row) fail(404, "UNKNOWN_PACK", ["packId"], `规则包 ${key} 不存在`, `Pack ${key} does not exist`);
  const engine = createEngine(loadPack(row!.content));
  desk.engines.set(key, engine);
  return engine;
}

/** The pack version a county uses at an instant (its binding), or a 422 when it has none. */
export async function boundVersion(db: Tx, county: string, packId: string, at: Date): Promise<string> {
  const row = await db
    .selectFrom("pack_bindings")
    .select("version")
    .where("county_code", "=", county)
    .where("pack_id", "=", packId)
    .where("valid_from", "<=", at)
    .orderBy("valid_from", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) fail(422, "PACK_NOT_BOUND", ["packId"], `本县（区）未启用规则包 ${packId}`, `This county has no binding for pack ${packId}`);
  return row!.version;
}

/** The database clock and the pack version a county uses now, in one round trip (422 without a binding). */
export async function clockAndBinding(db: Tx, county: string, packId: string): Promise<{ now: Date; version: string }> {
  const r = (
    await sql<{ now: Date; version: string | null }>`/* desk:clock_binding */ select now() as now,
      (select version from pack_bindings where county_code = ${county} and pack_id = ${packId} and valid_from <= now() order by valid_from desc limit 1) as version`.execute(db)
  ).rows[0]!;
  if (r.version === null) fail(422, "PACK_NOT_BOUND", ["packId"], `本县（区）未启用规则包 ${packId}`, `This county has no binding for pack ${packId}`);
  return { now: new Date(r.now), version: r.version! };
}

/** The database clock: the transaction's start instant. Every server-stamped time comes from here. */
export async function dbNow(db: Tx): Promise<Date> {
  const r = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(r.rows[0]!.now);
}

/** An instant as ISO 8601 in a zone (the pack's), e.g. 2026-12-06T13:05:00+08:00. */
export const iso = (d: Date | string | number, tz = "Asia/Shanghai"): string => formatInstant(new Date(d).getTime(), tz);
/**
 * An instant from a request (a query parameter, a cursor, a form field), read by core's strict
 * ISO 8601 parser: an offset, a real calendar date. `Date.parse` would take 2022-06-31 as 1 July.
 */
export function instantParam(value: string, path: Array<string | number>): Date {
  try {
    return new Date(parseInstant(value, path));
  } catch (err) {
    if (!isJicengError(err)) throw err;
    return fail(422, "INVALID_REQUEST", path, `${path.join(".")} 须为带时区偏移、日期真实的 ISO 8601 时间（如 2022-06-20T10:00:00+08:00），实际为 ${JSON.stringify(value)}`, `${path.join(".")} must be ISO 8601 with an offset and a real date (e.g. 2022-06-20T10:00:00+08:00), got ${JSON.stringify(value)}`);
  }
}
export const isoOrNull = (d: Date | string | null | undefined, tz = "Asia/Shanghai"): string | null => (d == null ? null : iso(d, tz));

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Canonical JSON (sorted keys), for hashes that must not depend on key order. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

export type AuditAction = "login" | "login_failed" | "logout" | "view" | "export" | "event" | "event_rejected" | "pack_create" | "pack_submit" | "pack_publish" | "pack_bind" | "role_change";

export interface AuditEntry {
  at: Date;
  actor: string;
  action: AuditAction;
  caseId?: string | null;
  detail?: unknown;
}

/** The canonical body of an audit entry: what its hash covers. */
export const auditBody = (e: AuditEntry): string =>
  canonical({ at: e.at.toISOString(), actor: e.actor, action: e.action, caseId: e.caseId ?? null, detail: e.detail ?? null });

/**
 * The SQL that appends audit entries (and their "to seal" markers) in one statement, as a CTE
 * fragment a caller can put inside its own write (`audit_a`, `audit_p`): no lock is shared with any
 * other writer — the sealer chains the entries after they commit.
 */
export function auditRows(county: string, entries: readonly AuditEntry[], options: { onlyIfRowsIn?: string } = {}) {
  const at = entries.map((e) => e.at.toISOString());
  const actor = entries.map((e) => e.actor);
  const action = entries.map((e) => e.action);
  const caseId = entries.map((e) => e.caseId ?? null);
  const body = entries.map(auditBody);
  return sql`audit_a as (
      insert into audit_log (county_code, at, actor, action, case_id, body)
      select ${county}, t.at, t.actor, t.action, t.case_id, t.body
      from unnest(${at}::timestamptz[], ${actor}::text[], ${action}::text[], ${caseId}::uuid[], ${body}::text[]) as t(at, actor, action, case_id, body)
      ${options.onlyIfRowsIn ? sql.raw(`where exists (select 1 from ${options.onlyIfRowsIn})`) : sql``}
      returning county_code, id
    ), audit_p as (
      insert into audit_pending (county_code, entry_id) select county_code, id from audit_a
    )`;
}

/** Appends one audit entry (to be chained by the sealer). One statement, no shared lock. */
export async function audit(db: Tx, county: string, entry: AuditEntry): Promise<void> {
  await sql`/* desk:audit */ with ${auditRows(county, [entry])} select 1`.execute(db);
}
export const GENESIS = "0".repeat(64);

/**
 * Chains a county's committed, unsealed audit entries (in the order they committed, in batches):
 * seal.seq = head.seq + 1 …, hash = sha256(previous hash || body). One sealer per county at a time
 * (the audit_head row, FOR UPDATE SKIP LOCKED: a busy sealer elsewhere means this one skips).
 * Returns how many entries it sealed.
 */
export async function sealAudit(db: Kysely<DB>, county: string, options: { batch?: number; maxBatches?: number } = {}): Promise<number> {
  const batch = options.batch ?? 5000;
  let total = 0;
  for (let round = 0; round < (options.maxBatches ?? 1000); round++) {
    const n = await db.transaction().execute(async (trx) => {
      await sql`/* desk:audit_head0 */ insert into audit_head (county_code, seq, hash) values (${county}, 0, ${GENESIS}) on conflict (county_code) do nothing`.execute(trx);
      const head = (await sql<{ seq: number; hash: string }>`/* desk:audit_head */ select seq, hash from audit_head where county_code = ${county} for update skip locked`.execute(trx)).rows[0];
      if (!head) return 0; // another sealer holds it
      const rows = (
        await sql<{ id: number; body: string }>`/* desk:audit_take */
          with p as (
            delete from audit_pending where county_code = ${county}
              and entry_id in (select entry_id from audit_pending where county_code = ${county} order by entry_id limit ${batch})
            returning entry_id
          )
          select a.id, a.body from audit_log a join p on a.id = p.entry_id where a.county_code = ${county} order by a.id`.execute(trx)
      ).rows;
      if (rows.length === 0) return 0;
      let prev = head.hash;
      let seq = Number(head.seq);
      const seqs: number[] = [];
      const ids: number[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        prev = sha256(prev + r.body);
        seqs.push(++seq);
        ids.push(Number(r.id));
        hashes.push(prev);
      }
      await sql`/* desk:audit_seal */
        with s as (
          insert into audit_seal (county_code, seq, entry_id, hash)
          select ${county}, t.seq, t.entry_id, t.hash from unnest(${seqs}::bigint[], ${ids}::bigint[], ${hashes}::text[]) as t(seq, entry_id, hash)
        )
        update audit_head set seq = ${seq}, hash = ${prev} where county_code = ${county}`.execute(trx);
      return rows.length;
    });
    total += n;
    if (n < batch) break;
  }
  return total;
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries chained and verified. */
  rows: number;
  /** Entries written and waiting for the sealer (not yet covered by the chain). */
  pending: number;
  brokenAt?: number;
  issue?: JicengIssue;
}

/**
 * Walks a county's audit chain: seq gapless from 1, every sealed entry present, its hash following
 * from the one before and its body, its columns equal to what its body says; the head at the last
 * seal; and every entry either sealed or waiting with its marker (an entry that is neither was put
 * there behind the app's back).
 */
export async function verifyAudit(db: Tx, county: string): Promise<AuditVerdict> {
  let prev = GENESIS;
  let after = 0;
  let rows = 0;
  const broken = (seq: number, zh: string, en: string): AuditVerdict => ({ ok: false, rows, pending: 0, brokenAt: seq, issue: deskIssue("AUDIT_CHAIN_BROKEN", ["audit", seq], zh, en) });
  for (;;) {
    const page = await db
      .selectFrom("audit_seal as s")
      .leftJoin("audit_log as a", (j) => j.onRef("a.county_code", "=", "s.county_code").onRef("a.id", "=", "s.entry_id"))
      .select(["s.seq", "s.hash", "s.entry_id", "a.id", "a.at", "a.actor", "a.action", "a.case_id", "a.body"])
      .where("s.county_code", "=", county)
      .where("s.seq", ">", after)
      .orderBy("s.seq")
      .limit(5000)
      .execute();
    if (page.length === 0) break;
    for (const r of page) {
      const seq = Number(r.seq);
      if (seq !== after + 1) return broken(after + 1, `审计链第 ${after + 1} 条缺失（被删除）`, `Audit seal ${after + 1} is missing (removed)`);
      if (r.id === null || r.body === null) return broken(seq, `审计日志第 ${seq} 条的条目不存在（被删除）`, `The entry of audit row ${seq} is gone (removed)`);
      const parsed = JSON.parse(r.body) as { at: string; actor: string; action: string; caseId: string | null };
      const fieldsMatch = parsed.actor === r.actor && parsed.action === r.action && (parsed.caseId ?? null) === (r.case_id ?? null) && Date.parse(parsed.at) === new Date(r.at!).getTime();
      if (sha256(prev + r.body) !== r.hash || !fieldsMatch) {
        return broken(seq, `审计日志第 ${seq} 条与链不符（被改动、删除或插入）`, `Audit row ${seq} does not follow the chain (changed, removed or inserted)`);
      }
      prev = r.hash;
      after = seq;
      rows++;
    }
  }
  const head = await db.selectFrom("audit_head").select(["seq", "hash"]).where("county_code", "=", county).executeTakeFirst();
  if (head && (Number(head.seq) !== rows || head.hash !== prev)) {
    return broken(rows + 1, `审计日志末尾缺失（链头为第 ${head.seq} 条）`, `Audit rows are missing at the end (the head is at ${head.seq})`);
  }
  const loose = (
    await sql<{ id: number; pending: boolean }>`select a.id, (p.entry_id is not null) as pending from audit_log a
      left join audit_seal s on s.county_code = a.county_code and s.entry_id = a.id
      left join audit_pending p on p.county_code = a.county_code and p.entry_id = a.id
      where a.county_code = ${county} and s.entry_id is null order by a.id`.execute(db)
  ).rows;
  const stray = loose.find((r) => !r.pending);
  if (stray) return { ...broken(rows + 1, `审计条目 ${stray.id} 既未封链也不在待封队列（被插入或标记被删除）`, `Audit entry ${stray.id} is neither sealed nor waiting to be sealed (inserted behind the app, or its marker removed)`), rows };
  return { ok: true, rows, pending: loose.length };
}

/** A JicengError from core → 422 with its issues; anything else is rethrown. */
export function asDeskError(err: unknown): never {
  if (isJicengError(err)) throw new DeskError(422, err.issues);
  throw err;
}
