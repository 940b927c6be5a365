import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCitusRules } from "../src/db/citus-rules.js";
import { MIGRATIONS_DIR, checkTenantSql } from "../src/db/store.js";
import { TENANT_TABLES } from "../src/db/types.js";

const migrations = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort().map((f) => readFileSync(join(MIGRATIONS_DIR, f), "utf8")).join("\n");

describe("Citus readiness, read from the migrations", () => {
  it("every tenant table keys and constrains by county_code; identities are bigint; no trigger, sequence or UPDATE grant on append-only tables", () => {
    expect(checkCitusRules(migrations)).toEqual([]);
    for (const t of TENANT_TABLES) expect(migrations).toMatch(new RegExp(`CREATE TABLE ${t} \\(`));
  });

  it("catches each kind of breach (the check can fail)", () => {
    const table = (body: string, name = "cases") => `CREATE TABLE ${name} (\n${body}\n);`;
    const bad: Array<[string, RegExp]> = [
      [table("  case_id uuid PRIMARY KEY,\n  county_code text NOT NULL"), /inline primary key|does not start/],
      [table("  county_code text NOT NULL,\n  case_id uuid NOT NULL,\n  number text NOT NULL,\n  PRIMARY KEY (county_code, case_id),\n  UNIQUE (number)"), /unique constraint without county_code/],
      [table("  county_code text NOT NULL,\n  number text UNIQUE,\n  PRIMARY KEY (county_code)"), /inline unique/],
      [table("  case_id uuid NOT NULL,\n  PRIMARY KEY (case_id)"), /no county_code/],
      [table("  county_code text NOT NULL,\n  id integer GENERATED ALWAYS AS IDENTITY,\n  PRIMARY KEY (county_code, id)", "outbox"), /identity column not bigint/],
      [table("  county_code text NOT NULL,\n  id bigserial,\n  PRIMARY KEY (county_code, id)", "outbox"), /serial/],
      [table("  county_code text NOT NULL,\n  case_id uuid NOT NULL,\n  seq int NOT NULL,\n  PRIMARY KEY (county_code, case_id, seq),\n  FOREIGN KEY (case_id) REFERENCES cases (case_id)", "case_events"), /foreign key to cases/],
      [table("  id int PRIMARY KEY", "scratch"), /neither a tenant nor a reference/],
      ["ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);", /primary key does not start/],
      ["ALTER TABLE cases ADD UNIQUE (number);", /unique constraint without county_code/],
      ["ALTER TABLE outbox ADD COLUMN n integer GENERATED ALWAYS AS IDENTITY;", /identity column not bigint/],
      ["CREATE SEQUENCE case_no;", /SEQUENCE/],
      ["CREATE TRIGGER no_update BEFORE UPDATE ON case_events FOR EACH ROW EXECUTE FUNCTION f();", /trigger/],
      ["GRANT SELECT, INSERT, UPDATE ON case_events TO jiceng_app;", /append-only/],
      ["GRANT ALL ON audit_log TO jiceng_app;", /append-only/],
    ];
    for (const [sql, want] of bad) expect(checkCitusRules(sql).join("\n"), sql).toMatch(want);
  });

  it("the runtime guard flags a statement without county_code and FOR UPDATE across counties", () => {
    const v: string[] = [];
    checkTenantSql(`select * from "cases" where "case_id" = $1`, v);
    checkTenantSql(`select * from "cases" where "next_tick_at" <= now() and county_code in ($1, $2) for update skip locked`, v);
    checkTenantSql(`select * from "cases" where "county_code" = $1 and "case_id" = $2 for update`, v);
    checkTenantSql(`select * from "counties"`, v);
    expect(v.length).toBe(2);
    expect(v[0]).toMatch(/no county_code/);
    expect(v[1]).toMatch(/FOR UPDATE without a single county/);
  });
});
