import { checkCondition, type CheckContext } from "../conditions/check.js";
import type { JicengIssue } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { duplicateIssue, duplicates } from "../vocabulary/duplicates.js";

/**
 * Cross-checks of the optional lifecycle stages: unique ids, conditions checked against the
 * facts, ratings unique.
 */
export function checkLifecycle(pack: RulePack, ctx: CheckContext): JicengIssue[] {
  const out: JicengIssue[] = [];
  const lc = pack.lifecycle;
  const base = ["lifecycle"];
  if (lc.checklists) {
    duplicates(lc.checklists, [...base, "checklists"], { zh: "清单", en: "checklist" }, out);
    lc.checklists.forEach((c, i) => duplicates(c.items, [...base, "checklists", i, "items"], { zh: "清单项", en: "checklist item" }, out));
  }
  if (lc.selfClose) out.push(...checkCondition(lc.selfClose.conditions, ctx, [...base, "selfClose", "conditions"]));
  if (lc.reviews) {
    duplicates(lc.reviews.stages, [...base, "reviews", "stages"], { zh: "复查层级", en: "review stage" }, out);
    if (lc.reviews.appliesWhen) out.push(...checkCondition(lc.reviews.appliesWhen, ctx, [...base, "reviews", "appliesWhen"]));
  }
  if (lc.timeLimits) {
    duplicates(lc.timeLimits, [...base, "timeLimits"], { zh: "时限", en: "time limit" }, out);
    lc.timeLimits.forEach((t, i) => out.push(...checkCondition(t.when, ctx, [...base, "timeLimits", i, "when"]).map((x) => ({ ...x, ruleId: t.id }))));
  }
  if (lc.evaluation) {
    const seen = new Map<string, number>();
    lc.evaluation.ratings.forEach((r, i) => {
      const first = seen.get(r.value);
      if (first !== undefined) out.push(duplicateIssue([...base, "evaluation", "ratings", i, "value"], [...base, "evaluation", "ratings", first, "value"], { zh: `重复的评价等次 "${r.value}"`, en: `Duplicate rating "${r.value}"` }));
      else seen.set(r.value, i);
    });
  }
  // A body twice in the report chain would decide on a report to itself, or be reported to twice.
  const chain = pack.escalation?.report?.chain;
  if (chain) duplicates(chain, ["escalation", "report", "chain"], { zh: "上报机构", en: "report body" }, out);
  if (lc.assignment?.duties) duplicates(lc.assignment.duties, [...base, "assignment", "duties"], { zh: "责任", en: "duty" }, out);
  return out;
}

