// The endpoints the pages need beyond the server's own: queue counts, one pack version with core's
// verdict, the dashboard's counts and meeting lists, the demo logins, the 已上报 queue, logout.
import { createEngine, loadPack } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

let t: TestDesk;
const G = "640402";
let tok: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestDesk([G]);
  for (const u of ["admin", "intake", "head", "editor"]) tok[u] = await t.login(G, u);
}, 180_000);
afterAll(async () => t?.close());

describe("what the pages read", () => {
  it("GET /api/cases/counts: each queue's count equals the length of that queue's list", async () => {
    for (let i = 0; i < 3; i++) expect((await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "county", channel: "visit", title: `计数 ${i}`, facts: guyuanFacts(String(60 + i)) } })).status).toBe(201);
    const { body } = await t.call("GET", "/api/cases/counts", { token: tok["head"] });
    expect(Object.keys(body.counts)).toContain("reported");
    for (const [queue, n] of Object.entries(body.counts as Record<string, number>)) {
      const list = await t.call("GET", `/api/cases?queue=${queue}&limit=200`, { token: tok["head"] });
      expect(list.status, queue).toBe(200);
      expect(list.body.items.length, queue).toBe(n);
    }
    expect(body.counts.open).toBeGreaterThanOrEqual(3);
  });

  it("GET /api/packs/{id}/{version}: the content as stored, its status and core's verdict; 404 for an unknown one", async () => {
    const r = await t.call("GET", "/api/packs/guyuan/1.0.0", { token: tok["editor"] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ packId: "guyuan", version: "1.0.0", status: "published", valid: true });
    expect(r.body.content.id).toBe("guyuan");
    expect((await t.call("GET", "/api/packs/guyuan/9.9.9", { token: tok["editor"] })).status).toBe(404);
  });

  it("GET /api/dashboard: counts by level, unit and state add up to the cases in scope; the three meeting lists", async () => {
    // One case assigned (Guyuan's 责任清单, within the yellow limit), the rest graded: two states.
    const c = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "county", channel: "visit", title: "研判", facts: guyuanFacts("66") } });
    const soon = new Date(Date.now() + 3 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const assigned = await t.call("POST", `/api/cases/${c.body.id}/events`, { token: tok["admin"], body: { type: "assign", leadUnit: "t1", responsibleLeader: "镇长", responsibleUnit: "t1", responsiblePerson: "李某", deadline: soon, measures: "上门调解" }, headers: { "if-match": '"1"' } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    const { body } = await t.call("GET", "/api/dashboard", { token: tok["head"] });
    const g = body.packs.find((p: { pack: string }) => p.pack.startsWith("guyuan@"));
    expect(g).toBeDefined();
    const total = Object.keys(g.cases).length;
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(g.counts.byLevel)).toBe(total);
    expect(sum(g.counts.byUnit)).toBe(total);
    expect(sum(g.counts.byState)).toBe(total);
    expect(g.agenda.map((a: { kind: string }) => a.kind)).toEqual(["weekly", "monthly", "quarterly"]);
    for (const a of g.agenda) for (const id of [...a.newCases, ...a.toDecide, ...a.overdue]) expect(g.cases[id]).toBeDefined();
    for (const id of g.overdue) expect(g.cases[id]).toBeDefined();
    // One name per state: two states never share a label (the page lists them side by side).
    const labels = Object.values(g.states as Record<string, { zh: string; en: string }>);
    expect(Object.keys(g.states).length).toBeGreaterThan(1);
    expect(new Set(labels.map((l) => l.zh)).size).toBe(labels.length);
    expect(new Set(labels.map((l) => l.en)).size).toBe(labels.length);
  });

  it("GET /api/demo-users lists the seeded logins without a token, and each one signs in", async () => {
    const r = await t.call("GET", "/api/demo-users", {});
    expect(r.status).toBe(200);
    const here = r.body.users.filter((u: { county: string }) => u.county === G);
    expect(here.map((u: { login: string }) => u.login)).toContain("intake");
    for (const u of here.slice(0, 3)) expect((await t.call("POST", "/api/login", { body: { county: u.county, login: u.login, password: u.password } })).status).toBe(200);
  });
  it("queue rows carry the provisional mark exactly when core counted the case's deadlines on the provisional calendar", async () => {
    const engine = createEngine(loadPack(guyuan));
    // Yellow (7 days) and red (45 days, into next year: provisional while its notice is not loaded).
    for (const facts of [guyuanFacts("70"), guyuanFacts("71", { risks: { massIncident: true } })]) {
      const c = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "county", channel: "visit", title: "暂定日历", facts } });
      expect(c.status).toBe(201);
      const detail = await t.call("GET", `/api/cases/${c.body.id}`, { token: tok["head"] });
      const expected = engine.deadline(detail.body.level.id, detail.body.receivedAt).provisional === true;
      const row = (await t.call("GET", "/api/cases?queue=open&limit=200", { token: tok["head"] })).body.items.find((x: { id: string }) => x.id === c.body.id);
      expect(row.provisional).toBe(expected);
      expect(detail.body.provisional).toBe(expected);
    }
  });

  it("POST /api/logout: the token stops working at once (bearer and cookie), the cookie is cleared, the logout is audited; other sessions live on", async () => {
    const mine = await t.login(G, "auditor");
    const other = await t.login(G, "auditor");
    expect((await t.call("GET", "/api/me", { token: mine })).status).toBe(200);
    const out = await t.call("POST", "/api/logout", { token: mine });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/desk_token=;.*Max-Age=0/);
    const after = await t.call("GET", "/api/me", { token: mine });
    expect(after.status).toBe(401);
    expect(after.body.issues[0].code).toBe("UNAUTHENTICATED");
    expect((await t.call("GET", "/api/me", { headers: { cookie: `desk_token=${encodeURIComponent(mine)}` } })).status).toBe(401);
    expect((await t.call("POST", "/api/logout", { token: mine })).status).toBe(401);
    expect((await t.call("GET", "/api/me", { token: other })).status).toBe(200);
    const rows = await t.store.owner.selectFrom("audit_log").select(["actor", "action"]).where("county_code", "=", G).where("action", "=", "logout").execute();
    expect(rows).toEqual([{ actor: "auditor", action: "logout" }]);
  });
});
