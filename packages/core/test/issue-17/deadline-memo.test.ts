// Issue 17: engine.deadline memoizes by (level rule, start day), in computeDeadline's memo (calendar/deadline.ts). Its results must be those of
// computeDeadline + computeWarnAt, key order included, for any sequence of calls — warnings
// clamped to `from`, hour periods, fraction warnings and provisional years included; a calendar
// error that computeDeadline reports without a path, engine.deadline reports at `from`.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeDeadline, computeWarnAt, createCalendar, createEngine, isJicengError, loadPack, type CreateEngineInput, type Engine } from "../../src/index.js";
import { levelDeadline, levelDeadlineSpec } from "../../src/calendar/deadline.js";

const root = new URL("../../../../", import.meta.url);
const packOf = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as Record<string, unknown> & { levels: Array<Record<string, unknown>> };
const numRuns = process.env["JICENG_DEEP"] ? 2_000 : 60;
const local = { local: true, note: { zh: "测试", en: "test" } };

/** engine.deadline as computed before the memo: computeDeadline, then the warning, one literal. */
function reference(engine: Engine, id: string, from: string | Date): unknown {
  const l = engine.level(id);
  const options = { calendar: engine.calendar, timezone: engine.pack.timezone, rollOverRestDays: engine.pack.calendar.rollOverRestDays };
  const d = computeDeadline(from, l.deadline, options);
  const out: Record<string, unknown> = { dueAt: d.dueAt, dueAtMs: d.dueAtMs, startDay: d.startDay, lastDay: d.lastDay, rolledOver: d.rolledOver, explanation: d.explanation, level: id };
  if (l.warn) {
    const w = computeWarnAt(from, d, l.warn, options);
    out["warnAt"] = w.warnAt;
    out["warnAtMs"] = w.warnAtMs;
  }
  return d.provisional ? { ...out, provisional: true, warnings: d.warnings ?? [] } : out;
}

function outcome(f: () => unknown, errorPath?: string[]): unknown {
  try {
    const v = f();
    return { keys: Object.keys(v as object), json: JSON.stringify(v) };
  } catch (e) {
    if (!isJicengError(e)) throw e;
    const path = e.issues[0]!.path;
    return { code: e.issues[0]!.code, path: errorPath && path.length === 0 ? errorPath : path };
  }
}

// Levels whose warnings are clamped to `from` on some days and not others, an hours period, a fraction warning.
const edited = packOf("guyuan");
edited.levels = edited.levels.map((l) =>
  l["id"] === "yellow" ? { ...l, deadline: { amount: 1, unit: "calendar-days", ...local }, warn: { before: { amount: 2, unit: "calendar-days" }, ...local } }
  : l["id"] === "orange" ? { ...l, deadline: { amount: 3, unit: "working-days", ...local }, warn: { before: { amount: 2, unit: "working-days" }, ...local } }
  : { ...l, deadline: { amount: 30, unit: "hours", ...local }, warn: { fraction: 0.5, ...local } },
);

const PACKS: Array<[string, CreateEngineInput]> = [
  ["guyuan", packOf("guyuan") as CreateEngineInput],
  ["xiji", packOf("xiji") as CreateEngineInput],
  ["lanxi", packOf("lanxi") as CreateEngineInput],
  ["guyuan with clamped warnings, hours and fractions", edited as CreateEngineInput],
];

describe("engine.deadline's memo ≡ computeDeadline + computeWarnAt", () => {
  for (const [name, pack] of PACKS) {
    it(`${name}: same result, same key order, same errors, over sequences that revisit days`, () => {
      const engine = createEngine(pack);
      const ids = engine.pack.levels.map((l) => l.id);
      // Few days (so they repeat), any minute, midnight often; years past the shipped notices (provisional); Date or text; bad input.
      const day = fc.integer({ min: 0, max: 40 }).map((k) => Date.UTC(2024, 8, 20) + k * 86_400_000 + (k % 7 === 0 ? 40 * 365 * 86_400_000 : 0));
      const from = fc.tuple(day, fc.oneof(fc.constant(-8 * 3_600_000), fc.integer({ min: 0, max: 86_399_999 })), fc.constantFrom("date", "text", "text", "bad")).map(([d, t, how]) => {
        const ms = d + t;
        if (how === "date") return new Date(ms);
        if (how === "bad") return "2024-02-30T10:00:00+08:00";
        return new Date(ms + 8 * 3_600_000).toISOString().replace("Z", "+08:00");
      });
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(...ids), from), { minLength: 1, maxLength: 40 }), (calls) => {
          for (const [id, f] of calls) expect(outcome(() => engine.deadline(id, f))).toEqual(outcome(() => reference(engine, id, f), ["from"]));
        }),
        { numRuns },
      );
    });
  }

  it("one memo for every level of every pack on one calendar: keyed by the rule, so levels never see each other's entries", () => {
    // The memo lives with computeDeadline's, per (calendar, zone): levels of different packs meet
    // in it. All levels of the four packs above, interleaved on one calendar.
    const calendar = createCalendar();
    const levels = PACKS.flatMap(([, p]) => loadPack(p).levels.map((l) => ({ l, spec: levelDeadlineSpec(l.deadline, l.warn, true) })));
    const specIds = new Set(levels.map((x) => x.spec.id).filter((id) => id >= 0));
    expect(specIds.size).toBeGreaterThan(3);
    const options = { calendar, timezone: "Asia/Shanghai" };
    const day = fc.integer({ min: 0, max: 30 }).map((k) => Date.UTC(2024, 8, 20) + k * 86_400_000);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(levels.length - 1), day, fc.integer({ min: 0, max: 86_399_999 })), { minLength: 1, maxLength: 60 }), (calls) => {
        for (const [i, d, t] of calls) {
          const { l, spec } = levels[i]!;
          const from = new Date(d + t);
          const want = () => {
            const dl = computeDeadline(from, l.deadline, options);
            const out: Record<string, unknown> = { dueAt: dl.dueAt, dueAtMs: dl.dueAtMs, startDay: dl.startDay, lastDay: dl.lastDay, rolledOver: dl.rolledOver, explanation: dl.explanation, level: l.id };
            if (l.warn) Object.assign(out, computeWarnAt(from, dl, l.warn, options));
            return dl.provisional ? { ...out, provisional: true, warnings: dl.warnings ?? [] } : out;
          };
          expect(outcome(() => levelDeadline(from, l.id, spec, options))).toEqual(outcome(want));
        }
      }),
      { numRuns },
    );
  });
});
