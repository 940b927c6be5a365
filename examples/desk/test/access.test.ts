import { readdirSync } from "node:fs";
import ExcelJS from "exceljs";
import guyuan from "@jiceng/rules-guyuan";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../src/db/store.js";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

let t: TestDesk;
const G = "640402";
const L = "330781";
let tok: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestDesk([G, L]);
  for (const u of ["admin", "intake", "town", "editor", "reviewer", "head", "auditor"]) tok[u] = await t.login(G, u);
  tok["lanxiAdmin"] = await t.login(L, "admin");
}, 180_000);
afterAll(async () => t?.close());

describe("auth and scope (个人信息保护法 第五十一条)", () => {
  it("refuses a wrong password (audited) and a forged token", async () => {
    const r = await t.call("POST", "/api/login", { body: { county: G, login: "intake", password: "wrong" } });
    expect(r.status).toBe(401);
    expect(r.body.issues[0].message).toEqual({ zh: "账号或密码错误", en: "Wrong login or password" });
    const failed = await t.store.db.selectFrom("audit_log").select("action").where("county_code", "=", G).where("action", "=", "login_failed").execute();
    expect(failed.length).toBe(1);
    expect((await t.call("GET", "/api/me", { token: `${G}.forged` })).status).toBe(401);
    expect((await t.call("GET", "/api/me", { token: `${L}.${tok["intake"]!.split(".")[1]}` })).status).toBe(401);
    const me = await t.call("GET", "/api/me", { token: tok["town"] });
    expect(me.body.roles.map((r: { role: string; unitId: string }) => `${r.role}@${r.unitId}`).sort()).toEqual(["handler@t1", "intake@t1", "unit_head@t1"]);
  });

  it("a township user sees only its subtree; another county sees nothing of this one", async () => {
    const mk = async (unitId: string, sub: string) => {
      const r = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId, channel: "grid", title: `在 ${unitId}`, facts: guyuanFacts(sub) } });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const inT1 = await mk("t1-v2-g1", "51");
    const inT2 = await mk("t2-v1", "52");
    const list = await t.call("GET", "/api/cases?limit=200", { token: tok["town"] });
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(inT1);
    expect(ids).not.toContain(inT2);
    expect((await t.call("GET", `/api/cases/${inT2}`, { token: tok["town"] })).status).toBe(404);
    expect((await t.call("GET", `/api/cases/${inT1}`, { token: tok["town"] })).status).toBe(200);
    expect((await t.call("GET", `/api/cases/${inT1}`, { token: tok["lanxiAdmin"] })).status).toBe(404);
    const all = await t.call("GET", "/api/cases?limit=200", { token: tok["head"] });
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([inT1, inT2]));
    // The township user may not take in a case for another township.
    const out = await t.call("POST", "/api/cases", { token: tok["town"], body: { packId: "guyuan", unitId: "t2-v1", channel: "grid", title: "x", facts: guyuanFacts("53") } });
    expect(out.status).toBe(403);
    const viewAudit = await t.store.db.selectFrom("audit_log").select(["actor", "case_id"]).where("county_code", "=", G).where("action", "=", "view").execute();
    expect(viewAudit).toEqual(expect.arrayContaining([{ actor: "town", case_id: inT1 }]));
  });

  it("queues: filters, sort by due, cursor paging without repeats", async () => {
    for (let i = 0; i < 5; i++) await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "t1-v1", channel: "phone", title: `队列 ${i}`, facts: guyuanFacts("54", i % 2 ? { risks: { petitionTo: "city" } } : {}) } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let dues: string[] = [];
    do {
      const r: { body: { items: Array<{ id: string; dueAt: string }>; nextCursor: string | null } } = await t.call("GET", `/api/cases?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: tok["head"] });
      seen.push(...r.body.items.map((c) => c.id));
      dues.push(...r.body.items.map((c) => c.dueAt));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const total = Number((await t.store.db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    expect(seen.length).toBe(total);
    expect(dues.map((d) => Date.parse(d))).toEqual([...dues.map((d) => Date.parse(d))].sort((a, b) => a - b));
    const orange = await t.call("GET", "/api/cases?level=orange", { token: tok["head"] });
    expect(orange.body.items.length).toBeGreaterThan(0);
    expect(orange.body.items.every((c: { level: { id: string } }) => c.level.id === "orange")).toBe(true);
    const num = orange.body.items[0].number as string;
    const byNumber = await t.call("GET", `/api/cases?q=${num}`, { token: tok["head"] });
    expect(byNumber.body.items.map((c: { number: string }) => c.number)).toContain(num);
    expect((await t.call("GET", "/api/cases?queue=nonsense", { token: tok["head"] })).status).toBe(422);
    const overdue = await t.call("GET", "/api/cases?queue=overdue", { token: tok["head"] });
    expect(overdue.body.items).toEqual([]);
  });
});

describe("packs: draft → review → publish under four eyes, then bind", () => {
  const v2 = { ...(guyuan as object), version: "1.0.1" };
  it("the author cannot publish; another reviewer can; the CHECK refuses it in the database too", async () => {
    // A pack with errors is kept as a draft (nothing the editor typed is lost) but never published.
    const bad = await t.call("POST", "/api/packs", { token: tok["editor"], body: { content: { ...v2, version: "1.0.1-broken", levels: "x" } } });
    expect(bad.status).toBe(201);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.issues[0].path[0]).toBe("levels");
    expect((await t.call("GET", "/api/packs/guyuan/1.0.1-broken", { token: tok["editor"] })).body).toMatchObject({ status: "draft", valid: false });
    expect((await t.call("POST", "/api/packs/guyuan/1.0.1-broken/submit", { token: tok["editor"] })).status).toBe(200);
    const refused = await t.call("POST", "/api/packs/guyuan/1.0.1-broken/publish", { token: tok["reviewer"] });
    expect(refused.status).toBe(422);
    expect(refused.body.issues[0].code).toBe("PACK_INVALID");
    expect(refused.body.issues.some((i: { path: unknown[] }) => i.path[0] === "levels")).toBe(true);
    expect((await t.call("GET", "/api/packs/guyuan/1.0.1-broken", { token: tok["reviewer"] })).body.status).toBe("review");
    // Without an id and version there is nothing to file a draft under.
    expect((await t.call("POST", "/api/packs", { token: tok["editor"], body: { content: { levels: "x" } } })).status).toBe(422);
    const d = await t.call("POST", "/api/packs", { token: tok["editor"], body: { content: v2 } });
    expect(d.status).toBe(201);
    expect((await t.call("POST", "/api/packs", { token: tok["editor"], body: { content: v2 } })).status).toBe(409);
    expect((await t.call("POST", "/api/packs/guyuan/1.0.1/publish", { token: tok["reviewer"] })).status).toBe(409);
    expect((await t.call("POST", "/api/packs/guyuan/1.0.1/submit", { token: tok["editor"] })).status).toBe(200);
    expect((await t.call("POST", "/api/packs/guyuan/1.0.1/publish", { token: tok["editor"] })).status).toBe(403);
    // An admin who is also the author: the app says four eyes, and so does the database.
    const granted = await t.call("POST", `/api/users/${(await t.call("GET", "/api/me", { token: tok["editor"] })).body.userId}/roles`, { token: tok["admin"], body: { role: "rule_reviewer", unitId: "county" } });
    expect(granted.status).toBe(200);
    const self = await t.call("POST", "/api/packs/guyuan/1.0.1/publish", { token: tok["editor"] });
    expect(self.status).toBe(403);
    expect(self.body.issues[0].code).toBe("FOUR_EYES");
    await expect(sql`update packs set status = 'published', reviewed_by = created_by, published_by = created_by, published_at = now() where pack_id = 'guyuan' and version = '1.0.1'`.execute(t.store.db)).rejects.toThrow(/packs_four_eyes/);
    const ok = await t.call("POST", "/api/packs/guyuan/1.0.1/publish", { token: tok["reviewer"] });
    expect(ok.status).toBe(200);
    const row = await t.store.db.selectFrom("packs").selectAll().where("pack_id", "=", "guyuan").where("version", "=", "1.0.1").executeTakeFirstOrThrow();
    expect(row.status).toBe("published");
    expect(row.published_by).not.toBe(row.created_by);
    const audit = await t.store.db.selectFrom("audit_log").select("action").where("county_code", "=", G).where("action", "in", ["pack_create", "pack_submit", "pack_publish"]).execute();
    // the broken draft's create and submit, then the good version's create, submit and publish
    expect(audit.map((a) => a.action)).toEqual(["pack_create", "pack_submit", "pack_create", "pack_submit", "pack_publish"]);
  });

  it("a binding switches new cases to the new version; old cases keep theirs", async () => {
    const before = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "旧版本", facts: guyuanFacts("60") } });
    expect(before.body.packVersion).toBe("1.0.0");
    expect((await t.call("POST", "/api/bindings", { token: tok["intake"], body: { packId: "guyuan", version: "1.0.1" } })).status).toBe(403);
    expect((await t.call("POST", "/api/bindings", { token: tok["admin"], body: { packId: "guyuan", version: "9.9.9" } })).status).toBe(422);
    expect((await t.call("POST", "/api/bindings", { token: tok["admin"], body: { packId: "guyuan", version: "1.0.1" } })).status).toBe(200);
    const after = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "t1-v1", channel: "visit", title: "新版本", facts: guyuanFacts("60") } });
    expect(after.body.packVersion).toBe("1.0.1");
    const old = await t.call("GET", `/api/cases/${before.body.id}`, { token: tok["head"] });
    expect(old.body.packVersion).toBe("1.0.0");
    expect(old.body.snapshot.pack.version).toBe("1.0.0");
  });
});

describe("reads for the centre", () => {
  it("dashboard, scorecard (json, csv, html) and the ledger (levels in colour, export audited)", async () => {
    const dash = await t.call("GET", "/api/dashboard", { token: tok["head"] });
    expect(dash.status).toBe(200);
    expect(dash.body.packs.reduce((n: number, p: { open: number }) => n + p.open, 0)).toBeGreaterThan(0);
    const year = new Date().getUTCFullYear();
    const json = await t.call("GET", `/api/scorecard?period=${year}&format=json`, { token: tok["head"] });
    expect(json.status, JSON.stringify(json.body).slice(0, 300)).toBe(200);
    const csv = await t.call("GET", `/api/scorecard?period=${year}&format=csv`, { token: tok["head"] });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const html = await t.call("GET", `/api/scorecard?period=${year}&format=html`, { token: tok["head"] });
    expect(String(html.body)).toContain("<");
    expect((await t.call("GET", "/api/scorecard?period=bogus", { token: tok["head"] })).status).toBe(422);
    const x = await t.call("GET", "/api/export/ledger.xlsx", { token: tok["head"] });
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(x.body as Uint8Array) as never);
    const problems = wb.worksheets[0]!;
    expect(problems.name).toContain("问题清单");
    expect(wb.worksheets[1]!.name).toContain("责任清单");
    const cases = Number((await t.store.db.selectFrom("cases").select((eb) => eb.fn.countAll().as("n")).where("county_code", "=", G).executeTakeFirstOrThrow()).n);
    expect(problems.rowCount).toBe(cases + 1);
    const fills = new Set<string>();
    problems.eachRow((row, n) => {
      if (n > 1) fills.add(String((row.getCell(4).fill as { fgColor?: { argb?: string } }).fgColor?.argb));
    });
    expect(fills.has("FFFDD835")).toBe(true); // yellow cases in yellow
    expect((await t.call("GET", "/api/export/ledger.xlsx", { token: tok["intake"] })).status).toBe(403);
    expect((await t.store.db.selectFrom("audit_log").select("action").where("county_code", "=", G).where("action", "=", "export").execute()).length).toBe(1);
  });

  it("healthz reports database, migrations and calendar coverage; openapi.json is the contract", async () => {
    const h = await t.call("GET", "/healthz");
    expect(h.status).toBe(200);
    expect(h.body.database.ok).toBe(true);
    expect(h.body.migrations).toMatchObject({ ok: true, missing: [] });
    expect(h.body.migrations.applied).toEqual(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort());
    expect(h.body.migrations.applied.slice(0, 2)).toEqual(["001_schema.sql", "002_app_role.sql"]);
    expect(h.body.migrations.applied).toContain("004_audit_seal.sql");
    expect(h.body.calendars.length).toBeGreaterThan(0);
    for (const cal of h.body.calendars) {
      expect(["official", "provisional"]).toContain(cal.status);
      // The official calendar ends with the last loaded notice; past it the status must say provisional.
      expect(cal.officialThrough).toMatch(/^\d{4}-12-31$/);
      const horizon = Date.parse(h.body.database.now) + 60 * 86_400_000;
      if (horizon < Date.parse(`${cal.officialThrough}T00:00:00+08:00`)) expect(cal.status).toBe("official");
      expect(cal.status === "provisional").toBe(cal.provisionalLevels.length > 0);
      expect(cal.message.zh.length).toBeGreaterThan(0);
      // Guyuan's red limit is 45 days (§二(三)8): received now, it reaches past the last notice when
      // now + 46 days is after it, and then the health check must not call the calendar official.
      if (cal.pack.startsWith("guyuan@") && horizon - 14 * 86_400_000 > Date.parse(`${cal.officialThrough}T24:00:00+08:00`)) expect(cal.provisionalLevels).toContain("red");
    }
    const doc = await t.call("GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    for (const p of ["/api/cases", "/api/cases/{id}", "/api/cases/{id}/events", "/api/dashboard", "/api/scorecard", "/api/export/ledger.xlsx", "/healthz", "/api/login", "/api/packs", "/api/bindings"]) expect(Object.keys(doc.body.paths)).toContain(p);
    const schemas = doc.body.components.schemas;
    expect(schemas.CaseEventRequest.oneOf?.length ?? schemas.CaseEventRequest.anyOf?.length).toBeGreaterThan(10);
    expect(schemas.Issue.required).toEqual(expect.arrayContaining(["code", "path", "message", "severity"]));
    expect((await t.call("GET", "/api/nope", { token: tok["head"] })).status).toBe(404);
  });
});
