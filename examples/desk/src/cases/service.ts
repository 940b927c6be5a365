import { randomUUID } from "node:crypto";
import { isJicengError, localDate, parseInstant, type CaseEvent, type CaseSnapshot, type Engine, type JicengIssue } from "@jiceng/core";
import { sql } from "kysely";
import { EVENT_ROLES, hasRole, inScope, requireRole, visibleUnits, type Principal } from "../auth/index.js";
import { DeskError, asDeskError, auditRows, canonical, clockAndBinding, deskIssue, engineFor, fail, iso, sha256, unitTree, type Desk, type Tx } from "../context.js";
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

/** Whether the record of a 23505 (unique violation) is the cases table's number constraint. */
const isDuplicateNumber = (err: unknown) => isUniqueViolation(err) && /cases_/.test(String((err as { constraint?: string }).constraint ?? (err as Error).message));

/**
 * Intake (受理登记): grade first (pure — bad facts are a 422 and use no number), then one
 * transaction: the counter row, engine.start, and one statement writing the case row (version 1),
 * event 1, the outbox row, the idempotency answer and the audit entry. Round trips: the clock with
 * the county's binding, BEGIN, the counter, the write, COMMIT (the principal and the unit tree come
 * from the desk's caches).
 */
export async function intake(desk: Desk, p: Principal, input: IntakeInput, opts: { idempotencyKey?: string | undefined; requestId: string }): Promise<Answer> {
  const importing = input.at !== undefined || input.number !== undefined || input.channel === "import";
  const roles = importing ? (["admin"] as const) : (["intake", "admin"] as const);
  requireRole(p, roles);
  return once(desk, p, opts.idempotencyKey, { intake: input }, async (db, hash) => {
    const tree = await unitTree(desk, p.county, db);
    if (!tree.units.has(input.unitId)) fail(422, "UNKNOWN_UNIT", ["unitId"], `本县（区）没有单位 ${input.unitId}`, `No unit ${input.unitId} in this county`);
    if (!(await inScope(desk, db, p, input.unitId, roles))) fail(403, "OUT_OF_SCOPE", ["unitId"], `单位 ${input.unitId} 不在您的管辖范围内`, `Unit ${input.unitId} is outside your scope`);
    const { now, version } = await clockAndBinding(db, p.county, input.packId);
    const engine = await engineFor(desk, db, input.packId, version);
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
      // A client's time (imports only) is checked before anything is written; the server's own is valid.
      if (importing) parseInstant(at, ["at"]);
      engine.assess(facts);
      scope = input.number === undefined ? engine.numberScope(facts) : null;
    } catch (err) {
      asDeskError(err);
    }
    const year = Number(localDate(String(facts[startFact]), engine.pack.timezone).slice(0, 4));
    const counter = input.number === undefined ? { key: scope! ? `${year}|${input.packId}|${scope!.scope}` : `${year}|${input.packId}|desk`, max: scope! ? scope!.max : 999_999 } : undefined;
    const overflow = (c: { key: string; max: number }) =>
      fail(422, "SEQUENCE_OVERFLOW", ["facts"], `编号范围 ${c.key} 的序号已用完（最大 ${c.max}）`, `Number scope ${c.key} has used all its sequence numbers (max ${c.max})`);

    /** engine.start with a sequence number, and everything the write needs (pure: nothing is written). */
    const build = (seq: number | undefined) => {
      const caseId = randomUUID();
      const intakeEvent: CaseEvent = { type: "intake", at, by: p.login, id: caseId, facts, ...(scope! && seq !== undefined ? { seq } : {}), ...(input.number !== undefined ? { number: input.number } : {}) };
      let snap: CaseSnapshot;
      try {
        snap = engine.start(intakeEvent as never);
      } catch (err) {
        asDeskError(err);
      }
      const number = snap!.context.number ?? input.number ?? `${year}-${String(seq).padStart(6, "0")}`;
      const assignedUnit = snap!.context.assignment?.leadUnit ?? snap!.context.assignment?.responsibleUnit;
      const unitId = assignedUnit !== undefined && tree.units.has(assignedUnit) ? assignedUnit : input.unitId;
      const d = derivedColumns(engine, snap!);
      const record: CaseRecord = {
        county_code: p.county, case_id: caseId, number, number_year: year, pack_id: input.packId, pack_version: version, channel: input.channel, title: input.title,
        intake_unit_id: input.unitId, unit_id: unitId, received_at: snap!.context.receivedAt as never, snapshot: snap!, version: 1, created_by: p.userId, created_at: now,
        ...(d as Omit<typeof d, "due_at" | "warn_at" | "next_tick_at" | "last_event_at">), due_at: d.due_at as never, warn_at: d.warn_at as never, next_tick_at: d.next_tick_at as never, last_event_at: d.last_event_at as never,
      };
      const answer: Answer = { status: 201, body: caseDetail(engine, record, now, p) };
      const message = { unitId, message: { zh: `新案件 ${number}：${input.title}`, en: `New case ${number}: ${input.title}` } };
      const key = opts.idempotencyKey ?? null;
      // Everything below selects from `n` (the number taken): no number, nothing written.
      const writes = sql`c as (
            insert into cases (county_code, case_id, number, number_year, pack_id, pack_version, channel, title, state, status, level, rank, intake_unit_id, unit_id,
              received_at, due_at, warn_at, next_tick_at, last_event_at, overdue, awaiting_decision, to_sign_for, to_follow_up, snapshot, version, created_by)
            select ${p.county}, ${caseId}::uuid, ${number}, ${year}::int, ${input.packId}, ${version}, ${input.channel}, ${input.title}, ${d.state}, ${d.status}, ${d.level}, ${d.rank}::int,
              ${input.unitId}, ${unitId}, ${snap!.context.receivedAt}::timestamptz, ${d.due_at}::timestamptz, ${d.warn_at}::timestamptz, ${d.next_tick_at}::timestamptz, ${d.last_event_at}::timestamptz,
              ${d.overdue}::boolean, ${d.awaiting_decision}::boolean, ${d.to_sign_for}::boolean, ${d.to_follow_up}::boolean, ${JSON.stringify(snap!)}::jsonb, 1, ${p.userId}::uuid from n
            returning case_id
          ), e as (
            insert into case_events (county_code, case_id, seq, type, event, actor, request_id)
            select ${p.county}, case_id, 1, 'intake', ${JSON.stringify(intakeEvent)}::jsonb, ${p.login}, ${opts.requestId} from c
          ), o as (
            insert into outbox (county_code, case_id, kind, payload) select ${p.county}, case_id, 'intake', ${JSON.stringify(message)}::jsonb from c
          ), i as (
            insert into idempotency (county_code, user_id, key, request_hash, status, response)
            select ${p.county}, ${p.userId}::uuid, ${key}::text, ${hash}, 201, ${key === null ? null : JSON.stringify(answer.body)}::jsonb from n where ${key}::text is not null
          ), ${auditRows(p.county, [{ at: now, actor: p.login, action: "event", caseId, detail: { type: "intake", number, level: snap!.context.level } }], { onlyIfRowsIn: "n" })}`;
      return { number, answer, writes };
    };
    const written = async (run: () => Promise<number>, number: string) => {
      try {
        return await run();
      } catch (err) {
        if (isDuplicateNumber(err)) fail(409, "DUPLICATE_NUMBER", ["number"], `编号 ${number} 已存在`, `Number ${number} already exists`);
        throw err;
      }
    };

    if (counter) {
      // Optimistic, without a transaction (3 round trips in all): read the counter, start the case
      // with the next number, and in one statement take that number only if it is still the next
      // one, writing the case with it. Someone else took it → nothing was written; go the locking way.
      const cur = (await sql<{ value: number; max: number }>`/* desk:counter_read */ select value, max from number_seq where county_code = ${p.county} and scope = ${counter.key}`.execute(db)).rows[0];
      if (cur && cur.value >= cur.max) overflow(counter);
      const seq = (cur?.value ?? 0) + 1;
      const b = build(seq);
      const take = cur
        ? sql`n as (update number_seq set value = value + 1 where county_code = ${p.county} and scope = ${counter.key} and value = ${seq - 1}::int and value < max returning value)`
        : sql`n as (insert into number_seq (county_code, scope, value, max) values (${p.county}, ${counter.key}, 1, ${counter.max}::int) on conflict (county_code, scope) do nothing returning value)`;
      const n = await written(async () => (await sql<{ n: number }>`/* desk:intake_optimistic */ with ${take}, ${b.writes} select count(*)::int as n from c`.execute(db)).rows[0]!.n, b.number);
      if (n === 1) return b.answer;
    }
    // The locking way (imports with their own number, or the next number was taken meanwhile):
    // BEGIN, the counter row (held until COMMIT, so concurrent intakes of a scope queue here), the write, COMMIT.
    return db.transaction().execute(async (trx) => {
      let seq: number | undefined;
      if (counter) {
        const r = await sql<{ value: number }>`/* desk:counter */
          insert into number_seq (county_code, scope, value, max) values (${p.county}, ${counter.key}, 1, ${counter.max})
          on conflict (county_code, scope) do update set value = number_seq.value + 1
          where number_seq.value < number_seq.max
          returning value`.execute(trx);
        const v = r.rows[0]?.value;
        if (v === undefined) overflow(counter);
        seq = Number(v);
      }
      const b = build(seq);
      await written(async () => (await sql`/* desk:intake */ with n as (select 1 as value), ${b.writes} select 1`.execute(trx)).rows.length, b.number);
      return b.answer;
    });
  });
}

/** Reads one case the user may see (with the database clock), or 404: a case outside the scope does not exist for them. */
export async function loadCase(desk: Desk, db: Tx, p: Principal, caseId: string): Promise<{ row: CaseRecord; now: Date }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) fail(404, "CASE_NOT_FOUND", ["id"], "案件不存在", "No such case");
  const r = (await sql<CaseRecord & { now: Date }>`/* desk:load_case */ select now() as now, c.* from cases c where c.county_code = ${p.county} and c.case_id = ${caseId}::uuid`.execute(db)).rows[0];
  const units = r ? await visibleUnits(desk, db, p) : null;
  if (!r || (units !== null && !units.includes(r.unit_id) && !units.includes(r.intake_unit_id))) fail(404, "CASE_NOT_FOUND", ["id"], "案件不存在或不在您的管辖范围内", "No such case in your scope");
  const { now, ...row } = r!;
  return { row: row as CaseRecord, now: new Date(now) };
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
 * recorded in the audit log, nothing else written); then one statement updates the row only at
 * that version (else 409 案件已被他人更新) and, only if it did, writes the event row, the outbox row,
 * the idempotency answer and the audit entry. Two round trips, no explicit transaction: the
 * statement is atomic.
 */
export async function applyEvent(desk: Desk, p: Principal, caseId: string, input: EventInput): Promise<Answer> {
  const expected = parseIfMatch(input.ifMatch);
  return once(desk, p, input.idempotencyKey, { caseId, expected, event: input.event }, async (db, hash) => {
    const type = String(input.event["type"] ?? "");
    const key = input.idempotencyKey ?? null;
    const conflict = (v: number) =>
      new DeskError(409, [deskIssue("VERSION_CONFLICT", ["headers", "if-match"], `案件已被他人更新（当前版本 ${v}，您的版本 ${expected}），请刷新后重试`, `The case was updated by someone else (now version ${v}, yours ${expected}); reload and retry`)], { ETag: `"${v}"` });
    const { row, now } = await loadCase(desk, db, p, caseId);
    if (row.version !== expected) throw conflict(row.version);
    const engine = await engineFor(desk, db, row.pack_id, row.pack_version);
    const reject = async (status: number, issues: readonly JicengIssue[]): Promise<Answer> => {
      const answer: Answer = { status, body: { issues } };
      await sql`/* desk:reject */ with i as (
          insert into idempotency (county_code, user_id, key, request_hash, status, response)
          select ${p.county}, ${p.userId}::uuid, ${key}::text, ${hash}, ${status}::int, ${JSON.stringify(answer.body)}::jsonb where ${key}::text is not null
        ), ${auditRows(p.county, [{ at: now, actor: p.login, action: "event_rejected", caseId, detail: { type, issues: issues.map((i) => ({ code: i.code, path: i.path })) } }])}
        select 1`.execute(db);
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
    const tree = await unitTree(desk, p.county, db);
    const unitId = target !== undefined && target !== row.unit_id && tree.units.has(target) ? target : row.unit_id;
    const d = derivedColumns(engine, next);
    const updated = { ...row, ...d, unit_id: unitId, snapshot: next, version } as unknown as CaseRecord;
    const answer: Answer = { status: 200, body: caseDetail(engine, updated, now, p) };
    const notify = unitId !== row.unit_id || type === "assign" || next.state !== snap.state;
    const last = engine.history(next).at(-1);
    const message = { unitId, message: { zh: `案件 ${row.number}：${last?.summary.zh ?? type}`, en: `Case ${row.number}: ${last?.summary.en ?? type}` } };
    const written = await sql<{ case_id: string }>`/* desk:event */ with u as (
        update cases set state = ${d.state}, status = ${d.status}, level = ${d.level}, rank = ${d.rank}::int, due_at = ${d.due_at}::timestamptz, warn_at = ${d.warn_at}::timestamptz,
          next_tick_at = ${d.next_tick_at}::timestamptz, last_event_at = ${d.last_event_at}::timestamptz, overdue = ${d.overdue}::boolean, awaiting_decision = ${d.awaiting_decision}::boolean,
          to_sign_for = ${d.to_sign_for}::boolean, to_follow_up = ${d.to_follow_up}::boolean, unit_id = ${unitId}, snapshot = ${JSON.stringify(next)}::jsonb, version = ${version}::int
        where county_code = ${p.county} and case_id = ${caseId}::uuid and version = ${expected}::int
        returning case_id
      ), e as (
        insert into case_events (county_code, case_id, seq, type, event, actor, request_id)
        select ${p.county}, case_id, ${version}::int, ${type}, ${JSON.stringify(event)}::jsonb, ${p.login}, ${input.requestId} from u
      ), o as (
        insert into outbox (county_code, case_id, kind, payload) select ${p.county}, case_id, ${type}, ${JSON.stringify(message)}::jsonb from u where ${notify}::boolean
      ), i as (
        insert into idempotency (county_code, user_id, key, request_hash, status, response)
        select ${p.county}, ${p.userId}::uuid, ${key}::text, ${hash}, 200, ${key === null ? null : JSON.stringify(answer.body)}::jsonb from u where ${key}::text is not null
      ), ${auditRows(p.county, [{ at: now, actor: p.login, action: "event", caseId, detail: { type, version } }], { onlyIfRowsIn: "u" })}
      select case_id from u`.execute(db);
    if (written.rows.length === 0) {
      const cur = await db.selectFrom("cases").select("version").where("county_code", "=", p.county).where("case_id", "=", caseId).executeTakeFirst();
      throw conflict(cur?.version ?? expected);
    }
    return answer;
  });
}

export type { Engine };
