/**
 * The Guyuan "1+1+3" rule pack (固党办〔2022〕49号, 2022-08-22): three-colour grading
 * (§二(三)7), time limits of 7 / 15 / 45 days (§二(三)8) and the problem number
 * (appendix note 1), with the appendix's colours as the variant `appendix-colours`.
 *
 * @example
 * import pack from "@jiceng/rules-guyuan";
 * import { createEngine } from "@jiceng/core";
 * const engine = createEngine(pack);
 * engine.assess({ receivedAt: "2022-06-20T10:00:00+08:00", risks: { homicide: true } });
 * // → { level: "red", dueAt: "2022-08-05T00:00:00+08:00", reasons: [{ ruleId: "red-homicide", … }] }
 * @see ../README.md for every rule mapped to its clause.
 */
import packJson from "../pack.json" with { type: "json" };
import type { Pack } from "../types.js";

/** The pack as written in pack.json; validate it with `loadPack` or let `createEngine` do it. */
export const pack: Pack = packJson as unknown as Pack;
export default pack;
