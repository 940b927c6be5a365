import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { sql } from "kysely";
import { audit, dbNow, fail, sha256, type Desk, type Tx } from "../context.js";

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

/**
 * Local accounts: county + login + password → a bearer token `<county>.<random>`. The token names
 * its county so every later statement is routed to one tenant. Seam: a provincial SSO replaces
 * this function (verify its assertion, map the subject to a user row), nothing else changes.
 */
export async function login(desk: Desk, input: { county: string; login: string; password: string }): Promise<{ token: string; principal: Principal; expiresAt: Date }> {
  const db = desk.store.db;
  const user = await db.selectFrom("users").selectAll().where("county_code", "=", input.county).where("login", "=", input.login).executeTakeFirst();
  const ok = user !== undefined && !user.disabled && verifyPassword(input.password, user.password_hash);
  const known = await db.selectFrom("counties").select("county_code").where("county_code", "=", input.county).executeTakeFirst();
  if (!ok) {
    if (known) {
      await db.transaction().execute(async (trx) => audit(trx, input.county, { at: await dbNow(trx), actor: `login:${input.login}`, action: "login_failed" }));
    }
    fail(401, "LOGIN_FAILED", ["login"], "账号或密码错误", "Wrong login or password");
  }
  const token = `${input.county}.${randomBytes(24).toString("base64url")}`;
  const expiresAt = await db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const expires = new Date(now.getTime() + TOKEN_TTL_HOURS * 3_600_000);
    await trx.insertInto("sessions").values({ county_code: input.county, token_hash: sha256(token), user_id: user!.user_id, expires_at: expires }).execute();
    await audit(trx, input.county, { at: now, actor: user!.login, action: "login" });
    return expires;
  });
  return { token, principal: await principalOf(db, input.county, user!.user_id), expiresAt };
}

export async function principalOf(db: Tx, county: string, userId: string): Promise<Principal> {
  const user = await db.selectFrom("users").select(["login", "display_name"]).where("county_code", "=", county).where("user_id", "=", userId).executeTakeFirstOrThrow();
  const roles = await db.selectFrom("user_roles").select(["role", "unit_id"]).where("county_code", "=", county).where("user_id", "=", userId).execute();
  return { county, userId, login: user.login, name: user.display_name, roles: roles.map((r) => ({ role: r.role as Role, unitId: r.unit_id })) };
}

/** The principal behind a bearer token, or a 401. */
export async function authenticate(desk: Desk, token: string | undefined): Promise<Principal> {
  const county = token?.split(".")[0];
  if (!token || !county) fail(401, "UNAUTHENTICATED", ["authorization"], "请先登录", "Sign in first");
  const db = desk.store.db;
  const s = await db.selectFrom("sessions").select(["user_id"]).where("county_code", "=", county!).where("token_hash", "=", sha256(token!)).where("expires_at", ">", sql<Date>`now()`).executeTakeFirst();
  if (!s) fail(401, "UNAUTHENTICATED", ["authorization"], "登录已失效，请重新登录", "The session is invalid or expired; sign in again");
  return principalOf(db, county!, s!.user_id);
}

/** Ends the session behind a token (logout): the token stops working at once; audited. Unknown tokens are a no-op. */
export async function logout(desk: Desk, token: string | undefined, p: Principal): Promise<void> {
  if (!token) return;
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
 * `null` = the whole county (a role on the county's root unit).
 */
export async function visibleUnits(db: Tx, p: Principal, roles?: readonly Role[]): Promise<string[] | null> {
  const scopes = p.roles.filter((r) => !roles || roles.includes(r.role)).map((r) => r.unitId);
  if (scopes.length === 0) return [];
  const rows = await db.selectFrom("units").select(["unit_id", "path", "parent_id"]).where("county_code", "=", p.county).where("unit_id", "in", scopes).execute();
  if (rows.some((r) => r.parent_id === null)) return null;
  if (rows.length === 0) return [];
  const sub = await db
    .selectFrom("units")
    .select("unit_id")
    .where("county_code", "=", p.county)
    .where((eb) => eb.or(rows.map((r) => eb("path", "like", `${r.path}%`))))
    .execute();
  return sub.map((r) => r.unit_id);
}

export async function createUser(db: Tx, county: string, u: { login: string; name: string; password: string; roles: Array<{ role: Role; unitId: string }> }, grantedBy: string): Promise<string> {
  const userId = randomUUID();
  await db.insertInto("users").values({ county_code: county, user_id: userId, login: u.login, display_name: u.name, password_hash: hashPassword(u.password) }).execute();
  for (const r of u.roles) await db.insertInto("user_roles").values({ county_code: county, user_id: userId, role: r.role, unit_id: r.unitId, granted_by: grantedBy }).execute();
  return userId;
}
