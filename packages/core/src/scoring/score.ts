import * as z from "zod";
import { parseInstant, formatInstant } from "../calendar/timezone.js";
import { IssueCode, JicengError, fail, isJicengError, issue, own, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { SNAPSHOT_CHECK, checkSnapshotList, validatorFor, type SnapshotValidator } from "../lifecycle/snapshot.js";
import type { RulePack } from "../pack/schema.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { hasLoadedMark } from "../vocabulary/loaded.js";
import { caseTestContext, compileCaseTest, compileField, levelAt, viewCase, type CasePredicate, type CaseView, type FieldReader, type Window } from "./cases.js";
import { monthsOf, parsePeriod, previousYear, type ScoringPeriod } from "./period.js";
import { ZERO, cmp, formatDecimal, formatPercent, fromDecimal, max as rmax, min as rmin, mul, rat, sub, sum, toFractionString, toNumber, type Rational } from "./rational.js";
import type { AssessmentDef, CaseTest, GradeBandDef, IndicatorDef, KpiDef, ScoringDef, TargetDef, TrendDef } from "./schema.js";

// ── Results ───────────────────────────────────────────────────────────────

/** Provenance of a definition, as the pack states it. */
export interface Provenance {
  cite?: { doc: string; clause: string; quote?: string | undefined } | undefined;
  local?: true | undefined;
  note?: Text | undefined;
}

/** One KPI over one period for one unit (or the total). Full precision; `display` is rounded. */
export interface KpiValue {
  kpi: string;
  kind: "count" | "rate";
  /** The count, or the rate as a fraction 0–1 (full double precision); `null` when the denominator is empty. */
  value: number | null;
  numerator?: number;
  denominator?: number;
  /** The exact rate as counted, `"2942/2953"` (numerator/denominator, not reduced). */
  exact?: string;
  /** Rounded for people: `"99.6%"`, `"2953"`, `"—"` for an empty denominator. */
  display: string;
  /** For a count with `breakdown: "level"`: cases per level (level at the end of the period). */
  byLevel?: Record<string, number>;
  /** With `explain`: the cases counted (number, id, or `#n`). */
  cases?: { numerator?: string[]; denominator?: string[]; count?: string[] };
}

/** A KPI's definition as used: which denominator, in words, with its provenance. */
export interface KpiInfo extends Provenance {
  id: string;
  label: Text;
  kind: "count" | "rate";
  better: "higher" | "lower";
  decimals: number;
  definition: Text;
  /** The denominator in use: `default`, or the id of one of the pack's alternatives. */
  denominator: string;
  alternatives: Array<{ id: string; label: Text }>;
  breakdown?: "level";
  /**
   * Which cases it counts, in a few words (the cohort of a count, the denominator of a rate): e.g.
   * 本期受理（按受理时间） / received in the period (by receipt date). Shown beside each figure.
   */
  cohort: Text;
}

/** Year-on-year change of one KPI (同比). */
export interface Change {
  kpi: string;
  current: number | null;
  previous: number | null;
  /** current − previous (for a rate: as a fraction, so 0.012 is 1.2 percentage points). */
  delta: number | null;
  /** delta / previous, for counts; `null` when last year was 0 or unknown. */
  ratio: number | null;
  display: Text;
  /** The data reach back to no case of last year's period: nothing to compare with (无上年数据). */
  noBaseline?: true;
}

/** A unit's result against one target. */
export interface TargetResult extends Provenance {
  target: string;
  kpi: string;
  /** `null` when the KPI has no value (no cases). */
  pass: boolean | null;
  threshold: string;
  value: string;
  reason: Text;
}

/** A unit's result against one year-on-year goal. */
export interface TrendResult extends Provenance {
  trend: string;
  kpi: string;
  goal: "decrease" | "increase";
  current: number | null;
  previous: number | null;
  /** `null`: neither met nor missed (no value, or no baseline). */
  met: boolean | null;
  reason: Text;
  /** The data reach back to no case of last year's period: nothing to compare with (无上年数据). */
  noBaseline?: true;
}

/** Everything about one unit (or the total). */
export interface UnitScore {
  key: string;
  label: Text;
  kpis: Record<string, KpiValue>;
  targets: TargetResult[];
  trends: TrendResult[];
  previous?: Record<string, KpiValue>;
  change?: Record<string, Change>;
}

/** One score item of an assessor's score. */
export interface IndicatorScore extends Provenance {
  indicator: string;
  label: Text;
  points: number;
  exact: string;
  detail: Text;
}

/** One assessor's score of one subject. */
export interface AssessorScore {
  assessor: string;
  weight: number;
  /** `null` when neither an input score nor indicators give one. */
  score: number | null;
  exact: string | null;
  source: "input" | "indicators" | "missing";
  /** Set when the score was held to the scale's max (`"max"`) or min (`"min"`). */
  capped?: "max" | "min";
  items: IndicatorScore[];
}

/** A subject's weighted assessment: each assessor's score, the composite, rank and band. */
export interface SubjectScore {
  subject: string;
  label: Text;
  assessors: AssessorScore[];
  /** Σ weight × score, full precision; `null` when an assessor's score is missing. */
  composite: number | null;
  exact: string | null;
  display: string;
  rank: number | null;
  band?: { id: string; label: Text; colour?: string };
  missing: string[];
  reason: Text;
}

export interface AssessmentResult {
  label: Text;
  assessors: Array<{ id: string; label: Text; weight: number } & Provenance>;
  scale: { min: number; max: number };
  /** The score items computed from KPIs, each with its rule in words and its provenance. */
  indicators: Array<{ id: string; label: Text; assessor: string; kpi: string; rule: Text } & Provenance>;
  bands: Array<{ id: string; label: Text; min: number; colour?: string } & Provenance>;
  /** Who is assessed, when the pack names a subject other than the reporting units. */
  subject?: { field: string; label: Text } & Provenance;
  subjects: SubjectScore[];
}

/** One person's (grid worker's) score. */
export interface PersonScore {
  person: string;
  items: Array<{ item: string; label: Text; count: number; points: number }>;
  total: number;
  exact: string;
  display: string;
  capped: boolean;
  rank: number;
}

/** One object's score in a team scheme (a grid's bundled assessment, a part-time worker's rewards, a mediator's subsidised cases). */
export interface TeamScore {
  key: string;
  items: Array<{ item: string; label: Text; count: number; points: number }>;
  total: number;
  exact: string;
  display: string;
  capped: boolean;
  rank: number;
  /** The members named in the assessments file, by role (bundled assessment): each gets `total`. */
  members?: Array<{ role: string; person: string }>;
  /** Roles whose head count does not fit the pack's min / max (e.g. 1+1+1+X): what is wrong, in zh and en. */
  roster?: Array<{ role: string; count: number; min?: number; max?: number; message: Text }>;
}

/** A team scheme's result: the pack's definition and every object's score. */
export interface TeamResult extends Provenance {
  id: string;
  label: Text;
  field: string;
  unit?: Text;
  roles?: Array<{ id: string; label: Text; min?: number; max?: number } & Provenance>;
  scores: TeamScore[];
  /** Bundled assessment: every member with the score of their object (the same for all its members). */
  members?: Array<{ person: string; role: string; key: string; total: number; display: string }>;
}

export interface PeriodInfo {
  id: string;
  label: Text;
  start: string;
  end: string;
  firstDay: string;
  lastDay: string;
}

/** The scorecard of a period: KPIs per unit and in total, targets, year-on-year, assessments, persons. */
export interface Scorecard {
  kind: "jiceng.scorecard";
  pack: { id: string; version: string; name: Text };
  period: PeriodInfo;
  previousPeriod?: PeriodInfo;
  /**
   * `false` when no case in the data was received before last year's period ended: year-on-year
   * changes and goals then say 无上年数据 / no baseline, neither met nor missed.
   */
  baseline?: boolean;
  /** What the data are taken to be current as of (latest event seen, unless given). */
  asOf: string;
  groupBy: { field: string; label: Text };
  onTime: "final-deadline" | "never-overdue";
  levels: Array<{ id: string; label: Text; colour: string; rank: number }>;
  kpis: KpiInfo[];
  targets: Array<{ id: string; kpi: string; label: Text; threshold: string } & Provenance>;
  trends: Array<{ id: string; kpi: string; goal: "decrease" | "increase"; label: Text } & Provenance>;
  /** Distinct cases scored (each KPI says which of them it counts); a case given twice counts once. */
  cases: number;
  /**
   * Cases given more than once (the same case number, or the same id when a case has no number):
   * each counted once, from its newest snapshot (latest `lastAt`; on a tie, the later one).
   * Indexes are positions in the snapshots given. Present only when there are duplicates.
   */
  duplicates?: Array<{ key: string; kept: number; dropped: number[] }>;
  total: UnitScore;
  units: UnitScore[];
  monthly: Array<{ period: PeriodInfo; kpis: Record<string, KpiValue> }>;
  assessment?: AssessmentResult;
  persons?: { label: Text; field: string; scores: PersonScore[] };
  /** Other schemes scored per object (`scoring.teams`). */
  teams?: TeamResult[];
  /** Which KPIs the report charts: per unit, by level, by month (the pack's `scoring.report`, or defaults). */
  charts: { units?: string; levels?: string; monthly: string[] };
  /** The pack's source documents, for citing clauses. */
  documents: Array<{ id: string; number?: string; title: Text }>;
}

/** Options of {@link scoreCases}. */
export interface ScoreOptions {
  /** Group units by another field than the pack's `scoring.groupBy.field`. */
  groupBy?: string;
  /** Raw scores per subject and assessor, and person counts (the assessments file). */
  assessments?: unknown;
  /** KPI id → the id of one of its `alternatives` (or `default`). */
  denominators?: Readonly<Record<string, string>>;
  /** The data are current as of this instant (ISO with offset); default: the latest event seen. */
  asOf?: string;
  /** Compute last year's same period and the change (同比). Default true. */
  yearOnYear?: boolean;
  /** Compute the month-by-month series. Default true. */
  monthly?: boolean;
  /** List the cases each KPI counted. Default false. */
  explain?: boolean;
}

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

interface ParsedAssessments {
  subjects: Map<string, { label?: Text; scores: Map<string, Rational>; raw: Record<string, number> }>;
  persons: Map<string, Record<string, number>>;
  /** team scheme id → object key → counts given and members named. */
  teams: Map<string, Map<string, { counts: Record<string, number>; members: Array<{ role: string; person: string }> }>>;
}

function parseAssessments(input: unknown, scoring: ScoringDef): ParsedAssessments {
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
      issues.push(issue(IssueCode.INVALID_ASSESSMENT, [...base, i, "subject"], `考核对象 "${e.subject}" 重复`, `The subject "${e.subject}" appears twice`));
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

// ── Compiling the pack's scoring section ─────────────────────────────────

interface CompiledKpi {
  def: KpiDef;
  info: KpiInfo;
  count?: CasePredicate;
  num?: CasePredicate;
  den?: CasePredicate;
}

/** A pack's scoring section, compiled once: KPIs, case tests, fields. */
export interface CompiledScoring {
  pack: RulePack;
  scoring: ScoringDef;
  kpis: CompiledKpi[];
  persons?: { read: FieldReader; items: CompiledItem[] };
  teams?: Array<{ read: FieldReader; items: CompiledItem[] }>;
}

/** A person or team score item with its case test compiled. */
type CompiledItem = { def: NonNullable<ScoringDef["persons"]>["items"][number]; when?: CasePredicate };

const provenanceOf = (x: { cite?: Provenance["cite"]; local?: true | undefined; note?: Text | undefined }): Provenance => {
  const out: Provenance = {};
  if (x.cite !== undefined) out.cite = x.cite;
  if (x.local !== undefined) out.local = x.local;
  if (x.note !== undefined) out.note = x.note;
  return out;
};

/**
 * Compiles a loaded pack's `scoring` section: every case test (levels, fact conditions, fields) is
 * checked against the pack. `createEngine` calls it once; `loadPack` calls it as its cross-check.
 * Takes a pack `loadPack` returned (or `engine.pack`), never raw JSON: scoring does not load packs.
 * @throws JicengError with every issue (paths under `scoring`), USAGE when the pack was not loaded or has no scoring section.
 */
export function compileScoring(pack: RulePack, options: Pick<ScoreOptions, "denominators"> = {}): CompiledScoring {
  requireLoaded(pack);
  const scoring = pack.scoring;
  if (!scoring) fail(IssueCode.USAGE, ["scoring"], `规则包 "${pack.id}" 没有考核评分部分（scoring）`, `The pack "${pack.id}" has no scoring section`);
  const ctx = caseTestContext(pack);
  const issues: JicengIssue[] = [];
  const compile = (t: Parameters<typeof compileCaseTest>[0] | undefined, path: IssuePath): CasePredicate | undefined => {
    if (t === undefined) return undefined;
    try {
      return compileCaseTest(t, ctx, path);
    } catch (error) {
      if (isJicengError(error)) issues.push(...error.issues);
      else throw error;
      return undefined;
    }
  };
  const chosen = options.denominators ?? {};
  for (const id of Object.keys(chosen)) {
    const k = scoring.kpis.find((x) => x.id === id);
    if (!k) issues.push(issue(IssueCode.UNKNOWN_KPI, ["denominators", id], `未知指标 "${id}"`, `Unknown KPI "${id}"`));
    else if (chosen[id] !== "default" && !(k.alternatives ?? []).some((a) => a.id === chosen[id])) {
      const alts = ["default", ...(k.alternatives ?? []).map((a) => a.id)].join(", ");
      issues.push(issue(IssueCode.USAGE, ["denominators", id], `指标 "${id}" 没有口径 "${chosen[id]}"；可选：${alts}`, `KPI "${id}" has no denominator "${chosen[id]}"; available: ${alts}`));
    }
  }
  const kpis: CompiledKpi[] = scoring.kpis.map((def, i) => {
    const path: IssuePath = ["scoring", "kpis", i];
    const altId = chosen[def.id] ?? "default";
    const altIndex = (def.alternatives ?? []).findIndex((a) => a.id === altId);
    const alt = altIndex >= 0 ? def.alternatives![altIndex]! : undefined;
    const info: KpiInfo = {
      id: def.id,
      label: def.label,
      kind: def.kind,
      better: def.better,
      decimals: def.decimals ?? (def.kind === "rate" ? scoring.decimals : 0),
      definition: alt?.definition ?? def.definition,
      denominator: alt ? alt.id : "default",
      alternatives: (def.alternatives ?? []).map((a) => ({ id: a.id, label: a.label })),
      cohort: cohortOf(def.kind === "rate" ? (alt?.denominator ?? def.denominator) : def.count),
      ...provenanceOf(alt ?? def),
    };
    if (def.breakdown) info.breakdown = def.breakdown;
    const out: CompiledKpi = { def, info };
    if (def.kind === "count") {
      const c = compile(def.count, [...path, "count"]);
      if (c) out.count = c;
    } else {
      const num = compile(alt?.numerator ?? def.numerator, alt?.numerator ? [...path, "alternatives", altIndex, "numerator"] : [...path, "numerator"]);
      const den = compile(alt?.denominator ?? def.denominator, alt ? [...path, "alternatives", altIndex, "denominator"] : [...path, "denominator"]);
      if (num) out.num = num;
      if (den) out.den = den;
    }
    // Compile the alternatives not in use too, so a broken one is reported now.
    (def.alternatives ?? []).forEach((a, j) => {
      if (j === altIndex) return;
      compile(a.denominator, [...path, "alternatives", j, "denominator"]);
      if (a.numerator) compile(a.numerator, [...path, "alternatives", j, "numerator"]);
    });
    return out;
  });
  let fieldOk = true;
  try {
    compileField(scoring.groupBy.field, ["scoring", "groupBy", "field"]);
  } catch (error) {
    if (!isJicengError(error)) throw error;
    issues.push(...error.issues);
    fieldOk = false;
  }
  const result: CompiledScoring = { pack, scoring, kpis };
  if (scoring.persons) {
    const p = scoring.persons;
    let read: FieldReader = () => [];
    try {
      read = compileField(p.field, ["scoring", "persons", "field"]);
    } catch (error) {
      if (!isJicengError(error)) throw error;
      issues.push(...error.issues);
    }
    result.persons = {
      read,
      items: p.items.map((def, i) => {
        const when = compile(def.when, ["scoring", "persons", "items", i, "when"]);
        return when ? { def, when } : { def };
      }),
    };
  }
  if (scoring.teams) {
    result.teams = scoring.teams.map((team, t) => {
      let read: FieldReader = () => [];
      try {
        read = compileField(team.field, ["scoring", "teams", t, "field"]);
      } catch (error) {
        if (!isJicengError(error)) throw error;
        issues.push(...error.issues);
      }
      return {
        read,
        items: team.items.map((def, i) => {
          const when = compile(def.when, ["scoring", "teams", t, "items", i, "when"]);
          return when ? { def, when } : { def };
        }),
      };
    });
  }
  if (issues.length || !fieldOk) throw new JicengError(issues);
  return result;
}

// ── Tallies ───────────────────────────────────────────────────────────────

interface Acc {
  num: number;
  den: number;
  count: number;
  byLevel?: Record<string, number>;
  cases?: { numerator: string[]; denominator: string[]; count: string[] };
}

type Tally = Map<string, Acc>;

function newTally(c: CompiledScoring, explain: boolean, levels: readonly string[]): Tally {
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
function tally(c: CompiledScoring, views: readonly CaseView[], w: Window, group: FieldReader | undefined, explain: boolean): { total: Tally; groups: Map<string, Tally> } {
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
function caseScope(v: CaseView, f: () => void): void {
  try {
    f();
  } catch (error) {
    if (!isJicengError(error)) throw error;
    throw new JicengError(error.issues.map((i) => ({ ...i, path: ["snapshots", v.index, "context", ...i.path], message: { zh: `案件 ${v.key}：${i.message.zh}`, en: `Case ${v.key}: ${i.message.en}` } })));
  }
}

const keysOrNone = (keys: string[]) => (keys.length ? keys : [""]);

function kpiValue(k: KpiInfo, acc: Acc): KpiValue {
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

const exactOf = (v: KpiValue): Rational | null => (v.kind === "count" ? rat(v.value ?? 0) : v.denominator ? rat(v.numerator!, v.denominator) : null);

// ── Targets and trends ────────────────────────────────────────────────────

const OP_TEXT: Record<TargetDef["op"], string> = { ">=": "≥", ">": ">", "<=": "≤", "<": "<" };

function thresholdOf(t: TargetDef): Rational {
  const v = fromDecimal(t.value);
  return t.unit === "percent" ? mul(v, rat(1, 100)) : v;
}

function holds(op: TargetDef["op"], a: Rational, b: Rational): boolean {
  const c = cmp(a, b);
  return op === ">=" ? c >= 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c < 0;
}

/** The value rounded to `decimals`, with more places where rounding would hide which side of the threshold it is on. */
function honestDisplay(v: Rational, kind: "count" | "rate", decimals: number, threshold: Rational, op: TargetDef["op"]): string {
  const fmt = (d: number) => (kind === "rate" ? formatPercent(v, d) : formatDecimal(v, d));
  const truth = holds(op, v, threshold);
  for (let d = decimals; d <= decimals + 6; d++) {
    const shown = kind === "rate" ? rat(BigInt(fmt(d).slice(0, -1).replace(".", "")), 10n ** BigInt(d + 2)) : fromDecimal(Number(fmt(d)));
    if (holds(op, shown, threshold) === truth) return fmt(d);
  }
  return `${fmt(decimals + 6)} (${toFractionString(v)})`;
}

function targetResult(t: TargetDef, k: KpiInfo, value: KpiValue): TargetResult {
  const th = thresholdOf(t);
  const threshold = `${OP_TEXT[t.op]} ${t.unit === "percent" ? `${t.value}%` : t.value}`;
  const v = exactOf(value);
  const base = { target: t.id, kpi: t.kpi, threshold, ...provenanceOf(t) };
  if (v === null) {
    return { ...base, pass: null, value: "—", reason: { zh: `${k.label.zh}：无案件，无法判断（目标 ${threshold}）`, en: `${k.label.en}: no cases, cannot tell (target ${threshold})` } };
  }
  const pass = holds(t.op, v, th);
  const shown = honestDisplay(v, k.kind, k.decimals, th, t.op);
  const frac = value.kind === "rate" ? `（${value.numerator}/${value.denominator}）` : "";
  const fracEn = value.kind === "rate" ? ` (${value.numerator}/${value.denominator})` : "";
  return {
    ...base,
    pass,
    value: shown,
    reason: pass
      ? { zh: `${k.label.zh} ${shown}${frac}，达到目标 ${threshold}`, en: `${k.label.en} ${shown}${fracEn} meets the target ${threshold}` }
      : { zh: `${k.label.zh} ${shown}${frac}，未达到目标 ${threshold}`, en: `${k.label.en} ${shown}${fracEn} misses the target ${threshold}` },
  };
}

function changeOf(k: KpiInfo, cur: KpiValue, prev: KpiValue): Change {
  const a = exactOf(cur);
  const b = exactOf(prev);
  const out: Change = { kpi: k.id, current: cur.value, previous: prev.value, delta: null, ratio: null, display: { zh: "—", en: "—" } };
  if (a === null || b === null) return out;
  const delta = sub(a, b);
  out.delta = toNumber(delta);
  const sign = delta.n > 0n ? "+" : "";
  if (k.kind === "rate") {
    const pp = formatDecimal(mul(delta, rat(100)), k.decimals);
    out.display = { zh: `${sign}${pp} 个百分点`, en: `${sign}${pp} pp` };
    return out;
  }
  if (b.n !== 0n) {
    const ratio = mul(delta, { n: b.d, d: b.n < 0n ? -b.n : b.n });
    out.ratio = toNumber(ratio);
    const pct = formatPercent(ratio, 1);
    out.display = { zh: `${sign}${toFractionString(delta)}（${sign}${pct}）`, en: `${sign}${toFractionString(delta)} (${sign}${pct})` };
  } else {
    out.display = { zh: `${sign}${toFractionString(delta)}（上年同期为 0）`, en: `${sign}${toFractionString(delta)} (last year: 0)` };
  }
  return out;
}

const NO_BASELINE: Text = { zh: "无上年数据", en: "no baseline" };

function noBaselineChange(k: KpiInfo, cur: KpiValue): Change {
  return { kpi: k.id, current: cur.value, previous: null, delta: null, ratio: null, display: NO_BASELINE, noBaseline: true };
}

function noBaselineTrend(t: TrendDef, k: KpiInfo, cur: KpiValue): TrendResult {
  return {
    trend: t.id,
    kpi: t.kpi,
    goal: t.goal,
    current: cur.value,
    previous: null,
    ...provenanceOf(t),
    met: null,
    noBaseline: true,
    reason: { zh: `${k.label.zh} 本期 ${cur.display}：无上年数据（数据中没有上年同期的案件），无从比较`, en: `${k.label.en} ${cur.display} this period: no baseline (the data hold no case from a year earlier), nothing to compare with` },
  };
}

const COHORT_EVENT: Record<string, Text> = {
  received: { zh: "受理", en: "received" },
  assigned: { zh: "交办", en: "assigned" },
  acknowledged: { zh: "签收", en: "signed for" },
  resolved: { zh: "化解", en: "resolved" },
  closed: { zh: "结案", en: "closed" },
  "followed-up": { zh: "回访", en: "followed up" },
  overdue: { zh: "逾期", en: "overdue" },
  escalated: { zh: "升级或延期", en: "escalated" },
  reported: { zh: "上报", en: "reported up" },
  verified: { zh: "核实通过", en: "verified" },
  "verification-failed": { zh: "核实未通过", en: "failed verification" },
  evaluated: { zh: "评价", en: "evaluated" },
  returned: { zh: "退回", en: "returned" },
  "self-closed": { zh: "自行办结", en: "closed on the spot" },
};
const COHORT_WHEN: Record<string, Text> = {
  period: { zh: "本期", en: "in the period" },
  "by-end": { zh: "期末前", en: "by the end of the period" },
  "before-start": { zh: "期初前", en: "before the period" },
  ever: { zh: "任何时候", en: "at any time" },
};

/** The cases a test selects, in a few words: its first event test (the cohort), else its kind. */
function cohortOf(test: CaseTest | undefined): Text {
  const find = (t: CaseTest | undefined): CaseTest | undefined => {
    if (!t) return undefined;
    if ("event" in t) return t;
    if ("all" in t) for (const x of t.all) { const f = find(x); if (f) return f; }
    if ("any" in t) for (const x of t.any) { const f = find(x); if (f) return f; }
    return undefined;
  };
  const e = find(test) as { event: string; when?: string } | undefined;
  if (!e) return test && "open" in test ? { zh: test.open === "at-start" ? "期初未化解的案件" : "期末未化解的案件", en: test.open === "at-start" ? "cases open at the start" : "cases open at the end" } : { zh: "数据中的案件", en: "cases in the data" };
  const when = COHORT_WHEN[e.when ?? "period"]!;
  const what = COHORT_EVENT[e.event] ?? { zh: e.event, en: e.event };
  const by = e.event === "received" ? { zh: "（按受理时间）", en: " (by receipt date)" } : { zh: `（按${what.zh}时间）`, en: ` (by the date ${what.en})` };
  return { zh: `${when.zh}${what.zh}的案件${by.zh}`, en: `cases ${what.en} ${when.en}${by.en}` };
}

function trendResult(t: TrendDef, k: KpiInfo, cur: KpiValue, prev: KpiValue | undefined): TrendResult {
  const base = { trend: t.id, kpi: t.kpi, goal: t.goal, current: cur.value, previous: prev?.value ?? null, ...provenanceOf(t) };
  const a = exactOf(cur);
  const b = prev ? exactOf(prev) : null;
  const want = t.goal === "decrease" ? { zh: "同比下降", en: "a decrease year on year" } : { zh: "同比上升", en: "an increase year on year" };
  const by = t.by ? { zh: `至少 ${t.by.percent}%`, en: ` of at least ${t.by.percent}%` } : { zh: "", en: "" };
  if (a === null || b === null) return { ...base, met: null, reason: { zh: `${k.label.zh}：缺少本期或上年同期数据，无法判断（目标：${want.zh}${by.zh}）`, en: `${k.label.en}: this period or last year's has no value; cannot tell (goal: ${want.en}${by.en})` } };
  const delta = t.goal === "decrease" ? sub(b, a) : sub(a, b);
  let met = delta.n > 0n;
  if (met && t.by) {
    if (b.n === 0n) met = false;
    else met = cmp(mul(delta, rat(100)), mul(fromDecimal(t.by.percent), b.n < 0n ? { n: -b.n, d: b.d } : b)) >= 0;
  }
  const fmt = (v: KpiValue) => v.display;
  return {
    ...base,
    met,
    reason: {
      zh: `${k.label.zh} 本期 ${fmt(cur)}，上年同期 ${fmt(prev!)}：${met ? "达到" : "未达到"}${want.zh}${by.zh}`,
      en: `${k.label.en} ${fmt(cur)} this period, ${fmt(prev!)} a year earlier: ${met ? "meets" : "misses"} the goal of ${want.en}${by.en}`,
    },
  };
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

function assess(a: AssessmentDef, kpis: ReadonlyMap<string, KpiInfo>, subjects: ReadonlyArray<{ key: string; label: Text; unit?: UnitScore }>, input: ParsedAssessments): AssessmentResult {
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
function rank(list: SubjectScore[]): void {
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
const trimmed = (r: Rational): string => {
  const s = formatDecimal(r, 2);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
};

const cmpKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const parseFraction = (s: string): Rational => {
  const [n, d] = s.split("/");
  return rat(BigInt(n!), BigInt(d ?? "1"));
};

// ── Persons ───────────────────────────────────────────────────────────────

function scorePersons(c: CompiledScoring, views: readonly CaseView[], w: Window, input: ParsedAssessments): PersonScore[] {
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
function scoreTeams(c: CompiledScoring, views: readonly CaseView[], w: Window, input: ParsedAssessments): TeamResult[] {
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

// ── The scorecard ─────────────────────────────────────────────────────────

const periodInfo = (p: ScoringPeriod): PeriodInfo => ({ id: p.id, label: p.label, start: p.start, end: p.end, firstDay: p.firstDay, lastDay: p.lastDay });

/**
 * Scores case snapshots over a period with the pack's `scoring` section: every KPI per unit and
 * in total (full precision, rounded only in `display`), targets pass / fail, year-on-year change
 * and goals, the weighted multi-assessor assessment (ranked, with bands), and person scores.
 * Pure: the same snapshots in any order give the same scorecard.
 *
 * @example
 * const card = scoreCases(pack, snapshots, "2022Q3", { assessments: [{ subject: "司法所", scores: { township: 80, "county-department": 90 } }] });
 * card.total.kpis["resolution-rate"].display; // "99.6%"
 * card.assessment?.subjects[0].composite;     // 84
 * @throws JicengError INVALID_PERIOD, INVALID_SNAPSHOT, INVALID_ASSESSMENT, or the pack's scoring issues.
 */
export function scoreCases(packOrCompiled: RulePack | CompiledScoring, snapshots: readonly CaseSnapshot[], period: string | ScoringPeriod, options: ScoreOptions = {}): Scorecard {
  const c = isCompiled(packOrCompiled) && options.denominators === undefined ? packOrCompiled : compileScoring(isCompiled(packOrCompiled) ? packOrCompiled.pack : packOrCompiled, options.denominators ? { denominators: options.denominators } : {});
  const { pack, scoring } = c;
  const p = typeof period === "string" ? parsePeriod(period, { timeZone: pack.timezone }) : period;
  const explain = options.explain === true;
  const groupField = options.groupBy ?? scoring.groupBy.field;
  const group = compileField(groupField, options.groupBy !== undefined ? ["groupBy"] : ["scoring", "groupBy", "field"]);
  // The whole snapshot schema, every item (the engine hands its own validator, which trusts what it made).
  checkSnapshotList(snapshots, (options as { [SNAPSHOT_CHECK]?: SnapshotValidator })[SNAPSHOT_CHECK] ?? validatorFor(pack));
  let asOf: number;
  if (options.asOf !== undefined) asOf = parseInstant(options.asOf, ["asOf"]);
  else {
    asOf = Number.NEGATIVE_INFINITY;
    for (const s of snapshots) {
      const t = typeof s?.context?.lastAt === "string" ? Date.parse(s.context.lastAt) : NaN;
      if (t > asOf) asOf = t;
    }
    if (!Number.isFinite(asOf)) asOf = p.endMs;
  }
  // Every snapshot is checked, the copies of a case too; then each case counts once.
  const all = snapshots.map((s, i) => viewCase(s, i, pack.id, asOf));
  const { unique, duplicates } = dedupe(snapshots);
  const views = unique.length === all.length ? all : unique.map((i) => all[i]!);
  const input = parseAssessments(options.assessments, scoring);
  const infos = new Map(c.kpis.map((k) => [k.info.id, k.info] as const));
  const w: Window = { start: p.startMs, end: p.endMs };

  const cur = tally(c, views, w, group, explain);
  const yoy = options.yearOnYear !== false;
  const prevPeriod = yoy ? previousYear(p) : undefined;
  const prev = prevPeriod ? tally(c, views, { start: prevPeriod.startMs, end: prevPeriod.endMs }, group, false) : undefined;
  // Last year's zero means nothing when the data do not reach back that far.
  const baseline = prevPeriod ? views.some((v) => v.received < prevPeriod.endMs) : undefined;

  const labels = scoring.groupBy.field === groupField ? (scoring.groupBy.labels ?? {}) : {};
  const unitLabel = (key: string): Text => (key === "" ? { zh: "未指定", en: "Unspecified" } : (own(labels, key) ?? { zh: key, en: key }));
  const targetDefs = scoring.targets;
  const unitScore = (key: string, label: Text, t: Tally, pt: Tally | undefined): UnitScore => {
    const kpis: Record<string, KpiValue> = {};
    for (const k of c.kpis) kpis[k.info.id] = kpiValue(k.info, t.get(k.info.id)!);
    const u: UnitScore = { key, label, kpis, targets: targetDefs.map((td) => targetResult(td, infos.get(td.kpi)!, kpis[td.kpi]!)), trends: [] };
    if (pt) {
      const previous: Record<string, KpiValue> = {};
      const change: Record<string, Change> = {};
      for (const k of c.kpis) {
        previous[k.info.id] = kpiValue(k.info, pt.get(k.info.id)!);
        change[k.info.id] = baseline === false ? noBaselineChange(k.info, kpis[k.info.id]!) : changeOf(k.info, kpis[k.info.id]!, previous[k.info.id]!);
      }
      u.previous = previous;
      u.change = change;
    }
    u.trends = scoring.trends.map((td) => (baseline === false ? noBaselineTrend(td, infos.get(td.kpi)!, kpis[td.kpi]!) : trendResult(td, infos.get(td.kpi)!, kpis[td.kpi]!, u.previous?.[td.kpi])));
    return u;
  };
  const total = unitScore("*", { zh: "合计", en: "Total" }, cur.total, prev?.total);
  const keys = [...new Set([...cur.groups.keys(), ...(prev ? prev.groups.keys() : [])])].sort(cmpKey);
  const emptyTally = newTally(c, false, pack.levels.map((l) => l.id));
  const units = keys.map((k) => unitScore(k, unitLabel(k), cur.groups.get(k) ?? emptyTally, prev ? (prev.groups.get(k) ?? emptyTally) : undefined));

  const card: Scorecard = {
    kind: "jiceng.scorecard",
    pack: { id: pack.id, version: pack.version, name: pack.name },
    period: periodInfo(p),
    asOf: formatInstant(asOf, pack.timezone),
    groupBy: { field: groupField, label: scoring.groupBy.field === groupField ? scoring.groupBy.label : fieldLabel(pack, groupField) },
    onTime: scoring.onTime?.rule ?? "final-deadline",
    levels: [...pack.levels].sort((a, b) => a.rank - b.rank).map((l) => ({ id: l.id, label: l.label, colour: l.colour, rank: l.rank })),
    kpis: c.kpis.map((k) => k.info),
    targets: targetDefs.map((t) => ({ id: t.id, kpi: t.kpi, label: t.label ?? infos.get(t.kpi)!.label, threshold: `${OP_TEXT[t.op]} ${t.unit === "percent" ? `${t.value}%` : t.value}`, ...provenanceOf(t) })),
    trends: scoring.trends.map((t) => ({ id: t.id, kpi: t.kpi, goal: t.goal, label: t.label ?? infos.get(t.kpi)!.label, ...provenanceOf(t) })),
    cases: views.length,
    total,
    units,
    monthly: [],
    charts: chartsOf(scoring),
    documents: pack.source.documents.map((d) => (d.number !== undefined ? { id: d.id, number: d.number, title: d.title } : { id: d.id, title: d.title })),
  };
  if (prevPeriod) {
    card.previousPeriod = periodInfo(prevPeriod);
    card.baseline = baseline!;
  }
  if (duplicates.length) card.duplicates = duplicates;
  if (options.monthly !== false) {
    const months = monthsOf(p);
    if (months.length > 1) {
      card.monthly = months.map((m) => {
        const t = tally(c, views, { start: m.startMs, end: m.endMs }, undefined, false).total;
        const kpis: Record<string, KpiValue> = {};
        for (const k of c.kpis) kpis[k.info.id] = kpiValue(k.info, t.get(k.info.id)!);
        return { period: periodInfo(m), kpis };
      });
    }
  }
  if (scoring.assessment) {
    // The subject assessed (e.g. the stationed unit that handled the item) may differ from the reporting units.
    const sf = scoring.assessment.subject?.field;
    let subjectUnits = units;
    if (sf !== undefined && sf !== groupField) {
      const sg = compileField(sf, ["scoring", "assessment", "subject", "field"]);
      const sc = tally(c, views, w, sg, false);
      const sp = prevPeriod ? tally(c, views, { start: prevPeriod.startMs, end: prevPeriod.endMs }, sg, false) : undefined;
      const sk = [...new Set([...sc.groups.keys(), ...(sp ? sp.groups.keys() : [])])].sort(cmpKey);
      subjectUnits = sk.map((k) => unitScore(k, k === "" ? { zh: "未指定", en: "Unspecified" } : { zh: k, en: k }, sc.groups.get(k) ?? emptyTally, sp ? (sp.groups.get(k) ?? emptyTally) : undefined));
    }
    const byKey = new Map(subjectUnits.map((u) => [u.key, u] as const));
    const subjectKeys = [...new Set([...subjectUnits.map((u) => u.key).filter((k) => k !== ""), ...input.subjects.keys()])];
    const subjects = subjectKeys.map((key) => {
      const unit = byKey.get(key);
      return unit ? { key, label: unit.label, unit } : { key, label: unitLabel(key) };
    });
    card.assessment = assess(scoring.assessment, infos, subjects, input);
  }
  if (c.persons) card.persons = { label: scoring.persons!.label, field: scoring.persons!.field, scores: scorePersons(c, views, w, input) };
  if (c.teams) card.teams = scoreTeams(c, views, w, input);
  return card;
}

/**
 * The positions of the distinct cases among `snapshots` (a case is its number, else its id; a
 * snapshot with neither is always distinct), keeping each case's newest snapshot.
 */
function dedupe(snapshots: readonly CaseSnapshot[]): { unique: number[]; duplicates: NonNullable<Scorecard["duplicates"]> } {
  const byKey = new Map<string, number[]>();
  const unique: number[] = [];
  snapshots.forEach((s, i) => {
    const ctx = (s as { context?: { number?: unknown; id?: unknown; receivedAt?: unknown } } | null)?.context;
    const name = typeof ctx?.number === "string" ? ctx.number : typeof ctx?.id === "string" ? ctx.id : undefined;
    // A number need not be unique across years (Guyuan's has no year): the same case also has the same intake time.
    if (name === undefined) return unique.push(i);
    const key = `${name}\u0000${String(ctx?.receivedAt)}`;
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const duplicates: NonNullable<Scorecard["duplicates"]> = [];
  const lastAt = (i: number) => {
    const v = (snapshots[i] as { context?: { lastAt?: unknown } }).context?.lastAt;
    const t = typeof v === "string" ? Date.parse(v) : NaN;
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  // Newest first; then the longer history; then a fixed order of the JSON, so the input order never matters.
  const newer = (a: number, b: number): boolean => {
    const d = lastAt(a) - lastAt(b);
    if (d !== 0) return d > 0;
    const h = (i: number) => ((snapshots[i] as { context?: { history?: unknown } }).context?.history as unknown[] | undefined)?.length ?? 0;
    if (h(a) !== h(b)) return h(a) > h(b);
    return JSON.stringify(snapshots[a]) > JSON.stringify(snapshots[b]);
  };
  for (const [key, list] of byKey) {
    let kept = list[0]!;
    for (const i of list) if (newer(i, kept)) kept = i;
    unique.push(kept);
    if (list.length > 1) duplicates.push({ key: key.slice(0, key.indexOf("\u0000")), kept, dropped: list.filter((i) => i !== kept) });
  }
  unique.sort((a, b) => a - b);
  return { unique, duplicates };
}

const FIELD_LABELS: Record<string, Text> = {
  "assignment.leadUnit": { zh: "牵头单位", en: "Lead unit" },
  "assignment.responsibleUnit": { zh: "责任单位", en: "Responsible unit" },
  "assignment.responsiblePerson": { zh: "责任人", en: "Responsible person" },
  "assignment.responsibleLeader": { zh: "责任领导", en: "Responsible leader" },
  "assignment.cooperatingUnits": { zh: "配合单位", en: "Cooperating units" },
  "intake.by": { zh: "受理（上报）人", en: "Taken in (reported) by" },
  "resolve.by": { zh: "化解人", en: "Resolved by" },
  level: { zh: "等级", en: "Level" },
};

/** The name of a grouping field: the fact's label, or the responsibility-list column's. */
function fieldLabel(pack: RulePack, field: string): Text {
  if (field.startsWith("facts.")) return pack.facts.find((f) => f.name === field.slice(6))?.label ?? { zh: field, en: field };
  return FIELD_LABELS[field] ?? { zh: field, en: field };
}

function chartsOf(s: ScoringDef): Scorecard["charts"] {
  const r = s.report;
  const out: Scorecard["charts"] = { monthly: r?.monthly ?? s.kpis.filter((k) => k.kind === "rate").map((k) => k.id) };
  const levels = r?.levels ?? s.kpis.find((k) => k.breakdown === "level")?.id;
  const units = r?.units ?? s.kpis.find((k) => k.kind === "rate")?.id;
  if (levels !== undefined) out.levels = levels;
  if (units !== undefined) out.units = units;
  return out;
}

function requireLoaded(pack: unknown): asserts pack is RulePack {
  if (!hasLoadedMark(pack)) {
    fail(IssueCode.USAGE, [], "考核评分须传入已加载的规则包：先调用 loadPack(json)，或使用 engine.pack / engine.score", "Scoring takes a loaded pack: call loadPack(json) first, or use engine.pack / engine.score");
  }
}

function isCompiled(x: unknown): x is CompiledScoring {
  return typeof x === "object" && x !== null && Array.isArray((x as CompiledScoring).kpis) && typeof (x as CompiledScoring).scoring === "object" && typeof (x as CompiledScoring).pack === "object";
}

