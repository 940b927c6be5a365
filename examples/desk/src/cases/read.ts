import type { CaseSnapshot, Engine } from "@jiceng/core";
import { scorecardCsv, scorecardHtml, stageOf } from "@jiceng/core";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { requireRole, visibleUnits, type Principal } from "../auth/index.js";
import { audit, dbNow, engineFor, fail, instantParam, iso, asDeskError, type Desk, type Tx } from "../context.js";
import { caseDetail, caseSummary, type CaseRecord } from "./view.js";
import { loadCase } from "./service.js";

export const QUEUES = ["all", "mine", "to_sign", "due_soon", "overdue", "awaiting_decision", "reported", "to_follow_up", "open", "closed"] as const;
export type Queue = (typeof QUEUES)[number];

export interface ListFilter {
  queue?: Queue | undefined;
  state?: string | undefined;
  level?: string | undefined;
  unit?: string | undefined;
  overdue?: boolean | undefined;
  dueBefore?: string | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

const OPEN = ["graded", "assigned", "resolving", "escalation-pending"];

/** The cases of one queue in the caller's scope, filtered (no paging); null when the scope is empty. */
async function queueQuery(desk: Desk, p: Principal, f: ListFilter, now: Date) {
  const db = desk.store.db;
  const units = await visibleUnits(desk, db, p);
  let q = db.selectFrom("cases").selectAll().where("county_code", "=", p.county);
  if (units !== null) {
    if (units.length === 0) return null;
    q = q.where((eb) => eb.or([eb("unit_id", "in", units), eb("intake_unit_id", "in", units)]));
  }
  const queue = f.queue ?? "all";
  if (queue === "mine") {
    const mine = await visibleUnits(desk, db, p, ["handler", "unit_head", "dispatch", "centre_head", "supervisor", "intake"]);
    q = q.where("state", "in", OPEN);
    if (mine !== null) q = mine.length ? q.where("unit_id", "in", mine) : q.where(sql<boolean>`false`);
  }
  if (queue === "open") q = q.where("state", "in", OPEN);
  if (queue === "closed") q = q.where("state", "in", ["resolved", "closed"]);
  if (queue === "to_sign") q = q.where("to_sign_for", "=", true);
  if (queue === "due_soon") q = q.where("state", "in", OPEN).where("overdue", "=", false).where("warn_at", "<=", now).where("due_at", ">", now);
  if (queue === "overdue") q = q.where("state", "in", OPEN).where((eb) => eb.or([eb("overdue", "=", true), eb("due_at", "<=", now)]));
  if (queue === "awaiting_decision") q = q.where("awaiting_decision", "=", true);
  if (queue === "reported") q = q.where(sql<boolean>`jsonb_array_length(coalesce(snapshot->'context'->'reportedTo', '[]'::jsonb)) > 0`);
  if (queue === "to_follow_up") q = q.where("to_follow_up", "=", true);
  if (f.state) q = q.where("state", "=", f.state);
  if (f.level) q = q.where("level", "=", f.level);
  if (f.unit) {
    const sub = await db.selectFrom("units").select("path").where("county_code", "=", p.county).where("unit_id", "=", f.unit).executeTakeFirst();
    if (!sub) return null;
    q = q.where("unit_id", "in", db.selectFrom("units").select("unit_id").where("county_code", "=", p.county).where("path", "like", `${sub.path}%`));
  }
  if (f.overdue !== undefined) q = f.overdue ? q.where((eb) => eb.or([eb("overdue", "=", true), eb("due_at", "<=", now)])) : q.where("overdue", "=", false).where("due_at", ">", now);
  if (f.dueBefore) {
    q = q.where("due_at", "<", instantParam(f.dueBefore, ["query", "dueBefore"]));
  }
  if (f.q) q = q.where("number", "like", `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  return q;
}

/** How many cases each queue holds for the caller (the counts on the 工作台 tabs). */
export async function queueCounts(desk: Desk, p: Principal) {
  const now = await dbNow(desk.store.db);
  const counts: Partial<Record<Queue, number>> = {};
  for (const queue of QUEUES) {
    const q = await queueQuery(desk, p, { queue }, now);
    counts[queue] = q ? Number((await q.clearSelect().select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n) : 0;
  }
  return { counts };
}

/** The queues (我的待办 / 待签收 / 临期 / 超期 / 待决定 / 已上报 / 待回访), filtered, scoped, sorted by due, cursor-paged. */
export async function listCases(desk: Desk, p: Principal, f: ListFilter) {
  const db = desk.store.db;
  const now = await dbNow(db);
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  let q = await queueQuery(desk, p, f, now);
  if (!q) return { items: [], nextCursor: null };
  if (f.cursor) {
    const [due, id] = Buffer.from(f.cursor, "base64url").toString("utf8").split("|");
    if (!id || !/^[0-9a-f-]{36}$/.test(id)) fail(422, "INVALID_REQUEST", ["query", "cursor"], "cursor 无效", "Invalid cursor");
    if (due) {
      const at = instantParam(due, ["query", "cursor"]);
      q = q.where((eb) => eb.or([eb("due_at", ">", at), eb.and([eb("due_at", "=", at), eb("case_id", ">", id!)]), eb("due_at", "is", null)]));
    }
    else q = q.where("due_at", "is", null).where("case_id", ">", id!);
  }
  const rows = (await q.orderBy(sql`due_at asc nulls last`).orderBy("case_id").limit(limit + 1).execute()) as CaseRecord[];
  const page = rows.slice(0, limit);
  const items = [];
  for (const r of page) items.push(caseSummary(await engineFor(desk, db, r.pack_id, r.pack_version), r, now));
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? Buffer.from(`${last.due_at ? new Date(last.due_at).toISOString() : ""}|${last.case_id}`).toString("base64url") : null;
  return { items, nextCursor };
}

/** One case: summary, snapshot, timeline, allowed events; the read is audited (view). */
export async function getCase(desk: Desk, p: Principal, caseId: string) {
  const db = desk.store.db;
  const { row, now } = await loadCase(desk, db, p, caseId);
  const engine = await engineFor(desk, db, row.pack_id, row.pack_version);
  await audit(db, p.county, { at: now, actor: p.login, action: "view", caseId });
  return caseDetail(engine, row, now, p);
}

export async function caseEvents(desk: Desk, p: Principal, caseId: string) {
  const db = desk.store.db;
  const { row } = await loadCase(desk, db, p, caseId);
  const tz = (await engineFor(desk, db, row.pack_id, row.pack_version)).pack.timezone;
  const events = await db.selectFrom("case_events").selectAll().where("county_code", "=", p.county).where("case_id", "=", caseId).orderBy("seq").execute();
  return { version: row.version, events: events.map((e) => ({ seq: e.seq, type: e.type, event: e.event, actor: e.actor, requestId: e.request_id, recordedAt: iso(e.recorded_at, tz) })) };
}

/** Snapshots of the cases in the caller's scope, grouped by pack version (for sweep / score / ledger). */
async function scopedSnapshots(desk: Desk, db: Tx, p: Principal, where: { open?: boolean; packId?: string } = {}) {
  const units = await visibleUnits(desk, db, p);
  let q = db.selectFrom("cases").select(["pack_id", "pack_version", "snapshot", "number", "case_id", "unit_id"]).where("county_code", "=", p.county);
  if (units !== null) {
    if (units.length === 0) return new Map<string, { engine: Engine; snaps: CaseSnapshot[]; ids: string[]; numbers: string[]; units: string[] }>();
    q = q.where((eb) => eb.or([eb("unit_id", "in", units), eb("intake_unit_id", "in", units)]));
  }
  if (where.open) q = q.where("state", "in", OPEN);
  if (where.packId) q = q.where("pack_id", "=", where.packId);
  const groups = new Map<string, { engine: Engine; snaps: CaseSnapshot[]; ids: string[]; numbers: string[]; units: string[] }>();
  for (const r of await q.orderBy("received_at").limit(20_000).execute()) {
    const key = `${r.pack_id}@${r.pack_version}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { engine: await engineFor(desk, db, r.pack_id, r.pack_version), snaps: [], ids: [], numbers: [], units: [] }));
    g.snaps.push(r.snapshot as CaseSnapshot);
    g.ids.push(r.case_id);
    g.numbers.push(r.number);
    g.units.push(r.unit_id);
  }
  return groups;
}

/**
 * The 研判 dashboard for the caller's scope, per pack version: core's sweep lists (临期 / 超期 / 待决定 /
 * 已上报 …) over the open cases, counts by level, unit and state, and the meeting lists (周碰头 / 月研判 /
 * 季考核, core's `agenda`) over every case; case numbers and level / state names for the page.
 */
export async function dashboard(desk: Desk, p: Principal) {
  const db = desk.store.db;
  const now = await dbNow(db);
  const groups = await scopedSnapshots(desk, db, p);
  const packs = [];
  for (const [key, g] of groups) {
    const at = iso(now, g.engine.pack.timezone);
    const open = g.snaps.map((s, i) => [s, i] as const).filter(([s]) => OPEN.includes(s.state));
    const s = g.engine.sweep(open.map(([x]) => x), at);
    const ids = (xs: number[]) => xs.map((i) => g.ids[open[i]![1]]!);
    const all = (xs: number[]) => xs.map((i) => g.ids[i]!);
    const tally = (f: (x: CaseSnapshot, i: number) => string) => {
      const out: Record<string, number> = {};
      g.snaps.forEach((x, i) => (out[f(x, i)] = (out[f(x, i)] ?? 0) + 1));
      return out;
    };
    const agenda = (["weekly", "monthly", "quarterly"] as const).map((kind) => {
      const a = g.engine.agenda(g.snaps, kind, at);
      return { ...a, newCases: all(a.newCases), toDecide: all(a.toDecide), overdue: all(a.overdue), resolved: all(a.resolved), escalated: all(a.escalated) };
    });
    packs.push({
      pack: key,
      open: open.length,
      at: s.at,
      dueSoon: ids(s.dueSoon),
      overdue: ids(s.overdue),
      awaitingDecision: ids(s.awaitingDecision),
      reported: ids(s.reported),
      awaitingReportDecision: ids(s.awaitingReportDecision),
      ackOverdue: ids(s.ackOverdue),
      needsTick: ids(s.needsTick),
      counts: {
        byLevel: tally((x) => x.context.level),
        byUnit: tally((_, i) => g.units[i]!),
        byState: tally((x) => x.state),
      },
      agenda,
      levels: Object.fromEntries(g.engine.pack.levels.map((l) => [l.id, l.label])),
      // One name per state (the pack's stage name, else core's): status labels (正在化解…) cover several states.
      states: Object.fromEntries(g.snaps.map((x) => [x.state, stageOf(g.engine.pack, x)])),
      cases: Object.fromEntries(g.ids.map((id, i) => [id, { number: g.numbers[i] ?? null, level: g.snaps[i]!.context.level }])),
    });
  }
  return { at: iso(now), packs };
}

/** The pack's scorecard over a period for the caller's scope: html, json or csv. */
export async function scorecard(desk: Desk, p: Principal, period: string, format: "html" | "json" | "csv", packId?: string) {
  const db = desk.store.db;
  const groups = await scopedSnapshots(desk, db, p, packId ? { packId } : {});
  const g = [...groups.values()].sort((a, b) => b.snaps.length - a.snaps.length)[0];
  if (!g) fail(404, "NO_CASES", ["period"], "范围内没有案件", "No cases in scope");
  if (!g!.engine.pack.scoring) fail(422, "NO_SCORING", ["packId"], `规则包 ${g!.engine.pack.id} 没有考核（scoring）部分`, `Pack ${g!.engine.pack.id} has no scoring section`);
  let card;
  try {
    card = g!.engine.score(g!.snaps, period);
  } catch (err) {
    asDeskError(err);
  }
  if (format === "html") return { type: "text/html; charset=utf-8", body: scorecardHtml(card!) };
  if (format === "csv") return { type: "text/csv; charset=utf-8", body: scorecardCsv(card!, { bom: true }) };
  return { type: "application/json", body: JSON.stringify(card!) };
}

const ARGB: Record<string, string> = { red: "FFE53935", orange: "FFFB8C00", yellow: "FFFDD835", green: "FF43A047", blue: "FF1E88E5" };

/** 台账: 问题清单 and 责任清单 as an Excel workbook, level cells in their colours; the export is audited. */
export async function ledger(desk: Desk, p: Principal): Promise<Buffer> {
  requireRole(p, ["centre_head", "supervisor", "auditor", "admin", "dispatch", "unit_head"]);
  return desk.store.db.transaction().execute(async (trx) => {
    const now = await dbNow(trx);
    const groups = await scopedSnapshots(desk, trx, p);
    const wb = new ExcelJS.Workbook();
    wb.creator = "jiceng desk";
    const problems = wb.addWorksheet("问题清单 Problems");
    problems.columns = [
      { header: "编号 Number", key: "number", width: 16 },
      { header: "规则包 Pack", key: "pack", width: 16 },
      { header: "问题类型 Type", key: "type", width: 14 },
      { header: "等级 Level", key: "level", width: 12 },
      { header: "受理时间 Received", key: "received", width: 26 },
      { header: "状态 Status", key: "status", width: 16 },
    ];
    const duties = wb.addWorksheet("责任清单 Responsibilities");
    duties.columns = [
      { header: "编号 Number", key: "number", width: 16 },
      { header: "牵头单位 Lead unit", key: "lead", width: 18 },
      { header: "责任领导 Leader", key: "leader", width: 14 },
      { header: "责任单位 Unit", key: "unit", width: 18 },
      { header: "责任人 Person", key: "person", width: 12 },
      { header: "时限 Due", key: "due", width: 26 },
      { header: "措施 Measures", key: "measures", width: 40 },
    ];
    let n = 0;
    for (const g of groups.values()) {
      for (const snap of g.snaps) {
        const row = g.engine.listRow(snap);
        const lv = g.engine.pack.levels.find((l) => l.id === row.problem.level);
        const r = problems.addRow({
          number: row.problem.number ?? snap.context.number ?? row.problem.id ?? "",
          pack: `${g.engine.pack.id}@${g.engine.pack.version}`,
          type: row.problem.type === undefined ? "" : String(row.problem.type),
          level: `${row.problem.levelLabel.zh} ${row.problem.levelLabel.en}`,
          received: row.problem.receivedAt,
          status: `${g.engine.status(snap).label.zh} ${g.engine.status(snap).label.en}`,
        });
        const argb = lv?.colour ? ARGB[lv.colour] : undefined;
        if (argb) r.getCell("level").fill = { type: "pattern", pattern: "solid", fgColor: { argb } };
        const d = row.responsibility;
        duties.addRow({ number: row.problem.number ?? snap.context.number ?? "", lead: d.leadUnit ?? "", leader: d.responsibleLeader ?? "", unit: d.responsibleUnit ?? "", person: d.responsiblePerson ?? "", due: d.dueAt, measures: d.measures ?? "" });
        n++;
      }
    }
    problems.getRow(1).font = { bold: true };
    duties.getRow(1).font = { bold: true };
    await audit(trx, p.county, { at: now, actor: p.login, action: "export", detail: { what: "ledger.xlsx", rows: n } });
    return Buffer.from(await wb.xlsx.writeBuffer());
  });
}
