import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

// The 工作台 search finds a case by any fragment of its number, served by an index (not a read of
// every case of the county); instants in requests are read strictly, as core reads them.
let t: TestDesk;
const G = "640402";
let head = "";
const numbers: string[] = [];

beforeAll(async () => {
  t = await startTestDesk([G]);
  const intake = await t.login(G, "intake");
  head = await t.login(G, "head");
  for (let i = 0; i < 6; i++) {
    const r = await t.call("POST", "/api/cases", { token: intake, body: { packId: "guyuan", unitId: "t1-v1", channel: "phone", title: `检索 ${i}`, facts: guyuanFacts(String(60 + i)) } });
    expect(r.status).toBe(201);
    numbers.push(r.body.number as string);
  }
}, 180_000);
afterAll(async () => t?.close());

describe("search by number", () => {
  it("any fragment of three or more characters finds exactly the cases whose number holds it", async () => {
    for (const n of numbers) {
      for (const fragment of [n, n.slice(1, -1), n.slice(-4), n.slice(2, 6)]) {
        const r = await t.call("GET", `/api/cases?limit=200&q=${encodeURIComponent(fragment)}`, { token: head });
        expect(r.status).toBe(200);
        const found = r.body.items.map((c: { number: string }) => c.number).sort();
        expect(found, fragment).toEqual(numbers.filter((x) => x.includes(fragment)).sort());
      }
    }
    // LIKE's own wildcards are searched for literally.
    expect((await t.call("GET", "/api/cases?q=%25%25%25", { token: head })).body.items).toEqual([]);
    expect((await t.call("GET", "/api/cases?q=___", { token: head })).body.items).toEqual([]);
  });

  it("with a county's worth of cases, the planner serves the search from the trigram index", async () => {
    // 20,000 more cases in the county (copies of one with other ids and numbers), then the search's
    // own WHERE clause, planned with the default settings.
    // …in a transaction that is rolled back, so the other tests see the county as it was.
    const ROLLBACK = new Error("rollback");
    let plan = "";
    await t.store.owner.transaction().execute(async (trx) => {
      const cols = (await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'cases' order by ordinal_position`.execute(trx)).rows.map((r) => r.column_name);
      const pick = cols.map((c) => (c === "case_id" ? sql`gen_random_uuid()` : c === "number" ? sql`'BULK' || lpad(g::text, 6, '0')` : sql.ref(`c.${c}`)));
      await sql`insert into cases (${sql.join(cols.map((c) => sql.ref(c)))}) select ${sql.join(pick)} from cases c, generate_series(1, 20000) g where c.county_code = ${G} and c.number = ${numbers[0]!}`.execute(trx);
      await sql`analyze cases`.execute(trx);
      const rows = await sql<{ "QUERY PLAN": string }>`explain select case_id from cases where county_code = ${G} and number like ${`%${numbers[0]!.slice(-5)}%`}`.execute(trx);
      plan = rows.rows.map((r) => r["QUERY PLAN"]).join("\n");
      throw ROLLBACK;
    }).catch((e: unknown) => {
      if (e !== ROLLBACK) throw e;
    });
    expect(plan).toContain("cases_number_trgm");
    const left = await t.store.owner.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(numbers.length);
  });
});

describe("instants in requests are ISO 8601 with an offset and a real date", () => {
  it("dueBefore: 2022-06-31 (which Date.parse reads as 1 July) and a text without an offset are refused at query.dueBefore", async () => {
    for (const bad of ["2022-06-31T10:00:00+08:00", "2022-06-20T10:00:00", "2023-02-29T00:00:00Z", "yesterday"]) {
      const r = await t.call("GET", `/api/cases?dueBefore=${encodeURIComponent(bad)}`, { token: head });
      expect(r.status, bad).toBe(422);
      expect(r.body.issues[0].path).toEqual(["query", "dueBefore"]);
      expect(r.body.issues[0].message.zh).toContain("ISO 8601");
    }
    const ok = await t.call("GET", `/api/cases?limit=200&dueBefore=${encodeURIComponent("2100-01-01T00:00:00+08:00")}`, { token: head });
    expect(ok.status).toBe(200);
    expect(ok.body.items.length).toBe(numbers.length);
  });

  it("a cursor whose instant is not real is refused at query.cursor (not a database error)", async () => {
    const cursor = Buffer.from("2022-06-31T10:00:00+08:00|00000000-0000-0000-0000-000000000000").toString("base64url");
    const r = await t.call("GET", `/api/cases?cursor=${cursor}`, { token: head });
    expect(r.status).toBe(422);
    expect(r.body.issues[0].path).toEqual(["query", "cursor"]);
  });
});
