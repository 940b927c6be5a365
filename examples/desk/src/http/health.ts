import { engineFor, dbNow, type Desk } from "../context.js";
import { migrationStatus } from "../db/store.js";

/** Database reachable, every migration applied, and the official calendar covering this year for each bound pack. */
export async function health(desk: Desk) {
  const db = desk.store.db;
  try {
    const now = await dbNow(db);
    const m = await migrationStatus(db);
    const missing = m.expected.filter((x) => !m.applied.includes(x));
    const bound = await db.selectFrom("pack_bindings").select(["pack_id", "version"]).distinct().where("county_code", "in", db.selectFrom("counties").select("county_code")).execute();
    const year = now.getUTCFullYear();
    const calendars = [];
    for (const b of bound) {
      const e = await engineFor(desk, db, b.pack_id, b.version);
      const covered = year >= e.calendar.firstYear && year <= e.calendar.lastYear;
      calendars.push({
        pack: `${b.pack_id}@${b.version}`,
        dataset: e.calendar.dataset,
        version: e.calendar.version,
        firstYear: e.calendar.firstYear,
        lastYear: e.calendar.lastYear,
        status: covered ? "official" : "provisional",
        message: covered
          ? { zh: `${year} 年已有国务院放假安排`, en: `The State Council schedule for ${year} is loaded` }
          : { zh: `${year} 年的放假安排尚未载入：期限按临时日历（周末 + 法定节日）计算并标注“临时”`, en: `No schedule loaded for ${year}: deadlines use the provisional calendar (weekends + statutory days), marked provisional` },
      });
    }
    return { ok: missing.length === 0, database: { ok: true, kind: desk.store.kind, now: now.toISOString() }, migrations: { ok: missing.length === 0, applied: m.applied, missing }, calendars };
  } catch (err) {
    return { ok: false, database: { ok: false, kind: desk.store.kind, error: String((err as Error).message ?? err) }, migrations: { ok: false, applied: [], missing: [] }, calendars: [] };
  }
}
