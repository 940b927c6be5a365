// The largest legal packs (issue 12): Guyuan grown to the pack limits in three shapes, each
// within every limit (`PACK_LIMITS`, `CONDITION_LIMITS`) and loading: as many values as the
// pre-scan allows spent on grading rules; the most named conditions, chained and shared; and the
// most variants, each setting a value (so each is validated as a whole pack).
import { readFileSync } from "node:fs";
import { CONDITION_LIMITS, PACK_LIMITS } from "@jiceng/core";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export const guyuanRaw = (): Obj => JSON.parse(readFileSync(new URL("../../packages/rules-guyuan/pack.json", import.meta.url), "utf8")) as Obj;

/** Values of a JSON document as the pre-scan counts them (objects, arrays and scalars). */
export function countValues(doc: Json): number {
  let n = 0;
  const stack: Json[] = [doc];
  while (stack.length) {
    const v = stack.pop()!;
    n++;
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === "object") stack.push(...Object.values(v));
  }
  return n;
}

const LEAVES: Obj[] = [
  { fact: "risks.homicide", operator: "equal", value: true },
  { fact: "risks.massIncident", operator: "equal", value: true },
  { fact: "risks.criminalEscalation", operator: "equal", value: true },
  { fact: "difficulty", operator: "equal", value: "major" },
  { fact: "difficulty", operator: "notEqual", value: "simple" },
  { fact: "risks.petitionTo", operator: "equal", value: "national" },
];
const leaf = (i: number): Obj => ({ ...LEAVES[i % LEAVES.length]! });

function rulesOf(p: Obj, n: number, conditions: (i: number) => Json): Obj[] {
  const grading = p["grading"] as Obj;
  const model = (grading["rules"] as Obj[])[0]!;
  const levels = (p["levels"] as Obj[]).map((l) => l["id"] as string);
  return Array.from({ length: n }, (_, i) => ({ ...model, id: `bench-${i}`, level: levels[i % levels.length]!, conditions: conditions(i) }));
}

/** 500 grading rules whose conditions take every value the pre-scan allows (less 1 %). */
export function ruleHeavyPack(): Obj {
  const p = guyuanRaw();
  const budget = PACK_LIMITS.maxNodes * 0.99 - countValues(p);
  const perRule = countValues(rulesOf(p, 1, () => ({ any: [] }))[0]!);
  const perLeaf = countValues(leaf(0));
  const k = Math.min(CONDITION_LIMITS.maxNodes - 2, Math.floor((budget / PACK_LIMITS.maxRules - perRule) / perLeaf));
  (p["grading"] as Obj)["rules"] = [...((p["grading"] as Obj)["rules"] as Obj[]), ...rulesOf(p, PACK_LIMITS.maxRules - ((p["grading"] as Obj)["rules"] as Obj[]).length, (i) => ({ any: Array.from({ length: k }, (_, j) => leaf(i + j)) }))];
  return p;
}

/**
 * 1,000 named conditions in chains of `chain` (each one refers to the one before and adds a
 * test), and 500 rules each referring to the ends of three chains: the named-condition graph at
 * its count limit, every rule expanding through it.
 */
export function namedHeavyPack(chain = 5): Obj {
  const p = guyuanRaw();
  const named: Obj = {};
  const chains = Math.floor(PACK_LIMITS.maxNamedConditions / chain);
  for (let g = 0; g < chains; g++) {
    for (let j = 0; j < chain; j++) named[`c${g}_${j}`] = j === 0 ? { any: [leaf(g), leaf(g + 1), leaf(g + 2)] } : { all: [{ condition: `c${g}_${j - 1}` }, leaf(g + j)] };
  }
  p["conditions"] = named;
  const end = (g: number) => ({ condition: `c${g % chains}_${chain - 1}` });
  (p["grading"] as Obj)["rules"] = [...((p["grading"] as Obj)["rules"] as Obj[]), ...rulesOf(p, PACK_LIMITS.maxRules - ((p["grading"] as Obj)["rules"] as Obj[]).length, (i) => ({ any: [end(i), end(i + 7), end(i + 13)] }))];
  // The values left go to the first condition of each chain (every rule expands three of them).
  const extra = Math.floor((PACK_LIMITS.maxNodes * 0.99 - countValues(p)) / countValues(leaf(0)) / chains);
  for (let g = 0; g < chains; g++) ((named[`c${g}_0`] as Obj)["any"] as Obj[]).push(...Array.from({ length: extra }, (_, j) => leaf(g + j)));
  return p;
}

/** The rule-heavy pack with the most variants, each setting a value: each variant is loaded whole. */
export function variantHeavyPack(): Obj {
  const p = ruleHeavyPack();
  // Fewer values in the rules, so the variants fit under the value limit too.
  const rules = (p["grading"] as Obj)["rules"] as Obj[];
  const variants = p["variants"] as Obj[];
  const model = variants.find((v) => Array.isArray(v["set"]))!;
  for (let i = variants.length; i < PACK_LIMITS.maxVariants; i++) variants.push({ ...model, id: `bench-variant-${i}`, set: [{ path: "calendar.rollOverRestDays", value: i % 2 === 0 }] });
  while (countValues(p) > PACK_LIMITS.maxNodes * 0.99) {
    for (const r of rules) {
      const any = (r["conditions"] as Obj)["any"];
      if (Array.isArray(any) && any.length > 1) any.pop();
    }
  }
  return p;
}
