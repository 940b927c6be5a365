// Role changes by an administrator (audited as role_change) and signing in the way a centre's staff
// expect: login and password, the county code only when the login exists in several counties.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/auth/index.js";
import { verifyAudit } from "../src/context.js";
import { DEMO_PASSWORD } from "../src/seed.js";
import { guyuanFacts, startTestDesk, type TestDesk } from "./helpers.js";

let t: TestDesk;
const G = "640402";
const L = "330781";
const tok: Record<string, string> = {};
const userId = async (county: string, login: string) => (await t.store.db.selectFrom("users").select("user_id").where("county_code", "=", county).where("login", "=", login).executeTakeFirstOrThrow()).user_id;
const roleChanges = async () => t.store.db.selectFrom("audit_log").select(["actor", "body"]).where("county_code", "=", G).where("action", "=", "role_change").orderBy("id").execute();

beforeAll(async () => {
  t = await startTestDesk([G, L]);
  for (const u of ["admin", "intake", "town", "head"]) tok[u] = await t.login(G, u);
  tok["lanxiAdmin"] = await t.login(L, "admin");
}, 180_000);
afterAll(async () => t?.close());

describe("role changes (管理员授予 / 撤销角色，单位范围)", () => {
  it("an admin grants a role over a unit; the scope widens at once; revoking narrows it; each change is one role_change audit entry", async () => {
    const town = await userId(G, "town");
    const c = await t.call("POST", "/api/cases", { token: tok["intake"], body: { packId: "guyuan", unitId: "t2-v1", channel: "visit", title: "二镇案件", facts: guyuanFacts("70") } });
    expect(c.status).toBe(201);
    expect((await t.call("GET", `/api/cases/${c.body.id}`, { token: tok["town"] })).status).toBe(404);

    const users = await t.call("GET", "/api/users", { token: tok["admin"] });
    expect(users.status).toBe(200);
    expect(users.body.users.find((u: { login: string }) => u.login === "town").roles.map((r: { role: string; unitId: string }) => `${r.role}@${r.unitId}`)).toEqual(["handler@t1", "intake@t1", "unit_head@t1"]);

    const g = await t.call("POST", `/api/users/${town}/roles`, { token: tok["admin"], body: { role: "handler", unitId: "t2" } });
    expect(g.status, JSON.stringify(g.body)).toBe(200);
    expect(g.body).toMatchObject({ changed: true, change: "grant", role: "handler", unitId: "t2", login: "town" });
    expect(g.body.roles.map((r: { role: string; unitId: string }) => `${r.role}@${r.unitId}`)).toContain("handler@t2");
    const me = await t.call("GET", "/api/me", { token: tok["town"] });
    expect(me.body.roles.map((r: { role: string; unitId: string }) => `${r.role}@${r.unitId}`)).toContain("handler@t2");
    expect((await t.call("GET", `/api/cases/${c.body.id}`, { token: tok["town"] })).status).toBe(200);
    // Granting it again changes nothing and writes no second entry.
    const again = await t.call("POST", `/api/users/${town}/roles`, { token: tok["admin"], body: { role: "handler", unitId: "t2" } });
    expect(again.body.changed).toBe(false);
    let changes = await roleChanges();
    expect(changes.length).toBe(1);
    expect(changes[0]!.actor).toBe("admin");
    expect(JSON.parse(changes[0]!.body).detail).toEqual({ change: "grant", userId: town, login: "town", role: "handler", unitId: "t2" });

    const r = await t.call("DELETE", `/api/users/${town}/roles/handler/t2`, { token: tok["admin"] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ changed: true, change: "revoke" });
    expect((await t.call("GET", `/api/cases/${c.body.id}`, { token: tok["town"] })).status).toBe(404);
    expect((await t.call("DELETE", `/api/users/${town}/roles/handler/t2`, { token: tok["admin"] })).body.changed).toBe(false);
    changes = await roleChanges();
    expect(changes.map((x) => JSON.parse(x.body).detail.change)).toEqual(["grant", "revoke"]);
    const verdict = await t.call("GET", "/api/audit/verify", { token: tok["admin"] });
    expect(verdict.body).toMatchObject({ ok: true, pending: 0 });
  });

  it("refuses: not an admin, an unknown role, unit or user, another county's user, a unit outside the admin's scope, the county's last admin", async () => {
    const town = await userId(G, "town");
    const before = (await roleChanges()).length;
    expect((await t.call("POST", `/api/users/${town}/roles`, { token: tok["head"], body: { role: "handler", unitId: "t2" } })).status).toBe(403);
    const role = await t.call("POST", `/api/users/${town}/roles`, { token: tok["admin"], body: { role: "emperor", unitId: "t2" } });
    expect(role.status).toBe(422);
    expect(role.body.issues[0].path).toContain("role");
    const unit = await t.call("POST", `/api/users/${town}/roles`, { token: tok["admin"], body: { role: "handler", unitId: "t9" } });
    expect(unit.status).toBe(422);
    expect(unit.body.issues[0].code).toBe("UNKNOWN_UNIT");
    expect((await t.call("POST", `/api/users/00000000-0000-4000-8000-000000000000/roles`, { token: tok["admin"], body: { role: "handler", unitId: "t2" } })).status).toBe(404);
    expect((await t.call("POST", `/api/users/not-a-uuid/roles`, { token: tok["admin"], body: { role: "handler", unitId: "t2" } })).status).toBe(404);
    // Lanxi's admin cannot reach a Guyuan user (the county comes from the token, not the request).
    expect((await t.call("POST", `/api/users/${town}/roles`, { token: tok["lanxiAdmin"], body: { role: "handler", unitId: "t2" } })).status).toBe(404);
    // A township admin administers its own subtree only.
    expect((await t.call("POST", `/api/users/${town}/roles`, { token: tok["admin"], body: { role: "admin", unitId: "t1" } })).status).toBe(200);
    const townAdmin = await t.login(G, "town");
    const intake = await userId(G, "intake");
    const out = await t.call("POST", `/api/users/${intake}/roles`, { token: townAdmin, body: { role: "handler", unitId: "t2-v1" } });
    expect(out.status).toBe(403);
    expect(out.body.issues[0].code).toBe("OUT_OF_SCOPE");
    expect((await t.call("POST", `/api/users/${intake}/roles`, { token: townAdmin, body: { role: "handler", unitId: "t1-v1" } })).status).toBe(200);
    // The last county-wide admin stays.
    const admin = await userId(G, "admin");
    const last = await t.call("DELETE", `/api/users/${admin}/roles/admin/county`, { token: tok["admin"] });
    expect(last.status).toBe(409);
    expect(last.body.issues[0].code).toBe("LAST_ADMIN");
    expect((await t.call("GET", "/api/me", { token: tok["admin"] })).body.roles.map((r: { role: string }) => r.role)).toContain("admin");
    // Only the two granted changes were written.
    expect((await roleChanges()).length).toBe(before + 2);
    expect((await verifyAudit(t.store.db, G)).ok).toBe(true);
  });
});

describe("signing in (登录)", () => {
  it("without the county code when the login exists in one county", async () => {
    await t.store.db.transaction().execute((trx) => createUser(trx, L, { login: "zhou.li", name: "周丽", password: "pw-lanxi-1", roles: [{ role: "intake", unitId: "county" }] }, "test"));
    const r = await t.call("POST", "/api/login", { body: { login: "zhou.li", password: "pw-lanxi-1" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.token.startsWith(`${L}.`)).toBe(true);
    expect(r.body.user.county).toBe(L);
    expect((await t.call("GET", "/api/me", { token: r.body.token })).body.login).toBe("zhou.li");
    const wrong = await t.call("POST", "/api/login", { body: { login: "zhou.li", password: "nope" } });
    expect(wrong.status).toBe(401);
    const failed = await t.store.db.selectFrom("audit_log").select("actor").where("county_code", "=", L).where("action", "=", "login_failed").execute();
    expect(failed).toEqual([{ actor: "login:zhou.li" }]);
    expect((await t.call("POST", "/api/login", { body: { login: "nobody", password: "x" } })).status).toBe(401);
  });

  it("the same login in several counties: the password decides; if it fits more than one, 409 COUNTY_REQUIRED with those counties", async () => {
    // intake exists in both seeded counties with the demo password.
    const both = await t.call("POST", "/api/login", { body: { login: "intake", password: DEMO_PASSWORD } });
    expect(both.status).toBe(409);
    expect(both.body.issues[0]).toMatchObject({ code: "COUNTY_REQUIRED", path: ["county"], message: { zh: expect.stringContaining("请选择县（区）"), en: expect.any(String) } });
    expect(both.body.counties.map((c: { code: string }) => c.code)).toEqual([L, G].sort());
    expect(both.body.counties[0].name.zh.length).toBeGreaterThan(0);
    const picked = await t.call("POST", "/api/login", { body: { county: G, login: "intake", password: DEMO_PASSWORD } });
    expect(picked.status).toBe(200);
    expect(picked.body.token.startsWith(`${G}.`)).toBe(true);
    // Same login, different passwords: each password finds its own county.
    await t.store.db.transaction().execute((trx) => createUser(trx, G, { login: "wang.fang", name: "王芳", password: "pw-guyuan", roles: [{ role: "handler", unitId: "t1" }] }, "test"));
    await t.store.db.transaction().execute((trx) => createUser(trx, L, { login: "wang.fang", name: "王芳", password: "pw-lanxi", roles: [{ role: "handler", unitId: "t1" }] }, "test"));
    expect((await t.call("POST", "/api/login", { body: { login: "wang.fang", password: "pw-guyuan" } })).body.user.county).toBe(G);
    expect((await t.call("POST", "/api/login", { body: { login: "wang.fang", password: "pw-lanxi" } })).body.user.county).toBe(L);
    // A wrong password tells nothing about where the login exists.
    const nope = await t.call("POST", "/api/login", { body: { login: "wang.fang", password: "guess" } });
    expect(nope.status).toBe(401);
    expect(nope.body.counties).toBeUndefined();
  });

  it("the county picker is public; signing out ends the session", async () => {
    const list = await t.call("GET", "/api/counties");
    expect(list.status).toBe(200);
    expect(list.body.counties.map((c: { code: string }) => c.code)).toEqual([L, G].sort());
    const token = await t.login(G, "head");
    expect((await t.call("GET", "/api/me", { token })).status).toBe(200);
    expect((await t.call("POST", "/api/logout", { token })).status).toBe(204);
    expect((await t.call("GET", "/api/me", { token })).status).toBe(401);
    const doc = await t.call("GET", "/api/openapi.json");
    for (const p of ["/api/users", "/api/users/{userId}/roles", "/api/users/{userId}/roles/{role}/{unitId}", "/api/counties", "/api/logout"]) expect(Object.keys(doc.body.paths)).toContain(p);
    expect(doc.body.components.schemas.LoginRequest.required).toEqual(["login", "password"]);
  });
});
