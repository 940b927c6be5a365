// A smoke run of `npm run bench` (bench/): every workload at a few hundred items, every variant
// run once, and every agreement check the benchmark makes. No timing is asserted here; the
// figures live in bench/RESULTS.md.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Prepared } from "../../../bench/lib/workload.js";
import { WORKLOADS } from "../../../bench/workloads/index.js";

const SMOKE = { scale: 0.0003, smoke: true };
const xijiLanded = existsSync(fileURLToPath(new URL("../../rules-xiji/pack.json", import.meta.url)));

async function runAll(p: Prepared): Promise<string[]> {
  const notes = await p.check();
  for (const g of p.groups) {
    expect(g.variants.filter((v) => v.baseline).length, `${g.title}: one baseline`).toBeLessThanOrEqual(1);
    for (const v of g.variants) {
      expect(v.ops, `${v.name}: items per pass`).toBeGreaterThan(0);
      await v.run();
    }
  }
  if (p.after) notes.push(...(await p.after(new Map())));
  return notes;
}

describe("bench smoke run: each workload on a few hundred items, all variants agree", () => {
  for (const w of WORKLOADS) {
    const skip = w.id === "xiji" && !xijiLanded;
    it.skipIf(skip)(skip ? `${w.id} (runs once packages/rules-xiji lands, issue 4)` : w.id, async () => {
      const p = await w.prepare(SMOKE);
      if ("skipped" in p) throw new Error(`${w.id} skipped: ${p.skipped}`);
      const notes = await runAll(p);
      expect(notes.length).toBeGreaterThan(0);
    });
  }

  it("the xiji workload says why it is skipped while the pack is missing", async () => {
    const w = WORKLOADS.find((x) => x.id === "xiji")!;
    const p = await w.prepare(SMOKE);
    if (xijiLanded) expect("skipped" in p ? p.skipped : "").not.toMatch(/does not exist/);
    else expect("skipped" in p && p.skipped).toMatch(/rules-xiji/);
  });
});
