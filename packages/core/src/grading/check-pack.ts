import { checkCondition, type CheckContext } from "../conditions/check.js";
import { IssueCode, issue, type JicengIssue } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { duplicateIssue, duplicates } from "../vocabulary/duplicates.js";

/**
 * Cross-checks of score grading that the schema alone cannot express: thresholds name declared
 * levels, once each, and a more severe level needs a higher total; score items' conditions are
 * checked against the facts; ids do not clash with grading rules.
 */
export function checkScore(pack: RulePack, ctx: CheckContext): JicengIssue[] {
  const out: JicengIssue[] = [];
  const score = pack.grading.score;
  if (!score) return out;
  const base = ["grading", "score"];
  const levels = new Map(pack.levels.map((l) => [l.id, l] as const));
  duplicates(score.points, [...base, "points"], { zh: "赋分项", en: "score item" }, out);
  const ruleAt = new Map<string, number>();
  pack.grading.rules.forEach((r, i) => ruleAt.has(r.id) || ruleAt.set(r.id, i));
  score.points.forEach((p, i) => {
    const rule = ruleAt.get(p.id);
    if (rule !== undefined) out.push(duplicateIssue([...base, "points", i, "id"], ["grading", "rules", rule, "id"], { zh: `赋分项 "${p.id}" 与定级规则同名：理由中无法区分`, en: `Score item "${p.id}" has the id of a grading rule: reasons could not tell them apart` }));
    out.push(...checkCondition(p.conditions, ctx, [...base, "points", i, "conditions"]).map((x) => ({ ...x, ruleId: p.id })));
  });
  const seen = new Map<string, number>();
  score.thresholds.forEach((t, i) => {
    const level = levels.get(t.level);
    if (!level) {
      out.push(issue(IssueCode.UNKNOWN_LEVEL, [...base, "thresholds", i, "level"], `未知等级 "${t.level}"；已声明：${[...levels.keys()].join(", ")}`, `Unknown level "${t.level}"; declared: ${[...levels.keys()].join(", ")}`));
      return;
    }
    const first = seen.get(t.level);
    if (first !== undefined) out.push(duplicateIssue([...base, "thresholds", i, "level"], [...base, "thresholds", first, "level"], { zh: `等级 "${t.level}" 有两条分数线`, en: `Level "${t.level}" has two thresholds` }));
    else seen.set(t.level, i);
  });
  const known = score.thresholds.map((t, i) => ({ t, i, rank: levels.get(t.level)?.rank })).filter((x) => x.rank !== undefined) as Array<{ t: (typeof score.thresholds)[number]; i: number; rank: number }>;
  for (const a of known) {
    for (const b of known) {
      if (a.rank > b.rank && a.t.min <= b.t.min) {
        out.push(issue(IssueCode.SCHEMA, [...base, "thresholds", a.i, "min"], `分数线顺序错误：更严重的等级 "${a.t.level}"（${a.t.min}）须高于 "${b.t.level}"（${b.t.min}）`, `Thresholds out of order: the more severe level "${a.t.level}" (${a.t.min}) needs a higher total than "${b.t.level}" (${b.t.min})`));
      }
    }
  }
  return out;
}

