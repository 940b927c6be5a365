// The property suite of @jiceng/core/testing on this pack, with a fixed seed, and proof that the
// random cases reach what the pack adds: report-in overdue, returns, verification (passed and
// failed), evaluation, and grid workers closing items themselves.
import { describe, expect, it } from "vitest";
import { checkInvariants } from "@jiceng/core/testing";
import pack from "../src/index.js";

describe("DESIGN.md's invariants hold on random cases of the three-centres pack", () => {
  it("and the random cases reach every step of the loop", () => {
    const s = checkInvariants(pack, { numRuns: 200, seed: 20240601, facts: [{ simpleItem: "small-ads" }] });
    expect(s.states["closed"]).toBeGreaterThan(0);
    for (const f of ["ackOverdue", "returns", "verified", "verificationFailed", "evaluated", "selfClosed"] as const) expect(s.features[f], f).toBeGreaterThan(0);
  });
});
