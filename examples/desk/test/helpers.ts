import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect } from "vitest";
import { createDesk, type Desk } from "../src/context.js";
import { openStore, type Store } from "../src/db/store.js";
import { createApp } from "../src/http/app.js";
import { COUNTIES, DEMO_PASSWORD, seedCounty, seedPacks } from "../src/seed.js";

/** The PostgreSQL server the suite runs against (CI sets it), or undefined for PGlite. */
export const DATABASE_URL = process.env["DATABASE_URL"] || undefined;

/** A throwaway database on the PostgreSQL server: its URL and how to drop it. */
export async function createTestDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `desk_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestDesk {
  desk: Desk;
  store: Store;
  app: ReturnType<typeof createApp>;
  url?: string;
  /** Signs in a demo user of a county; returns its bearer token. */
  login(county: string, login: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** One desk per test file: PGlite in memory, or a fresh database on DATABASE_URL. Seeds packs and counties (no cases). */
export async function startTestDesk(counties: string[] = ["640402", "330781"]): Promise<TestDesk> {
  const db = DATABASE_URL ? await createTestDatabase(DATABASE_URL) : undefined;
  const store = await openStore({ databaseUrl: db?.url, guard: true, poolSize: 20 });
  const desk = createDesk(store);
  await seedPacks(store.owner);
  for (const code of counties) await seedCounty(desk, COUNTIES.find((c) => c.code === code)!);
  const app = createApp(desk, { webDist: "/nonexistent" });
  const call: TestDesk["call"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    const type = res.headers.get("content-type") ?? "";
    const body = type.includes("json") ? await res.json() : type.includes("text") ? await res.text() : new Uint8Array(await res.arrayBuffer());
    return { status: res.status, body, headers: res.headers };
  };
  const t: TestDesk = {
    desk,
    store,
    app,
    ...(db ? { url: db.url } : {}),
    async login(county, login) {
      const r = await call("POST", "/api/login", { body: { county, login, password: DEMO_PASSWORD } });
      expect(r.status).toBe(200);
      return r.body.token as string;
    },
    call,
    async close() {
      expect(store.violations, "statements that break the Citus tenant rules").toEqual([]);
      await store.close();
      await db?.drop();
    },
  };
  return t;
}

/** Guyuan facts a clerk enters (the server stamps receivedAt). */
export const guyuanFacts = (subunitCode = "01", extra: Record<string, unknown> = {}) => ({ source: "grid-worker", type: "dispute", unitCode: "01", subunitCode, difficulty: "simple", ...extra });
