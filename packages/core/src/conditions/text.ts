import type { Text } from "../errors/index.js";
import type { FactDef, FactType } from "../vocabulary/index.js";

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const w = b.length + 1;
  const d = new Array<number>((a.length + 1) * w).fill(0);
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    d[i * w] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((d[(i - 1) * w + j] ?? 0) + 1, (d[i * w + j - 1] ?? 0) + 1, (d[(i - 1) * w + j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, (d[(i - 2) * w + j - 2] ?? 0) + 1);
      d[i * w + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length * w + b.length] ?? max + 1;
}

/** The candidate closest to `word` (case-insensitive first), if it is close enough to be a typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const max = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = distance(lower, c.toLowerCase(), max);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** `；是否为“x”？` / `; did you mean "x"?`, or nothing. */
export function didYouMean(word: string, candidates: Iterable<string>): Text {
  const s = nearest(word, candidates);
  return s === undefined ? { zh: "", en: "" } : { zh: `；是否为“${s}”？`, en: `; did you mean "${s}"?` };
}

/** A short JSON rendering of a value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    // Too deep or cyclic to render (String() of such an object may throw too).
    s = typeof value === "object" && value !== null ? (Array.isArray(value) ? "[…]" : "{…}") : String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const TYPE_TEXT: Record<FactType, Text> = {
  string: { zh: "字符串", en: "a string" },
  number: { zh: "有限数字", en: "a finite number" },
  integer: { zh: "整数", en: "an integer" },
  boolean: { zh: "布尔值（true 或 false）", en: "a boolean (true or false)" },
  enum: { zh: "枚举值", en: "an enum value" },
  "enum-list": { zh: "枚举值数组", en: "an array of enum values" },
  "string-list": { zh: "字符串数组", en: "an array of strings" },
  date: { zh: "YYYY-MM-DD 格式的日期", en: "a date YYYY-MM-DD" },
  datetime: { zh: "带时区偏移的 ISO 8601 时间（如 2022-06-20T08:00:00+08:00）", en: "an ISO 8601 datetime with offset (e.g. 2022-06-20T08:00:00+08:00)" },
};

/** What a value of this fact must look like, in both languages. */
export function describeType(def: Pick<FactDef, "type" | "values" | "min" | "max">): Text {
  const base = TYPE_TEXT[def.type];
  if ((def.type === "enum" || def.type === "enum-list") && def.values) {
    const list = def.values.map((v) => v.value).join(", ");
    return def.type === "enum" ? { zh: `以下取值之一：${list}`, en: `one of: ${list}` } : { zh: `由以下取值组成的数组：${list}`, en: `an array of: ${list}` };
  }
  if ((def.type === "number" || def.type === "integer") && (def.min !== undefined || def.max !== undefined)) {
    const range = `[${def.min ?? "-∞"}, ${def.max ?? "∞"}]`;
    return { zh: `${base.zh}，范围 ${range}`, en: `${base.en} in ${range}` };
  }
  return base;
}

/** The plain type name in both languages, without enum values or ranges. */
export function typeName(type: FactType): Text {
  return TYPE_TEXT[type];
}
