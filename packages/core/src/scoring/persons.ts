/** Person and team scoring: points per case item, given counts, caps, rosters by role. */
import { type Text } from "../errors/index.js";
import { type CaseView, type FieldReader, type Window } from "./cases.js";
import { cmp, fromDecimal, max as rmax, min as rmin, mul, rat, sum, toFractionString, toNumber } from "./rational.js";
import { type ParsedAssessments, cmpKey, parseFraction, trimmed } from "./assessments.js";
import { type CompiledItem, type CompiledScoring } from "./compile.js";
import { provenanceOf, type PersonScore, type Provenance, type TeamResult, type TeamScore } from "./result.js";
import { caseScope } from "./tally.js";

// ── Persons ───────────────────────────────────────────────────────────────

export function scorePersons(c: CompiledScoring, views: readonly CaseView[], w: Window, input: ParsedAssessments): PersonScore[] {
  return scoreObjects(c.persons!, c.scoring.persons!.cap, views, w, input.persons).map(({ key, ...x }) => ({ person: key, ...x }));
}

/**
 * Scores objects (persons, grids…): each item counts the cases its test holds for (read from the
 * case by `read`) or takes the count given in the assessments file; points × count, each item
 * capped, the total capped; ranked, highest first (ties share a rank, then by key).
 */
function scoreObjects(p: { read: FieldReader; items: CompiledItem[] }, capDef: { max: number } | undefined, views: readonly CaseView[], w: Window, given: ReadonlyMap<string, Record<string, number>>): Array<Omit<PersonScore, "person"> & { key: string }> {
  const counts = new Map<string, number[]>();
  const row = (key: string) => {
    let r = counts.get(key);
    if (!r) counts.set(key, (r = p.items.map(() => 0)));
    return r;
  };
  for (const v of views) {
    const keys = p.read(v);
    if (!keys.length) continue;
    caseScope(v, () =>
      p.items.forEach((it, i) => {
        if (it.when && it.when(v, w)) for (const key of keys) row(key)[i]!++;
      }),
    );
  }
  for (const [key, g] of given) {
    const r = row(key);
    p.items.forEach((it, i) => {
      if (it.def.source === "input") r[i] = g[it.def.id] ?? 0;
    });
  }
  const cap = capDef ? fromDecimal(capDef.max) : undefined;
  const out: Array<Omit<PersonScore, "person"> & { key: string }> = [];
  for (const [key, r] of counts) {
    if (r.every((n) => n === 0) && !given.has(key)) continue;
    const items = p.items.map((it, i) => {
      const P = fromDecimal(it.def.points);
      let pts = mul(P, rat(r[i]!));
      if (it.def.max !== undefined) pts = pts.n < 0n ? rmax(pts, mul(fromDecimal(it.def.max), rat(-1))) : rmin(pts, fromDecimal(it.def.max));
      return { item: it.def.id, label: it.def.label, count: r[i]!, exact: pts };
    });
    let total = sum(items.map((x) => x.exact));
    let capped = false;
    if (cap && cmp(total, cap) > 0) {
      total = cap;
      capped = true;
    }
    out.push({ key, items: items.map(({ exact, ...x }) => ({ ...x, points: toNumber(exact) })), total: toNumber(total), exact: toFractionString(total), display: trimmed(total), capped, rank: 0 });
  }
  const exact = new Map(out.map((x) => [x, parseFraction(x.exact)] as const));
  out.sort((x, y) => cmp(exact.get(y)!, exact.get(x)!) || cmpKey(x.key, y.key));
  out.forEach((x, i) => (x.rank = i > 0 && cmp(exact.get(out[i - 1]!)!, exact.get(x)!) === 0 ? out[i - 1]!.rank : i + 1));
  return out;
}

/** The team schemes (`scoring.teams`): each object's score, its members by role (each gets it), and roster problems. */
export function scoreTeams(c: CompiledScoring, views: readonly CaseView[], w: Window, input: ParsedAssessments): TeamResult[] {
  return c.scoring.teams!.map((def, t) => {
    const given = input.teams.get(def.id) ?? new Map<string, { counts: Record<string, number>; members: Array<{ role: string; person: string }> }>();
    const counts = new Map([...given].map(([k, v]) => [k, v.counts] as const));
    const scores: TeamScore[] = scoreObjects(c.teams![t]!, def.cap, views, w, counts);
    // An object named only by its roster still gets a (zero) row: its members are assessed too.
    for (const key of given.keys()) if (!scores.some((x) => x.key === key)) scores.push({ key, items: def.items.map((it) => ({ item: it.id, label: it.label, count: 0, points: 0 })), total: 0, exact: "0", display: "0", capped: false, rank: 0 });
    const res: TeamResult = { id: def.id, label: def.label, field: def.field, scores, ...provenanceOf(def) };
    if (def.unit) res.unit = def.unit;
    if (def.roles) {
      res.roles = def.roles.map((r) => {
        const x: { id: string; label: Text; min?: number; max?: number } & Provenance = { id: r.id, label: r.label, ...provenanceOf(r) };
        if (r.min !== undefined) x.min = r.min;
        if (r.max !== undefined) x.max = r.max;
        return x;
      });
      res.members = [];
      for (const sc of scores) {
        const members = given.get(sc.key)?.members ?? [];
        sc.members = members;
        const roster: NonNullable<TeamScore["roster"]> = [];
        for (const r of def.roles) {
          const n = members.filter((m) => m.role === r.id).length;
          if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) {
            const want = r.min === r.max ? `${r.min}` : r.max === undefined ? `至少 ${r.min}` : r.min === undefined ? `至多 ${r.max}` : `${r.min}–${r.max}`;
            const wantEn = r.min === r.max ? `${r.min}` : r.max === undefined ? `at least ${r.min}` : r.min === undefined ? `at most ${r.max}` : `${r.min}–${r.max}`;
            const entry: NonNullable<TeamScore["roster"]>[number] = { role: r.id, count: n, message: { zh: `${r.label.zh}须 ${want} 人，现 ${n} 人`, en: `${r.label.en}: ${wantEn} needed, ${n} named` } };
            if (r.min !== undefined) entry.min = r.min;
            if (r.max !== undefined) entry.max = r.max;
            roster.push(entry);
          }
        }
        if (roster.length) sc.roster = roster;
        for (const m of members) res.members.push({ person: m.person, role: m.role, key: sc.key, total: sc.total, display: sc.display });
      }
      res.members.sort((x, y) => cmpKey(x.key, y.key) || cmpKey(x.role, y.role) || cmpKey(x.person, y.person));
    }
    const exact = new Map(scores.map((x) => [x, parseFraction(x.exact)] as const));
    scores.sort((x, y) => cmp(exact.get(y)!, exact.get(x)!) || cmpKey(x.key, y.key));
    scores.forEach((x, i) => (x.rank = i > 0 && cmp(exact.get(scores[i - 1]!)!, exact.get(x)!) === 0 ? scores[i - 1]!.rank : i + 1));
    return res;
  });
}
