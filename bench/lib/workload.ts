import type { Stats, Variant } from "./harness.js";

/** How big a run is: `full` for `npm run bench`, `smoke` for the vitest smoke test. */
export interface Size {
  /** Multiplies every workload's item count (1 = the sizes of issue 7). */
  scale: number;
  smoke: boolean;
}

/** A table of variants measured side by side on the same items. */
export interface Group {
  title: string;
  /** What one item is: "cases", "calls", "transitions"… */
  unit: string;
  variants: Variant[];
}

/** A table whose figures the workload measures itself (cold start, sizes). */
export interface CustomTable {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface Prepared {
  id: string;
  title: string;
  groups: Group[];
  /** Checks every variant against the others on every item; throws on the first disagreement. Returns notes. */
  check(): Promise<string[]>;
  /** Runs after timing: checks on the outputs of the timed passes, extra figures. Returns notes. */
  after?(results: Map<string, Stats[]>): Promise<string[]>;
  /** Tables measured by the workload itself. */
  custom?(): Promise<{ tables: CustomTable[]; notes: string[] }>;
}

export interface Workload {
  id: string;
  prepare(size: Size): Promise<Prepared | { skipped: string }>;
}
