/** Compiling a loaded pack's `scoring` section once: KPIs, their case tests, person and team items. */
import { collectIssues, IssueCode, JicengError, fail, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { hasLoadedMark } from "../vocabulary/loaded.js";
import { caseTestContext, compileCaseTest, compileField, type CasePredicate, type FieldReader } from "./cases.js";
import type { CaseTest, KpiDef, ScoringDef } from "./schema.js";
import { provenanceOf, type KpiInfo, type ScoreOptions } from "./result.js";

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
export type CompiledItem = { def: NonNullable<ScoringDef["persons"]>["items"][number]; when?: CasePredicate };


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
    return t === undefined ? undefined : collectIssues(issues, () => compileCaseTest(t, ctx, path));
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
  const fieldOk = collectIssues(issues, () => compileField(scoring.groupBy.field, ["scoring", "groupBy", "field"], pack.facts)) !== undefined;
  const result: CompiledScoring = { pack, scoring, kpis };
  if (scoring.persons) {
    const p = scoring.persons;
    const read: FieldReader = collectIssues(issues, () => compileField(p.field, ["scoring", "persons", "field"], pack.facts)) ?? (() => []);
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
      const read: FieldReader = collectIssues(issues, () => compileField(team.field, ["scoring", "teams", t, "field"], pack.facts)) ?? (() => []);
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

function requireLoaded(pack: unknown): asserts pack is RulePack {
  if (!hasLoadedMark(pack)) {
    fail(IssueCode.USAGE, [], "考核评分须传入已加载的规则包：先调用 loadPack(json)，或使用 engine.pack / engine.score", "Scoring takes a loaded pack: call loadPack(json) first, or use engine.pack / engine.score");
  }
}

export function isCompiled(x: unknown): x is CompiledScoring {
  return typeof x === "object" && x !== null && Array.isArray((x as CompiledScoring).kpis) && typeof (x as CompiledScoring).scoring === "object" && typeof (x as CompiledScoring).pack === "object";
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
