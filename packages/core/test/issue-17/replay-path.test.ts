// Issue 17, replay: what the faster replay path relies on, held against the straightforward path.
// - The lifecycle reads instants with the strict parser (conditions/time.ts) instead of Date.parse:
//   equal on every instant the event and snapshot checks accept.
// - A replay marks only the snapshot it returns and steps its own snapshots unchecked: it must equal
//   engine.start + engine.transition chained, event by event, on random histories of every pack —
//   and where an event in the log is refused, throw exactly transition's issues (path under
//   events.<i>), with nothing it was given changed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, loadPack, type CaseEvent, type CaseSnapshot, type CreateEngineInput } from "../../src/index.js";
import { isIsoDateTime, parseIsoDateTime } from "../../src/conditions/time.js";
import { caseHistoryArbitrary } from "../../src/testing/index.js";

const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => ({ dir: d, pack: JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as unknown }));

const two = (n: number) => String(n).padStart(2, "0");
/** ISO 8601 datetimes of every written form the instant check accepts, and some it refuses. */
const isoText = fc
  .record({
    y: fc.integer({ min: 0, max: 10_000 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 24 }),
    mi: fc.integer({ min: 0, max: 60 }),
    s: fc.option(fc.integer({ min: 0, max: 60 })),
    frac: fc.option(fc.stringMatching(/^[0-9]{1,10}$/)),
    off: fc.oneof(fc.constant("Z"), fc.record({ sign: fc.constantFrom("+", "-"), oh: fc.integer({ min: 0, max: 24 }), om: fc.integer({ min: 0, max: 60 }) }).map(({ sign, oh, om }) => `${sign}${two(oh)}:${two(om)}`)),
  })
  .map(({ y, mo, d, h, mi, s, frac, off }) => `${String(y).padStart(4, "0")}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}${s === null ? "" : `:${two(s)}${frac === null ? "" : `.${frac}`}`}${off}`);

describe("instants: the strict parser and Date.parse agree on every instant the checks accept", () => {
  it("equal epoch milliseconds, or the string is refused by both checks", () => {
    let accepted = 0;
    fc.assert(
      fc.property(isoText, (text) => {
        if (!isIsoDateTime(text)) {
          expect(Number.isNaN(parseIsoDateTime(text))).toBe(true);
          return;
        }
        accepted++;
        expect(parseIsoDateTime(text)).toBe(Date.parse(text));
      }),
      { numRuns: 20_000, seed: 1717 },
    );
    expect(accepted).toBeGreaterThan(5_000);
  });
});

/** The issues an engine throws, as JSON text (or the thrown value, if not a JicengError). */
function thrown(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return isJicengError(err) ? JSON.stringify(err.issues) : `not a JicengError: ${String(err)}`;
  }
}

describe("replay ≡ start + transition chained, on every pack", () => {
  for (const { dir, pack: input } of packs) {
    it(`${dir}: the same snapshot as JSON text; a refused event in the log throws transition's issues at events.<i>, nothing changed`, () => {
      const engine = createEngine(input as CreateEngineInput);
      const pack = loadPack(input);
      let refusedSeen = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(pack, { maxEvents: 16 }), fc.nat(), ({ intake, events }, pick) => {
          // The accepted log, and the first refused event after each prefix.
          let s: CaseSnapshot = engine.start(intake);
          const log: CaseEvent[] = [intake];
          const refusals: Array<{ at: number; event: CaseEvent; issues: string }> = [];
          for (const e of events) {
            const before = JSON.stringify(s);
            const why = thrown(() => engine.transition(s, e));
            if (why === undefined) {
              s = engine.transition(s, e);
              log.push(e);
            } else {
              expect(JSON.stringify(s)).toBe(before);
              refusals.push({ at: log.length, event: e, issues: why });
            }
          }
          const frozen = JSON.stringify(log);
          expect(JSON.stringify(engine.replay(log))).toBe(JSON.stringify(s));
          expect(JSON.stringify(log)).toBe(frozen);
          // The replayed snapshot is the engine's own: transition takes it without a check and goes on alike.
          const r = engine.replay(log);
          for (const e of events.slice(-3)) expect(thrown(() => engine.transition(r, e))).toBe(thrown(() => engine.transition(s, e)));
          if (refusals.length === 0) return;
          const { at, event, issues } = refusals[pick % refusals.length]!;
          refusedSeen++;
          const bad = [...log.slice(0, at), event, ...log.slice(at)];
          const text = JSON.stringify(bad);
          const expected = (JSON.parse(issues) as Array<{ path: Array<string | number> }>).map((i) => ({ ...i, path: ["events", at, ...i.path.slice(i.path[0] === "event" ? 1 : 0)] }));
          expect(thrown(() => engine.replay(bad))).toBe(JSON.stringify(expected));
          expect(JSON.stringify(bad)).toBe(text);
        }),
        { numRuns: 40, seed: 1717 },
      );
      expect(refusedSeen).toBeGreaterThan(10);
    }, 120_000);
  }
});
