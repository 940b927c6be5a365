/**
 * The Ankang "321" rule pack (安发〔2021〕10号, 2021-08-15): the household colours of §三(三)2
 * as the decision table `households` (red 连心户 / green 放心户 / yellow 关心户, with the local
 * precedence and fallback), the service each class gets (`visits`), the three lines of §三(二)
 * (`three-lines`, `party-member-points`, `household-head-pay`), and the three grid tiers of
 * §三(三)1 as `units` (a tier-3 grid holds 20–30 households and 70–120 people).
 *
 * @example
 * import pack from "@jiceng/rules-ankang";
 * import { createEngine } from "@jiceng/core";
 * const engine = createEngine(pack);
 * engine.classify("households", { income: 9000, villageAverageIncome: 12000, year: 2021, safeFamilyYears: [], leftBehind: ["elderly"], disabledMembers: 0, povertyMonitoring: "none", prisonRecord: "none" });
 * // → { class: "red", label: { zh: "连心户", … }, service: { zh: "开展“一连一或一连多”帮扶…" }, reasons: [{ rowId: "red", cite: { clause: "§三(三)2" }, … }] }
 * engine.checkUnits([{ id: "g3-01", kind: "grid-3", parent: "g2-01", households: 35, people: 110, head: { role: "household-head" } }]).violations[0].rule;
 * // → "grid-3-households"
 * @see ../README.md for every row mapped to its clause.
 */
import packJson from "../pack.json" with { type: "json" };
import type { Pack } from "../types.js";

/** The pack as written in pack.json; validate it with `loadPack` or let `createEngine` do it. */
export const pack: Pack = packJson as unknown as Pack;
export default pack;
