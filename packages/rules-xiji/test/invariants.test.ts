// The property suite of @jiceng/core/testing on this pack, with a fixed seed, and proof that the
// random cases reach what the pack adds: rectification records, strike-off, the 五不放过 checklist.
import { describe, expect, it } from "vitest";
import { checkInvariants } from "@jiceng/core/testing";
import pack from "../src/index.js";

describe("DESIGN.md's invariants hold on random cases of the Xiji pack", () => {
  it("and the random cases reach the rectification list, strike-off and the checklist, both refused and passed", () => {
    const s = checkInvariants(pack, { numRuns: 200, seed: 20240601 });
    expect(s.states["closed"]).toBeGreaterThan(0);
    expect(s.features.rectifications).toBeGreaterThan(0);
    expect(s.features.struckOff).toBeGreaterThan(0);
    expect(s.features.closedWithChecklist).toBeGreaterThan(0);
    expect(s.features.checklistRejected).toBeGreaterThan(0);
  });
});
