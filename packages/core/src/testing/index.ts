/**
 * @jiceng/core/testing — fast-check arbitraries and invariant checks, the same ones jiceng's own
 * property suite runs, for app authors to prove their packs with.
 *
 * @example
 * import { checkInvariants } from "@jiceng/core/testing";
 * import myPack from "./pack.json";
 * test("my pack keeps the lifecycle invariants", () => {
 *   const stats = checkInvariants(myPack, { numRuns: 300 });
 *   expect(stats.runs).toBe(300);
 * });
 * @packageDocumentation
 */
export { checkInvariants, checkStep, runCase, caseHistoryArbitrary, intakeArbitrary, caseFactsArbitrary, isoAt, InvariantViolation } from "./lifecycle.js";
export type { CheckInvariantsOptions, InvariantStats, CaseRun } from "./lifecycle.js";
