import { createEngine } from "@jiceng/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAudit } from "../src/context.js";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

let t: TestDesk;
let intakeTok: string;
let dispatchTok: string;
let handlerTok: string;
const G = "640402";

beforeAll(async () => {
  t = await startTestDesk([G, "330781"]);
  intakeTok = await t.login(G, "intake");
  dispatchTok = await t.login(G, "dispatch");
  handlerTok = await t.login(G, "handler");
}, 180_000);
afterAll(async () => t?.close());

const newCase = (subunit = "05", title = "测试") => t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title, facts: guyuanFacts(subunit) } });
const counter = async (like: string) => (await t.store.db.selectFrom("number_seq").select(["scope", "value"]).where("county_code", "=", G).where("scope", "like", like).execute());

describe("intake (POST /api/cases)", () => {
  it("grades, numbers and times a case from the database clock, returns its reasons and ETag", async () => {
    const r = await newCase("07", "邻里纠纷");
    expect(r.status).toBe(201);
    expect(r.headers.get("etag")).toBe('"1"');
    expect(r.body.level.id).toBe("yellow");
    expect(r.body.reasons.length).toBeGreaterThan(0);
    expect(r.body.number).toMatch(/^\d{4}0107\d{2}$/);
    const now = (await sql<{ now: Date }>`select now() as now`.execute(t.store.db)).rows[0]!.now;
    expect(Math.abs(Date.parse(r.body.receivedAt) - new Date(now).getTime())).toBeLessThan(60_000);
    const engine = createEngine((await import("@jiceng/rules-guyuan")).default);
    expect(r.body.dueAt).toBe(engine.deadline("yellow", r.body.receivedAt).dueAt);
    expect(r.body.allowedEvents.map((e: { type: string }) => e.type)).toContain("update");
  });

  it("50 concurrent intakes get unique, gapless numbers", async () => {
    const rs = await Promise.all(Array.from({ length: 50 }, (_, i) => newCase("11", `并发 ${i}`)));
    expect(rs.map((r) => r.status)).toEqual(Array(50).fill(201));
    const seqs = rs.map((r) => Number(String(r.body.number).slice(-2))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(rs.map((r) => r.body.number)).size).toBe(50);
    const [row] = await counter("%|guyuan|____0111**");
    expect(row?.value).toBe(50);
  });

  it("a refused intake (bad facts) is a 422 with core's issues and uses no number", async () => {
    const before = await counter("%|guyuan|____0112**");
    const ok = await newCase("12");
    expect(ok.status).toBe(201);
    const bad = await t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "x", facts: guyuanFacts("12", { difficulty: "impossible" }) } });
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0]).toMatchObject({ path: expect.arrayContaining(["difficulty"]), message: { zh: expect.any(String), en: expect.any(String) }, severity: "error" });
    const missing = await t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "x", facts: guyuanFacts("12", { unitCode: undefined }) } });
    expect(missing.status).toBe(422);
    const again = await newCase("12");
    expect(again.status).toBe(201);
    expect(Number(again.body.number.slice(-2))).toBe(Number(ok.body.number.slice(-2)) + 1);
    expect(before).toEqual([]);
  });

  it("refuses a client time on a normal intake, and a malformed request, in core's issue shape", async () => {
    const r = await t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "x", facts: guyuanFacts("13", { receivedAt: "2022-01-01T00:00:00+08:00" }) } });
    expect(r.status).toBe(422);
    expect(r.body.issues[0].code).toBe("CLIENT_TIME_NOT_ALLOWED");
    const m = await t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", channel: "fax", title: "", facts: {} } });
    expect(m.status).toBe(422);
    expect(m.body.issues.every((i: { code: string; message: { zh: string } }) => i.code === "INVALID_REQUEST" && i.message.zh.length > 0)).toBe(true);
    const imp = await t.call("POST", "/api/cases", { token: intakeTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "import", title: "x", at: "2022-06-20T10:00:00+08:00", facts: guyuanFacts("13", { receivedAt: "2022-06-20T10:00:00+08:00" }) } });
    expect(imp.status).toBe(403);
    const unauth = await t.call("GET", "/api/cases");
    expect(unauth.status).toBe(401);
  });

  it("a full number scope is a 422 SEQUENCE_OVERFLOW that writes nothing; an imported number that exists is a 409", async () => {
    const first = await newCase("15");
    expect(first.status).toBe(201);
    const [row] = await counter("%|guyuan|____0115**");
    expect(row?.value).toBe(1);
    const max = (await t.store.db.selectFrom("number_seq").select("max").where("county_code", "=", G).where("scope", "=", row!.scope).executeTakeFirstOrThrow()).max;
    await sql`update number_seq set value = ${max} where county_code = ${G} and scope = ${row!.scope}`.execute(t.store.owner);
    const cases = async () => Number((await t.store.db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    const before = await cases();
    const full = await newCase("15");
    expect(full.status).toBe(422);
    expect(full.body.issues[0]).toMatchObject({ code: "SEQUENCE_OVERFLOW", path: ["facts"] });
    expect(await cases()).toBe(before);
    expect((await counter("%|guyuan|____0115**"))[0]?.value).toBe(max);
    const adminTok = await t.login(G, "admin");
    const at = "2022-06-20T10:00:00+08:00";
    const imp = (title: string) => t.call("POST", "/api/cases", { token: adminTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "import", title, at, number: "0620010101", facts: guyuanFacts("01", { receivedAt: at }) } });
    const a = await imp("导入");
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.number).toBe("0620010101");
    const b = await imp("重复导入");
    expect(b.status).toBe(409);
    expect(b.body.issues[0].code).toBe("DUPLICATE_NUMBER");
    expect(await cases()).toBe(before + 1);
  });

  it("an Idempotency-Key retry returns the stored case and creates nothing", async () => {
    const body = { packId: "guyuan", unitId: "t1-v1", channel: "phone", title: "重试", facts: guyuanFacts("14") };
    const a = await t.call("POST", "/api/cases", { token: intakeTok, body, headers: { "idempotency-key": "k-14" } });
    const b = await t.call("POST", "/api/cases", { token: intakeTok, body, headers: { "idempotency-key": "k-14" } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const [row] = await counter("%|guyuan|____0114**");
    expect(row?.value).toBe(1);
    const other = await t.call("POST", "/api/cases", { token: intakeTok, body: { ...body, title: "另一件" }, headers: { "idempotency-key": "k-14" } });
    expect(other.status).toBe(422);
    expect(other.body.issues[0].code).toBe("IDEMPOTENCY_KEY_REUSED");
  });
});

// Within the yellow limit (§二(三)8 "黄色等级化解时限不超过7天"): the cases are taken in now, so the deadline is three days on.
const soon = new Date(Date.now() + 3 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
const assign = { type: "assign", leadUnit: "t1", responsibleLeader: "镇长", responsibleUnit: "t1", cooperatingUnits: ["justice-office"], responsiblePerson: "李某", deadline: soon, measures: "上门调解" };

describe("events (POST /api/cases/:id/events)", () => {
  it("needs If-Match; a stale version is a 409 and leaves the case as it was", async () => {
    const c = await newCase("20");
    const none = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: assign });
    expect(none.status).toBe(428);
    const ok = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: assign, headers: { "if-match": '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    expect(ok.headers.get("etag")).toBe('"2"');
    const stale = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: handlerTok, body: { type: "progress", note: "走访" }, headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.body.issues[0].message.zh).toContain("案件已被他人更新");
    const now = await t.call("GET", `/api/cases/${c.body.id}`, { token: handlerTok });
    expect(now.body.version).toBe(2);
    expect(now.body.timeline.length).toBe(2);
  });

  it("two events at the same version: exactly one wins", async () => {
    const c = await newCase("21");
    const [a, b] = await Promise.all([
      t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: assign, headers: { "if-match": '"1"' } }),
      t.call("POST", `/api/cases/${c.body.id}/events`, { token: intakeTok, body: { type: "update", facts: { difficulty: "complex" } }, headers: { "if-match": '"1"' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ev = await t.call("GET", `/api/cases/${c.body.id}/events`, { token: dispatchTok });
    expect(ev.body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
  });

  it("an Idempotency-Key retry of an event returns the stored answer and applies it once", async () => {
    const c = await newCase("22");
    const h = { "if-match": '"1"', "idempotency-key": "ev-22" };
    const a = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: assign, headers: h });
    const b = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: assign, headers: h });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.version).toBe(2);
    const ev = await t.call("GET", `/api/cases/${c.body.id}/events`, { token: dispatchTok });
    expect(ev.body.events.length).toBe(2);
  });

  it("a refused event changes nothing but the audit log", async () => {
    const c = await newCase("23");
    const before = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.body.id).executeTakeFirstOrThrow();
    const count = async (table: "case_events" | "outbox" | "audit_log") => Number((await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    const [ev0, ob0] = [await count("case_events"), await count("outbox")];
    const au0 = Number((await t.store.db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("m")).where("county_code", "=", G).executeTakeFirstOrThrow()).m);
    const r = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: handlerTok, body: { type: "resolve", note: "x" }, headers: { "if-match": '"1"' } });
    expect(r.status).toBe(422);
    expect(r.body.issues[0].code).toBe("EVENT_NOT_ALLOWED");
    const bad = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: dispatchTok, body: { type: "assign" }, headers: { "if-match": '"1"' } });
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0].code).toBe("MISSING_FIELDS");
    const after = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.body.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    expect([await count("case_events"), await count("outbox")]).toEqual([ev0, ob0]);
    const rejected = await t.store.db.selectFrom("audit_log").select(["action", "case_id"]).where("county_code", "=", G).where("id", ">", au0).orderBy("id").execute();
    expect(rejected).toEqual([{ action: "event_rejected", case_id: c.body.id }, { action: "event_rejected", case_id: c.body.id }]);
  });

  it("a case walks to closed through the API; every case's event log replays to its stored snapshot", async () => {
    const c = await newCase("24");
    let v = 1;
    const step = async (token: string, body: object) => {
      const r = await t.call("POST", `/api/cases/${c.body.id}/events`, { token, body, headers: { "if-match": `"${v}"` } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.version;
      return r.body;
    };
    await step(dispatchTok, assign);
    await step(handlerTok, { type: "progress", note: "走访" });
    const resolved = await step(handlerTok, { type: "resolve", note: "达成协议" });
    expect(resolved.state).toBe("resolved");
    expect(resolved.toFollowUp).toBe(true);
    const supTok = await t.login(G, "supervisor");
    await step(supTok, { type: "followUp", agreementKept: true });
    const closed = await step(supTok, { type: "close", note: "结案" });
    expect(closed.state).toBe("closed");
    expect(closed.light).toBeNull();
    const engine = createEngine((await import("@jiceng/rules-guyuan")).default);
    const rows = await t.store.db.selectFrom("cases").select(["case_id", "snapshot", "version"]).where("county_code", "=", G).execute();
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      const events = await t.store.db.selectFrom("case_events").select(["seq", "event"]).where("county_code", "=", G).where("case_id", "=", row.case_id).orderBy("seq").execute();
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: row.version }, (_, i) => i + 1));
      expect(engine.replay(events.map((e) => e.event as never))).toEqual(row.snapshot);
    }
  });
});

describe("append-only and the audit chain", () => {
  it("the app role cannot UPDATE or DELETE case_events or audit_log", async () => {
    for (const stmt of ["update case_events set actor = 'x' where county_code = '640402'", "delete from case_events where county_code = '640402'", "update audit_log set actor = 'x' where county_code = '640402'", "delete from audit_log where county_code = '640402'", "update audit_seal set hash = hash where county_code = '640402'", "delete from audit_seal where county_code = '640402'"]) {
      await expect(sql.raw(stmt).execute(t.store.db), stmt).rejects.toThrow(/permission denied/);
    }
  });

  it("the hash chain verifies; a tampered, removed, reordered or slipped-in row is detected", async () => {
    const audTok = await t.login(G, "auditor");
    // Entries wait for the sealer; the verify endpoint seals what has committed, then walks the chain.
    const waiting = Number((await t.store.db.selectFrom("audit_pending").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    expect(waiting).toBeGreaterThan(50);
    const ok = await t.call("GET", "/api/audit/verify", { token: audTok });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, pending: 0 });
    expect(ok.body.rows).toBeGreaterThan(50);
    const forbidden = await t.call("GET", "/api/audit/verify", { token: intakeTok });
    expect(forbidden.status).toBe(403);
    // The chain is in commit order: every entry sealed once, seq gapless.
    const seals = await t.store.db.selectFrom("audit_seal").select(["seq", "entry_id"]).where("county_code", "=", G).orderBy("seq").execute();
    expect(seals.map((s) => Number(s.seq))).toEqual(seals.map((_, i) => i + 1));
    expect(new Set(seals.map((s) => s.entry_id)).size).toBe(seals.length);
    const entryAt = async (seq: number) => Number((await t.store.db.selectFrom("audit_seal").select("entry_id").where("county_code", "=", G).where("seq", "=", seq).executeTakeFirstOrThrow()).entry_id);
    const [e5, e7, e8, e9] = [await entryAt(5), await entryAt(7), await entryAt(8), await entryAt(9)];
    // Tamper as the owner (an attacker with the database password, not the app).
    await sql`update audit_log set actor = 'mallory' where county_code = ${G} and id = ${e5}`.execute(t.store.owner);
    const bad = await verifyAudit(t.store.db, G);
    expect(bad).toMatchObject({ ok: false, brokenAt: 5 });
    const body = (await t.store.db.selectFrom("audit_log").select(["body"]).where("county_code", "=", G).where("id", "=", e5).executeTakeFirstOrThrow()).body;
    await sql`update audit_log set actor = ${JSON.parse(body).actor} where county_code = ${G} and id = ${e5}`.execute(t.store.owner);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(true);
    await sql`update audit_log set body = body || ' ' where county_code = ${G} and id = ${e7}`.execute(t.store.owner);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: false, brokenAt: 7 });
    await sql`update audit_log set body = rtrim(body) where county_code = ${G} and id = ${e7}`.execute(t.store.owner);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(true);
    // Swap two entries' places in the chain (a reordering): both hashes stop following.
    await sql`update audit_seal set entry_id = case entry_id when ${e8}::bigint then -1 else entry_id end where county_code = ${G} and entry_id = ${e8}`.execute(t.store.owner);
    await sql`update audit_seal set entry_id = ${e8} where county_code = ${G} and entry_id = ${e9}`.execute(t.store.owner);
    await sql`update audit_seal set entry_id = ${e9} where county_code = ${G} and entry_id = -1`.execute(t.store.owner);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: false, brokenAt: 8 });
    await sql`update audit_seal set entry_id = -1 where county_code = ${G} and entry_id = ${e9}`.execute(t.store.owner);
    await sql`update audit_seal set entry_id = ${e9} where county_code = ${G} and entry_id = ${e8}`.execute(t.store.owner);
    await sql`update audit_seal set entry_id = ${e8} where county_code = ${G} and entry_id = -1`.execute(t.store.owner);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(true);
    // An entry slipped in behind the app (no seal, no marker) is found; so is one whose marker was removed.
    await sql`insert into audit_log (county_code, at, actor, action, body) values (${G}, now(), 'mallory', 'view', '{}')`.execute(t.store.owner);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: false, issue: { code: "AUDIT_CHAIN_BROKEN" } });
    await sql`delete from audit_log where county_code = ${G} and actor = 'mallory'`.execute(t.store.owner);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(true);
    // A sealed entry removed, and the last seal removed: both found.
    await sql`delete from audit_log where county_code = ${G} and id = ${e9}`.execute(t.store.owner);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: false, brokenAt: 9 });
    const last = (await t.store.db.selectFrom("audit_head").select("seq").where("county_code", "=", G).executeTakeFirstOrThrow()).seq;
    await sql`delete from audit_seal where county_code = ${G} and seq = ${last}`.execute(t.store.owner);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(false);
  });
});
