import type { CreateEngineInput } from "@jiceng/core";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkSnapshot, createEngine } from "../src/index.js";
import type { CaseEvent, CaseSnapshot } from "../src/index.js";
import { parseEventLog, replaySteps } from "../src/testing/index.js";

// Issue 12 part 8: the history of a case is appended to, not copied per event. Whatever the way it
// is built, every snapshot of every step must stay byte-identical to what the engine produced
// before that change. The fixtures were written by this test (JICENG_UPDATE_PINS=1) from the code
// of main at 668a564; regenerate them only for a deliberate change of the snapshot format.
// Regenerated once for issue 13, which adds context.schedules (the holiday schedules the deadlines
// were counted with): with that key stripped, the new pins equal the old ones byte for byte.
const root = new URL("../../../", import.meta.url);
const update = process.env["JICENG_UPDATE_PINS"] === "1";

const packOf = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as unknown;

/** A long deterministic log on Guyuan: intake, assignment, progress notes and ticks across the deadline. */
function longLog(n: number): CaseEvent[] {
  const base = Date.parse("2022-06-20T10:00:00+08:00");
  const at = (minutes: number) => new Date(base + minutes * 60_000 + 8 * 3_600_000).toISOString().replace("Z", "+08:00");
  const events: CaseEvent[] = [
    { type: "intake", at: at(0), by: "中心", seq: 1, facts: { receivedAt: at(0), unitCode: "01", subunitCode: "01", difficulty: "simple" } },
    { type: "assign", at: at(10), by: "支部", responsibleUnit: "司法所", leadUnit: "司法所", responsiblePerson: "李某", deadline: "2022-06-27" },
  ];
  for (let i = 0; i < n; i++) events.push(i % 10 === 9 ? { type: "tick", at: at(20 + i * 30) } : { type: "progress", at: at(20 + i * 30), by: `p${i % 3}`, note: `进展 ${i}` });
  return events;
}

const logs: Array<{ name: string; pack: string; events: () => CaseEvent[] }> = [
  ...(["guyuan/escalation", "lanxi/petition", "three-centers/whistle", "xiji/boundary-dispute"] as const).map((f) => ({
    name: f.replace("/", "-"),
    pack: f.split("/")[0]!,
    events: () => parseEventLog(readFileSync(new URL(`examples/${f}.jsonl`, root), "utf8"), { name: f }),
  })),
  { name: "guyuan-long", pack: "guyuan", events: () => longLog(300) },
];

// Issue 17 (snapshot format 2): the pins above, written by format 1, stay as they are in
// fixtures/replay/ and are read as the oldest stored snapshots: each pinned step, migrated, is
// byte-identical to the format 2 step the engine makes now, and the history read from the format 2
// step is what format 1 stored (every sentence, in zh and en). The format 2 steps are pinned too,
// in fixtures/replay-v2/ (JICENG_UPDATE_PINS=1 rewrites only those).
// Issue 17, fifth session (snapshot format 3: an entry's state and level only where they change):
// the format 2 pins, written by the engine before that change, are read as stored snapshots too —
// each, migrated, is byte-identical to the format 3 step the engine makes now, and its history reads
// the same, entry by entry. The format 3 steps are pinned in fixtures/replay-v3/ (JICENG_UPDATE_PINS=1
// rewrites only those; fixtures/replay and fixtures/replay-v2 are never rewritten).
describe("replayed snapshots are byte-identical to the pinned ones (issue 12 part 8; format 1 and 2 pins read and migrated, issue 17)", () => {
  for (const log of logs) {
    it(`${log.name}: every step, and replay() of the whole log`, () => {
      const engine = createEngine(packOf(log.pack) as CreateEngineInput);
      const events = log.events();
      // Stringified only after the whole log ran: an earlier snapshot that shares an array with a
      // later one (a history appended in place) would show the later entries here.
      const snaps = replaySteps(engine, events);
      const all = snaps.map((s) => JSON.stringify(s));
      expect(JSON.stringify(engine.replay(events))).toBe(all.at(-1));
      // Long logs pin every 50th step and the last (the last holds the whole history).
      const keep = (_: unknown, i: number) => all.length <= 100 || i % 50 === 0 || i === all.length - 1;
      const steps = all.filter(keep);
      const kept = snaps.filter(keep);
      const v1 = (JSON.parse(readFileSync(new URL(`fixtures/replay/${log.name}.json`, import.meta.url), "utf8")) as CaseSnapshot[]);
      expect(steps.length).toBe(v1.length);
      v1.forEach((old, i) => {
        expect(old).not.toHaveProperty("format");
        expect(checkSnapshot(old, engine.pack), `format 1 step ${i} of ${log.name} is accepted`).toEqual([]);
        // Read back: migrated to exactly the snapshot the engine makes now.
        expect(JSON.stringify(engine.restore(old)), `step ${i} of ${log.name}, migrated`).toBe(steps[i]);
        // What a user reads is unchanged: the history rendered from format 2 is format 1's, entry by entry.
        expect(engine.history(kept[i]!), `history of step ${i} of ${log.name}`).toEqual(old.context.history);
        const { format: _f, context, ...rest } = JSON.parse(steps[i]!) as CaseSnapshot;
        const { context: oldContext, ...oldRest } = old;
        expect(rest).toEqual(oldRest);
        expect({ ...context, history: [] }).toEqual({ ...oldContext, history: [] });
      });
      const v2 = JSON.parse(readFileSync(new URL(`fixtures/replay-v2/${log.name}.json`, import.meta.url), "utf8")) as CaseSnapshot[];
      expect(v2.length).toBe(steps.length);
      v2.forEach((old, i) => {
        expect(old.format).toBe(2);
        expect(checkSnapshot(old, engine.pack), `format 2 step ${i} of ${log.name} is accepted`).toEqual([]);
        const before = JSON.stringify(old);
        expect(JSON.stringify(engine.restore(old)), `format 2 step ${i} of ${log.name}, migrated`).toBe(steps[i]);
        expect(JSON.stringify(old), "the format 2 snapshot is not changed").toBe(before);
        expect(engine.history(old), `history of format 2 step ${i} of ${log.name}`).toEqual(engine.history(kept[i]!));
        // Format 3 leaves out only what the entry before already says.
        const h3 = (JSON.parse(steps[i]!) as CaseSnapshot).context.history;
        expect(h3.map((e) => ({ ...e, state: undefined, level: undefined }))).toEqual(old.context.history.map((e) => ({ ...e, state: undefined, level: undefined })));
        expect(h3.filter((e) => e.state === undefined).length, `step ${i} of ${log.name} leaves some state out`).toBe(old.context.history.filter((e, j) => j % 32 !== 0 && e.state === old.context.history[j - 1]?.state).length);
      });
      const file = new URL(`fixtures/replay-v3/${log.name}.json`, import.meta.url);
      if (update || !existsSync(file)) writeFileSync(file, JSON.stringify(steps.map((s) => JSON.parse(s) as unknown), null, 1) + "\n");
      const pinned = (JSON.parse(readFileSync(file, "utf8")) as unknown[]).map((s) => JSON.stringify(s));
      expect(steps.length).toBe(pinned.length);
      steps.forEach((s, i) => expect(s, `step ${i} of ${log.name}`).toBe(pinned[i]));
    });
  }
});
