/** Weighted assessment: the assessors' input (validated), indicator points, composite scores, bands and ranks. */
import * as z from "zod";
import { IssueCode, JicengError, formatPath, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { ZERO, cmp, formatDecimal, fromDecimal, max as rmax, min as rmin, mul, rat, sum, toFractionString, toNumber, type Rational } from "./rational.js";
import type { AssessmentDef, GradeBandDef, IndicatorDef, ScoringDef } from "./schema.js";
import { provenanceOf, type AssessmentResult, type AssessorScore, type IndicatorScore, type KpiInfo, type KpiValue, type SubjectScore, type UnitScore } from "./result.js";

// ── Assessments input ────────────────────────────────────────────────────

const SubjectEntrySchema = z.strictObject({
  subject: z.string().min(1).max(200),
  label: z.union([z.string().min(1), z.strictObject({ zh: z.string().min(1), en: z.string().min(1) })]).optional(),
  scores: z.record(z.string(), z.number()),
});
const PersonEntrySchema = z.strictObject({ person: z.string().min(1).max(200), counts: z.record(z.string(), z.number().int().min(0).max(1e7)) });
const TeamEntrySchema = z.strictObject({
  team: z.string().min(1).max(64),
  key: z.string().min(1).max(200),
  members: z.array(z.strictObject({ role: z.string().min(1).max(64), person: z.string().min(1).max(200) })).max(1000).optional(),
  counts: z.record(z.string(), z.number().int().min(0).max(1e7)).optional(),
});
export const AssessmentsInputSchema = z.union([
  z.array(SubjectEntrySchema).max(10_000),
  z.strictObject({ assessments: z.array(SubjectEntrySchema).max(10_000).optional(), persons: z.array(PersonEntrySchema).max(100_000).optional(), teams: z.array(TeamEntrySchema).max(100_000).optional() }),
]);
/** The assessments file: raw scores per subject and assessor, and counts per person. */
export type AssessmentsInput = z.infer<typeof AssessmentsInputSchema>;

export interface ParsedAssessments {
  subjects: Map<string, { label?: Text; scores: Map<string, Rational>; raw: Record<string, number> }>;
  persons: Map<string, Record<string, number>>;
  /** team scheme id → object key → counts given and members named. */
  teams: Map<string, Map<string, { counts: Record<string, number>; members: Array<{ role: string; person: string }> }>>;
}

export function parseAssessments(input: unknown, scoring: ScoringDef): ParsedAssessments {
  const out: ParsedAssessments = { subjects: new Map(), persons: new Map(), teams: new Map() };
  if (input === undefined) return out;
  const r = AssessmentsInputSchema.safeParse(input);
  if (!r.success) throw new JicengError(fromZodIssues(r.error.issues, ["assessments"]).map((i) => ({ ...i, code: IssueCode.INVALID_ASSESSMENT })));
  const list = Array.isArray(r.data) ? r.data : (r.data.assessments ?? []);
  const base: IssuePath = Array.isArray(r.data) ? ["assessments"] : ["assessments", "assessments"];
  const persons = Array.isArray(r.data) ? [] : (r.data.persons ?? []);
  const issues: JicengIssue[] = [];
  const a = scoring.assessment;
  const assessors = new Map((a?.assessors ?? []).map((x) => [x.id, x] as const));
  if (list.length && !a) issues.push(issue(IssueCode.INVALID_ASSESSMENT, base, "规则包没有加权考核（scoring.assessment），不能给出考核得分", "The pack has no weighted assessment (scoring.assessment), so it takes no scores"));
  list.forEach((e, i) => {
    if (out.subjects.has(e.subject)) {
      const at = formatPath([...base, list.findIndex((x) => x.subject === e.subject), "subject"]);
      issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...base, i, "subject"], `考核对象 "${e.subject}" 重复（${at} 已使用）`, `The subject "${e.subject}" appears twice (already used at ${at})`));
      return;
    }
    const scores = new Map<string, Rational>();
    for (const [id, v] of Object.entries(e.scores)) {
      const path = [...base, i, "scores", id];
      if (a && !assessors.has(id)) {
        issues.push(issue(IssueCode.INVALID_ASSESSMENT, path, `未知考核主体 "${id}"；规则包的考核主体：${[...assessors.keys()].join(", ")}`, `Unknown assessor "${id}"; the pack's assessors: ${[...assessors.keys()].join(", ")}`));
        continue;
      }
      if (a && (v < a.scale.min || v > a.scale.max)) {
        issues.push(issue(IssueCode.INVALID_ASSESSMENT, path, `得分 ${v} 超出范围 ${a.scale.min}–${a.scale.max}`, `Score ${v} is outside ${a.scale.min}–${a.scale.max}`));
        continue;
      }
      scores.set(id, fromDecimal(v, path));
    }
    const entry: { label?: Text; scores: Map<string, Rational>; raw: Record<string, number> } = { scores, raw: e.scores };
    if (e.label !== undefined) entry.label = typeof e.label === "string" ? { zh: e.label, en: e.label } : e.label;
    out.subjects.set(e.subject, entry);
  });
  const items = new Map((scoring.persons?.items ?? []).map((x) => [x.id, x] as const));
  persons.forEach((p, i) => {
    const path: IssuePath = ["assessments", "persons", i];
    if (!scoring.persons) {
      issues.push(issue(IssueCode.INVALID_ASSESSMENT, path, "规则包没有个人计分（scoring.persons）", "The pack has no person scoring (scoring.persons)"));
      return;
    }
    for (const id of Object.keys(p.counts)) {
      const item = items.get(id);
      if (!item || item.source !== "input") issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...path, "counts", id], `"${id}" 不是由考核文件给出次数的计分项；可用：${[...items.values()].filter((x) => x.source === "input").map((x) => x.id).join(", ") || "无"}`, `"${id}" is not a score item counted in the assessments file; available: ${[...items.values()].filter((x) => x.source === "input").map((x) => x.id).join(", ") || "none"}`));
    }
    const prev = out.persons.get(p.person) ?? {};
    for (const [k, v] of Object.entries(p.counts)) prev[k] = (prev[k] ?? 0) + v;
    out.persons.set(p.person, prev);
  });
  const teams = Array.isArray(r.data) ? [] : (r.data.teams ?? []);
  const schemes = new Map((scoring.teams ?? []).map((x) => [x.id, x] as const));
  teams.forEach((e, i) => {
    const path: IssuePath = ["assessments", "teams", i];
    const scheme = schemes.get(e.team);
    if (!scheme) {
      issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...path, "team"], `未知计分方案 "${e.team}"；规则包的方案：${[...schemes.keys()].join(", ") || "无"}`, `Unknown scheme "${e.team}"; the pack's schemes: ${[...schemes.keys()].join(", ") || "none"}`));
      return;
    }
    const inputItems = scheme.items.filter((x) => x.source === "input").map((x) => x.id);
    for (const id of Object.keys(e.counts ?? {})) {
      if (!inputItems.includes(id)) issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...path, "counts", id], `"${id}" 不是由考核文件给出次数的计分项；可用：${inputItems.join(", ") || "无"}`, `"${id}" is not a score item counted in the assessments file; available: ${inputItems.join(", ") || "none"}`));
    }
    const roles = (scheme.roles ?? []).map((x) => x.id);
    (e.members ?? []).forEach((m, j) => {
      if (!roles.includes(m.role)) issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...path, "members", j, "role"], roles.length ? `未知角色 "${m.role}"；可用：${roles.join(", ")}` : `方案 "${e.team}" 没有成员角色（roles）`, roles.length ? `Unknown role "${m.role}"; available: ${roles.join(", ")}` : `The scheme "${e.team}" has no member roles (roles)`));
    });
    let byKey = out.teams.get(e.team);
    if (!byKey) out.teams.set(e.team, (byKey = new Map()));
    const prev = byKey.get(e.key) ?? { counts: {}, members: [] };
    for (const [k, v] of Object.entries(e.counts ?? {})) prev.counts[k] = (prev.counts[k] ?? 0) + v;
    prev.members.push(...(e.members ?? []));
    byKey.set(e.key, prev);
  });
  if (issues.length) throw new JicengError(issues);
  return out;
}

// ── Weighted assessment ───────────────────────────────────────────────────

function indicatorPoints(x: IndicatorDef, kpi: KpiInfo, value: KpiValue | undefined, targetPass: boolean | null | undefined): { points: Rational; detail: Text } {
  const P = fromDecimal(x.points);
  const cap = (r: Rational) => (x.max === undefined ? r : r.n < 0n ? rmax(r, mul(fromDecimal(x.max), rat(-1))) : rmin(r, fromDecimal(x.max)));
  const empty = () => (x.empty === "full" ? { points: cap(P), detail: { zh: `${kpi.label.zh}：无案件，按满分计`, en: `${kpi.label.en}: no cases, full points` } } : { points: ZERO, detail: { zh: `${kpi.label.zh}：无案件，计 0 分`, en: `${kpi.label.en}: no cases, 0 points` } });
  if (x.method === "proportional") {
    if (!value || !value.denominator) return empty();
    const r = rat(value.numerator!, value.denominator);
    const pts = cap(mul(P, r));
    return { points: pts, detail: { zh: `${kpi.label.zh} ${value.display} × ${x.points} 分 = ${formatDecimal(pts, 2)}`, en: `${kpi.label.en} ${value.display} × ${x.points} points = ${formatDecimal(pts, 2)}` } };
  }
  if (x.method === "per-case") {
    const n = value?.value ?? 0;
    const pts = cap(mul(P, rat(n)));
    const capped = cmp(pts, mul(P, rat(n))) !== 0;
    return { points: pts, detail: { zh: `${kpi.label.zh} ${n} 件 × ${x.points} 分${capped ? `，以 ${x.max} 分为限` : ""} = ${formatDecimal(pts, 2)}`, en: `${kpi.label.en} ${n} × ${x.points} points${capped ? `, capped at ${x.max}` : ""} = ${formatDecimal(pts, 2)}` } };
  }
  if (targetPass === null || targetPass === undefined) return empty();
  return targetPass
    ? { points: cap(P), detail: { zh: `${kpi.label.zh}达标，得 ${x.points} 分`, en: `${kpi.label.en} meets the target: ${x.points} points` } }
    : { points: ZERO, detail: { zh: `${kpi.label.zh}未达标，计 0 分`, en: `${kpi.label.en} misses the target: 0 points` } };
}

/**
 * The weighted composite of assessor scores, exactly: Σ weightᵢ × scoreᵢ (weights written as
 * decimals are read exactly, so 0.6 × 80 + 0.4 × 90 is 84, not 84.00000000000001).
 *
 * @example
 * compositeScore([{ weight: 0.6, score: 80 }, { weight: 0.4, score: 90 }]); // 84
 * @see Guyuan §二(三)9: 考核赋分乡镇(街道)占60%、县直部门(单位)占40%
 */
export function compositeScore(parts: ReadonlyArray<{ weight: number; score: number }>): number {
  return toNumber(sum(parts.map((p) => mul(fromDecimal(p.weight), fromDecimal(p.score)))));
}

export function assess(a: AssessmentDef, kpis: ReadonlyMap<string, KpiInfo>, subjects: ReadonlyArray<{ key: string; label: Text; unit?: UnitScore }>, input: ParsedAssessments): AssessmentResult {
  const scaleMin = fromDecimal(a.scale.min);
  const scaleMax = fromDecimal(a.scale.max);
  const bands = [...(a.bands ?? [])].sort((x, y) => y.min - x.min);
  const results: SubjectScore[] = subjects.map(({ key, label, unit }) => {
    const given = input.subjects.get(key);
    const parts: Rational[] = [];
    const missing: string[] = [];
    const assessors: AssessorScore[] = a.assessors.map((as) => {
      const w = fromDecimal(as.weight);
      const raw = given?.scores.get(as.id);
      const items: IndicatorScore[] = [];
      let score: Rational | null = null;
      let source: AssessorScore["source"] = "missing";
      const own = a.indicators.filter((x) => x.assessor === as.id);
      if (raw !== undefined) {
        score = raw;
        source = "input";
      } else if (own.length) {
        const pts = own.map((x) => {
          const k = kpis.get(x.kpi)!;
          const tr = x.target ? unit?.targets.find((t) => t.target === x.target)?.pass : undefined;
          const r = indicatorPoints(x, k, unit?.kpis[x.kpi], tr);
          items.push({ indicator: x.id, label: x.label, points: toNumber(r.points), exact: toFractionString(r.points), detail: r.detail, ...provenanceOf(x) });
          return r.points;
        });
        score = sum(pts);
        source = "indicators";
      }
      const out: AssessorScore = { assessor: as.id, weight: as.weight, score: null, exact: null, source, items };
      if (score === null) {
        missing.push(as.id);
        return out;
      }
      if (cmp(score, scaleMax) > 0) {
        score = scaleMax;
        out.capped = "max";
      } else if (cmp(score, scaleMin) < 0) {
        score = scaleMin;
        out.capped = "min";
      }
      out.score = toNumber(score);
      out.exact = toFractionString(score);
      parts.push(mul(w, score));
      return out;
    });
    const res: SubjectScore = { subject: key, label: given?.label ?? label, assessors, composite: null, exact: null, display: "—", rank: null, missing, reason: { zh: "", en: "" } };
    const terms = assessors.map((s) => `${s.weight} × ${s.score === null ? "?" : trimmed(fromDecimal(s.score))}`).join(" + ");
    if (missing.length) {
      const names = (lang: "zh" | "en") => missing.map((m) => a.assessors.find((x) => x.id === m)!.label[lang]).join(lang === "zh" ? "、" : ", ");
      res.reason = { zh: `缺少${names("zh")}的评分，无法合成`, en: `No score from ${names("en")}; no composite` };
      return res;
    }
    const composite = sum(parts);
    res.composite = toNumber(composite);
    res.exact = toFractionString(composite);
    res.display = trimmed(composite);
    const band = bands.find((b) => cmp(composite, fromDecimal(b.min)) >= 0);
    if (band) res.band = bandOf(band);
    res.reason = { zh: `综合得分 = ${terms} = ${res.display}`, en: `Composite = ${terms} = ${res.display}` };
    return res;
  });
  rank(results);
  const subject = a.subject ? { subject: { field: a.subject.field, label: a.subject.label, ...provenanceOf(a.subject) } } : {};
  return {
    ...subject,
    label: a.label,
    assessors: a.assessors.map((x) => ({ id: x.id, label: x.label, weight: x.weight, ...provenanceOf(x) })),
    scale: { min: a.scale.min, max: a.scale.max },
    indicators: a.indicators.map((x) => ({ id: x.id, label: x.label, assessor: x.assessor, kpi: x.kpi, rule: indicatorRule(x, kpis.get(x.kpi)!), ...provenanceOf(x) })),
    bands: bands.map((b) => ({ ...bandOf(b), min: b.min, ...provenanceOf(b) })),
    subjects: results,
  };
}

/** An indicator's rule in words: "化解率 × 50 分（无案件得满分）". */
function indicatorRule(x: IndicatorDef, k: KpiInfo): Text {
  const cap = x.max === undefined ? { zh: "", en: "" } : { zh: `，以 ${x.max} 分为限`, en: `, at most ${x.max}` };
  const empty = x.method === "per-case" ? { zh: "", en: "" } : x.empty === "full" ? { zh: "；无案件得满分", en: "; full points with no cases" } : { zh: "；无案件计 0 分", en: "; 0 points with no cases" };
  if (x.method === "proportional") return { zh: `${k.label.zh} × ${x.points} 分${cap.zh}${empty.zh}`, en: `${k.label.en} × ${x.points} points${cap.en}${empty.en}` };
  if (x.method === "per-case") return x.points < 0 ? { zh: `${k.label.zh}每件扣 ${-x.points} 分${cap.zh}`, en: `${-x.points} points off per ${k.label.en.toLowerCase()} item${cap.en}` } : { zh: `${k.label.zh}每件 ${x.points} 分${cap.zh}`, en: `${x.points} points per ${k.label.en.toLowerCase()} item${cap.en}` };
  return { zh: `${k.label.zh}达标（${x.target}）得 ${x.points} 分${empty.zh}`, en: `${x.points} points when ${k.label.en} meets the target ${x.target}${empty.en}` };
}

function bandOf(b: GradeBandDef): { id: string; label: Text; colour?: string } {
  return b.colour !== undefined ? { id: b.id, label: b.label, colour: b.colour } : { id: b.id, label: b.label };
}

/** Sorts by composite, highest first; equal composites share a rank (1, 2, 2, 4); no composite, no rank. */
export function rank(list: SubjectScore[]): void {
  const exact = new Map(list.map((s) => [s, s.exact === null ? null : parseFraction(s.exact)] as const));
  list.sort((x, y) => {
    const a = exact.get(x)!;
    const b = exact.get(y)!;
    if (a === null || b === null) return a === null && b === null ? cmpKey(x.subject, y.subject) : a === null ? 1 : -1;
    return cmp(b, a) || cmpKey(x.subject, y.subject);
  });
  let prev: Rational | null = null;
  list.forEach((s, i) => {
    const e = exact.get(s)!;
    if (e === null) return;
    s.rank = prev !== null && cmp(prev, e) === 0 ? list[i - 1]!.rank : i + 1;
    prev = e;
  });
}

/** Two decimal places at most, trailing zeros dropped: 84, 84.5, 83.33. */
export const trimmed = (r: Rational): string => {
  const s = formatDecimal(r, 2);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};

export const cmpKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const parseFraction = (s: string): Rational => {
  const [n, d] = s.split("/");
  return rat(BigInt(n!), BigInt(d ?? "1"));
};
