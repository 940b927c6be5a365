import { randomUUID } from "node:crypto";
import { IntakeEventSchema, isJicengError, localDate, type CaseEvent, type CaseSnapshot, type Engine, type JicengIssue } from "@jiceng/core";
import { sql } from "kysely";
import { EVENT_ROLES, hasRole, requireRole, visibleUnits, type Principal } from "../auth/index.js";
import { DeskError, asDeskError, audit, boundVersion, canonical, dbNow, deskIssue, engineFor, fail, iso, sha256, type Desk, type Tx } from "../context.js";
import { caseDetail, derivedColumns, type CaseRecord } from "./view.js";

export const CHANNELS = ["visit", "phone", "grid", "hotline-12345", "referral", "import"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface IntakeInput {
  packId: string;
  unitId: string;
  channel: Channel;
  title: string;
  facts: Record<string, unknown>;
  /** Imports of legacy cases only (admin): the intake time and, optionally, the number they had. */
  at?: string | undefined;
  number?: string | undefined;
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  replayed?: boolean;
}

/** The stored answer of an Idempotency-Key, or a 422 if the key was used for another request. */
async function replay(db: Tx, p: Principal, key: string | undefined, hash: string): Promise<Answer | undefined> {
  if (!key) return undefined;
  const row = await db.selectFrom("idempotency").select(["request_hash", "status", "response"]).where("county_code", "=", p.county).where("user_id", "=", p.userId).where("key", "=", key).executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hash) fail(422, "IDEMPOTENCY_KEY_REUSED", ["headers", "idempotency-key"], "此 Idempotency-Key 已用于另一请求", "This Idempotency-Key was used for a different request");
  return { status: row.status, body: row.response, replayed: true };
}
async function remember(db: Tx, p: Principal, key: string | undefined, hash: string, a: Answer): Promise<void> {
  if (!key) return;
  await db.insertInto("idempotency").values({ county_code: p.county, user_id: p.userId, key, request_hash: hash, status: a.status, response: JSON.stringify(a.body) }).execute();
}
const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === "23505";

/** Runs `fn` once per Idempotency-Key: a retry (even a concurrent one) gets the stored answer. */
async function once(desk: Desk, p: Principal, key: string | undefined, request: unknown, fn: (trx: Tx, hash: string) => Promise<Answer>): Promise<Answer> {
  const hash = sha256(canonical(request));
  const db = desk.store.db;
  const hit = await replay(db, p, key, hash);
  if (hit) return hit;
  try {
    return await fn(db, hash);
  } catch (err) {
    if (key && (isUniqueViolation(err) || (err instanceof DeskError && err.status === 409))) {
      const again = await replay(db, p, key, hash);
      if (again) return again;
    }
    throw err;
  }
}

async function unitKnown(db: Tx, county: string, unitId: string | undefined): Promise<boolean> {
  if (!unitId) return false;
  return (await db.selectFrom("units").select("unit_id").where("county_code", "=", county).where("unit_id", "=", unitId).executeTakeFirst()) !== undefined;
}

async function assertUnitInScope(db: Tx, p: Principal, unitId: string, roles: Parameters<typeof visibleUnits>[2]) {
  const units = await visibleUnits(db, p, roles);
  if (units !== null && !units.includes(unitId)) fail(403, "OUT_OF_SCOPE", ["unitId"], `单位 ${unitId} 不在您的管辖范围内`, `Unit ${unitId} is outside your scope`);
}

/**
 * Intake (受理登记): grade first (pure — bad facts are a 422 and use no number), then one
 * transaction: the counter row, engine.start, the case row (version 1), event 1, outbox, audit.
 */
export async function intake(desk: Desk, p: Principal, input: IntakeInput, opts: { idempotencyKey?: string | undefined; requestId: string }): Promise<Answer> {
  const importing = input.at !== undefined || input.number !== undefined || input.channel === "import";
  requireRole(p, importing ? ["admin"] : ["intake", "admin"]);
  return once(desk, p, opts.idempotencyKey, { intake: input }, async (db, hash) => {
    if (!(await unitKnown(db, p.county, input.unitId))) fail(422, "UNKNOWN_UNIT", ["unitId"], `本县（区）没有单位 ${input.unitId}`, `No unit ${input.unitId} in this county`);
    await assertUnitInScope(db, p, input.unitId, importing ? ["admin"] : ["intake", "admin"]);
    return db.transaction().execute(async (trx) => {
      const now = await dbNow(trx);
      const version = await boundVersion(trx, p.county, input.packId, now);
      const engine = await engineFor(desk, trx, input.packId, version);
      const startFact = engine.pack.startFact;
      const facts = { ...input.facts };
      if (!importing && facts[startFact] !== undefined) {
        fail(422, "CLIENT_TIME_NOT_ALLOWED", ["facts", startFact], `${startFact} 由服务器按数据库时钟填写；只有导入历史案件可以指定时间`, `${startFact} is stamped by the server from the database clock; only imports of legacy cases may give a time`);
      }
      const at = importing && input.at ? input.at : iso(now, engine.pack.timezone);
      if (facts[startFact] === undefined) facts[startFact] = at;
      // Pure checks first: nothing is written and no number is used for a refused intake.
      let scope: { scope: string; max: number } | null;
      try {
        const intakeCheck = IntakeEventSchema.safeParse({ type: "intake", at, facts });
        if (!intakeCheck.success) engine.start({ type: "intake", at, facts } as never);
        engine.assess(facts);
        scope = input.number === undefined ? engine.numberScope(facts) : null;
      } catch (err) {
        asDeskError(err);
      }
      const year = Number(localDate(String(facts[startFact]), engine.pack.timezone).slice(0, 4));
      let seq: number | undefined;
      let number = input.number;
      if (number === undefined) {
        const key = scope! ? `${year}|${input.packId}|${scope!.scope}` : `${year}|${input.packId}|desk`;
        const max = scope! ? scope!.max : 999_999;
        const r = await sql<{ value: number }>`
          insert into number_seq (county_code, scope, value, max) values (${p.county}, ${key}, 1, ${max})
          on conflict (county_code, scope) do update set value = number_seq.value + 1
          where number_seq.value < number_seq.max
          returning value`.execute(trx);
        const v = r.rows[0]?.value;
        if (v === undefined) {
          fail(422, "SEQUENCE_OVERFLOW", ["facts"], `编号范围 ${key} 的序号已用完（最大 ${max}）`, `Number scope ${key} has used all its sequence numbers (max ${max})`);
        }
        seq = Number(v);
        if (!scope!) number = `${year}-${String(seq).padStart(6, "0")}`;
      }
      const caseId = randomUUID();
      const intakeEvent: CaseEvent = { type: "intake", at, by: p.login, id: caseId, facts, ...(scope! && seq !== undefined ? { seq } : {}), ...(input.number !== undefined ? { number: input.number } : {}) };
      let snap: CaseSnapshot;
      try {
        snap = engine.start(intakeEvent as never);
      } catch (err) {
        asDeskError(err);
      }
      number = snap!.context.number ?? number!;
      const assignedUnit = snap!.context.assignment?.leadUnit ?? snap!.context.assignment?.responsibleUnit;
      const unitId = (await unitKnown(trx, p.county, assignedUnit)) ? assignedUnit! : input.unitId;
      const row = {
        county_code: p.county,
        case_id: caseId,
        number,
        number_year: year,
        pack_id: input.packId,
        pack_version: version,
        channel: input.channel,
        title: input.title,
        intake_unit_id: input.unitId,
        unit_id: unitId,
        received_at: snap!.context.receivedAt,
        snapshot: JSON.stringify(snap!),
        version: 1,
        created_by: p.userId,
        ...derivedColumns(engine, snap!),
      };
      try {
        await trx.insertInto("cases").values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) fail(409, "DUPLICATE_NUMBER", ["number"], `编号 ${number} 已存在`, `Number ${number} already exists`);
        throw err;
      }
      await trx.insertInto("case_events").values({ county_code: p.county, case_id: caseId, seq: 1, type: "intake", event: JSON.stringify(intakeEvent), actor: p.login, request_id: opts.requestId }).execute();
      await notify(trx, p.county, caseId, unitId, "intake", { zh: `新案件 ${number}：${input.title}`, en: `New case ${number}: ${input.title}` });
      const stored = await trx.selectFrom("cases").selectAll().where("county_code", "=", p.county).where("case_id", "=", caseId).executeTakeFirstOrThrow();
      const answer: Answer = { status: 201, body: caseDetail(engine, stored as CaseRecord, now, p) };
      await remember(trx, p, opts.idempotencyKey, hash, answer);
      await audit(trx, p.county, { at: now, actor: p.login, action: "event", caseId, detail: { type: "intake", number, level: snap!.context.level } });
      return answer;
    });
  });
}

async function notify(db: Tx, county: string, caseId: string, unitId: string, kind: string, message: { zh: string; en: string }) {
  await db.insertInto("outbox").values({ county_code: county, case_id: caseId, kind, payload: JSON.stringify({ unitId, message }) }).execute();
}

/** Reads one case the user may see, or 404 (a case outside the scope does not exist for them). */
export async function loadCase(db: Tx, p: Principal, caseId: string, lock = false): Promise<CaseRecord> {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) fail(404, "CASE_NOT_FOUND", ["id"], "案件不存在", "No such case");
  let q = db.selectFrom("cases").selectAll().where("county_code", "=", p.county).where("case_id", "=", caseId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  const units = row ? await visibleUnits(db, p) : null;
  if (!row || (units !== null && !units.includes(row.unit_id) && !units.includes(row.intake_unit_id))) fail(404, "CASE_NOT_FOUND", ["id"], "案件不存在或不在您的管辖范围内", "No such case in your scope");
  return row as CaseRecord;
}

export interface EventInput {
  event: Record<string, unknown>;
  ifMatch: string | undefined;
  idempotencyKey?: string | undefined;
  requestId: string;
}

/** Parses If-Match: "3" (or 3, or W/"3") → 3. */
export function parseIfMatch(h: string | undefined): number {
  const m = h?.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!m) fail(428, "IF_MATCH_REQUIRED", ["headers", "if-match"], "须带 If-Match 头，值为案件的版本（ETag）", 'An If-Match header with the case version (its ETag) is required, e.g. If-Match: "3"');
  return Number(m![1]);
}

/**
 * Applies one event. If-Match must name the current version; core decides (a refusal is a 422,
 * recorded in the audit log, nothing else written); the row is updated only at that version
 * (else 409 案件已被他人更新); the event row, outbox and audit go in the same transaction.
 */
export async function applyEvent(desk: Desk, p: Principal, caseId: string, input: EventInput): Promise<Answer> {
  const expected = parseIfMatch(input.ifMatch);
  return once(desk, p, input.idempotencyKey, { caseId, expected, event: input.event }, async (db, hash) => {
    const type = String(input.event["type"] ?? "");
    const conflict = (v: number) =>
      new DeskError(409, [deskIssue("VERSION_CONFLICT", ["headers", "if-match"], `案件已被他人更新（当前版本 ${v}，您的版本 ${expected}），请刷新后重试`, `The case was updated by someone else (now version ${v}, yours ${expected}); reload and retry`)], { ETag: `"${v}"` });
    return db.transaction().execute(async (trx) => {
      const now = await dbNow(trx);
      const row = await loadCase(trx, p, caseId);
      if (row.version !== expected) throw conflict(row.version);
      const engine = await engineFor(desk, trx, row.pack_id, row.pack_version);
      const reject = async (status: number, issues: readonly JicengIssue[]): Promise<Answer> => {
        const answer: Answer = { status, body: { issues } };
        await remember(trx, p, input.idempotencyKey, hash, answer);
        await audit(trx, p.county, { at: now, actor: p.login, action: "event_rejected", caseId, detail: { type, issues: issues.map((i) => ({ code: i.code, path: i.path })) } });
        return answer;
      };
      if (type === "intake" || type === "tick") return reject(422, [deskIssue("EVENT_NOT_ALLOWED", ["event", "type"], `事件 ${type} 不能由用户提交`, `Event ${type} cannot be posted by a user`)]);
      const roles = EVENT_ROLES[type];
      if (roles && !hasRole(p, roles)) return reject(403, [deskIssue("FORBIDDEN", ["event", "type"], `您的角色不能执行 ${type}`, `Your roles may not apply ${type}`)]);
      const clientAt = input.event["at"];
      if (clientAt !== undefined && !hasRole(p, ["admin"])) return reject(422, [deskIssue("CLIENT_TIME_NOT_ALLOWED", ["event", "at"], "事件时间由服务器按数据库时钟填写；只有导入历史案件可以指定时间", "The event time is stamped by the server from the database clock; only imports of legacy cases may give a time")]);
      const event = { ...input.event, at: clientAt ?? iso(now, engine.pack.timezone), by: input.event["by"] !== undefined && hasRole(p, ["admin"]) ? input.event["by"] : p.login } as CaseEvent;
      const snap = row.snapshot as CaseSnapshot;
      let next: CaseSnapshot;
      try {
        next = engine.transition(snap, event);
      } catch (err) {
        if (isJicengError(err)) return reject(422, err.issues);
        throw err;
      }
      const version = row.version + 1;
      const a = next.context.assignment;
      const target = a?.leadUnit ?? a?.responsibleUnit;
      const unitId = target !== undefined && target !== row.unit_id && (await unitKnown(trx, p.county, target)) ? target : row.unit_id;
      const updated = await trx
        .updateTable("cases")
        .set({ ...derivedColumns(engine, next), unit_id: unitId, snapshot: JSON.stringify(next), version })
        .where("county_code", "=", p.county)
        .where("case_id", "=", caseId)
        .where("version", "=", expected)
        .returningAll()
        .executeTakeFirst();
      if (!updated) {
        const cur = await trx.selectFrom("cases").select("version").where("county_code", "=", p.county).where("case_id", "=", caseId).executeTakeFirst();
        throw conflict(cur?.version ?? expected);
      }
      await trx.insertInto("case_events").values({ county_code: p.county, case_id: caseId, seq: version, type, event: JSON.stringify(event), actor: p.login, request_id: input.requestId }).execute();
      if (unitId !== row.unit_id || type === "assign" || next.state !== snap.state) {
        await notify(trx, p.county, caseId, unitId, type, { zh: `案件 ${row.number}：${next.context.history.at(-1)?.summary.zh ?? type}`, en: `Case ${row.number}: ${next.context.history.at(-1)?.summary.en ?? type}` });
      }
      const answer: Answer = { status: 200, body: caseDetail(engine, updated as CaseRecord, now, p) };
      await remember(trx, p, input.idempotencyKey, hash, answer);
      await audit(trx, p.county, { at: now, actor: p.login, action: "event", caseId, detail: { type, version } });
      return answer;
    });
  });
}

export type { Engine };
