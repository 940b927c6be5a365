/** Grouping the inputs that behave alike into cubes (patterns over the leaves), and saying a cube in words. */
import { type Text } from "../errors/index.js";
import type { CompiledTable } from "./compile.js";
import { describeLeaf } from "./describe.js";
import { type Leaf } from "./space.js";

// ── Grouping inputs into cases ───────────────────────────────────────────

interface Seen {
  example: Record<string, unknown>;
  count: number;
}
export type Group = Map<string, Seen>;

/** Quine–McCluskey merging of the leaf-truth signatures seen, then a greedy cover: the fewest cubes covering exactly the signatures seen. */
export function cubes(group: Group): Array<{ pattern: string; example: Record<string, unknown>; count: number }> {
  const sigs = [...group.keys()];
  let current = new Map<string, Set<string>>(sigs.map((s) => [s, new Set([s])]));
  const primes = new Map<string, Set<string>>();
  let rounds = 0;
  while (current.size && rounds++ < 64) {
    const next = new Map<string, Set<string>>();
    const merged = new Set<string>();
    const list = [...current.keys()];
    if (list.length > 600) {
      for (const [k, v] of current) primes.set(k, v);
      break;
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        let diff = -1;
        let ok = true;
        for (let k = 0; k < a.length; k++) {
          if (a[k] === b[k]) continue;
          if (a[k] === "-" || b[k] === "-" || diff >= 0) {
            ok = false;
            break;
          }
          diff = k;
        }
        if (!ok || diff < 0) continue;
        const c = a.slice(0, diff) + "-" + a.slice(diff + 1);
        const cover = next.get(c) ?? new Set<string>();
        for (const s of current.get(a)!) cover.add(s);
        for (const s of current.get(b)!) cover.add(s);
        next.set(c, cover);
        merged.add(a);
        merged.add(b);
      }
    }
    for (const [k, v] of current) if (!merged.has(k)) primes.set(k, v);
    current = next;
  }
  // Greedy cover, largest first; ties keep the order the inputs were found in.
  const order = new Map(sigs.map((s, i) => [s, i] as const));
  const uncovered = new Set(sigs);
  const chosen: Array<{ pattern: string; example: Record<string, unknown>; count: number }> = [];
  while (uncovered.size) {
    let best: [string, Set<string>] | undefined;
    let bestGain = 0;
    for (const entry of primes) {
      let gain = 0;
      for (const s of entry[1]) if (uncovered.has(s)) gain++;
      if (gain > bestGain) {
        best = entry;
        bestGain = gain;
      }
    }
    if (!best) break;
    const mine = [...best[1]].filter((s) => uncovered.has(s)).sort((a, b) => order.get(a)! - order.get(b)!);
    for (const s of mine) uncovered.delete(s);
    chosen.push({ pattern: best[0], example: group.get(mine[0]!)!.example, count: mine.reduce((n, s) => n + group.get(s)!.count, 0) });
  }
  // In the order the rows write their conditions: a case that needs the first condition comes first.
  const rank = (c: string) => (c === "1" ? 0 : c === "0" ? 1 : 2);
  return chosen.sort((a, b) => {
    for (let k = 0; k < a.pattern.length; k++) {
      const d = rank(a.pattern[k]!) - rank(b.pattern[k]!);
      if (d) return d;
    }
    return 0;
  });
}

export function cubeText(pattern: string, leaves: readonly Leaf[], t: CompiledTable, keep: (k: number) => boolean = () => true): Text {
  const zh: string[] = [];
  const en: string[] = [];
  for (let k = 0; k < pattern.length; k++) {
    const bit = pattern[k];
    if (bit === "-" || !keep(k)) continue;
    const words = describeLeaf(leaves[k]!, t.facts, bit === "0");
    zh.push(words.zh);
    en.push(words.en);
  }
  return { zh: zh.join("；"), en: en.join("; ") };
}
