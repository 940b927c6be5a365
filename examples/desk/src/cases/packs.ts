import { safeLoadPack, lintPack } from "@jiceng/core";
import { requireRole, type Principal } from "../auth/index.js";
import { audit, canonical, dbNow, deskIssue, fail, instantParam, iso, sha256, DeskError, type Desk } from "../context.js";

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

/**
 * A new draft (规则编辑). The id and version come from the content; an existing version is never
 * overwritten. A pack with errors is kept as a draft too (the editor's work is not lost) and comes
 * back with its issues and `valid: false`; it can never be published. Without a usable id and
 * version there is nothing to file it under: 422.
 */
export async function createDraft(desk: Desk, p: Principal, content: unknown) {
  requireRole(p, ["rule_editor", "admin"]);
  const r = safeLoadPack(content);
  const raw = (typeof content === "object" && content !== null && !Array.isArray(content) ? content : {}) as { id?: unknown; version?: unknown };
  const id = r.success ? r.data.id : raw.id;
  const version = r.success ? r.data.version : raw.version;
  if (!r.success && (typeof id !== "string" || !/^[a-z][a-z0-9-]{0,63}$/.test(id) || typeof version !== "string" || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version))) {
    throw new DeskError(422, r.issues);
  }
  const pack = { id: id as string, version: version as string };
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const exists = await trx.selectFrom("packs").select("status").where("pack_id", "=", pack.id).where("version", "=", pack.version).executeTakeFirst();
    if (exists) fail(409, "PACK_VERSION_EXISTS", ["version"], `规则包 ${pack.id} 的版本 ${pack.version} 已存在（${exists.status}）；请改版本号`, `Pack ${pack.id} version ${pack.version} already exists (${exists.status}); bump the version`);
    const text = canonical(content);
    await trx.insertInto("packs").values({ pack_id: pack.id, version: pack.version, status: "draft", content: text, sha256: sha256(text), created_by: actor(p) }).execute();
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_create", detail: { packId: pack.id, version: pack.version, valid: r.success } });
    return { packId: pack.id, version: pack.version, status: "draft", valid: r.success, issues: r.success ? r.warnings : r.issues };
  });
}

/** One stored version: its content as stored, status, and core's verdict on it. */
export async function getPack(desk: Desk, packId: string, version: string) {
  const row = await desk.store.db.selectFrom("packs").selectAll().where("pack_id", "=", packId).where("version", "=", version).executeTakeFirst();
  if (!row) fail(404, "UNKNOWN_PACK", ["packId"], `规则包 ${packId}@${version} 不存在`, `Pack ${packId}@${version} does not exist`);
  const content = typeof row!.content === "string" ? JSON.parse(row!.content) : row!.content;
  const r = safeLoadPack(content);
  return { packId, version, status: row!.status, createdBy: row!.created_by, publishedBy: row!.published_by, sha256: row!.sha256, content, valid: r.success, issues: r.success ? r.warnings : r.issues };
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
    const row = await trx.selectFrom("packs").select(["status", "created_by", "content"]).where("pack_id", "=", packId).where("version", "=", version).executeTakeFirst();
    if (!row) fail(404, "UNKNOWN_PACK", ["packId"], `规则包 ${packId}@${version} 不存在`, `Pack ${packId}@${version} does not exist`);
    if (row!.status !== "review") fail(409, "PACK_NOT_IN_REVIEW", ["status"], "只有待审核的版本可以发布", "Only a version in review can be published");
    // A draft with errors may be kept and reviewed, never published.
    const checked = safeLoadPack(typeof row!.content === "string" ? JSON.parse(row!.content) : row!.content);
    if (!checked.success) {
      throw new DeskError(422, [deskIssue("PACK_INVALID", ["content"], `规则包有 ${checked.issues.length} 个错误，不能发布；请修正后另存新版本`, `The pack has ${checked.issues.length} error(s) and cannot be published; fix them and save a new version`), ...checked.issues]);
    }
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
    const from = validFrom ? instantParam(validFrom, ["validFrom"]) : now;
    // Bindings are history: a new one starts later, none is rewritten.
    const taken = await trx.selectFrom("pack_bindings").select("version").where("county_code", "=", p.county).where("pack_id", "=", packId).where("valid_from", "=", from).executeTakeFirst();
    if (taken) fail(409, "BINDING_EXISTS", ["validFrom"], `已有从该时刻起的启用记录（版本 ${taken.version}）`, `A binding from that instant already exists (version ${taken.version})`);
    await trx.insertInto("pack_bindings").values({ county_code: p.county, pack_id: packId, version, valid_from: from, bound_by: p.login }).execute();
    await audit(trx, p.county, { at: now, actor: p.login, action: "pack_bind", detail: { packId, version, validFrom: from.toISOString() } });
    return { packId, version, validFrom: iso(from) };
  });
}
