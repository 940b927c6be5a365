/** Targets (pass / fail against a threshold, displayed honestly) and year-on-year trends and goals. */
import { type Text } from "../errors/index.js";
import { cmp, formatDecimal, formatPercent, fromDecimal, mul, rat, sub, toFractionString, toNumber, type Rational } from "./rational.js";
import type { TargetDef, TrendDef } from "./schema.js";
import { provenanceOf, type Change, type KpiInfo, type KpiValue, type TargetResult, type TrendResult } from "./result.js";
import { exactOf } from "./tally.js";

// ── Targets and trends ────────────────────────────────────────────────────

export const OP_TEXT: Record<TargetDef["op"], string> = { ">=": "≥", ">": ">", "<=": "≤", "<": "<" };

function thresholdOf(t: TargetDef): Rational {
  const v = fromDecimal(t.value);
  return t.unit === "percent" ? mul(v, rat(1, 100)) : v;
}

export function holds(op: TargetDef["op"], a: Rational, b: Rational): boolean {
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

export function targetResult(t: TargetDef, k: KpiInfo, value: KpiValue): TargetResult {
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

export function changeOf(k: KpiInfo, cur: KpiValue, prev: KpiValue): Change {
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

export function noBaselineChange(k: KpiInfo, cur: KpiValue): Change {
  return { kpi: k.id, current: cur.value, previous: null, delta: null, ratio: null, display: NO_BASELINE, noBaseline: true };
}

export function noBaselineTrend(t: TrendDef, k: KpiInfo, cur: KpiValue): TrendResult {
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


export function trendResult(t: TrendDef, k: KpiInfo, cur: KpiValue, prev: KpiValue | undefined): TrendResult {
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
