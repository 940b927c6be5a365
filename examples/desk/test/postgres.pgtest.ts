import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, principalOf } from "../src/auth/index.js";
import { sweepCounty } from "../src/cases/workers.js";
import { applyEvent, intake } from "../src/cases/service.js";
import { createDesk, DeskError, sealAudit, verifyAudit, type Desk } from "../src/context.js";
import { openStore } from "../src/db/store.js";
import { DEMO_PASSWORD } from "../src/seed.js";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

// PostgreSQL only: several connections and processes on one database.
let t: TestDesk;
let second: Desk;
const G = "640402";

beforeAll(async () => {
  if (!process.env["DATABASE_URL"]) throw new Error("postgres.pgtest.ts runs only with DATABASE_URL (required, never skipped)");
  t = await startTestDesk([G]);
  second = createDesk(await openStore({ databaseUrl: t.url!, poolSize: 10, guard: true }));
});
afterAll(async () => {
  expect(second?.store.violations ?? []).toEqual([]);
  await second?.store.close();
  await t?.close();
});

const admin = async (desk: Desk) => principalOf(desk.store.db, G, (await desk.store.db.selectFrom("users").select("user_id").where("county_code", "=", G).where("login", "=", "admin").executeTakeFirstOrThrow()).user_id);

describe("on PostgreSQL, with separate connections", () => {
  it("two sweep workers never tick a case twice", async () => {
    const p = await admin(t.desk);
    const n = 240;
    for (let i = 0; i < n; i += 12) {
      await Promise.all(Array.from({ length: 12 }, (_, k) => {
        const at = `2022-0${1 + ((i + k) % 9)}-1${(i + k) % 10}T10:00:00+08:00`;
        return intake(t.desk, p, { packId: "guyuan", unitId: "t1-v1", channel: "import", title: "待扫描", at, facts: guyuanFacts(String(10 + ((i + k) % 80)), { receivedAt: at }) }, { requestId: "pg" });
      }));
    }
    const run = async (desk: Desk) => {
      let ticked = 0;
      for (;;) {
        const s = await sweepCounty(desk, G, 7);
        ticked += s.ticked;
        if (s.claimed === 0) return ticked;
      }
    };
    const [a, b] = await Promise.all([run(t.desk), run(second)]);
    expect(a + b).toBe(n);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const ticks = await t.store.db.selectFrom("case_events").select((eb) => ["case_id", eb.fn.countAll().as("n")]).where("county_code", "=", G).where("type", "=", "tick").groupBy("case_id").execute();
    expect(ticks.length).toBe(n);
    expect(ticks.every((r) => Number(r.n) === 1)).toBe(true);
  });

  it("two connections applying an event at the same version: exactly one wins", async () => {
    const p1 = await admin(t.desk);
    const p2 = await admin(second);
    const tok = (await login(t.desk, { county: G, login: "intake", password: DEMO_PASSWORD })).principal;
    for (let i = 0; i < 15; i++) {
      const c = await intake(t.desk, tok, { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "竞争", facts: guyuanFacts("90") }, { requestId: "pg" });
      const id = (c.body as { id: string }).id;
      const results = await Promise.allSettled([
        applyEvent(t.desk, p1, id, { event: { type: "update", facts: { difficulty: "simple" }, note: "A" }, ifMatch: '"1"', requestId: "a" }),
        applyEvent(second, p2, id, { event: { type: "update", facts: { difficulty: "complex" } }, ifMatch: '"1"', requestId: "b" }),
      ]);
      const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.status : r.reason instanceof DeskError ? r.reason.status : String(r.reason)));
      expect(statuses.sort()).toEqual([200, 409]);
      const events = await t.store.db.selectFrom("case_events").select("seq").where("county_code", "=", G).where("case_id", "=", id).execute();
      expect(events.length).toBe(2);
    }
  });

  it("two sealers on separate connections, racing writers: every entry sealed exactly once, the chain verifies", async () => {
    const p = (await login(t.desk, { county: G, login: "intake", password: DEMO_PASSWORD })).principal;
    let writing = true;
    const sealer = async (desk: Desk) => {
      let n = 0;
      while (writing) n += await sealAudit(desk.store.db, G, { batch: 7 });
      return n + (await sealAudit(desk.store.db, G, { batch: 7 }));
    };
    const sealers = [sealer(t.desk), sealer(second)] as const;
    await Promise.all(Array.from({ length: 60 }, (_, i) => intake(i % 2 ? t.desk : second, p, { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "封链", facts: guyuanFacts(String(30 + (i % 5))) }, { requestId: "seal" })));
    writing = false;
    const [a, b] = await Promise.all(sealers);
    await sealAudit(t.store.db, G);
    expect(a + b).toBeGreaterThanOrEqual(60);
    const seals = await t.store.db.selectFrom("audit_seal").select(["seq", "entry_id"]).where("county_code", "=", G).orderBy("seq").execute();
    expect(seals.map((s) => Number(s.seq))).toEqual(seals.map((_, i) => i + 1));
    expect(new Set(seals.map((s) => Number(s.entry_id))).size).toBe(seals.length);
    const entries = Number((await t.store.db.selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    expect(seals.length).toBe(entries);
    expect(await verifyAudit(t.store.db, G)).toMatchObject({ ok: true, pending: 0, rows: entries });
  });

  it("kill -9 of a desk process during a burst of intakes loses no committed case and leaves no gap", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@jiceng/source", main], {
      env: { ...process.env, DATABASE_URL: t.url!, PORT: String(port), DESK_SEED: "0", DESK_WORKERS: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += String(d)));
    child.stderr!.on("data", (d) => (out += String(d)));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => out.includes("127.0.0.1:") && (clearInterval(timer), resolve()), 100);
      child.on("exit", (c) => reject(new Error(`desk exited ${c}: ${out}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const { token } = (await (await fetch(`${url}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ county: G, login: "intake", password: DEMO_PASSWORD }) })).json()) as { token: string };
    const committed: Array<{ id: string; number: string }> = [];
    let killed = false;
    let sent = 0;
    const worker = async (w: number) => {
      while (!killed && sent < 2000) {
        sent++;
        try {
          const r = await fetch(`${url}/api/cases`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ packId: "guyuan", unitId: "t1-v1", channel: "phone", title: `并发 ${w}`, facts: guyuanFacts(String(20 + (w % 3))) }) });
          if (r.status === 201) committed.push((await r.json()) as { id: string; number: string });
          else if (!killed) throw new Error(`status ${r.status}: ${await r.text()}`);
        } catch (err) {
          if (!killed) throw err;
        }
        if (committed.length >= 120 && !killed) {
          killed = true;
          child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on("exit", r)));
    expect(child.signalCode).toBe("SIGKILL");
    expect(committed.length).toBeGreaterThanOrEqual(120);
    const db = t.store.db;
    const stored = new Set((await db.selectFrom("cases").select("case_id").where("county_code", "=", G).where("channel", "=", "phone").execute()).map((r) => r.case_id));
    for (const c of committed) expect(stored.has(c.id)).toBe(true);
    // Every counter equals the number of cases in its scope, and their sequences are 1..n.
    const year = committed[0]!.number && new Date((await db.selectFrom("cases").select("received_at").where("county_code", "=", G).where("case_id", "=", committed[0]!.id).executeTakeFirstOrThrow()).received_at).getFullYear();
    const counters = await db.selectFrom("number_seq").select(["scope", "value"]).where("county_code", "=", G).where("scope", "like", `${year}|guyuan|____012_**`).execute();
    expect(counters.length).toBe(3);
    for (const k of counters) {
      const prefix = k.scope.split("|")[2]!.slice(0, 8);
      const rows = await db.selectFrom("cases").select("number").where("county_code", "=", G).where("channel", "=", "phone").where("number", "like", `${prefix}%`).execute();
      const seqs = rows.map((r) => Number(r.number.slice(-2))).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: k.value }, (_, i) => i + 1));
    }
    const orphans = await db.selectFrom("cases").select("case_id").where("county_code", "=", G).where("case_id", "not in", db.selectFrom("case_events").select("case_id").where("county_code", "=", G).where("seq", "=", 1)).execute();
    expect(orphans).toEqual([]);
  });
});
