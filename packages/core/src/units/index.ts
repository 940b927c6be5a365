/**
 * Structure checks for hierarchical units (villages, tier-1/2/3 grids): kinds, parents, heads and sizes.
 *
 * @example
 * import { checkUnits } from "@jiceng/core";
 * checkUnits(pack.units, units).violations;
 * @module
 */
export { checkUnits, checkUnitsSection } from "./check.js";
export type { UnitInput, UnitViolation, UnitsReport } from "./check.js";
export type { UnitsDef, UnitKindDef, UnitMeasureDef, UnitHeadDef } from "./schema.js";
