import type { ConditionTrace } from "../conditions/compile.js";
import type { Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { FactDef } from "../vocabulary/index.js";
import type { GradeReason } from "./grade.js";

const OP: Record<string, [string, string]> = {
  equal: ["=", "="], notEqual: ["≠", "≠"], lessThan: ["<", "<"], lessThanInclusive: ["≤", "≤"], greaterThan: [">", ">"], greaterThanInclusive: ["≥", "≥"],
  in: ["属于", "in"], notIn: ["不属于", "not in"], contains: ["包含", "contains"], doesNotContain: ["不包含", "does not contain"],
  before: ["早于", "before"], after: ["晚于", "after"], onOrBefore: ["不晚于", "on or before"], onOrAfter: ["不早于", "on or after"], withinDays: ["在…天内", "within days of"],
};

function valueText(fact: FactDef | undefined, v: unknown, lang: "zh" | "en"): string {
  if (Array.isArray(v)) return `[${v.map((x) => valueText(fact, x, lang)).join(", ")}]`;
  if (typeof v === "boolean") return lang === "zh" ? (v ? "是" : "否") : v ? "yes" : "no";
  const label = fact?.values?.find((x) => x.value === v)?.label;
  if (label) return label[lang];
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Renders the fact conditions of a trace that have the given result as "label op value (seen: x)". */
export function describeTrace(pack: RulePack, trace: ConditionTrace, want: boolean = true): Text {
  const facts = new Map(pack.facts.map((f) => [f.name, f] as const));
  const zh: string[] = [];
  const en: string[] = [];
  // Under a `not`, the child that matters is the one with the opposite result.
  const walk = (t: ConditionTrace, negated: boolean) => {
    const tr = t as ConditionTrace & { kind: string; result: boolean; fact?: string; operator?: string; value?: unknown; factValue?: unknown; children?: ConditionTrace[]; child?: ConditionTrace };
    if (tr.kind === "fact") {
      if (tr.result !== (negated ? !want : want)) return;
      const f = facts.get(tr.fact ?? "");
      const op = OP[tr.operator ?? ""] ?? [tr.operator ?? "?", tr.operator ?? "?"];
      const neg = negated ? ["并非 ", "not "] : ["", ""];
      zh.push(`${neg[0]}${f?.label.zh ?? tr.fact} ${op[0]} ${valueText(f, tr.value, "zh")}（实际：${valueText(f, tr.factValue, "zh")}）`);
      en.push(`${neg[1]}${f?.label.en ?? tr.fact} ${op[1]} ${valueText(f, tr.value, "en")} (seen: ${valueText(f, tr.factValue, "en")})`);
      return;
    }
    const kids = tr.children ?? (tr.child ? [tr.child] : []);
    for (const c of kids) walk(c, tr.kind === "not" ? !negated : negated);
  };
  walk(trace, false);
  return { zh: zh.join("；"), en: en.join("; ") };
}

/** One line explaining a grade reason: the rule, its clause, and the conditions that held. */
export function describeReason(pack: RulePack, reason: GradeReason): Text {
  const clause = reason.cite ? `${reason.cite.clause}` : reason.local ? "本地设定" : "";
  const clauseEn = reason.cite ? `${reason.cite.clause}` : reason.local ? "local setting" : "";
  const label = reason.label ?? (reason.ruleId === "default" ? { zh: "未命中更高等级的规则，取默认等级", en: "no rule for a higher level held: default level" } : { zh: reason.ruleId, en: reason.ruleId });
  const held = reason.conditions ? describeTrace(pack, reason.conditions, true) : { zh: "", en: "" };
  const pts = reason.kind === "points" && reason.points !== undefined ? [` ${reason.points >= 0 ? "+" : ""}${reason.points}分`, ` ${reason.points >= 0 ? "+" : ""}${reason.points} points`] : ["", ""];
  return {
    zh: `${label.zh}${pts[0]}〔${clause}〕${held.zh ? "：" + held.zh : ""}`,
    en: `${label.en}${pts[1]} [${clauseEn}]${held.en ? ": " + held.en : ""}`,
  };
}
