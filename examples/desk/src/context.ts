import { createHash } from "node:crypto";
import { createEngine, loadPack, formatInstant, isJicengError, type Engine, type JicengIssue } from "@jiceng/core";
import { sql, type Kysely, type Transaction } from "kysely";
import type { Store } from "./db/store.js";
import type { DB } from "./db/types.js";

/** An error the HTTP layer turns into a response: status + issues in core's shape. */
export class DeskError extends Error {
  constructor(readonly status: number, readonly issues: readonly JicengIssue[], readonly headers: Record<string, string> = {}) {
    super(issues.map((i) => i.message.en).join("; "));
  }
}
export const deskIssue = (code: string, path: Array<string | number>, zh: string, en: string): JicengIssue =>
  ({ code, path, message: { zh, en }, severity: "error" }) as JicengIssue;
export const fail = (status: number, code: string, path: Array<string | number>, zh: string, en: string): never => {
  throw new DeskError(status, [deskIssue(code, path, zh, en)]);
};

/** The desk: a store and the engines of the pack versions it has met (compiled once each). */
export interface Desk {
  store: Store;
  engines: Map<string, Engine>;
}

export type Tx = Transaction<DB> | Kysely<DB>;

export function createDesk(store: Store): Desk {
  return { store, engines: new Map() };
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

/** The database clock: the transaction's start instant. Every server-stamped time comes from here. */
export async function dbNow(db: Tx): Promise<Date> {
  const r = await sql<{ now: Date }>`select now() as now`.execute(db);
  return new Date(r.rows[0]!.now);
}

/** An instant as ISO 8601 in a zone (the pack's), e.g. 2026-12-06T13:05:00+08:00. */
export const iso = (d: Date | string | number, tz = "Asia/Shanghai"): string => formatInstant(new Date(d).getTime(), tz);
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

/**
 * Appends one audit row, chained per county: hash = sha256(previous hash || body). The head row
 * is updated last in the caller's transaction, so the per-county lock is held only until commit.
 */
export async function audit(db: Tx, county: string, entry: { at: Date; actor: string; action: AuditAction; caseId?: string | null; detail?: unknown }): Promise<void> {
  const body = canonical({ at: entry.at.toISOString(), actor: entry.actor, action: entry.action, caseId: entry.caseId ?? null, detail: entry.detail ?? null });
  await sql`insert into audit_head (county_code, seq, hash) values (${county}, 0, ${GENESIS}) on conflict (county_code) do nothing`.execute(db);
  await sql`
    with h as (
      update audit_head set seq = seq + 1, hash = encode(sha256(convert_to(hash || ${body}, 'UTF8')), 'hex')
      where county_code = ${county}
      returning seq, hash
    )
    insert into audit_log (county_code, seq, at, actor, action, case_id, body, hash)
    select ${county}, h.seq, ${entry.at.toISOString()}, ${entry.actor}, ${entry.action}, ${entry.caseId ?? null}, ${body}, h.hash from h`.execute(db);
}
export const GENESIS = "0".repeat(64);

/** Walks a county's audit chain: every row's hash must follow from the one before and its body. */
export async function verifyAudit(db: Tx, county: string): Promise<{ ok: boolean; rows: number; brokenAt?: number; issue?: JicengIssue }> {
  let prev = GENESIS;
  let expectSeq = 1;
  let after = 0;
  let rows = 0;
  for (;;) {
    const page = await db.selectFrom("audit_log").select(["seq", "at", "actor", "action", "case_id", "body", "hash"]).where("county_code", "=", county).where("seq", ">", after).orderBy("seq").limit(5000).execute();
    if (page.length === 0) break;
    for (const r of page) {
      const seq = Number(r.seq);
      const parsed = JSON.parse(r.body) as { at: string; actor: string; action: string; caseId: string | null };
      const fieldsMatch = parsed.actor === r.actor && parsed.action === r.action && (parsed.caseId ?? null) === (r.case_id ?? null) && Date.parse(parsed.at) === new Date(r.at).getTime();
      const want = sha256(prev + r.body);
      if (seq !== expectSeq || want !== r.hash || !fieldsMatch) {
        return { ok: false, rows, brokenAt: seq, issue: deskIssue("AUDIT_CHAIN_BROKEN", ["audit", seq], `审计日志第 ${seq} 条与链不符（被改动、删除或插入）`, `Audit row ${seq} does not follow the chain (changed, removed or inserted)`) };
      }
      prev = r.hash;
      expectSeq++;
      after = seq;
      rows++;
    }
  }
  const head = await db.selectFrom("audit_head").select(["seq", "hash"]).where("county_code", "=", county).executeTakeFirst();
  if (head && (Number(head.seq) !== rows || head.hash !== prev)) {
    return { ok: false, rows, brokenAt: rows + 1, issue: deskIssue("AUDIT_CHAIN_BROKEN", ["audit", rows + 1], `审计日志末尾缺失（链头为第 ${head.seq} 条）`, `Audit rows are missing at the end (the head is at ${head.seq})`) };
  }
  return { ok: true, rows };
}

/** A JicengError from core → 422 with its issues; anything else is rethrown. */
export function asDeskError(err: unknown): never {
  if (isJicengError(err)) throw new DeskError(422, err.issues);
  throw err;
}
