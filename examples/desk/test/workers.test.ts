import { SNAPSHOT_FORMAT, createEngine } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SWEEP_WORKER, deliverOutbox, sweepAll, sweepCounty } from "../src/cases/workers.js";
import { sealAudit, verifyAudit } from "../src/context.js";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

let t: TestDesk;
let adminTok: string;
const G = "640402";
const engine = createEngine(guyuan);

beforeAll(async () => {
  t = await startTestDesk([G]);
  adminTok = await t.login(G, "admin");
}, 180_000);
afterAll(async () => t?.close());

/** Imports a legacy case received `daysAgo` days before the database clock (admin, client time). */
async function importCase(at: string, subunit: string) {
  const r = await t.call("POST", "/api/cases", { token: adminTok, body: { packId: "guyuan", unitId: "t1-v1", channel: "import", title: "历史案件", at, facts: guyuanFacts(subunit, { receivedAt: at }) } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

describe("the sweep worker", () => {
  it("ticks each due case exactly once per timer it crossed, writes only what core changed, and recomputes next_tick_at", async () => {
    const old = ["2022-06-01T10:00:00+08:00", "2022-06-02T10:00:00+08:00", "2022-06-03T10:00:00+08:00"];
    const cases = [];
    for (const [i, at] of old.entries()) cases.push(await importCase(at, `3${i}`));
    // One case not due: received now (its first timer is days away).
    const fresh = await t.call("POST", "/api/cases", { token: await t.login(G, "intake"), body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "新", facts: guyuanFacts("39") } });
    expect(fresh.status).toBe(201);
    const first = await sweepAll(t.desk, { batch: 2 });
    expect(first.ticked).toBe(3);
    expect(first.skipped).toBe(0);
    const second = await sweepAll(t.desk);
    expect(second).toMatchObject({ claimed: 0, ticked: 0 });
    // Each tick that changed a case is covered by an audit entry of the worker naming the case and its new version.
    const tickAudit = (await t.store.db.selectFrom("audit_log").select(["actor", "action", "body"]).where("county_code", "=", G).where("actor", "=", SWEEP_WORKER).execute()).map((a) => ({ ...a, detail: JSON.parse(a.body).detail }));
    expect(tickAudit.every((a) => a.action === "event" && a.detail.type === "tick")).toBe(true);
    const covered = tickAudit.flatMap((a) => a.detail.cases as Array<[string, number]>);
    expect(covered.sort()).toEqual(cases.map((c) => [c.id, 2]).sort());
    for (const c of cases) {
      const events = await t.store.db.selectFrom("case_events").select(["type", "event", "seq", "actor"]).where("county_code", "=", G).where("case_id", "=", c.id).orderBy("seq").execute();
      expect(events.map((e) => e.type)).toEqual(["intake", "tick"]);
      expect(events[1]!.actor).toBe(SWEEP_WORKER);
      const row = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.id).executeTakeFirstOrThrow();
      // What core would have done with the same tick, and nothing more.
      const replayed = engine.replay(events.map((e) => e.event as never));
      expect(row.snapshot).toEqual(replayed);
      expect(row.overdue).toBe(true);
      expect(row.version).toBe(2);
      expect(row.next_tick_at).toBeNull();
    }
    const f = await t.store.db.selectFrom("cases").select(["version", "next_tick_at"]).where("county_code", "=", G).where("case_id", "=", fresh.body.id).executeTakeFirstOrThrow();
    expect(f.version).toBe(1);
    expect(new Date(f.next_tick_at!).toISOString()).toBe(new Date(fresh.body.nextTickAt).toISOString());
  });

  it("skips a case a user holds (FOR UPDATE SKIP LOCKED) and takes it next round", async () => {
    const c = await importCase("2022-07-01T10:00:00+08:00", "40");
    let during: Awaited<ReturnType<typeof sweepCounty>> | undefined;
    if (t.store.kind === "postgres") {
      await t.store.db.transaction().execute(async (trx) => {
        await trx.selectFrom("cases").select("case_id").where("county_code", "=", G).where("case_id", "=", c.id).forUpdate().execute();
        during = await sweepCounty(t.desk, G);
      });
      expect(during!.claimed).toBe(0);
    }
    const after = await sweepCounty(t.desk, G);
    expect(after.ticked).toBe(1);
  });

  it("after the sweeps, every case's event log replays to its stored snapshot, and the audit chain verifies", async () => {
    // Cases moved by users first, then overdue: the sweep's ticks land between user events.
    const c = await importCase("2022-08-01T10:00:00+08:00", "41");
    // An imported history: the admin gives the event's time.
    const r = await t.call("POST", `/api/cases/${c.id}/events`, { token: adminTok, body: { type: "assign", at: "2022-08-01T12:00:00+08:00", leadUnit: "t1", responsibleLeader: "镇长", responsibleUnit: "t1", responsiblePerson: "李某", deadline: "2022-08-05", measures: "上门调解" }, headers: { "if-match": '"1"' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const swept = await sweepAll(t.desk);
    expect(swept.ticked).toBeGreaterThan(0);
    const rows = await t.store.db.selectFrom("cases").select(["case_id", "snapshot", "version"]).where("county_code", "=", G).execute();
    let ticked = 0;
    for (const row of rows) {
      const events = await t.store.db.selectFrom("case_events").select(["seq", "event", "type"]).where("county_code", "=", G).where("case_id", "=", row.case_id).orderBy("seq").execute();
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: row.version }, (_, i) => i + 1));
      ticked += events.filter((e) => e.type === "tick").length;
      expect(engine.replay(events.map((e) => e.event as never))).toEqual(row.snapshot);
    }
    expect(ticked).toBeGreaterThanOrEqual(5);
    await sealAudit(t.store.db, G);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: true, pending: 0 });
  });
});

describe("the outbox worker", () => {
  it("delivers in-app notifications once, to the case's unit", async () => {
    const r = await deliverOutbox(t.desk, G);
    expect(r.delivered).toBeGreaterThan(0);
    expect(r.failed).toBe(0);
    const again = await deliverOutbox(t.desk, G);
    expect(again.claimed).toBe(0);
    const n = await t.store.db.selectFrom("notifications").select(["unit_id", "outbox_id"]).where("county_code", "=", G).execute();
    expect(n.length).toBe(r.delivered);
    expect(new Set(n.map((x) => x.outbox_id)).size).toBe(n.length);
    const town = await t.login(G, "town");
    const list = await t.call("GET", "/api/notifications", { token: town });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((x: { unitId: string }) => x.unitId.startsWith("t1"))).toBe(true);
  });

  it("backs off a failing channel and records the error", async () => {
    await t.store.db.insertInto("outbox").values({ county_code: G, kind: "test", channel: "sms", payload: JSON.stringify({ unitId: "t1" }) }).execute();
    const r = await deliverOutbox(t.desk, G);
    expect(r.failed).toBe(1);
    const row = await t.store.db.selectFrom("outbox").selectAll().where("county_code", "=", G).where("channel", "=", "sms").executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain("no deliverer");
    expect(new Date(row.available_at).getTime()).toBeGreaterThan(new Date(row.created_at).getTime());
    expect((await deliverOutbox(t.desk, G)).claimed).toBe(0);
  });
});

// Last: its sweep writes an audit entry the tests above do not expect.
describe("rows of an older snapshot format (issue 17)", () => {
  it("reads a row stored in snapshot format 1 (before issue 17): the same timeline, migrated on read, written back as format 3 with its next change", async () => {
    const c = await importCase("2022-06-05T10:00:00+08:00", "38");
    const row = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.id).executeTakeFirstOrThrow();
    const stored = row.snapshot as never as Parameters<typeof engine.history>[0];
    // The row as the format 1 engine wrote it: no format, each history entry with its seq and zh / en sentence.
    const { format: _f, ...rest } = stored;
    const v1 = { ...rest, context: { ...stored.context, history: engine.history(stored) } };
    expect(v1).not.toHaveProperty("format");
    await t.store.db.updateTable("cases").set({ snapshot: JSON.stringify(v1) as never }).where("county_code", "=", G).where("case_id", "=", c.id).execute();
    const page = await t.call("GET", `/api/cases/${c.id}`, { token: adminTok });
    expect(page.status).toBe(200);
    expect(page.body.timeline).toEqual(engine.history(stored));
    expect(page.body.timeline[0].summary.zh).toContain("受理并定级");
    const swept = await sweepAll(t.desk);
    expect(swept.skipped).toBe(0);
    const after = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.id).executeTakeFirstOrThrow();
    const events = await t.store.db.selectFrom("case_events").select(["event"]).where("county_code", "=", G).where("case_id", "=", c.id).orderBy("seq").execute();
    expect(after.snapshot).toEqual(engine.replay(events.map((e) => e.event as never)));
    expect((after.snapshot as { format?: number }).format).toBe(SNAPSHOT_FORMAT);
    expect(SNAPSHOT_FORMAT).toBe(3);
  });
  it("reads a row stored in snapshot format 2 (every history entry with its state and level): the same timeline, migrated on read, written back as format 3 with its next change", async () => {
    const c = await importCase("2022-06-06T10:00:00+08:00", "39");
    const post = async (version: number, body: Record<string, unknown>) => {
      const r = await t.call("POST", `/api/cases/${c.id}/events`, { token: adminTok, body, headers: { "if-match": `"${version}"` } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    await post(1, { type: "assign", at: "2022-06-06T11:00:00+08:00", leadUnit: "t1", responsibleUnit: "t1", responsiblePerson: "李某", deadline: "2022-06-10", measures: "上门调解" });
    await post(2, { type: "progress", at: "2022-06-06T12:00:00+08:00", note: "走访" });
    const row = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.id).executeTakeFirstOrThrow();
    const stored = row.snapshot as never as Parameters<typeof engine.history>[0];
    // The row as the format 2 engine wrote it: format 2, every entry with the case's state and level.
    let state: string | undefined;
    let level: string | undefined;
    const history = stored.context.history.map((e) => {
      state = e.state ?? state;
      level = e.level ?? level;
      const { type, at, state: _s, level: _l, ...rest } = e;
      return { type, at, state, level, ...rest };
    });
    expect(history.length).toBeGreaterThan(1);
    expect(stored.context.history.some((e) => e.state === undefined)).toBe(true);
    const v2 = { ...stored, format: 2, context: { ...stored.context, history } };
    await t.store.db.updateTable("cases").set({ snapshot: JSON.stringify(v2) as never }).where("county_code", "=", G).where("case_id", "=", c.id).execute();
    const page = await t.call("GET", `/api/cases/${c.id}`, { token: adminTok });
    expect(page.status).toBe(200);
    expect(page.body.timeline).toEqual(engine.history(stored));
    const swept = await sweepAll(t.desk);
    expect(swept.skipped).toBe(0);
    const after = await t.store.db.selectFrom("cases").selectAll().where("county_code", "=", G).where("case_id", "=", c.id).executeTakeFirstOrThrow();
    const events = await t.store.db.selectFrom("case_events").select(["event"]).where("county_code", "=", G).where("case_id", "=", c.id).orderBy("seq").execute();
    expect(after.snapshot).toEqual(engine.replay(events.map((e) => e.event as never)));
    expect((after.snapshot as { format?: number }).format).toBe(3);
  });
});
