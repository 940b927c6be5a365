import { engineFor, dbNow, type Desk } from "../context.js";
import { migrationStatus } from "../db/store.js";

/**
 * Database reachable, every migration applied, and for each bound pack how far the official calendar
 * reaches: whether a case received now would get a provisional deadline (a missing State Council notice).
 */
export async function health(desk: Desk) {
  const db = desk.store.db;
  try {
    const now = await dbNow(db);
    const m = await migrationStatus(db);
    const missing = m.expected.filter((x) => !m.applied.includes(x));
    const bound = await db.selectFrom("pack_bindings").select(["pack_id", "version"]).distinct().where("county_code", "in", db.selectFrom("counties").select("county_code")).execute();
    const calendars = [];
    for (const b of bound) {
      const e = await engineFor(desk, db, b.pack_id, b.version);
      const cal = e.calendar;
      // A case received now: does any level's deadline (and so its warning) reach past the last notice?
      const provisional = e.pack.levels.filter((l) => e.deadline(l.id, now).provisional === true);
      const provisionalLevels = provisional.map((l) => l.id);
      const officialThrough = `${cal.officialLastYear}-12-31`;
      const next = cal.officialLastYear + 1;
      calendars.push({
        pack: `${b.pack_id}@${b.version}`,
        dataset: cal.dataset,
        version: cal.version,
        officialThrough,
        provisionalThrough: cal.lastYear > cal.officialLastYear ? `${cal.lastYear}-12-31` : null,
        beyondSchedule: cal.beyondSchedule,
        years: cal.years,
        status: provisionalLevels.length === 0 ? "official" : "provisional",
        provisionalLevels,
        message: provisionalLevels.length === 0
          ? { zh: `今日受理案件的时限均在已加载的国务院放假安排内（至 ${officialThrough}）`, en: `Deadlines of cases received today fall within the loaded State Council schedules (through ${officialThrough})` }
          : { zh: `${next}年放假安排尚未加载：今日受理的${provisional.map((l) => l.label.zh).join("、")}案件时限按法定节假日暂行计算并标注“暂行”，加载后自动更正`, en: `The ${next} holiday schedule is not loaded: deadlines of ${provisional.map((l) => l.label.en).join(", ")} cases received today are provisional (statutory holidays only), marked as such and corrected once it is loaded` },
      });
    }
    return { ok: missing.length === 0, database: { ok: true, kind: desk.store.kind, now: now.toISOString() }, migrations: { ok: missing.length === 0, applied: m.applied, missing }, calendars };
  } catch (err) {
    return { ok: false, database: { ok: false, kind: desk.store.kind, error: String((err as Error).message ?? err) }, migrations: { ok: false, applied: [], missing: [] }, calendars: [] };
  }
}
