import type { Workload } from "../lib/workload.js";
import { coldstart } from "./coldstart.js";
import { deadlines } from "./deadlines.js";
import { grading } from "./grading.js";
import { lifecycle } from "./lifecycle.js";
import { limits } from "./limits.js";
import { sweep } from "./sweep.js";
import { tables } from "./tables.js";
import { xiji } from "./xiji.js";

/** In the order of issue 7; then issue 12's limits; then issue 17's tables. */
export const WORKLOADS: Workload[] = [grading, xiji, deadlines, sweep, lifecycle, coldstart, limits, tables];
