/** Counting cases into KPI tallies, in total and per group, and turning a tally into a KPI value. */
import { JicengError, isJicengError } from "../errors/index.js";
import { levelAt, type CaseView, type FieldReader, type Window } from "./cases.js";
import { formatPercent, rat, toNumber, type Rational } from "./rational.js";
import { type CompiledScoring } from "./compile.js";
import { type KpiInfo, type KpiValue } from "./result.js";

// ── Tallies ───────────────────────────────────────────────────────────────

interface Acc {
  num: number;
  den: number;
  count: number;
  byLevel?: Record<string, number>;
  cases?: { numerator: string[]; denominator: string[]; count: string[] };
}

export type Tally = Map<string, Acc>;

export function newTally(c: CompiledScoring, explain: boolean, levels: readonly string[]): Tally {
  const t: Tally = new Map();
  for (const k of c.kpis) {
    const acc: Acc = { num: 0, den: 0, count: 0 };
    if (k.def.breakdown === "level") acc.byLevel = Object.fromEntries(levels.map((l) => [l, 0]));
    if (explain) acc.cases = { numerator: [], denominator: [], count: [] };
    t.set(k.info.id, acc);
  }
  return t;
}

/** Counts every KPI over `w`, in total and per group. Order of cases does not matter: sums only. */
export function tally(c: CompiledScoring, views: readonly CaseView[], w: Window, group: FieldReader | undefined, explain: boolean): { total: Tally; groups: Map<string, Tally> } {
  const levels = c.pack.levels.map((l) => l.id);
  const total = newTally(c, explain, levels);
  const groups = new Map<string, Tally>();
  const hits: Array<[number, boolean, boolean, boolean]> = [];
  for (const v of views) {
    hits.length = 0;
    caseScope(v, () =>
      c.kpis.forEach((k, i) => {
        if (k.count) {
          if (k.count(v, w)) hits.push([i, true, false, false]);
        } else if (k.den && k.den(v, w)) {
          hits.push([i, false, true, k.num!(v, w)]);
        }
      }),
    );
    if (hits.length === 0) {
      if (group) for (const key of keysOrNone(group(v))) if (!groups.has(key)) groups.set(key, newTally(c, explain, levels));
      continue;
    }
    const level = c.kpis.some((k) => k.def.breakdown === "level") ? levelAt(v, w.end) : "";
    const targets = [total];
    if (group) {
      for (const key of keysOrNone(group(v))) {
        let g = groups.get(key);
        if (!g) groups.set(key, (g = newTally(c, explain, levels)));
        targets.push(g);
      }
    }
    for (const [i, isCount, inDen, inNum] of hits) {
      const id = c.kpis[i]!.info.id;
      for (const t of targets) {
        const acc = t.get(id)!;
        if (isCount) {
          acc.count++;
          if (acc.byLevel) acc.byLevel[level] = (acc.byLevel[level] ?? 0) + 1;
          acc.cases?.count.push(v.key);
        } else if (inDen) {
          acc.den++;
          acc.cases?.denominator.push(v.key);
          if (inNum) {
            acc.num++;
            acc.cases?.numerator.push(v.key);
          }
        }
      }
    }
  }
  return { total, groups };
}

/** Runs `f` for one case; a fact the case lacks (MISSING_FACT…) is reported with the case's place and name. */
export function caseScope(v: CaseView, f: () => void): void {
  try {
    f();
  } catch (error) {
    if (!isJicengError(error)) throw error;
    throw new JicengError(error.issues.map((i) => ({ ...i, path: ["snapshots", v.index, "context", ...i.path], message: { zh: `案件 ${v.key}：${i.message.zh}`, en: `Case ${v.key}: ${i.message.en}` } })));
  }
}

const keysOrNone = (keys: string[]) => (keys.length ? keys : [""]);

export function kpiValue(k: KpiInfo, acc: Acc): KpiValue {
  const sortKeys = (xs: string[]) => [...xs].sort();
  if (k.kind === "count") {
    const out: KpiValue = { kpi: k.id, kind: "count", value: acc.count, display: String(acc.count) };
    if (acc.byLevel) out.byLevel = { ...acc.byLevel };
    if (acc.cases) out.cases = { count: sortKeys(acc.cases.count) };
    return out;
  }
  const out: KpiValue = { kpi: k.id, kind: "rate", value: null, numerator: acc.num, denominator: acc.den, display: "—" };
  if (acc.den > 0) {
    const r = rat(acc.num, acc.den);
    out.value = toNumber(r);
    out.exact = `${acc.num}/${acc.den}`;
    out.display = formatPercent(r, k.decimals);
  }
  if (acc.cases) out.cases = { numerator: sortKeys(acc.cases.numerator), denominator: sortKeys(acc.cases.denominator) };
  return out;
}

export const exactOf = (v: KpiValue): Rational | null => (v.kind === "count" ? rat(v.value ?? 0) : v.denominator ? rat(v.numerator!, v.denominator) : null);
