/**
 * The Lanxi "三四五六" rule pack (2019-05-05), with the 信访工作条例 (2022) time limits for petitions: the six-step closed loop (§四(三)2) with automatic dispatch to the four platforms,
 * first-receiver responsibility and sign-for, and petition items with the 信访工作条例 time limits and
 * three-level termination (§四(四)5).
 *
 * @example
 * import pack from "@jiceng/rules-lanxi";
 * import { createEngine } from "@jiceng/core";
 * createEngine(pack).route({ receivedAt: "2022-06-06T09:00:00+08:00", category: "food-drug" }).platform; // "market-supervision"
 * @see ../README.md for every rule mapped to its clause.
 */
import packJson from "../pack.json" with { type: "json" };
import type { Pack } from "../types.js";

/** The pack as written in pack.json; validate it with `loadPack` or let `createEngine` do it. */
export const pack: Pack = packJson as unknown as Pack;
export default pack;
