import { IssueCode, JicengError, duplicateIssue, issue, type IssuePath, type JicengIssue } from "../errors/index.js";
import type { FactDef, FactType } from "../vocabulary/index.js";
import { SAFE_FACT_NAME } from "../vocabulary/names.js";
import { describeType, didYouMean, show } from "./text.js";
import { isIsoDate, isIsoDateTime, parseIsoDate, parseIsoDateTime } from "./time.js";

/** A well-typed fact value: what a declared fact holds once validated. */
export type FactValue = string | number | boolean | readonly string[];

/** Property names a fact path may never read, even as own properties. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * One declared fact, ready for fast reads: its definition, its pre-split property path, and
 * readers that apply the default or throw a typed error.
 */
export interface FactEntry {
  readonly name: string;
  readonly def: FactDef;
  readonly type: FactType;
  /** `risks.homicide` → `["risks", "homicide"]`: where the value sits in the case input. */
  readonly segments: readonly string[];
  /** The enum values, for `enum` and `enum-list` facts. */
  readonly enumValues: ReadonlySet<string> | undefined;
  readonly hasDefault: boolean;
  /** True when `value` is a valid value of this fact (type, enum values, min/max, date format). */
  readonly isValid: (value: unknown) => boolean;
  /** The raw value at this fact's path (own properties of plain objects only), or `undefined`. */
  readonly resolve: (input: unknown) => unknown;
  /** The value, or the default when missing; throws MISSING_FACT / INVALID_FACT. */
  readonly read: (input: unknown) => FactValue;
  /** For date facts: days since 1970-01-01; for datetime facts: epoch ms. Throws like `read`. */
  readonly readTime: (input: unknown) => number;
}

/** Declared facts by name. Build it once per pack with {@link buildFactIndex}. */
export type FactIndex = ReadonlyMap<string, FactEntry>;

function isObj(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === "object" && !Array.isArray(o);
}

/**
 * A plain data object: `{}` literal, `JSON.parse` output or `Object.create(null)`. Dates, Maps,
 * class instances and arrays are not: their fields are not where a case's facts are written.
 */
export function isPlainObject(o: unknown): o is Record<string, unknown> {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return false;
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function isStringArray(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") return false;
  return true;
}

function validator(def: FactDef, enumValues: ReadonlySet<string> | undefined): (v: unknown) => boolean {
  const min = def.min ?? -Infinity;
  const max = def.max ?? Infinity;
  switch (def.type) {
    case "string":
      return (v) => typeof v === "string";
    case "number":
      return (v) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
    case "integer":
      return (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
    case "boolean":
      return (v) => typeof v === "boolean";
    case "enum": {
      const set = enumValues ?? new Set<string>();
      return (v) => typeof v === "string" && set.has(v);
    }
    case "enum-list": {
      const set = enumValues ?? new Set<string>();
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) {
          const e: unknown = v[i];
          if (typeof e !== "string" || !set.has(e)) return false;
        }
        return true;
      };
    }
    case "string-list":
      return isStringArray;
    case "date":
      return isIsoDate;
    case "datetime":
      return isIsoDateTime;
  }
}

// Own properties of plain objects only. Unrolled for the usual 1–3 segments: a loop over the
// segments costs more than the reads themselves.
const hop = Object.prototype.hasOwnProperty;
function resolver(segments: readonly string[]): (input: unknown) => unknown {
  const [a, b, c] = segments as [string, string | undefined, string | undefined];
  switch (segments.length) {
    case 1:
      return (o) => (isObj(o) && hop.call(o, a) ? o[a] : undefined);
    case 2: {
      const k2 = b as string;
      return (o) => {
        if (!isObj(o) || !hop.call(o, a)) return undefined;
        const p = o[a];
        return isObj(p) && hop.call(p, k2) ? p[k2] : undefined;
      };
    }
    case 3: {
      const k2 = b as string;
      const k3 = c as string;
      return (o) => {
        if (!isObj(o) || !hop.call(o, a)) return undefined;
        const p = o[a];
        if (!isObj(p) || !hop.call(p, k2)) return undefined;
        const q = p[k2];
        return isObj(q) && hop.call(q, k3) ? q[k3] : undefined;
      };
    }
  }
  const n = segments.length;
  return (input) => {
    let o: unknown = input;
    for (let i = 0; i < n; i++) {
      const k = segments[i] as string;
      if (!isObj(o) || !hop.call(o, k)) return undefined;
      o = o[k];
    }
    return o;
  };
}

/** The error thrown when a fact without a default is missing from a case. */
export function missingFactError(entry: Pick<FactEntry, "name" | "def">): JicengError {
  return new JicengError(
    issue(
      IssueCode.MISSING_FACT,
      ["facts", entry.name],
      `案件缺少事实“${entry.name}”（${entry.def.label.zh}），且该事实没有默认值`,
      `The case is missing fact "${entry.name}" (${entry.def.label.en}) and it has no default`,
    ),
  );
}

/** The error thrown when a fact is present with a value of the wrong type. */
export function invalidFactError(entry: Pick<FactEntry, "name" | "def">, value: unknown): JicengError {
  const want = describeType(entry.def);
  const nullHint = value === null ? { zh: "；如无此值请省略该字段", en: "; omit the field when there is no value" } : { zh: "", en: "" };
  return new JicengError(
    issue(
      IssueCode.INVALID_FACT,
      ["facts", entry.name],
      `事实“${entry.name}”（${entry.def.label.zh}）的值 ${show(value)} 无效：应为${want.zh}${nullHint.zh}`,
      `Fact "${entry.name}" (${entry.def.label.en}) has invalid value ${show(value)}: expected ${want.en}${nullHint.en}`,
    ),
  );
}

function makeEntry(def: FactDef): FactEntry {
  const segments = def.name.split(".");
  const enumValues = def.values ? new Set(def.values.map((v) => v.value)) : undefined;
  const isValid = validator(def, enumValues);
  const resolve = resolver(segments);
  const hasDefault = def.default !== undefined && isValid(def.default);
  const dflt = def.default as FactValue;
  // The readers close over `entry` (declared below) only for their error messages.
  const missing = (): never => {
    throw missingFactError(entry);
  };
  // typeof inline for the plain types: an indirect call to isValid costs more than the test.
  const primitive = def.type === "string" || def.type === "boolean" ? def.type : undefined;
  const read = primitive
    ? (input: unknown): FactValue => {
        const v = resolve(input);
        if (typeof v === primitive) return v as FactValue;
        if (v === undefined) return hasDefault ? dflt : missing();
        throw invalidFactError(entry, v);
      }
    : (input: unknown): FactValue => {
        const v = resolve(input);
        if (v === undefined) return hasDefault ? dflt : missing();
        if (!isValid(v)) throw invalidFactError(entry, v);
        return v as FactValue;
      };
  let readTime = (_input: unknown): number => NaN;
  if (def.type === "date" || def.type === "datetime") {
    const parse = def.type === "date" ? parseIsoDate : parseIsoDateTime;
    const dfltTime = hasDefault ? parse(dflt as string) : NaN;
    readTime = (input) => {
      const v = resolve(input);
      if (v === undefined) return hasDefault ? dfltTime : missing();
      const t = typeof v === "string" ? parse(v) : NaN;
      if (Number.isNaN(t)) throw invalidFactError(entry, v);
      return t;
    };
  }
  const entry: FactEntry = { name: def.name, def, type: def.type, segments, enumValues, hasDefault, isValid, resolve, read, readTime };
  return entry;
}

/**
 * Problems in fact declarations that the zod schema cannot see: duplicate names, unsafe path
 * segments, a fact nested inside another fact's value, defaults of the wrong type, min > max.
 *
 * @example
 * checkFacts([{ name: "__proto__.x", type: "boolean", label: { zh: "x", en: "x" } }]);
 * // → [{ code: "UNSAFE_PATH", path: ["facts", 0, "name"], … }]
 * @see DESIGN.md decision 4 (packs are data, fact paths are a safe subset)
 */
export function checkFacts(facts: readonly FactDef[], path: IssuePath = ["facts"]): JicengIssue[] {
  const issues: JicengIssue[] = [];
  const seen = new Map<string, number>();
  facts.forEach((def, i) => {
    const at = [...path, i];
    if (typeof def.name !== "string" || !SAFE_FACT_NAME.test(def.name)) {
      issues.push(issue(IssueCode.UNSAFE_PATH, [...at, "name"], `事实名称 ${show(def.name)} 无效：只能是点分的标识符，如 risks.homicide`, `Fact name ${show(def.name)} is not a dotted identifier like risks.homicide`));
      return;
    }
    const bad = def.name.split(".").find((s) => FORBIDDEN_SEGMENTS.has(s));
    if (bad !== undefined) {
      issues.push(issue(IssueCode.UNSAFE_PATH, [...at, "name"], `事实名称“${def.name}”含禁止使用的属性名“${bad}”`, `Fact name "${def.name}" uses the forbidden property name "${bad}"`));
    }
    const prev = seen.get(def.name);
    if (prev !== undefined) {
      issues.push(duplicateIssue([...at, "name"], [...path, prev, "name"], { zh: `事实“${def.name}”重复声明`, en: `Fact "${def.name}" is declared twice` }));
    } else {
      seen.set(def.name, i);
    }
    if ((def.type === "enum" || def.type === "enum-list") && !def.values?.length) {
      issues.push(issue(IssueCode.SCHEMA, [...at, "values"], `enum 类型的事实“${def.name}”须列出 values`, `Enum fact "${def.name}" must list its values`));
    }
    if (def.values) {
      const vs = new Map<string, number>();
      def.values.forEach((v, j) => {
        const first = vs.get(v.value);
        if (first !== undefined) issues.push(duplicateIssue([...at, "values", j, "value"], [...at, "values", first, "value"], { zh: `事实“${def.name}”的取值“${v.value}”重复`, en: `Fact "${def.name}" lists value "${v.value}" twice` }));
        else vs.set(v.value, j);
      });
    }
    if (def.min !== undefined && def.max !== undefined && def.min > def.max) {
      issues.push(issue(IssueCode.SCHEMA, [...at, "min"], `事实“${def.name}”的 min 大于 max`, `Fact "${def.name}" has min greater than max`));
    }
    if ((def.min !== undefined || def.max !== undefined) && def.type !== "number" && def.type !== "integer") {
      issues.push(issue(IssueCode.SCHEMA, [...at, def.min !== undefined ? "min" : "max"], `只有 number / integer 事实可以设置 min / max`, `Only number and integer facts take min / max`));
    }
    if (def.default !== undefined) {
      const entry = makeEntry(def);
      if (!entry.isValid(def.default)) {
        const want = describeType(def);
        issues.push(issue(IssueCode.VALUE_TYPE_MISMATCH, [...at, "default"], `事实“${def.name}”的默认值 ${show(def.default)} 无效：应为${want.zh}`, `The default ${show(def.default)} of fact "${def.name}" is invalid: expected ${want.en}`));
      }
    }
  });
  // "a" holding a value and "a.b" inside it cannot both exist.
  for (const name of seen.keys()) {
    const parts = name.split(".");
    for (let k = 1; k < parts.length; k++) {
      const prefix = parts.slice(0, k).join(".");
      const j = seen.get(prefix);
      if (j !== undefined) {
        issues.push(issue(IssueCode.SCHEMA, [...path, seen.get(name) ?? 0, "name"], `事实“${name}”位于事实“${prefix}”之内，但“${prefix}”本身是一个值`, `Fact "${name}" sits inside fact "${prefix}", but "${prefix}" is itself a value`));
      }
    }
  }
  return issues;
}

/**
 * Index declared facts by name, pre-splitting dotted names into property paths.
 * Throws a {@link JicengError} with every problem {@link checkFacts} finds.
 *
 * @example
 * const index = buildFactIndex(pack.facts);
 * index.get("risks.homicide")?.segments; // ["risks", "homicide"]
 * @see DESIGN.md decision 4
 */
export function buildFactIndex(facts: readonly FactDef[]): FactIndex {
  const errors = checkFacts(facts).filter((i) => i.severity === "error");
  if (errors.length > 0) throw new JicengError(errors);
  const index = new Map<string, FactEntry>();
  for (const def of facts) index.set(def.name, makeEntry(def));
  return index;
}

/**
 * Read one declared fact from a case: its value, or its default when missing. A missing fact
 * without a default throws MISSING_FACT; a value of the wrong type throws INVALID_FACT; an
 * undeclared name throws UNKNOWN_FACT. Only own properties of plain objects are read.
 *
 * @example
 * readFact(index, { risks: { homicide: true } }, "risks.homicide"); // true
 * @see DESIGN.md decision 5 (bad input gets a clear error)
 */
export function readFact(index: FactIndex, facts: unknown, name: string): FactValue {
  const entry = index.get(name);
  if (!entry) {
    throw new JicengError(issue(IssueCode.UNKNOWN_FACT, ["facts", name], `未声明的事实“${name}”`, `Unknown fact "${name}"`));
  }
  return entry.read(facts);
}

interface Trie {
  fact?: FactEntry;
  children: Map<string, Trie>;
  depth: number;
}

function buildTrie(index: FactIndex): Trie {
  const root: Trie = { children: new Map(), depth: 0 };
  for (const entry of index.values()) {
    let node = root;
    for (const seg of entry.segments) {
      let next = node.children.get(seg);
      if (!next) {
        next = { children: new Map(), depth: node.depth + 1 };
        node.children.set(seg, next);
      }
      node = next;
    }
    node.fact = entry;
  }
  return root;
}

/**
 * Validate a case's facts against the declarations: the case is a plain object (else
 * INVALID_CASE), every present fact has the right type (INVALID_FACT with the JSON path of the
 * value), objects sit where dotted names expect them (a declared container that is `null`, an
 * array, a string… is INVALID_FACT at its path), and unknown fields are reported as warnings
 * (INVALID_CASE, severity "warning", with the nearest declared name). Missing facts are not
 * reported here: they take their default, or fail with MISSING_FACT when a condition needs them.
 * `skip`: top-level fields the caller checks itself (a table's year lists), not looked at here.
 *
 * @example
 * validateCaseFacts(index, { level: "purple" }, ["case", "facts"]);
 * // → [{ code: "INVALID_FACT", path: ["case", "facts", "level"], … }]
 * validateCaseFacts(index, { difficulity: "hard" });
 * // → [{ code: "INVALID_CASE", severity: "warning", … 'Unknown field "difficulity" is ignored; did you mean "difficulty"?' }]
 * @see DESIGN.md decisions 5 and 9
 */
export function validateCaseFacts(index: FactIndex, input: unknown, path: IssuePath = [], skip?: ReadonlySet<string>): JicengIssue[] {
  const issues: JicengIssue[] = [];
  if (!isPlainObject(input)) {
    issues.push(issue(IssueCode.INVALID_CASE, path, `案件事实须为一个对象，实际为 ${show(input)}`, `Case facts must be an object, got ${show(input)}`));
    return issues;
  }
  const walk = (node: Trie, obj: Record<string, unknown>, at: (string | number)[]): void => {
    for (const key of Object.keys(obj)) {
      // Top-level fields the caller reads itself (a table's year lists and derived facts).
      if (skip !== undefined && at.length === path.length && skip.has(key)) continue;
      const child = FORBIDDEN_SEGMENTS.has(key) ? undefined : node.children.get(key);
      const here = [...at, key];
      const value = obj[key];
      if (!child) {
        issues.push(unknownFieldWarning(index, node, key, here));
        continue;
      }
      if (value === undefined) continue;
      if (child.fact) {
        if (!child.fact.isValid(value)) {
          const e = invalidFactError(child.fact, value).issues[0];
          if (e) issues.push({ ...e, path: here });
        }
      } else if (isPlainObject(value)) {
        walk(child, value, here);
      } else {
        const inner = [...child.children.keys()].join(", ");
        issues.push(issue(IssueCode.INVALID_FACT, here, `字段“${key}”应为一个对象（含 ${inner}），实际为 ${show(value)}`, `Field "${key}" must be an object (holding ${inner}), got ${show(value)}`));
      }
    }
  };
  walk(trieOf(index), input, [...path]);
  return issues;
}

function unknownFieldWarning(index: FactIndex, node: Trie, key: string, at: IssuePath): JicengIssue {
  const known = [...node.children.keys()];
  // A flattened dotted name ("risks.homicide": true) is the most likely slip of all.
  if (node.depth === 0 && index.has(key) && key.includes(".")) {
    const nested = key.split(".").reduceRight((inner, k) => `{ "${k}": ${inner} }`, "…");
    return issue(IssueCode.INVALID_CASE, at, `字段“${key}”将被忽略：嵌套的事实须写成对象 ${nested}`, `Field "${key}" is ignored: a nested fact is written as an object, ${nested}`, { severity: "warning" });
  }
  const near = didYouMean(key, known);
  const hint = near.zh ? near : known.length ? { zh: `（此处可用：${known.slice(0, 20).join("、")}${known.length > 20 ? "…" : ""}）`, en: ` (known here: ${known.slice(0, 20).join(", ")}${known.length > 20 ? "…" : ""})` } : { zh: "", en: "" };
  return issue(IssueCode.INVALID_CASE, at, `未声明的字段“${key}”，将被忽略${hint.zh}`, `Unknown field "${key}" is ignored${hint.en}`, { severity: "warning" });
}

const tries = new WeakMap<FactIndex, Trie>();
function trieOf(index: FactIndex): Trie {
  let t = tries.get(index);
  if (!t) {
    t = buildTrie(index);
    tries.set(index, t);
  }
  return t;
}

/**
 * True when `input` is a plain object whose every field is a declared fact with a valid value (or
 * a plain object holding such facts): exactly when {@link validateCaseFacts} finds nothing, errors
 * or warnings. No allocation; for the per-call check of the engine's entry points.
 */
export function isCleanCase(index: FactIndex, input: unknown): boolean {
  return isPlainObject(input) && cleanNode(trieOf(index), input);
}

function cleanNode(node: Trie, obj: Record<string, unknown>): boolean {
  for (const key in obj) {
    if (!hop.call(obj, key)) return false; // an inherited enumerable field: Object.prototype was polluted
    const child = node.children.get(key);
    if (child === undefined || FORBIDDEN_SEGMENTS.has(key)) return false;
    const value = obj[key];
    if (value === undefined) continue;
    if (child.fact !== undefined) {
      if (!child.fact.isValid(value)) return false;
    } else if (!isPlainObject(value) || !cleanNode(child, value)) return false;
  }
  return true;
}

/**
 * A frozen copy of a clean case holding only its declared facts (and the objects around them).
 * Call after {@link validateCaseFacts} found no errors. Depth is bounded by the declared names.
 * Every declared name of a level is an own key of the copy, `undefined` when the case leaves it
 * out: copies of one index share one object shape, nothing is ever read from a prototype, and a
 * Proxy around a copy cannot report other values (its properties are frozen). `brand`, when
 * given, keys a frozen, non-enumerable own property of the top object whose value is
 * `brand.value(copy)` (by default the copy itself; a spread or `Object.assign` does not copy it,
 * an object inheriting from the copy reads the copy's value, not its own).
 */
export function freezeCaseFacts(index: FactIndex, input: Record<string, unknown>, brand?: symbol | { key: symbol; value: (copy: Readonly<Record<string, unknown>>) => unknown }): Readonly<Record<string, unknown>> {
  const copy = (node: Trie, obj: Record<string, unknown> | undefined, top: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, child] of node.children) {
      const value = obj !== undefined && hop.call(obj, key) ? obj[key] : undefined;
      if (value === undefined) out[key] = undefined;
      else if (child.fact) {
        // validateCaseFacts saw the enumerable fields; an own non-enumerable one is a fact too
        // (the grading reads it), so it is checked here, with the error the grading gives.
        if (!child.fact.isValid(value)) throw invalidFactError(child.fact, value);
        out[key] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
      }
      else out[key] = isPlainObject(value) ? copy(child, value, false) : undefined;
    }
    if (top && brand !== undefined) {
      if (typeof brand === "symbol") Object.defineProperty(out, brand, { value: out });
      else Object.defineProperty(out, brand.key, { value: brand.value(out) });
    }
    return Object.freeze(out);
  };
  return copy(trieOf(index), input, true);
}

/**
 * A copy of the case's facts with every missing fact that has a default filled in. The input is
 * not changed; values are not validated (use {@link validateCaseFacts} first).
 *
 * @example
 * normalizeCaseFacts(index, {}); // → { risks: { homicide: false } } when that is the default
 * @see FactSchema `default`
 */
export function normalizeCaseFacts(index: FactIndex, input: unknown): Record<string, unknown> {
  if (input !== undefined && !isObj(input)) {
    throw new JicengError(issue(IssueCode.INVALID_CASE, [], `案件事实须为一个对象，实际为 ${show(input)}`, `Case facts must be an object, got ${show(input)}`));
  }
  const out: Record<string, unknown> = { ...(input ?? {}) };
  for (const entry of index.values()) {
    if (!entry.hasDefault || entry.resolve(input) !== undefined) continue;
    let o: Record<string, unknown> = out;
    let src: unknown = input;
    const last = entry.segments.length - 1;
    let blocked = false;
    for (let i = 0; i < last; i++) {
      const k = entry.segments[i] as string;
      src = isObj(src) && Object.hasOwn(src, k) ? src[k] : undefined;
      const cur = hop.call(o, k) ? o[k] : undefined;
      if (cur === undefined) {
        o[k] = {};
      } else if (!isObj(cur)) {
        blocked = true; // a non-object where an object belongs: leave it for validation to report
        break;
      } else if (cur === src) {
        o[k] = { ...cur }; // copy on write: never change the caller's object
      }
      o = o[k] as Record<string, unknown>;
    }
    if (!blocked) o[entry.segments[last] as string] = entry.def.default;
  }
  return out;
}
