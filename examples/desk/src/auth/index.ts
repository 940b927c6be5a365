import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import { DeskError, audit, dbNow, deskIssue, fail, sha256, unitTree, type Desk, type Tx } from "../context.js";

/** The desk's roles (受理 … 管理员). */
export const ROLES = {
  intake: { zh: "受理", en: "Intake" },
  dispatch: { zh: "分流", en: "Dispatch" },
  handler: { zh: "承办", en: "Handler" },
  unit_head: { zh: "单位负责人", en: "Unit head" },
  centre_head: { zh: "中心负责人", en: "Centre head" },
  supervisor: { zh: "督办", en: "Supervisor" },
  rule_editor: { zh: "规则编辑", en: "Rule editor" },
  rule_reviewer: { zh: "规则审核", en: "Rule reviewer" },
  auditor: { zh: "审计", en: "Auditor" },
  admin: { zh: "管理员", en: "Administrator" },
} as const;
export type Role = keyof typeof ROLES;

/** Which roles may apply which event (the desk's policy; a county changes it here). */
export const EVENT_ROLES: Record<string, readonly Role[]> = {
  assign: ["dispatch", "centre_head", "admin"],
  acknowledge: ["handler", "unit_head", "admin"],
  update: ["intake", "dispatch", "handler", "unit_head", "centre_head", "admin"],
  progress: ["handler", "unit_head", "admin"],
  requestEscalation: ["handler", "unit_head", "admin"],
  decideEscalation: ["centre_head", "admin"],
  decideReport: ["centre_head", "admin"],
  resolve: ["handler", "unit_head", "admin"],
  followUp: ["supervisor", "centre_head", "admin"],
  close: ["centre_head", "supervisor", "admin"],
  rectify: ["handler", "unit_head", "supervisor", "admin"],
  strikeOff: ["supervisor", "centre_head", "admin"],
  verify: ["supervisor", "centre_head", "admin"],
  evaluate: ["supervisor", "centre_head", "admin"],
  return: ["handler", "unit_head", "admin"],
  selfClose: ["intake", "handler", "admin"],
  requestReview: ["intake", "supervisor", "admin"],
  supervise: ["supervisor", "centre_head", "admin"],
};

/** A signed-in user: county, roles with their unit scopes. */
export interface Principal {
  county: string;
  userId: string;
  login: string;
  name: string;
  roles: Array<{ role: Role; unitId: string }>;
}

const N = 16384;
/** scrypt, salted; stored as scrypt$N$salt$hash. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N });
  return `scrypt$${N}$${salt.toString("base64")}$${hash.toString("base64")}`;
}
export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !n || !salt || !hash) return false;
  const want = Buffer.from(hash, "base64");
  const got = scryptSync(password, Buffer.from(salt, "base64"), want.length, { N: Number(n) });
  return timingSafeEqual(want, got);
}

const TOKEN_TTL_HOURS = 12;
const DUMMY_HASH = hashPassword("jiceng-no-such-user");

/** A county a login exists in (for the county picker). */
export interface CountyChoice {
  code: string;
  name: { zh: string; en: string };
}

/**
 * Local accounts: login + password (+ county code) → a bearer token `<county>.<random>`. The token
 * names its county so every later statement is routed to one tenant. The county may be left out:
 * a login that exists in one county signs in there; a login that exists in several is checked
 * against each, and when the password fits more than one the answer is 409 COUNTY_REQUIRED with
 * those counties to pick from (only a caller who knows the password learns where the login exists).
 * Seam: a provincial SSO replaces this function (verify its assertion, map the subject to a user
 * row), nothing else changes.
 */
export async function login(desk: Desk, input: { county?: string | undefined; login: string; password: string }): Promise<{ token: string; principal: Principal; expiresAt: Date }> {
  const db = desk.store.db;
  const county = input.county?.trim() || undefined;
  const counties = county ? [county] : (await db.selectFrom("login_directory").select("county_code").where("login", "=", input.login).orderBy("county_code").execute()).map((r) => r.county_code);
  const candidates = [];
  let checked = 0;
  for (const c of counties) {
    const user = await db.selectFrom("users").selectAll().where("county_code", "=", c).where("login", "=", input.login).executeTakeFirst();
    if (user === undefined) continue;
    checked++;
    if (!user.disabled && verifyPassword(input.password, user.password_hash)) candidates.push(user);
  }
  // An unknown login costs the same time as a wrong password (no telling which logins exist).
  if (checked === 0) verifyPassword(input.password, DUMMY_HASH);
  if (candidates.length === 0) {
    const known = counties.length ? await db.selectFrom("counties").select("county_code").where("county_code", "in", counties).execute() : [];
    for (const k of known) await audit(db, k.county_code, { at: await dbNow(db), actor: `login:${input.login}`, action: "login_failed" });
    fail(401, "LOGIN_FAILED", ["login"], "账号或密码错误", "Wrong login or password");
  }
  if (candidates.length > 1) {
    const names = await db.selectFrom("counties").select(["county_code", "name_zh", "name_en"]).where("county_code", "in", candidates.map((u) => u.county_code)).orderBy("county_code").execute();
    const choices: CountyChoice[] = names.map((n) => ({ code: n.county_code, name: { zh: n.name_zh, en: n.name_en } }));
    throw new DeskError(409, [deskIssue("COUNTY_REQUIRED", ["county"], `账号 ${input.login} 在 ${choices.length} 个县（区）都有，请选择县（区）`, `The login ${input.login} exists in ${choices.length} counties; choose one`)], {}, { counties: choices });
  }
  const user = candidates[0]!;
  const token = `${user.county_code}.${randomBytes(24).toString("base64url")}`;
  const expiresAt = await db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const expires = new Date(now.getTime() + TOKEN_TTL_HOURS * 3_600_000);
    await trx.insertInto("sessions").values({ county_code: user.county_code, token_hash: sha256(token), user_id: user.user_id, expires_at: expires }).execute();
    await audit(trx, user.county_code, { at: now, actor: user.login, action: "login" });
    return expires;
  });
  return { token, principal: await principalOf(db, user.county_code, user.user_id), expiresAt };
}

export async function principalOf(db: Tx, county: string, userId: string): Promise<Principal> {
  const user = await db.selectFrom("users").select(["login", "display_name"]).where("county_code", "=", county).where("user_id", "=", userId).executeTakeFirstOrThrow();
  const roles = await db.selectFrom("user_roles").select(["role", "unit_id"]).where("county_code", "=", county).where("user_id", "=", userId).orderBy("role").orderBy("unit_id").execute();
  return { county, userId, login: user.login, name: user.display_name, roles: roles.map((r) => ({ role: r.role as Role, unitId: r.unit_id })) };
}

/** Forgets the cached principals of one user (after a role change), in this process. */
export function forgetPrincipal(desk: Desk, county: string, userId: string): void {
  for (const [k, v] of desk.principals) {
    const p = v.principal as Principal;
    if (p.county === county && p.userId === userId) desk.principals.delete(k);
  }
}

/**
 * The principal behind a bearer token, or a 401. One round trip (session, user and roles in one
 * statement), then cached for `desk.authCacheMs` and never past the session's expiry.
 */
export async function authenticate(desk: Desk, token: string | undefined): Promise<Principal> {
  const county = token?.split(".")[0];
  if (!token || !county) fail(401, "UNAUTHENTICATED", ["authorization"], "请先登录", "Sign in first");
  const hash = sha256(token!);
  const now = performance.now();
  const hit = desk.principals.get(hash);
  if (hit && now - hit.fetched < desk.authCacheMs && Date.now() < hit.expires) return hit.principal as Principal;
  const r = (
    await sql<{ user_id: string; login: string; display_name: string; expires_at: Date; roles: Array<{ role: Role; unitId: string }> | null }>`/* desk:auth */
      select u.user_id, u.login, u.display_name, s.expires_at,
        (select json_agg(json_build_object('role', r.role, 'unitId', r.unit_id) order by r.role, r.unit_id) from user_roles r where r.county_code = ${county!} and r.user_id = u.user_id) as roles
      from sessions s join users u on u.county_code = s.county_code and u.user_id = s.user_id
      where s.county_code = ${county!} and s.token_hash = ${hash} and s.expires_at > now() and not u.disabled`.execute(desk.store.db)
  ).rows[0];
  if (!r) {
    desk.principals.delete(hash);
    fail(401, "UNAUTHENTICATED", ["authorization"], "登录已失效，请重新登录", "The session is invalid or expired; sign in again");
  }
  const principal: Principal = { county: county!, userId: r!.user_id, login: r!.login, name: r!.display_name, roles: r!.roles ?? [] };
  if (desk.authCacheMs > 0) {
    if (desk.principals.size > 10_000) desk.principals.clear();
    desk.principals.set(hash, { principal, expires: new Date(r!.expires_at).getTime(), fetched: now });
  }
  return principal;
}

/** Ends the session behind a token (logout): the token stops working at once; audited. Unknown tokens are a no-op. */
export async function logout(desk: Desk, token: string | undefined, p: Principal): Promise<void> {
  if (!token) return;
  desk.principals.delete(sha256(token));
  await desk.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("sessions").where("county_code", "=", p.county).where("token_hash", "=", sha256(token)).execute();
    await audit(trx, p.county, { at: await dbNow(trx), actor: p.login, action: "logout" });
  });
}

export function hasRole(p: Principal, roles: readonly Role[]): boolean {
  return p.roles.some((r) => roles.includes(r.role));
}
export function requireRole(p: Principal, roles: readonly Role[]): void {
  if (!hasRole(p, roles)) {
    fail(403, "FORBIDDEN", ["role"], `需要以下角色之一：${roles.map((r) => ROLES[r].zh).join("、")}`, `Needs one of the roles: ${roles.map((r) => ROLES[r].en).join(", ")}`);
  }
}

/**
 * The units a user sees (个人信息保护法 第五十一条: least access): the subtrees of their role units.
 * `null` = the whole county (a role on the county's root unit). From the county's cached unit tree;
 * `db` is the connection to load it with (a transaction's, inside one).
 */
export async function visibleUnits(desk: Desk, db: Tx, p: Principal, roles?: readonly Role[]): Promise<string[] | null> {
  const scopes = p.roles.filter((r) => !roles || roles.includes(r.role)).map((r) => r.unitId);
  if (scopes.length === 0) return [];
  const tree = await unitTree(desk, p.county, db);
  const roots = scopes.map((u) => tree.units.get(u)).filter((u) => u !== undefined);
  if (roots.some((r) => r.parentId === null)) return null;
  if (roots.length === 0) return [];
  const out: string[] = [];
  for (const [id, u] of tree.units) if (roots.some((r) => u.path.startsWith(r.path))) out.push(id);
  return out;
}

/** Whether a unit is within the subtrees of the user's roles (`roles`: only those roles count). */
export async function inScope(desk: Desk, db: Tx, p: Principal, unitId: string, roles?: readonly Role[]): Promise<boolean> {
  const units = await visibleUnits(desk, db, p, roles);
  return units === null || units.includes(unitId);
}

export async function createUser(db: Tx, county: string, u: { login: string; name: string; password: string; roles: Array<{ role: Role; unitId: string }> }, grantedBy: string): Promise<string> {
  const userId = randomUUID();
  await db.insertInto("users").values({ county_code: county, user_id: userId, login: u.login, display_name: u.name, password_hash: hashPassword(u.password) }).execute();
  await db.insertInto("login_directory").values({ login: u.login, county_code: county }).onConflict((oc) => oc.doNothing()).execute();
  for (const r of u.roles) await db.insertInto("user_roles").values({ county_code: county, user_id: userId, role: r.role, unit_id: r.unitId, granted_by: grantedBy }).execute();
  return userId;
}

/** The users of the caller's county with their roles (管理员). */
export async function listUsers(desk: Desk, p: Principal) {
  requireRole(p, ["admin"]);
  const db = desk.store.db;
  const users = await db.selectFrom("users").select(["user_id", "login", "display_name", "disabled"]).where("county_code", "=", p.county).orderBy("login").execute();
  const roles = await db.selectFrom("user_roles").select(["user_id", "role", "unit_id", "granted_by", "granted_at"]).where("county_code", "=", p.county).orderBy("role").orderBy("unit_id").execute();
  return {
    users: users.map((u) => ({
      userId: u.user_id,
      login: u.login,
      name: u.display_name,
      disabled: u.disabled,
      roles: roles.filter((r) => r.user_id === u.user_id).map((r) => ({ role: r.role as Role, label: ROLES[r.role as Role], unitId: r.unit_id, grantedBy: r.granted_by, grantedAt: new Date(r.granted_at).toISOString() })),
    })),
  };
}

/**
 * Grants or revokes one role over a unit (and its subtree) for a user of the caller's county
 * (管理员). The admin's own scope must cover the unit; the county's last county-wide admin cannot
 * be revoked (nobody could grant it back). The change and a `role_change` audit entry are one
 * transaction; this process forgets the user's cached sessions at once, other processes within
 * the auth cache time (DESK_AUTH_CACHE_MS, 5 s).
 */
export async function changeRole(desk: Desk, p: Principal, input: { userId: string; role: string; unitId: string; change: "grant" | "revoke" }) {
  requireRole(p, ["admin"]);
  if (!(input.role in ROLES)) fail(422, "UNKNOWN_ROLE", ["role"], `没有角色 ${input.role}（可选：${Object.keys(ROLES).join("、")}）`, `No role ${input.role} (one of: ${Object.keys(ROLES).join(", ")})`);
  const role = input.role as Role;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.userId)) fail(404, "USER_NOT_FOUND", ["userId"], "本县（区）没有此用户", "No such user in this county");
  const db = desk.store.db;
  const tree = await unitTree(desk, p.county, db);
  if (!tree.units.has(input.unitId)) fail(422, "UNKNOWN_UNIT", ["unitId"], `本县（区）没有单位 ${input.unitId}`, `No unit ${input.unitId} in this county`);
  if (!(await inScope(desk, db, p, input.unitId, ["admin"]))) fail(403, "OUT_OF_SCOPE", ["unitId"], `单位 ${input.unitId} 不在您的管理范围内`, `Unit ${input.unitId} is outside the scope you administer`);
  const result = await db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const user = await trx.selectFrom("users").select(["user_id", "login"]).where("county_code", "=", p.county).where("user_id", "=", input.userId).executeTakeFirst();
    if (!user) fail(404, "USER_NOT_FOUND", ["userId"], "本县（区）没有此用户", "No such user in this county");
    let changed: boolean;
    if (input.change === "grant") {
      const r = await trx.insertInto("user_roles").values({ county_code: p.county, user_id: input.userId, role, unit_id: input.unitId, granted_by: p.login }).onConflict((oc) => oc.doNothing()).returning("role").executeTakeFirst();
      changed = r !== undefined;
    } else {
      if (role === "admin" && tree.units.get(input.unitId)?.parentId === null) {
        // Serialise revocations of county-wide admins: the count below must not race another one.
        await sql`select pg_advisory_xact_lock(hashtext(${`admins:${p.county}`}))`.execute(trx);
        const admins = await trx.selectFrom("user_roles").select("user_id").where("county_code", "=", p.county).where("role", "=", "admin").where("unit_id", "=", input.unitId).execute();
        if (admins.length === 1 && admins[0]!.user_id === input.userId) fail(409, "LAST_ADMIN", ["role"], "这是本县（区）最后一位全县管理员，不能撤销", "This is the county's last county-wide administrator; the role cannot be revoked");
      }
      const r = await trx.deleteFrom("user_roles").where("county_code", "=", p.county).where("user_id", "=", input.userId).where("role", "=", role).where("unit_id", "=", input.unitId).returning("role").executeTakeFirst();
      changed = r !== undefined;
    }
    if (changed) await audit(trx, p.county, { at: now, actor: p.login, action: "role_change", detail: { change: input.change, userId: input.userId, login: user!.login, role, unitId: input.unitId } });
    return { changed, login: user!.login };
  });
  forgetPrincipal(desk, p.county, input.userId);
  const after = await principalOf(db, p.county, input.userId);
  return { userId: input.userId, login: result.login, change: input.change, role, unitId: input.unitId, changed: result.changed, roles: after.roles.map((r) => ({ ...r, label: ROLES[r.role] })) };
}
