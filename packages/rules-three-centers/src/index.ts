/**
 * The district "三中心一平台" rule pack: the one-way loop 问题收集 → 街道吹哨 → 部门报到 → 处理反馈 → 核实结项 → 综合评价
 * (§四(七)三), routing to the four platforms (§三, §四(三)), the stationed agency or the township
 * (§四(六)) or the command centre (§四(七)五) leading, and grid workers closing listed simple items (§四(四)).
 *
 * @example
 * import pack from "@jiceng/rules-three-centers";
 * import { createEngine } from "@jiceng/core";
 * createEngine(pack).route({ receivedAt: "2023-03-06T09:00:00+08:00", category: "food-drug" }).lead; // "market-supervision-office"
 * @see ../README.md for every rule mapped to its clause.
 */
import packJson from "../pack.json" with { type: "json" };
import type { Pack } from "../types.js";

/** The pack as written in pack.json; validate it with `loadPack` or let `createEngine` do it. */
export const pack: Pack = packJson as unknown as Pack;
export default pack;
