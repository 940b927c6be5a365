/**
 * @jiceng/core/testing — fast-check arbitraries and invariant checks, the same ones jiceng's own
 * property suite runs, for app authors to prove their packs with; and the small helpers jiceng's
 * own tests use: catch a rejection, check that a refused event changed nothing, read and replay an
 * event log, load golden cases.
 *
 * @example
 * import { checkInvariants } from "@jiceng/core/testing";
 * import myPack from "./pack.json";
 * test("my pack keeps the lifecycle invariants", () => {
 *   const stats = checkInvariants(myPack, { numRuns: 300 });
 *   expect(stats.runs).toBe(300);
 * });
 *
 * @module @jiceng/core/testing
 */
export { checkInvariants, checkStep, runCase, caseHistoryArbitrary, intakeArbitrary, caseFactsArbitrary, isoAt, InvariantViolation } from "./lifecycle.js";
export type { CheckInvariantsOptions, InvariantStats, CaseRun } from "./lifecycle.js";
export { catchJicengError, summarizeIssues, expectRejected, parseEventLog, replaySteps, loadGoldenCases } from "./helpers.js";
export type { IssueSummary, ParseEventLogOptions, GoldenCase } from "./helpers.js";
