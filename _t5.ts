import { checkInvariants } from "./packages/core/src/testing/index.ts";
import x from "./packages/rules-xiji/pack.json" with { type: "json" };
import l from "./packages/rules-lanxi/pack.json" with { type: "json" };
import t from "./packages/rules-three-centers/pack.json" with { type: "json" };
for (const p of [x, l, t]) { const t0 = Date.now(); const s = checkInvariants(p, { numRuns: 200, seed: 20240601, facts: p.id === "lanxi" ? [{ category: "petition" }] : [] }); console.log(p.id, Date.now() - t0, JSON.stringify(s.states), JSON.stringify(s.features)); }
