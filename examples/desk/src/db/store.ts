import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PostgresDialect, sql, type DatabaseConnection, type Dialect, type Driver } from "kysely";
import pg from "pg";
import { lockDataDir } from "./lock.js";
import { PGliteDialect } from "./pglite-dialect.js";
import { TENANT_TABLES, type DB } from "./types.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Where the data lives: PGlite in a directory (or in memory for tests), or a PostgreSQL server. */
export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; omitted with no databaseUrl → in memory. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** Check every statement against the Citus rules (tests turn it on). */
  guard?: boolean;
}

export interface Store {
  kind: "pglite" | "postgres";
  /** The app's connection: runs as the restricted role jiceng_app. */
  db: Kysely<DB>;
  /** The owner's connection, for migrations and the first seed only. */
  owner: Kysely<DB>;
  /** Statements that broke the tenant rules (when `guard` is on). */
  violations: string[];
  close(): Promise<void>;
}

// int8 comes back as a string from pg and as a number from PGlite: both become numbers.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * An idle pooled connection the server ended (restart, failover, pg_terminate_backend): pg drops it
 * from the pool and the next query opens a new one. Without this listener node-postgres re-throws
 * the error as an uncaught exception and the desk process dies.
 */
function idleClientLost(err: Error & { code?: string }): void {
  if (err.code === "57P01") return; // terminated by an administrator: a shutdown or a dropped database
  console.warn(`数据库空闲连接断开，将自动重连 / an idle database connection was lost and will be replaced: ${err.message}`);
}

/**
 * Named prepared statements for the hot paths: a statement whose text starts with `/* desk:<name> *\/`
 * is sent with a name derived from its text, so each connection parses and plans it once. Every
 * other statement goes through unchanged.
 */
function preparing(pool: pg.Pool): pg.Pool {
  const clients = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const names = new Map<string, string>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    let w = clients.get(client);
    if (w) return w;
    w = new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== "query") return Reflect.get(target, prop, receiver);
        return (text: unknown, values?: unknown[]) => {
          if (typeof text === "string" && text.startsWith("/* desk:")) {
            let name = names.get(text);
            if (!name) names.set(text, (name = `desk_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`));
            return target.query({ name, text, values: values ?? [] });
          }
          return (target.query as (t: unknown, v?: unknown[]) => unknown)(text, values);
        };
      },
    });
    clients.set(client, w);
    return w;
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === "connect") return async () => wrap(await target.connect());
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Opens the store, takes the data-directory lock (PGlite), runs the migrations, switches to the app role. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const violations: string[] = [];
  const guard = options.guard ? (s: string) => checkTenantSql(s, violations) : undefined;
  if (options.databaseUrl) {
    const ownerPool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    ownerPool.on("error", idleClientLost);
    const owner = new Kysely<DB>({ dialect: new PostgresDialect({ pool: ownerPool }) });
    await migrate(owner);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on("error", idleClientLost);
    pool.on("connect", (client) => {
      client.query("SET ROLE jiceng_app").catch(() => {});
    });
    const db = new Kysely<DB>({ dialect: guarded(new PostgresDialect({ pool: preparing(pool) }), guard) });
    return {
      kind: "postgres",
      db,
      owner,
      violations,
      async close() {
        await db.destroy();
        await owner.destroy();
      },
    };
  }
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    const pglite = new PGlite({ ...(options.dataDir ? { dataDir: join(options.dataDir, "pgdata") } : {}), extensions: { pg_trgm } });
    await pglite.waitReady;
    const owner = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    await migrate(owner);
    let appRole = false;
    // One session: whoever takes it sets the role it needs (the owner migrates and seeds first).
    const db = new Kysely<DB>({ dialect: guarded(new PGliteDialect(pglite), guard, async () => {
      if (!appRole) await pglite.exec("SET ROLE jiceng_app");
      appRole = true;
    }) });
    return {
      kind: "pglite",
      db,
      owner: new Kysely<DB>({ dialect: guarded(new PGliteDialect(pglite), undefined, async () => {
        if (appRole) await pglite.exec("RESET ROLE");
        appRole = false;
      }) }),
      violations,
      async close() {
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Applies the .sql files not applied yet, in order, in one transaction under an advisory lock. */
export async function migrate(db: Kysely<DB>): Promise<string[]> {
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(7231001)`.execute(trx);
    await sql.raw(`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`).execute(trx);
    const done = new Map((await trx.selectFrom("schema_migrations").select(["name", "sha256"]).execute()).map((r) => [r.name, r.sha256]));
    const applied: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(MIGRATIONS_DIR, f), "utf8");
      const hash = createHash("sha256").update(text).digest("hex");
      const seen = done.get(f);
      if (seen !== undefined) {
        if (seen !== hash) throw new Error(`迁移 ${f} 已应用后被修改 / migration ${f} was changed after it was applied`);
        continue;
      }
      await sql.raw(text).execute(trx);
      await trx.insertInto("schema_migrations").values({ name: f, sha256: hash }).execute();
      applied.push(f);
    }
    return applied;
  });
}

/** The migration files and whether each is applied (for /healthz). */
export async function migrationStatus(db: Kysely<DB>): Promise<{ expected: string[]; applied: string[] }> {
  const expected = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort();
  const applied = (await db.selectFrom("schema_migrations").select("name").orderBy("name").execute()).map((r) => r.name);
  return { expected, applied };
}

const TENANT_RE = new RegExp(`\\b(?:from|join|update|into)\\s+"?(${TENANT_TABLES.join("|")})"?(?![\\w])`, "gi");

/**
 * The Citus rules on one statement: a statement on a tenant table names county_code (so it is
 * routed to one shard, or filtered per tenant), and FOR UPDATE appears only with a county_code
 * equality (a single-county statement).
 */
export function checkTenantSql(text: string, violations: string[]): void {
  const s = text.replace(/\s+/g, " ");
  if (/^\s*(begin|commit|rollback|set |reset |select pg_advisory)/i.test(s)) return;
  const tables = [...s.matchAll(TENANT_RE)].map((m) => m[1]!.toLowerCase());
  if (tables.length === 0) return;
  if (!/county_code/i.test(s)) violations.push(`no county_code: ${s.slice(0, 300)}`);
  if (/\bfor (no key )?update\b/i.test(s) && !/"?county_code"?\s*=\s*(\$\d+|'[^']*')/i.test(s)) violations.push(`FOR UPDATE without a single county: ${s.slice(0, 300)}`);
}

/** Wraps a dialect: checks each statement (guard) and runs hooks when a connection is taken. */
function guarded(inner: Dialect, guard?: (sql: string) => void, onAcquire?: () => Promise<void>): Dialect {
  if (!guard && !onAcquire) return inner;
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver(): Driver {
      const d = inner.createDriver();
      return {
        init: () => d.init(),
        async acquireConnection(): Promise<DatabaseConnection> {
          const c = await d.acquireConnection();
          await onAcquire?.();
          if (!guard) return c;
          return {
            executeQuery(q) {
              guard(q.sql);
              return c.executeQuery(q);
            },
            streamQuery: (q, n) => c.streamQuery(q, n),
            // keep identity for release
            __inner: c,
          } as DatabaseConnection & { __inner: DatabaseConnection };
        },
        beginTransaction: (c, s) => d.beginTransaction(unwrap(c), s),
        commitTransaction: (c) => d.commitTransaction(unwrap(c)),
        rollbackTransaction: (c) => d.rollbackTransaction(unwrap(c)),
        releaseConnection: (c) => d.releaseConnection(unwrap(c)),
        destroy: () => d.destroy(),
      };
    },
  };
}
const unwrap = (c: DatabaseConnection): DatabaseConnection => (c as { __inner?: DatabaseConnection }).__inner ?? c;
