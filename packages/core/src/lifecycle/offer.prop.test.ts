import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type CreateEngineInput } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import { caseHistoryArbitrary, isoAt } from "../testing/lifecycle.js";
import type { CaseSnapshot } from "./lifecycle.js";

const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as unknown);

/** Every snapshot a random case passes through, and the events accepted at each. */
function walk(engine: ReturnType<typeof createEngine>, h: { intake: Parameters<typeof engine.start>[0]; events: Parameters<typeof engine.transition>[1][] }) {
  const steps: Array<{ snap: CaseSnapshot; accepted?: string; at?: string }> = [];
  let snap = engine.start(h.intake);
  for (const e of h.events) {
    try {
      const next = engine.transition(snap, e);
      steps.push({ snap, accepted: e.type, at: e.at });
      snap = next;
    } catch (err) {
      if (!isJicengError(err)) throw err;
      steps.push({ snap });
    }
  }
  steps.push({ snap });
  return steps;
}

describe("engine.nextTickAt and engine.allowedEvents over every pack", () => {
  it("finds the packs", () => expect(packs.length).toBeGreaterThanOrEqual(5));
  for (const raw of packs) {
    const engine = createEngine(raw as CreateEngineInput);
    it(`${engine.pack.id}: any tick before nextTickAt is a no-op; a tick at it changes the case`, () => {
      let tight = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 15 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (h, frac) => {
          for (const { snap } of walk(engine, h)) {
            const next = engine.nextTickAt(snap);
            const last = Date.parse(snap.context.lastAt);
            const until = next === null ? last + 400 * 86_400_000 : Date.parse(next);
            if (until > last) {
              const t = last + Math.floor((until - last) * frac);
              const ticked = engine.transition(snap, { type: "tick", at: isoAt(t) });
              expect(JSON.stringify(ticked)).toBe(JSON.stringify(snap));
            }
            if (next !== null && Date.parse(next) >= last) {
              const ticked = engine.transition(snap, { type: "tick", at: next });
              expect(JSON.stringify(ticked)).not.toBe(JSON.stringify(snap));
              tight++;
            }
          }
        }),
        { numRuns: 60 },
      );
      expect(tight).toBeGreaterThan(0);
    });
    it(`${engine.pack.id}: every event the lifecycle accepts was offered by allowedEvents`, () => {
      let offeredAndTaken = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 15 }), (h) => {
          for (const { snap, accepted, at } of walk(engine, h)) {
            const offer = engine.allowedEvents(snap, at);
            expect(offer.every((o) => o.type !== "tick" && o.type !== "intake" && o.label.zh.length > 0 && o.label.en.length > 0)).toBe(true);
            if (accepted && accepted !== "tick") {
              expect(offer.map((o) => o.type)).toContain(accepted);
              offeredAndTaken++;
            }
          }
        }),
        { numRuns: 60 },
      );
      expect(offeredAndTaken).toBeGreaterThan(0);
    });
  }
});
