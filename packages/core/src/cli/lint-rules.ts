import { IssueCode, isJicengError, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { TopLevelCondition } from "../vocabulary/index.js";
import { analyzeTable, type TableAnalysis } from "../tables/analyze.js";
import { compileTable } from "../tables/compile.js";
import { compileCondition } from "../conditions/compile.js";
import { buildFactIndex } from "../conditions/facts.js";

/** A rule to analyse: its id, condition, and where it sits in the pack. */
interface Candidate {
  id: string;
  when: TopLevelCondition;
  path: IssuePath;
}

const INTERNAL_NOTE: Text = { zh: "lint 内部分析用", en: "used by lint's analysis only" };

/**
 * Runs the decision-table analysis over `rows` as a `first` table: exhaustive over every
 * combination of the values the conditions can tell apart, or nothing when that is impossible
 * (a date fact, too many combinations), so a finding is a proof, never a guess.
 */
function analyse(pack: RulePack, rows: readonly Candidate[]): TableAnalysis | undefined {
  try {
    const table = compileTable(
      { label: { zh: "lint", en: "lint" }, hitPolicy: "first", rows: rows.map((r) => ({ id: r.id, when: r.when, result: { rule: r.id }, local: true, note: INTERNAL_NOTE })) },
      { facts: pack.facts, named: pack.conditions, timeZone: pack.timezone, id: "lint" },
    );
    const a = analyzeTable(table, { maxCombinations: 100_000 });
    return a.method === "exhaustive" ? a : undefined;
  } catch (error) {
    if (isJicengError(error)) return undefined;
    throw error;
  }
}

const unreachable = (a: TableAnalysis | undefined, id: string) => a?.findings.some((f) => f.kind === "unreachable" && f.rows[0]?.id === id) === true;
/** The earlier rows that take the inputs of a shadowed row: those that hold on the analysis' example. */
const shadowedBy = (pack: RulePack, a: TableAnalysis | undefined, id: string, rows: readonly Candidate[]): string[] | undefined => {
  const f = a?.findings.find((x) => x.kind === "shadowed" && x.rows[0]?.id === id);
  if (!f) return undefined;
  const earlier = f.rows.slice(1).map((r) => r.id);
  const example = f.cases[0]?.example;
  if (!example) return earlier;
  const ctx = { facts: buildFactIndex(pack.facts), named: pack.conditions, timeZone: pack.timezone };
  const holding = earlier.filter((rid) => {
    const row = rows.find((r) => r.id === rid);
    try {
      return row !== undefined && compileCondition(row.when, ctx).test(example);
    } catch {
      return false;
    }
  });
  return holding.length ? holding : earlier;
};

function never(path: IssuePath, id: string, zh: string, en: string): JicengIssue {
  return issue(IssueCode.UNREACHABLE_RULE, path, zh, en, { severity: "warning", ruleId: id });
}

/**
 * Rules that can never fire, each with its JSON path, as `UNREACHABLE_RULE` warnings:
 * grading rules whose condition holds for no case, or which never decide because a more severe
 * rule (or, for `first-hit`, an earlier one) always holds with them; score items that can never be
 * awarded and thresholds the score can never reach; time limits by item type that never apply
 * (unsatisfiable, or always taken by an earlier one); and a self-close permission or review
 * condition that holds for no case. The analysis is exhaustive over the values the conditions can
 * tell apart (the decision-table analysis of `tables/analyze.ts`), so each finding is proved;
 * rules it cannot analyse (date facts, very many combinations) are never reported.
 * Decision tables, including the routing table, are analysed by `analyzeTables`.
 *
 * @example
 * for (const i of findUnreachableRules(loadPack(json))) console.log(formatPath(i.path), i.message.zh);
 * // $.grading.rules[7] 规则 orange-petition-city 永远不会决定等级：凡它成立时，更严重的规则（red-petition）也成立
 */
export function findUnreachableRules(pack: RulePack): JicengIssue[] {
  const out: JicengIssue[] = [];
  const rules = pack.grading.rules.map((r, i) => ({ id: r.id, when: r.conditions, path: ["grading", "rules", i] as IssuePath, rank: pack.levels.find((l) => l.id === r.level)?.rank ?? 0, priority: r.priority, index: i }));

  // Grading rules.
  for (const r of rules) {
    const alone = analyse(pack, [r]);
    if (unreachable(alone, r.id)) {
      out.push(never(r.path, r.id, `定级规则 ${r.id} 的条件对任何案件都不成立，永远不会命中`, `Grading rule ${r.id}'s condition holds for no case: it can never fire`));
      continue;
    }
    if (!alone) continue;
    const before =
      pack.grading.strategy === "most-severe"
        ? rules.filter((x) => x.rank > r.rank)
        : rules.filter((x) => x.priority > r.priority || (x.priority === r.priority && x.index < r.index));
    if (!before.length) continue;
    const by = shadowedBy(pack, analyse(pack, [...before, r]), r.id, before);
    if (by) {
      out.push(
        pack.grading.strategy === "most-severe"
          ? never(r.path, r.id, `定级规则 ${r.id} 永远不会决定等级：凡它成立时，更严重的规则（${by.join("、")}）也成立`, `Grading rule ${r.id} never decides a level: whenever it holds, a more severe rule (${by.join(", ")}) holds too`)
          : never(r.path, r.id, `定级规则 ${r.id} 永远不会命中：凡它成立时，优先的规则（${by.join("、")}）已先命中`, `Grading rule ${r.id} never fires: whenever it holds, an earlier rule (${by.join(", ")}) fires first`),
      );
    }
  }

  // Score items and thresholds.
  const score = pack.grading.score;
  if (score) {
    let max = 0;
    let provable = true;
    score.points.forEach((p, i) => {
      const path: IssuePath = ["grading", "score", "points", i];
      const a = analyse(pack, [{ id: p.id, when: p.conditions, path }]);
      if (!a) provable = false;
      if (unreachable(a, p.id)) out.push(never(path, p.id, `赋分项 ${p.id} 的条件对任何案件都不成立，永远不会计分`, `Score item ${p.id}'s condition holds for no case: it never awards its points`));
      else max += Math.max(0, p.points);
    });
    // The bound counts every item that can hold as if all held at once: a line above it is never reached.
    score.thresholds.forEach((t, i) => {
      if (t.min > max) {
        out.push(
          never(
            ["grading", "score", "thresholds", i],
            `threshold-${t.level}`,
            `分数线 ${t.level}（${t.min}）永远达不到：全部可能计分的项目加起来最多 ${max} 分${provable ? "" : "（部分项目未能分析，按可计分计入）"}`,
            `Threshold ${t.level} (${t.min}) can never be reached: every item that can score adds up to at most ${max}${provable ? "" : " (some items could not be analysed and were counted as scoring)"}`,
          ),
        );
      }
    });
  }

  // Time limits by item type: the first that holds applies.
  const limits = pack.lifecycle.timeLimits ?? [];
  if (limits.length) {
    const rows = limits.map((x, i) => ({ id: x.id, when: x.when, path: ["lifecycle", "timeLimits", i] as IssuePath }));
    const a = analyse(pack, rows);
    for (const r of rows) {
      if (unreachable(a, r.id)) out.push(never(r.path, r.id, `时限 ${r.id} 的条件对任何事项都不成立，永远不会适用`, `Time limit ${r.id}'s condition holds for no item: it never applies`));
      else {
        const by = shadowedBy(pack, a, r.id, rows);
        if (by) out.push(never(r.path, r.id, `时限 ${r.id} 永远不会适用：凡它成立时，前面的时限（${by.join("、")}）已先适用`, `Time limit ${r.id} never applies: whenever it holds, an earlier one (${by.join(", ")}) applies first`));
      }
    }
  }

  const single = (when: TopLevelCondition | undefined, path: IssuePath, id: string, zh: string, en: string) => {
    if (!when) return;
    if (unreachable(analyse(pack, [{ id, when, path }]), id)) out.push(never(path, id, zh, en));
  };
  single(pack.lifecycle.selfClose?.conditions, ["lifecycle", "selfClose", "conditions"], "self-close", "自行办结的条件对任何事项都不成立：此权限永远用不上", "The self-close condition holds for no item: the permission can never be used");
  single(pack.lifecycle.reviews?.appliesWhen, ["lifecycle", "reviews", "appliesWhen"], "reviews", "复查的适用条件对任何事项都不成立：永远不能请求复查", "The review condition holds for no item: a review can never be requested");
  return out;
}
