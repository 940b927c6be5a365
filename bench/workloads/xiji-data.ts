// The Xiji workload's data: random cases, the score grading written by hand, and the same in
// json-logic. The points and lines are the pack's (all `local` defaults, §四¶2): if the pack
// changes them, the bench's agreement check fails until these are updated too.
import { pick, rng } from "../lib/harness.js";
import type { Facts } from "./guyuan-data.js";

const AREAS = [[undefined, 20], ["marriage-family", 20], ["neighbour", 20], ["land-requisition", 10], ["wage-arrears", 10], ["other", 20]] as const;
const INSTABILITY = ["petition", "key-groups", "mass-incident", "extreme-incident"] as const;
const INSTABILITY_P = [0.12, 0.1, 0.03, 0.02];
const pad2 = (n: number) => String(n).padStart(2, "0");

export function xijiCases(n: number, seed = 17): Facts[] {
  const r = rng(seed);
  const out: Facts[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c: Facts = {
      receivedAt: `2023-${pad2(1 + Math.floor(r() * 12))}-${pad2(1 + Math.floor(r() * 28))}T10:00:00+08:00`,
      township: `乡镇${1 + Math.floor(r() * 19)}`,
      category: "矛盾纠纷",
    };
    const area = pick(r, AREAS);
    if (area !== undefined) c["area"] = area;
    if (r() < 0.8) c["instability"] = INSTABILITY.filter((_, k) => r() < INSTABILITY_P[k]!);
    if (r() < 0.7) c["escalating"] = r() < 0.15;
    if (r() < 0.7) c["mediationFailed"] = r() < 0.2;
    if (r() < 0.7) c["violenceRisk"] = r() < 0.08;
    if (r() < 0.8) c["peopleInvolved"] = r() < 0.7 ? 1 + Math.floor(r() * 4) : r() < 0.8 ? 5 + Math.floor(r() * 25) : 30 + Math.floor(r() * 200);
    out[i] = c;
  }
  return out;
}

/** The Xiji score grading written by hand. */
export function gradeXijiByHand(c: Facts): string {
  let s = 0;
  const area = c["area"] ?? "other";
  if (area === "marriage-family" || area === "neighbour") s += 5;
  else if (area === "land-requisition" || area === "wage-arrears") s += 15;
  const inst = (c["instability"] as readonly string[] | undefined) ?? [];
  if (inst.includes("petition")) s += 15;
  if (inst.includes("key-groups")) s += 15;
  if (inst.includes("mass-incident")) s += 60;
  if (inst.includes("extreme-incident")) s += 60;
  if (c["escalating"] === true) s += 20;
  if (c["mediationFailed"] === true) s += 10;
  if (c["violenceRisk"] === true) s += 30;
  const people = (c["peopleInvolved"] as number | undefined) ?? 2;
  if (people >= 5) s += 15;
  if (people >= 30) s += 25;
  return s >= 60 ? "red" : s >= 30 ? "orange" : "yellow";
}

/**
 * The same in json-logic: a sum of `if`s, then the lines. json-logic has no variables, so the sum
 * is written (and evaluated) once per line it is compared with, as one would write it.
 */
export const XIJI_JSON_LOGIC = (() => {
  const v = (name: string, def: unknown) => ({ var: [name, def] });
  const add = (cond: unknown, points: number) => ({ if: [cond, points, 0] });
  const has = (x: string) => ({ in: [x, v("instability", [])] });
  const score = {
    "+": [
      add({ "===": [v("area", "other"), "marriage-family"] }, 5),
      add({ "===": [v("area", "other"), "neighbour"] }, 5),
      add({ "===": [v("area", "other"), "land-requisition"] }, 15),
      add({ "===": [v("area", "other"), "wage-arrears"] }, 15),
      add(has("petition"), 15),
      add(has("key-groups"), 15),
      add(has("mass-incident"), 60),
      add(has("extreme-incident"), 60),
      add({ "===": [v("escalating", false), true] }, 20),
      add({ "===": [v("mediationFailed", false), true] }, 10),
      add({ "===": [v("violenceRisk", false), true] }, 30),
      add({ ">=": [v("peopleInvolved", 2), 5] }, 15),
      add({ ">=": [v("peopleInvolved", 2), 30] }, 25),
    ],
  };
  return { if: [{ ">=": [score, 60] }, "red", { ">=": [score, 30] }, "orange", "yellow"] };
})();
