import type { ConditionTrace } from "../conditions/compile.js";
import type { FactIndex } from "../conditions/facts.js";
import type { Text } from "../errors/index.js";
import type { FactDef } from "../vocabulary/index.js";

const OP: Record<string, [string, string]> = {
  equal: ["=", "="], notEqual: ["≠", "≠"], lessThan: ["<", "<"], lessThanInclusive: ["≤", "≤"], greaterThan: [">", ">"], greaterThanInclusive: ["≥", "≥"],
  in: ["属于", "is one of"], notIn: ["不属于", "is none of"], contains: ["包含", "contains"], doesNotContain: ["不包含", "does not contain"],
  before: ["早于", "before"], after: ["晚于", "after"], onOrBefore: ["不晚于", "on or before"], onOrAfter: ["不早于", "on or after"], withinDays: ["相差不超过", "within"],
};

/** The operator that holds exactly when `op` does not (for well-typed values). */
export const NEGATION: Readonly<Record<string, string>> = {
  equal: "notEqual", notEqual: "equal",
  lessThan: "greaterThanInclusive", greaterThanInclusive: "lessThan",
  greaterThan: "lessThanInclusive", lessThanInclusive: "greaterThan",
  in: "notIn", notIn: "in",
  contains: "doesNotContain", doesNotContain: "contains",
  before: "onOrAfter", onOrAfter: "before",
  after: "onOrBefore", onOrBefore: "after",
};

type Lang = "zh" | "en";

/** A fact value in words: enum labels, 是/否, lists in brackets. */
export function valueText(fact: FactDef | undefined, v: unknown, lang: Lang): string {
  if (Array.isArray(v)) return lang === "zh" ? `[${v.map((x) => valueText(fact, x, lang)).join("、")}]` : `[${v.map((x) => valueText(fact, x, lang)).join(", ")}]`;
  if (typeof v === "boolean") return lang === "zh" ? (v ? "是" : "否") : v ? "yes" : "no";
  const label = fact?.values?.find((x) => x.value === v)?.label;
  if (label) return label[lang];
  if (v === undefined) return lang === "zh" ? "（缺失）" : "(missing)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

const isRef = (v: unknown): v is { fact: string } => v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, "fact");

/** One fact condition in words, e.g. `收入 ≥ 全村平均收入` / `income ≥ village average income`; negated with the opposite operator. */
export function describeLeaf(leaf: { fact: string; operator: string; value: unknown }, facts: FactIndex, negated = false): Text {
  const f = facts.get(leaf.fact)?.def;
  let op = leaf.operator;
  let prefix: [string, string] = ["", ""];
  if (negated) {
    const n = NEGATION[op];
    if (n) op = n;
    else prefix = ["并非 ", "not "];
  }
  const sym = OP[op] ?? [op, op];
  const side = (lang: Lang) => {
    if (isRef(leaf.value)) return facts.get(leaf.value.fact)?.def.label[lang] ?? leaf.value.fact;
    if (op === "withinDays" && leaf.value && typeof leaf.value === "object") {
      const w = leaf.value as { days?: unknown; of?: unknown };
      const of = isRef(w.of) ? (facts.get(w.of.fact)?.def.label[lang] ?? w.of.fact) : String(w.of);
      return lang === "zh" ? `${of} ${String(w.days)} 天` : `${String(w.days)} days of ${of}`;
    }
    return valueText(f, leaf.value, lang);
  };
  return {
    zh: `${prefix[0]}${f?.label.zh ?? leaf.fact} ${sym[0]} ${side("zh")}`,
    en: `${prefix[1]}${f?.label.en ?? leaf.fact} ${sym[1]} ${side("en")}`,
  };
}

/**
 * The fact conditions of a trace whose result is `want`, in words with the values seen:
 * `收入 ≥ 全村平均收入（实际：12000 对 12000）`. Conditions under a `not` are shown negated.
 *
 * @example
 * describeTableTrace(hit.conditions, compiled.facts).zh; // "留守人员 包含 留守老人（实际：[留守老人]）"
 */
export function describeTableTrace(trace: ConditionTrace, facts: FactIndex, want = true): Text {
  const zh: string[] = [];
  const en: string[] = [];
  const walk = (t: ConditionTrace, negated: boolean) => {
    if (t.kind === "fact") {
      if (t.result !== want || t.error) return;
      const leaf = { fact: t.fact ?? "?", operator: t.operator ?? "?", value: t.valueFact !== undefined ? { fact: t.valueFact } : t.value };
      const words = describeLeaf(leaf, facts, negated);
      const f = facts.get(leaf.fact)?.def;
      const seen = t.valueFact !== undefined
        ? { zh: `${valueText(f, t.factValue, "zh")} 对 ${valueText(facts.get(t.valueFact)?.def, t.value, "zh")}`, en: `${valueText(f, t.factValue, "en")} vs ${valueText(facts.get(t.valueFact)?.def, t.value, "en")}` }
        : { zh: valueText(f, t.factValue, "zh"), en: valueText(f, t.factValue, "en") };
      zh.push(`${words.zh}（实际：${seen.zh}）`);
      en.push(`${words.en} (seen: ${seen.en})`);
      return;
    }
    for (const c of t.children ?? []) walk(c, t.kind === "not" ? !negated : negated);
  };
  walk(trace, false);
  return { zh: zh.join("；"), en: en.join("; ") };
}

/** A short form of a result for messages: its `class` (with `label`), or its JSON. */
export function resultText(result: unknown): Text {
  if (result && typeof result === "object" && !Array.isArray(result)) {
    const r = result as Record<string, unknown>;
    const label = r["label"] as Partial<Text> | undefined;
    if (typeof r["class"] === "string") {
      return label?.zh && label.en ? { zh: `${r["class"]}（${label.zh}）`, en: `${r["class"]} (${label.en})` } : { zh: String(r["class"]), en: String(r["class"]) };
    }
    if (label?.zh && label.en) return { zh: label.zh, en: label.en };
  }
  const s = JSON.stringify(result) ?? String(result);
  const short = s.length > 80 ? s.slice(0, 77) + "..." : s;
  return { zh: short, en: short };
}
