import { readdirSync, readFileSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkInvariants } from "../src/testing/index.js";

// Every pack in the repository runs the same property suite app authors get from @jiceng/core/testing.
const root = new URL("../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => ({ dir: d, pack: JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as { id: string; variants?: { id: string }[] } }));
const deep = Boolean(process.env["JICENG_DEEP"]);

describe("lifecycle invariants hold for every pack (DESIGN.md § Invariants)", () => {
  it("finds the packs", () => expect(packs.length).toBeGreaterThan(0));
  for (const { dir, pack } of packs) {
    it(`${dir}: random event sequences with random clocks`, () => {
      // A fixed seed (JICENG_SEED overrides): with a random one Guyuan's upgrades (2–6 in 150 runs)
      // were now and then 0, failing the coverage floor below while every invariant held.
      const stats = checkInvariants(pack, { numRuns: deep ? 5000 : 150, maxEvents: deep ? 40 : 25, seed: Number(process.env["JICENG_SEED"] ?? 1717) });
      // The random cases must actually reach the interesting states, or the proof proves little.
      expect(stats.runs).toBe(deep ? 5000 : 150);
      expect(stats.states["closed"] ?? 0).toBeGreaterThan(0);
      if (pack.id === "guyuan") {
        expect(stats.upgrades).toBeGreaterThan(0);
        expect(stats.reports).toBeGreaterThan(0);
      }
      console.log(`[invariants] ${dir}: ${JSON.stringify(stats)}`);
    }, deep ? 1_800_000 : 60_000);
  }
});
