/** What a scorecard says: the result types of `scoreCases` and its options. */
import { type Text } from "../errors/index.js";

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

/** Options of `scoreCases`. */
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

/** The provenance part of a pack value, as results carry it. */
export const provenanceOf = (x: { cite?: Provenance["cite"]; local?: true | undefined; note?: Text | undefined }): Provenance => {
  const out: Provenance = {};
  if (x.cite !== undefined) out.cite = x.cite;
  if (x.local !== undefined) out.local = x.local;
  if (x.note !== undefined) out.note = x.note;
  return out;
};
