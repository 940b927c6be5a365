// The property suite of @jiceng/core/testing on this pack, with a fixed seed, steered half the time
// to petitions so the review levels and three-level termination are exercised.
import { describe, expect, it } from "vitest";
import { checkInvariants } from "@jiceng/core/testing";
import pack from "../src/index.js";

describe("DESIGN.md's invariants hold on random cases of the Lanxi pack", () => {
  it("and the random cases reach automatic dispatch, sign-for overdue, returns and reviews", () => {
    const s = checkInvariants(pack, { numRuns: 200, seed: 20240601, facts: [{ category: "petition" }] });
    expect(s.states["closed"]).toBeGreaterThan(0);
    expect(s.states["assigned"]).toBeGreaterThan(0);
    expect(s.features.ackOverdue).toBeGreaterThan(0);
    expect(s.features.returns).toBeGreaterThan(0);
    expect(s.features.reviews).toBeGreaterThan(0);
  });
});
