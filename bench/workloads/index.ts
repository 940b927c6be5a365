import type { Workload } from "../lib/workload.js";
import { coldstart } from "./coldstart.js";
import { deadlines } from "./deadlines.js";
import { grading } from "./grading.js";
import { lifecycle } from "./lifecycle.js";
import { sweep } from "./sweep.js";
import { xiji } from "./xiji.js";

/** In the order of issue 7. */
export const WORKLOADS: Workload[] = [grading, xiji, deadlines, sweep, lifecycle, coldstart];
