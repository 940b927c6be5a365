// bench:desk — intakes per second with 1 and 4 desk processes on PostgreSQL (p50 / p99), and the
// sweep of 100k (and 1M with DESK_BENCH_MILLION=1) open due cases with 1 and 4 workers, counting
// double ticks. Needs DATABASE_URL (npm run bench:desk starts a throwaway cluster).
//
// Beside each figure: the load average (the machine is shared) and the CPU each side spent per
// intake or tick — the desk processes, PostgreSQL (postmaster and every backend, reaped ones too),
// and the load generator — so a figure taken on a busy machine can still be read: on C idle cores
// the ceiling is about C / (CPU seconds per operation).
//
//   DESK_BENCH=intake|sweep|intake,sweep   which parts (default both)
//   DESK_BENCH_SECONDS=15                  intake duration
//   DESK_BENCH_CLIENTS=32                  concurrent HTTP clients
//   DESK_BENCH_CASES=100000                sweep size (DESK_BENCH_MILLION=1 adds 1,000,000)
//   DESK_BENCH_WORKERS=1,4                 sweep worker counts
//   DESK_BENCH_BATCH=1000                  cases per sweep batch
//   DESK_BENCH_SOCKET=/var/run/postgresql  connect through the server's Unix socket instead of TCP
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { sql } from "kysely";
import pg from "pg";
import { sweepCounty } from "../src/cases/workers.js";
import { createDesk, sealAudit, verifyAudit } from "../src/context.js";
import { openStore, type Store } from "../src/db/store.js";
import { DEMO_PASSWORD, COUNTIES, seedCounty, seedPacks } from "../src/seed.js";
import { createTestDatabase } from "../test/helpers.js";

const base = (() => {
  const url = process.env["DATABASE_URL"];
  if (!url) throw new Error("bench:desk needs DATABASE_URL (npm run bench:desk starts a cluster)");
  // DESK_BENCH_SOCKET=/var/run/postgresql: the same server through its Unix socket (desk and database on one host).
  const socket = process.env["DESK_BENCH_SOCKET"];
  if (!socket) return url;
  const u = new URL(url);
  u.searchParams.set("host", socket);
  return u.toString();
})();
const transport = process.env["DESK_BENCH_SOCKET"] ? "Unix socket" : "TCP 127.0.0.1";
const G = "640402";
const seconds = Number(process.env["DESK_BENCH_SECONDS"] ?? 15);
const clients = Number(process.env["DESK_BENCH_CLIENTS"] ?? 32);
const batch = Number(process.env["DESK_BENCH_BATCH"] ?? 1000);
const sweepWorkers = (process.env["DESK_BENCH_WORKERS"] ?? "1,4").split(",").map(Number);
const out: string[] = [];
const log = (s: string) => {
  console.log(s);
  out.push(s);
};
const load = () => loadavg().map((x) => x.toFixed(1)).join(" / ");

/** CPU seconds (user + system) a process has used, with its reaped children when `children`. */
function cpuOf(pid: number, children = false): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    const tick = 100; // USER_HZ on Linux
    const [ut, st, cut, cst] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return (ut! + st! + (children ? cut! + cst! : 0)) / tick;
  } catch {
    return 0;
  }
}
/** PostgreSQL's CPU: the postmaster with its reaped children, plus the live backends. */
async function pgCpu(store: Store): Promise<number> {
  const dir = (await sql<{ d: string }>`select current_setting('data_directory') as d`.execute(store.owner)).rows[0]!.d;
  const postmaster = Number(readFileSync(join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
  let total = cpuOf(postmaster, true);
  for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const s = readFileSync(`/proc/${p}/stat`, "utf8");
      if (Number(s.slice(s.lastIndexOf(")") + 2).split(" ")[1]) === postmaster) total += cpuOf(Number(p));
    } catch {
      // gone
    }
  }
  return total;
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function freshDb() {
  const db = await createTestDatabase(base!);
  const store = await openStore({ databaseUrl: db.url, poolSize: 4 });
  const desk = createDesk(store);
  await seedPacks(store.owner);
  await seedCounty(desk, COUNTIES.find((c) => c.code === G)!);
  return { db, store, desk };
}

async function startDesk(url: string, port: number): Promise<ChildProcess> {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@jiceng/source", main], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), DESK_SEED: "0", DESK_WORKERS: "0", DESK_POOL_SIZE: "8" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      text += String(d);
      if (text.includes(`:${port}`)) resolve();
    });
    child.on("exit", (c) => reject(new Error(`desk exited ${c}`)));
  });
  return child;
}

// node:http with keep-alive: a lighter load generator than fetch (it shares the cores with the desk).
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function postJson(url: string, token: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;

async function intakes(processes: number) {
  const { db, store } = await freshDb();
  const ports = Array.from({ length: processes }, (_, i) => 21000 + Math.floor(Math.random() * 20000) + i);
  const children = await Promise.all(ports.map((p) => startDesk(db.url, p)));
  try {
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const token = ((await (await fetch(`${urls[0]}/api/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ county: G, login: "intake", password: DEMO_PASSWORD }) })).json()) as { token: string }).token;
    const lat: number[] = [];
    let errors = 0;
    let n = 0;
    const post = async (url: string) => {
      const unit = String(1 + (n % 99)).padStart(2, "0");
      const sub = String(1 + (Math.floor(n / 99) % 99)).padStart(2, "0");
      n++;
      const t0 = performance.now();
      const status = await postJson(`${url}/api/cases`, token, JSON.stringify({ packId: "guyuan", unitId: "t1-v1", channel: "phone", title: "压测", facts: { source: "public", type: "dispute", unitCode: unit, subunitCode: sub, difficulty: "simple" } }));
      if (status === 201) lat.push(performance.now() - t0);
      else errors++;
    };
    // warm-up: every process compiles the pack and prepares its statements
    for (let i = 0; i < 3; i++) await Promise.all(urls.map((u) => post(u)));
    lat.length = 0;
    // The audit sealer runs beside the intakes, as in production (one per county at a time).
    let sealing = true;
    let sealed = 0;
    const sealer = (async () => {
      while (sealing) {
        sealed += await sealAudit(store.db, G);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const cpu0 = { desk: children.reduce((a, c) => a + cpuOf(c.pid!), 0), pg: await pgCpu(store), client: selfCpu() };
    const load0 = load();
    const end = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < end) await post(urls[c % urls.length]!);
    }));
    const secs = (performance.now() - t0) / 1000;
    const cpu1 = { desk: children.reduce((a, c) => a + cpuOf(c.pid!), 0), pg: await pgCpu(store), client: selfCpu() };
    sealing = false;
    await sealer;
    sealed += await sealAudit(store.db, G);
    lat.sort((a, b) => a - b);
    const stored = Number((await store.db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    const chain = await verifyAudit(store.db, G);
    const per = (x: number) => ((x / lat.length) * 1000).toFixed(2);
    const total = cpu1.desk - cpu0.desk + cpu1.pg - cpu0.pg + cpu1.client - cpu0.client;
    log(`intake  ${processes} process(es), ${clients} clients, ${secs.toFixed(1)} s: ${(lat.length / secs).toFixed(0)} intakes/s, p50 ${pct(lat, 0.5).toFixed(1)} ms, p99 ${pct(lat, 0.99).toFixed(1)} ms, errors ${errors}, stored ${stored}; audit chain ${chain.ok ? "verifies" : "BROKEN"} (${chain.rows} sealed, ${chain.pending} pending)`);
    log(`        CPU per intake: desk ${per(cpu1.desk - cpu0.desk)} ms, PostgreSQL ${per(cpu1.pg - cpu0.pg)} ms, load generator ${per(cpu1.client - cpu0.client)} ms → ceiling on ${cpus().length} idle cores ≈ ${((cpus().length * lat.length) / total).toFixed(0)} intakes/s; load average ${load0} → ${load()}`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on("exit", r)))));
    await store.close();
    await db.drop();
  }
}

async function sweep(cases: number, workers: number) {
  const { db, store } = await freshDb();
  try {
    const engine = createEngine(guyuan);
    const at = "2022-06-20T10:00:00+08:00";
    const facts = { receivedAt: at, source: "public", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "simple" };
    const snap = engine.start({ type: "intake", at, facts, seq: 1 } as never);
    const cols = { state: snap.state, level: snap.context.level, rank: snap.context.rank, due: snap.context.dueAt, warn: snap.context.warnAt ?? null, next: engine.nextTickAt(snap) };
    const t0 = performance.now();
    const chunk = 50_000;
    for (let i = 0; i < cases; i += chunk) {
      await sql`insert into cases (county_code, case_id, number, number_year, pack_id, pack_version, channel, title, state, status, level, rank, intake_unit_id, unit_id, received_at, due_at, warn_at, next_tick_at, last_event_at, snapshot, version, created_by)
        select ${G}, gen_random_uuid(), 'B' || g, 2022, 'guyuan', '1.0.0', 'import', 'bench', ${cols.state}, 'open', ${cols.level}, ${cols.rank}, 't1-v1', 't1-v1', ${at}, ${cols.due}, ${cols.warn}, ${cols.next}, ${at}, ${JSON.stringify(snap)}::jsonb, 1, gen_random_uuid()
        from generate_series(${i + 1}::int, ${Math.min(cases, i + chunk)}::int) g`.execute(store.owner);
    }
    await sql`vacuum analyze cases`.execute(store.owner);
    const loadS = (performance.now() - t0) / 1000;
    const stores = await Promise.all(Array.from({ length: workers }, () => openStore({ databaseUrl: db.url, poolSize: 1 })));
    const cpu0 = { pg: await pgCpu(store), self: selfCpu() };
    const load0 = load();
    const t1 = performance.now();
    const ticked = await Promise.all(stores.map(async (s, w) => {
      const desk = createDesk(s);
      let n = 0;
      for (;;) {
        const r = await sweepCounty(desk, G, batch, { worker: `bench-worker-${w + 1}` });
        n += r.ticked;
        if (r.claimed === 0) return n;
      }
    }));
    const secs = (performance.now() - t1) / 1000;
    const cpu1 = { pg: await pgCpu(store), self: selfCpu() };
    const doubles = Number((await sql<{ n: number }>`select count(*)::int as n from (select case_id from case_events where county_code = ${G} and type = 'tick' group by case_id having count(*) > 1) d`.execute(store.db)).rows[0]!.n);
    const missed = Number((await sql<{ n: number }>`select count(*)::int as n from cases where county_code = ${G} and version = 1`.execute(store.db)).rows[0]!.n);
    const total = ticked.reduce((a, b) => a + b, 0);
    const per = (x: number) => ((x / total) * 1e6).toFixed(0);
    log(`sweep   ${cases.toLocaleString("en")} open due cases, ${workers} worker(s), batch ${batch}: ${secs.toFixed(1)} s (${(total / secs).toFixed(0)} ticks/s), ticked ${total}, per worker [${ticked.join(", ")}], double ticks ${doubles}, not ticked ${missed} (load ${loadS.toFixed(1)} s)`);
    log(`        CPU per tick: workers ${per(cpu1.self - cpu0.self)} µs, PostgreSQL ${per(cpu1.pg - cpu0.pg)} µs → ceiling on ${cpus().length} idle cores ≈ ${((cpus().length * total) / (cpu1.self - cpu0.self + cpu1.pg - cpu0.pg)).toFixed(0)} ticks/s; load average ${load0} → ${load()}`);
    for (const s of stores) await s.close();
  } finally {
    await store.close();
    await db.drop();
  }
}

const version = await (async () => {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  const v = (await c.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;
  await c.end();
  return v;
})();
log(`bench:desk ${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? "cpu"} · PostgreSQL ${version} over ${transport} · load average ${load()}`);
const which = (process.env["DESK_BENCH"] ?? "intake,sweep").split(",");
if (which.includes("intake")) {
  await intakes(1);
  await intakes(4);
}
if (which.includes("sweep")) {
  const n = Number(process.env["DESK_BENCH_CASES"] ?? 100_000);
  for (const w of sweepWorkers) await sweep(n, w);
  if (process.env["DESK_BENCH_MILLION"] === "1") for (const w of sweepWorkers) await sweep(1_000_000, w);
}
console.log("\n" + out.join("\n"));
