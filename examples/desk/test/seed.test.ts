import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDesk } from "../src/context.js";
import { openStore, type Store } from "../src/db/store.js";
import { COUNTIES, seed } from "../src/seed.js";
import { createTestDatabase, DATABASE_URL } from "./helpers.js";

// `npm start` seeds each county with cases spread over their lifecycles — "old and closed, resolved,
// in progress, new" — so every page has something to show. Each case is moved by real events through
// the desk; an event the pack refuses is a seeding bug, and so is a lifecycle stuck at one step.
describe("the demo seed", () => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  const warnings: string[] = [];
  let result: { counties: string[]; cases: number };

  beforeAll(async () => {
    const db = DATABASE_URL ? await createTestDatabase(DATABASE_URL) : undefined;
    drop = db?.drop;
    store = await openStore({ databaseUrl: db?.url, guard: true, poolSize: 5 });
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.join(" ")));
    try {
      result = await seed(createDesk(store));
    } finally {
      warn.mockRestore();
    }
  }, 120_000);
  afterAll(async () => {
    expect(store.violations, "statements that break the Citus tenant rules").toEqual([]);
    await store.close();
    await drop?.();
  });

  it("seeds every county, and no event or intake of the seed is refused", () => {
    expect(result.counties).toEqual(COUNTIES.map((c) => c.code));
    expect(warnings.filter((w) => w.startsWith("[seed]"))).toEqual([]);
  });

  it("each county has cases closed, resolved, being handled and new", async () => {
    const rows = await store.db.selectFrom("cases").select(["county_code", "state"]).execute();
    expect(rows).toHaveLength(result.cases);
    for (const c of COUNTIES) {
      const states = new Set(rows.filter((r) => r.county_code === c.code).map((r) => r.state));
      expect([...states].sort(), c.code).toEqual(expect.arrayContaining(["closed", "resolved", "resolving"]));
      expect(states.has("graded") || states.has("received") || states.has("assigned"), `${c.code}: a new case`).toBe(true);
    }
  });

  it("seeding again adds nothing", async () => {
    const again = await seed(createDesk(store));
    expect(again).toEqual({ counties: [], cases: 0 });
  });
});
