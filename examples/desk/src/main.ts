import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { createDesk } from "./context.js";
import { DataDirLockedError } from "./db/lock.js";
import { openStore } from "./db/store.js";
import { createApp } from "./http/app.js";
import { COUNTIES, DEMO_PASSWORD, DEMO_USERS, seed } from "./seed.js";
import { startWorkers } from "./cases/workers.js";

const env = process.env;
const port = Number(env["PORT"] ?? 8787);
const databaseUrl = env["DATABASE_URL"] || undefined;
const dataDir = databaseUrl ? undefined : resolve(env["DESK_DATA_DIR"] ?? fileURLToPath(new URL("../.data/", import.meta.url)));

async function main() {
  const t0 = performance.now();
  console.log(databaseUrl ? "连接 PostgreSQL… / connecting to PostgreSQL…" : `打开 PGlite 数据目录 ${dataDir}（首次启动需初始化，约十几秒）… / opening the PGlite data directory (the first start initialises it)…`);
  let store;
  try {
    store = await openStore({ databaseUrl, dataDir, poolSize: Number(env["DESK_POOL_SIZE"] ?? 10) });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const desk = createDesk(store);
  const seeded = env["DESK_SEED"] === "0" ? { counties: [], cases: 0 } : await seed(desk);
  const workers = env["DESK_WORKERS"] === "0" ? undefined : startWorkers(desk, { intervalMs: Number(env["DESK_SWEEP_MS"] ?? 30_000), sealMs: Number(env["DESK_SEAL_MS"] ?? 1_000), onError: (e) => console.error("[workers]", e) });
  const app = createApp(desk);
  const server = serve({ fetch: app.fetch, port, hostname: env["HOST"] ?? "127.0.0.1" }, (info) => {
    const url = `http://${info.address === "::" ? "localhost" : info.address}:${info.port}`;
    console.log(`
jiceng 综治中心案件台已启动 / the jiceng case desk is running  (${Math.round(performance.now() - t0)} ms)
  地址 URL:        ${url}
  接口 API:        ${url}/api/openapi.json   健康 health: ${url}/healthz
  数据库 Database: ${store.kind === "pglite" ? `PGlite ${dataDir}` : "PostgreSQL (DATABASE_URL)"}${seeded.counties.length ? `\n  已初始化 Seeded: ${seeded.counties.length} 个县（区）counties, ${seeded.cases} 件案件 cases` : ""}

演示账号（密码均为 ${DEMO_PASSWORD}）/ demo logins (password ${DEMO_PASSWORD} for all):
  县（区）代码 county codes: ${COUNTIES.map((c) => `${c.code} ${c.name.zh}`).join("；")}
${DEMO_USERS.map((u) => `  ${u.login.padEnd(11)} ${u.name}`).join("\n")}
  例 e.g.: curl -s ${url}/api/login -H 'content-type: application/json' -d '{"county":"640402","login":"intake","password":"${DEMO_PASSWORD}"}'
`);
  });
  const stop = async () => {
    server.close();
    await workers?.stop();
    await store.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
