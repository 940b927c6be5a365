// Core runs in the page: the same @jiceng/core as the server grades intakes, explains "why not
// red" and drives the playground, with no round trip. Engines are built once per pack version.
import { createEngine, loadPack, type Engine } from "@jiceng/core";
import { get } from "./api.js";

const cache = new Map<string, Promise<{ engine: Engine; content: unknown }>>();

export function packContent(packId: string, version: string): Promise<{ engine: Engine; content: unknown }> {
  const key = `${packId}@${version}`;
  let p = cache.get(key);
  if (!p) {
    p = get<{ content: unknown }>(`/api/packs/${encodeURIComponent(packId)}/${encodeURIComponent(version)}`).then((r) => ({ content: r.content, engine: createEngine(loadPack(r.content)) }));
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export const engineFor = async (packId: string, version: string) => (await packContent(packId, version)).engine;

/** Whether a pack counts working days for its level deadlines. */
export function countsWorkingDays(engine: Engine, levelId: string): boolean {
  return engine.pack.levels.find((l) => l.id === levelId)?.deadline.unit === "working-days";
}

/** Is `day` (YYYY-MM-DD) a working day on the pack's calendar? */
export function workingDayTest(engine: Engine): (day: string) => boolean {
  const cal = engine.calendar;
  return (day) => {
    if (typeof cal.isWorkingDay === "function") {
      try {
        return cal.isWorkingDay(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
      } catch {
        /* outside the data: weekends only */
      }
    }
    const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
    return wd !== 0 && wd !== 6;
  };
}
