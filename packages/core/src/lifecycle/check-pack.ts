import { checkCondition, type CheckContext } from "../conditions/check.js";
import { IssueCode, issue, type JicengIssue } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { duplicates } from "../vocabulary/duplicates.js";

/**
 * Cross-checks of the optional lifecycle stages: unique ids, conditions checked against the
 * facts, ratings unique.
 */
export function checkLifecycle(pack: RulePack, ctx: CheckContext): JicengIssue[] {
  const out: JicengIssue[] = [];
  const lc = pack.lifecycle;
  const base = ["lifecycle"];
  if (lc.checklists) {
    duplicates(lc.checklists, [...base, "checklists"], "清单", out);
    lc.checklists.forEach((c, i) => duplicates(c.items, [...base, "checklists", i, "items"], "清单项", out));
  }
  if (lc.selfClose) out.push(...checkCondition(lc.selfClose.conditions, ctx, [...base, "selfClose", "conditions"]));
  if (lc.reviews) {
    duplicates(lc.reviews.stages, [...base, "reviews", "stages"], "复查层级", out);
    if (lc.reviews.appliesWhen) out.push(...checkCondition(lc.reviews.appliesWhen, ctx, [...base, "reviews", "appliesWhen"]));
  }
  if (lc.timeLimits) {
    duplicates(lc.timeLimits, [...base, "timeLimits"], "时限", out);
    lc.timeLimits.forEach((t, i) => out.push(...checkCondition(t.when, ctx, [...base, "timeLimits", i, "when"]).map((x) => ({ ...x, ruleId: t.id }))));
  }
  if (lc.evaluation) {
    const seen = new Set<string>();
    lc.evaluation.ratings.forEach((r, i) => {
      if (seen.has(r.value)) out.push(issue(IssueCode.DUPLICATE_ID, [...base, "evaluation", "ratings", i, "value"], `重复的评价等次 "${r.value}"`, `Duplicate rating "${r.value}"`));
      seen.add(r.value);
    });
  }
  if (lc.assignment?.duties) duplicates(lc.assignment.duties, [...base, "assignment", "duties"], "责任", out);
  return out;
}

