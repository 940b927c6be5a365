/** `scoreCases`: the scorecard of a period — KPIs per unit and in total, targets, trends, assessments, persons and teams. */
import { parseInstant, formatInstant } from "../calendar/timezone.js";
import { IssueCode, fail, own, type Text } from "../errors/index.js";
import { isValidTimeZone } from "../conditions/time.js";
import { show } from "../conditions/text.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import { SNAPSHOT_CHECK, checkSnapshotList, validatorFor, type SnapshotValidator } from "../lifecycle/snapshot.js";
import type { RulePack } from "../pack/schema.js";
import { compileField, viewCase, type Window } from "./cases.js";
import { monthsOf, parsePeriod, previousYear, type ScoringPeriod } from "./period.js";
import type { ScoringDef } from "./schema.js";
import { assess, cmpKey, parseAssessments } from "./assessments.js";
import { type CompiledScoring, compileScoring, isCompiled } from "./compile.js";
import { scorePersons, scoreTeams } from "./persons.js";
import { provenanceOf, type Change, type KpiValue, type PeriodInfo, type ScoreOptions, type Scorecard, type UnitScore } from "./result.js";
import { type Tally, kpiValue, newTally, tally } from "./tally.js";
import { OP_TEXT, changeOf, noBaselineChange, noBaselineTrend, targetResult, trendResult } from "./targets.js";

// ── The scorecard ─────────────────────────────────────────────────────────

const periodInfo = (p: ScoringPeriod): PeriodInfo => ({ id: p.id, label: p.label, start: p.start, end: p.end, firstDay: p.firstDay, lastDay: p.lastDay });

/**
 * The period to score: text in the pack's zone, or a {@link ScoringPeriod} read again from its
 * `id` and `timeZone` (so a hand-made object with other boundaries cannot slip through unchecked).
 */
function periodArgument(period: unknown, packZone: string): ScoringPeriod {
  if (typeof period === "string") return parsePeriod(period, { timeZone: packZone });
  const o = period !== null && typeof period === "object" && !Array.isArray(period) ? (period as Partial<Record<keyof ScoringPeriod, unknown>>) : undefined;
  const zone = o?.timeZone === undefined ? packZone : o.timeZone;
  if (o === undefined || typeof o.id !== "string" || typeof zone !== "string" || !isValidTimeZone(zone)) {
    fail(IssueCode.INVALID_PERIOD, ["period"], `时段须为文本（如 2022Q3）或 parsePeriod 的结果，实际为 ${show(period)}`, `The period must be text (e.g. 2022Q3) or a result of parsePeriod, got ${show(period)}`);
  }
  return parsePeriod(o.id, { timeZone: zone, path: ["period", "id"] });
}

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
  const p = periodArgument(period, pack.timezone);
  const explain = options.explain === true;
  const groupField = options.groupBy ?? scoring.groupBy.field;
  const group = compileField(groupField, options.groupBy !== undefined ? ["groupBy"] : ["scoring", "groupBy", "field"], pack.facts);
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
      const sg = compileField(sf, ["scoring", "assessment", "subject", "field"], pack.facts);
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

export { compileScoring, type CompiledScoring } from "./compile.js";
export { compositeScore, AssessmentsInputSchema, type AssessmentsInput } from "./assessments.js";
export type {
  Scorecard, ScoreOptions, KpiValue, KpiInfo, Change, TargetResult, TrendResult, UnitScore, IndicatorScore, AssessorScore, SubjectScore,
  AssessmentResult, PersonScore, TeamScore, TeamResult, PeriodInfo, Provenance,
} from "./result.js";
