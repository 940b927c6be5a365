/**
 * The Xiji "1133" rule pack (a county news report, 2022): score-based red / orange / yellow warning (评估赋分, §四¶2), the 四定三包 responsibility list
 * (§四¶4), the rectification list with strike-off and the 五不放过 closing checklist (§四¶5).
 *
 * @example
 * import pack from "@jiceng/rules-xiji";
 * import { createEngine } from "@jiceng/core";
 * createEngine(pack).grade({ receivedAt: "2021-08-10T09:00:00+08:00", area: "neighbour", escalating: true, mediationFailed: true }).level; // "orange" (5 + 20 + 10 = 35 points)
 * @see ../README.md for every rule mapped to its clause.
 */
import packJson from "../pack.json" with { type: "json" };
import type { Pack } from "../types.js";

/** The pack as written in pack.json; validate it with `loadPack` or let `createEngine` do it. */
export const pack: Pack = packJson as unknown as Pack;
export default pack;
