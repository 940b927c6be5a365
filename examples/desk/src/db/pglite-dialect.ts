import type { PGlite } from "@electric-sql/pglite";
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from "kysely";

/**
 * A Kysely dialect for PGlite, kept in the app. PGlite has one session, so a connection is the
 * session behind a mutex: a transaction owns it from BEGIN to COMMIT and nothing interleaves.
 * Statements without parameters go through `exec()` (simple protocol), so a migration file with
 * many statements runs as one call.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}
  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    if (q.parameters.length === 0) {
      const results = await this.pg.exec(q.sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: BigInt(last?.affectedRows ?? 0) };
    }
    const r = await this.pg.query<R>(q.sql, q.parameters as unknown[]);
    return { rows: r.rows, numAffectedRows: BigInt(r.affectedRows ?? 0) };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite dialect: streaming is not supported");
  }
}

/** One queue per PGlite instance, shared by every Kysely built on it (the session is one). */
const sessions = new WeakMap<PGlite, { queue: Promise<void>; release: (() => void) | undefined }>();

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private readonly session: { queue: Promise<void>; release: (() => void) | undefined };
  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
    let s = sessions.get(pg);
    if (!s) sessions.set(pg, (s = { queue: Promise.resolve(), release: undefined }));
    this.session = s;
  }
  async init() {
    await this.pg.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.session.queue;
    let release!: () => void;
    this.session.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.session.release = release;
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: { isolationLevel?: string; accessMode?: string }) {
    const parts = ["begin"];
    if (settings.isolationLevel) parts.push(`isolation level ${settings.isolationLevel}`);
    if (settings.accessMode) parts.push(settings.accessMode);
    await conn.executeQuery(CompiledQuery.raw(parts.join(" ")));
  }
  async commitTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(conn: DatabaseConnection) {
    await conn.executeQuery(CompiledQuery.raw("rollback"));
  }
  async releaseConnection() {
    const r = this.session.release;
    this.session.release = undefined;
    r?.();
  }
  async destroy() {
    // The owner of the PGlite instance closes it.
  }
}
