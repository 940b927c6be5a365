import { safeLoadPack, lintPack } from "@jiceng/core";
import { requireRole, type Principal } from "../auth/index.js";
import { audit, canonical, dbNow, fail, iso, sha256, DeskError, type Desk } from "../context.js";

const actor = (p: Principal) => `${p.county}:${p.login}`;

export async function listPacks(desk: Desk) {
  const rows = await desk.store.db.selectFrom("packs").select(["pack_id", "version", "status", "sha256", "created_by", "reviewed_by", "published_by", "created_at", "published_at"]).orderBy("pack_id").orderBy("version").execute();
  return rows.map((r) => ({ packId: r.pack_id, version: r.version, status: r.status, sha256: r.sha256, createdBy: r.created_by, reviewedBy: r.reviewed_by, publishedBy: r.published_by, createdAt: iso(r.created_at), publishedAt: r.published_at ? iso(r.published_at) : null }));
}

/** Validates a pack (core's issues: errors and warnings) without storing it. */
export function validatePack(content: unknown) {
  const r = safeLoadPack(content);
  if (!r.success) return { ok: false, issues: r.issues };
  return { ok: true, issues: lintPack(r.data) };
}

/** A new draft (规则编辑). The id and version come from the content; an existing version is never overwritten. */
export async function createDraft(desk: Desk, p: Principal, content: unknown) {
  requireRole(p, ["rule_editor", "admin"]);
  const r = safeLoadPack(content);
  if (!r.success) throw new DeskError(422, r.issues);
  const pack = r.data;
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const exists = await trx.selectFrom("packs").select("status").where("pack_id", "=", pack.id).where("version", "=", pack.version).executeTakeFirst();
    if (exists) fail(409, "PACK_VERSION_EXISTS", ["version"], `规则包 ${pack.id} 的版本 ${pack.version} 已存在（${exists.status}）；请改版本号`, `Pack ${pack.id} version ${pack.version} already exists (${exists.status}); bump the version`);
    const text = canonical(content);
    await trx.insertInto("packs").values({ pack_id: pack.id, version: pack.version, status: "draft", content: text, sha256: sha256(text), created_by: actor(p) }).execute();
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_create", detail: { packId: pack.id, version: pack.version } });
    return { packId: pack.id, version: pack.version, status: "draft" };
  });
}

/** draft → review (the author or another editor). */
export async function submitPack(desk: Desk, p: Principal, packId: string, version: string) {
  requireRole(p, ["rule_editor", "admin"]);
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const r = await trx.updateTable("packs").set({ status: "review", submitted_at: now }).where("pack_id", "=", packId).where("version", "=", version).where("status", "=", "draft").returning("status").executeTakeFirst();
    if (!r) fail(409, "PACK_NOT_DRAFT", ["status"], "只有草稿可以提交审核", "Only a draft can be submitted for review");
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_submit", detail: { packId, version } });
    return { packId, version, status: "review" };
  });
}

/**
 * review → published by a reviewer who is not the author (four eyes). The app refuses it first
 * with a clear message; the CHECK constraint packs_four_eyes refuses it again in the database.
 */
export async function publishPack(desk: Desk, p: Principal, packId: string, version: string) {
  requireRole(p, ["rule_reviewer", "admin"]);
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const row = await trx.selectFrom("packs").select(["status", "created_by"]).where("pack_id", "=", packId).where("version", "=", version).executeTakeFirst();
    if (!row) fail(404, "UNKNOWN_PACK", ["packId"], `规则包 ${packId}@${version} 不存在`, `Pack ${packId}@${version} does not exist`);
    if (row!.status !== "review") fail(409, "PACK_NOT_IN_REVIEW", ["status"], "只有待审核的版本可以发布", "Only a version in review can be published");
    if (row!.created_by === actor(p)) fail(403, "FOUR_EYES", ["publishedBy"], "四眼原则：发布人不能是起草人", "Four eyes: the publisher cannot be the author");
    await trx.updateTable("packs").set({ status: "published", reviewed_by: actor(p), reviewed_at: now, published_by: actor(p), published_at: now }).where("pack_id", "=", packId).where("version", "=", version).where("status", "=", "review").execute();
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_publish", detail: { packId, version } });
    return { packId, version, status: "published" };
  });
}

/** Bind a published version to the caller's county from an instant (管理员). */
export async function bindPack(desk: Desk, p: Principal, packId: string, version: string, validFrom?: string) {
  requireRole(p, ["admin"]);
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const row = await trx.selectFrom("packs").select("status").where("pack_id", "=", packId).where("version", "=", version).executeTakeFirst();
    if (row?.status !== "published") fail(422, "PACK_NOT_PUBLISHED", ["version"], "只能启用已发布的版本", "Only a published version can be bound");
    const from = validFrom ? new Date(validFrom) : now;
    if (Number.isNaN(from.getTime())) fail(422, "INVALID_REQUEST", ["validFrom"], "validFrom 须为 ISO 8601 时间", "validFrom must be ISO 8601");
    // Bindings are history: a new one starts later, none is rewritten.
    const taken = await trx.selectFrom("pack_bindings").select("version").where("county_code", "=", p.county).where("pack_id", "=", packId).where("valid_from", "=", from).executeTakeFirst();
    if (taken) fail(409, "BINDING_EXISTS", ["validFrom"], `已有从该时刻起的启用记录（版本 ${taken.version}）`, `A binding from that instant already exists (version ${taken.version})`);
    await trx.insertInto("pack_bindings").values({ county_code: p.county, pack_id: packId, version, valid_from: from, bound_by: p.login }).execute();
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_bind", detail: { packId, version, validFrom: from.toISOString() } });
    return { packId, version, validFrom: iso(from) };
  });
}
