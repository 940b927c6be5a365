/**
 * fast-check arbitraries for facts and conditions: random fact declarations, well-typed case
 * facts (missing facts only where a default exists), and random conditions that pass
 * `checkCondition` (nested all / any / not, every operator, fact-reference values, `path`
 * forms, priorities, named conditions without cycles). App authors can run the same
 * differential and invariant checks on their own packs.
 */
import fc from "../fast-check.js";
import type { Arbitrary, WeightedArbitrary } from "fast-check";
import type { Condition, FactCondition, FactDef, FactType, TopLevelCondition } from "../../vocabulary/index.js";
import { OPERATORS, operatorsFor, type OperatorName } from "../../conditions/operators.js";
import { parseIsoDate, zoneStartOfDay } from "../../conditions/time.js";

const L = (zh: string, en: string) => ({ zh, en });

/** Fact names used by the generators; none is a prefix of another, several are dotted. */
export const FACT_NAME_POOL: readonly string[] = [
  "age",
  "count",
  "score",
  "flag",
  "kind",
  "tags",
  "labels",
  "reportedOn",
  "reportedAt",
  "note",
  "risks.homicide",
  "risks.suicide",
  "risks.level",
  "meta.when",
  "meta.day",
  "meta.deep.value",
  "meta.deep.items",
];

/** All fact types. */
export const FACT_TYPES: readonly FactType[] = ["string", "number", "integer", "boolean", "enum", "enum-list", "string-list", "date", "datetime"];

/** Small value pools, so that generated conditions often hold and often fail. */
export const STRING_POOL: readonly string[] = ["", "a", "b", "甲", "A", "a b"];
export const ENUM_POOL: readonly string[] = ["red", "orange", "yellow", "green", "blue"];
export const NUMBER_POOL: readonly number[] = [-1, 0, -0, 0.5, 1, 2, 10, 1e9];
export const INTEGER_POOL: readonly number[] = [-2, 0, 1, 2, 3, 100];
/** Days around Asia/Shanghai and America/New_York day and DST boundaries, a leap day, a year end. */
export const DATE_POOL: readonly string[] = ["2022-03-12", "2022-03-13", "2022-03-14", "2022-06-19", "2022-06-20", "2022-06-21", "2022-11-06", "2022-12-31", "2023-01-01", "2024-02-29"];
/** A run of consecutive days, drawn most often, so `withinDays` and day boundaries meet exactly. */
export const DAY_RUN_POOL: readonly string[] = ["2022-06-18", "2022-06-19", "2022-06-20", "2022-06-21", "2022-06-22"];
/** Offsets datetimes are written in. */
export const OFFSET_POOL: readonly string[] = ["Z", "+08:00", "-05:00", "-04:00", "+05:45", "+14:00", "-12:00"];
/** Times of day (UTC ms) near midnight in Beijing (16:00Z), New York (04:00Z / 05:00Z) and UTC. */
const TIME_POOL_MS: readonly number[] = [0, 1, 4 * 3_600_000, 5 * 3_600_000, 8 * 3_600_000, 16 * 3_600_000 - 1, 16 * 3_600_000, 23 * 3_600_000 + 59 * 60_000 + 59_999];
/** Time zones scenarios run in. */
export const TIME_ZONE_POOL: readonly string[] = ["Asia/Shanghai", "UTC", "America/New_York"];

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** Write an instant as ISO 8601 in a given offset (`Z` or `±HH:mm`). */
export function formatInstant(ms: number, offset: string, withMillis: boolean): string {
  const sign = offset === "Z" ? 1 : offset.startsWith("-") ? -1 : 1;
  const minutes = offset === "Z" ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const d = new Date(ms + minutes * 60_000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return base + (withMillis ? `.${pad(d.getUTCMilliseconds(), 3)}` : "") + offset;
}

/** An ISO date `YYYY-MM-DD`, mostly from {@link DATE_POOL}. */
export function arbIsoDate(): Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...DAY_RUN_POOL) },
    { weight: 2, arbitrary: fc.constantFrom(...DATE_POOL) },
    { weight: 1, arbitrary: fc.date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  );
}

/** An ISO datetime with offset; the same instant is often written in different offsets. */
export function arbIsoDateTime(): Arbitrary<string> {
  const instant = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...DAY_RUN_POOL), fc.constantFrom(...TIME_POOL_MS)).map(([d, t]) => Date.parse(`${d}T00:00:00Z`) + t) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...DATE_POOL), fc.constantFrom(...TIME_POOL_MS)).map(([d, t]) => Date.parse(`${d}T00:00:00Z`) + t) },
    { weight: 1, arbitrary: fc.integer({ min: Date.parse("2000-01-01T00:00:00Z"), max: Date.parse("2030-01-01T00:00:00Z") }) },
  );
  return fc.tuple(instant, fc.constantFrom(...OFFSET_POOL), fc.boolean()).map(([ms, off, millis]) => formatInstant(ms, off, millis || ms % 1000 !== 0));
}

/** A valid value of a declared fact. */
export function arbFactValue(def: FactDef): Arbitrary<unknown> {
  const enumValues = (def.values ?? []).map((v) => v.value);
  switch (def.type) {
    case "string":
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...STRING_POOL) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) });
    case "number":
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...NUMBER_POOL) }, { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) });
    case "integer":
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...INTEGER_POOL) }, { weight: 1, arbitrary: fc.integer() });
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...enumValues);
    case "enum-list":
      return fc.array(fc.constantFrom(...enumValues), { maxLength: 4 });
    case "string-list":
      return fc.array(fc.constantFrom(...STRING_POOL), { maxLength: 4 });
    case "date":
      return arbIsoDate();
    case "datetime":
      return arbIsoDateTime();
  }
}

/** A fact declaration with the given name: a random type, enum values, sometimes a default. */
export function arbFactDef(name: string): Arbitrary<FactDef> {
  return fc
    .record({
      type: fc.constantFrom(...FACT_TYPES),
      values: fc.subarray([...ENUM_POOL], { minLength: 1 }),
      hasDefault: fc.boolean(),
    })
    .chain(({ type, values, hasDefault }) => {
      const def: FactDef =
        type === "enum" || type === "enum-list"
          ? { name, type, label: L(name, name), values: values.map((v) => ({ value: v, label: L(v, v) })), local: true, note: L("测试", "test") }
          : { name, type, label: L(name, name) };
      if (!hasDefault) return fc.constant(def);
      return arbFactValue(def).map((d) => ({ ...def, default: d as FactDef["default"] }));
    });
}

/** A list of fact declarations with distinct names from {@link FACT_NAME_POOL}. */
export function arbFactDefs(options: { minLength?: number; maxLength?: number } = {}): Arbitrary<FactDef[]> {
  return fc
    .shuffledSubarray([...FACT_NAME_POOL], { minLength: options.minLength ?? 3, maxLength: options.maxLength ?? 10 })
    .chain((names) => fc.tuple(...names.map(arbFactDef)));
}

/**
 * Case facts for the declarations: every fact present with a valid value, except that a fact with
 * a default is sometimes left out. Dotted names become nested objects.
 */
export function arbCaseFacts(facts: readonly FactDef[]): Arbitrary<Record<string, unknown>> {
  if (facts.length === 0) return fc.constant({});
  const parts = facts.map((def) => {
    const present = arbFactValue(def).map((v) => ({ present: true as const, v }));
    return def.default === undefined ? present : fc.oneof(present, fc.constant({ present: false as const, v: undefined as unknown }));
  });
  return fc.tuple(...parts).map((values) => {
    const out: Record<string, unknown> = {};
    facts.forEach((def, i) => {
      const slot = values[i];
      if (!slot?.present) return;
      const segs = def.name.split(".");
      let o = out;
      for (const s of segs.slice(0, -1)) {
        o[s] ??= {};
        o = o[s] as Record<string, unknown>;
      }
      o[segs[segs.length - 1] as string] = slot.v;
    });
    return out;
  });
}

type Kind = "text" | "number" | "boolean" | "date" | "datetime" | "list";
const KIND: Record<FactType, Kind> = { string: "text", enum: "text", number: "number", integer: "number", boolean: "boolean", date: "date", datetime: "datetime", "string-list": "list", "enum-list": "list" };

/** Facts a `{ fact }` value may reference for this operator on this fact (mirrors checkCondition). */
function refCandidates(def: FactDef, op: OperatorName, facts: readonly FactDef[]): FactDef[] {
  const k = KIND[def.type];
  switch (OPERATORS[op].value) {
    case "scalar":
      return facts.filter((f) => KIND[f.type] === k);
    case "number":
      return facts.filter((f) => KIND[f.type] === "number");
    case "scalar-list":
      return k === "text" ? facts.filter((f) => KIND[f.type] === "list") : [];
    case "element":
      return facts.filter((f) => KIND[f.type] === "text");
    case "temporal":
    case "within-days":
      return facts.filter((f) => f.type === def.type);
  }
}

/** `{ fact: "a.b" }`, or the same fact written as `{ fact: "a", path: "$.b" }` / `"b"`. */
function arbFactRef(name: string): Arbitrary<{ fact: string; path?: string }> {
  const dot = name.indexOf(".");
  if (dot < 0) return fc.constant({ fact: name });
  return fc.constantFrom({ fact: name }, { fact: name.slice(0, dot), path: `$.${name.slice(dot + 1)}` }, { fact: name.slice(0, dot), path: name.slice(dot + 1) });
}

/** A literal of the fact's own scalar type. */
function arbScalarLiteral(def: FactDef): Arbitrary<unknown> {
  return def.type === "enum" ? fc.constantFrom(...(def.values ?? []).map((v) => v.value)) : arbFactValue(def);
}

function arbTemporalLiteral(): Arbitrary<string> {
  return fc.oneof(arbIsoDate(), arbIsoDateTime());
}

function arbLiteral(def: FactDef, op: OperatorName): Arbitrary<unknown> {
  switch (OPERATORS[op].value) {
    case "scalar":
      return arbScalarLiteral(def);
    case "number":
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NUMBER_POOL, ...INTEGER_POOL) }, { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) });
    case "scalar-list":
      // Up to 12 items, so both the indexOf and the Set paths of the compiler run.
      return fc.array(arbScalarLiteral(def), { maxLength: 12 });
    case "element":
      return def.type === "enum-list" ? fc.constantFrom(...(def.values ?? []).map((v) => v.value)) : fc.constantFrom(...STRING_POOL);
    case "temporal":
      return arbTemporalLiteral();
    case "within-days":
      return fc.record({ days: fc.integer({ min: 0, max: 2 }), of: arbTemporalLiteral() });
  }
}

/** A fact condition that passes `checkCondition`: any operator that fits, literal or `{ fact }` value. */
export function arbFactCondition(facts: readonly FactDef[]): Arbitrary<FactCondition> {
  return fc
    .constantFrom(...facts)
    .chain((def) => fc.tuple(fc.constant(def), fc.constantFrom(...operatorsFor(def.type))))
    .chain(([def, op]) => {
      const refs = refCandidates(def, op, facts);
      const literal = arbLiteral(def, op);
      let value: Arbitrary<unknown> = literal;
      if (refs.length > 0) {
        const ref = fc.constantFrom(...refs).chain((r) => arbFactRef(r.name));
        const refValue = OPERATORS[op].value === "within-days" ? fc.record({ days: fc.integer({ min: 0, max: 2 }), of: ref }) : ref;
        value = fc.oneof({ weight: 2, arbitrary: literal }, { weight: 1, arbitrary: refValue });
      }
      return fc.record({
        target: arbFactRef(def.name),
        value,
        priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      }).map(({ target, value: v, priority }) => {
        const c: FactCondition = { fact: target.fact, operator: op, value: v };
        if (target.path !== undefined) c.path = target.path;
        if (priority !== undefined) c.priority = priority;
        return c;
      });
    });
}

/** A condition of at most `depth` levels of all / any / not / references above fact conditions. */
export function arbCondition(facts: readonly FactDef[], named: readonly string[] = [], depth = 3): Arbitrary<Condition> {
  const leaf = arbFactCondition(facts) as Arbitrary<Condition>;
  if (depth <= 0) return leaf;
  const inner = arbCondition(facts, named, depth - 1);
  const priority = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
  const withPriority = <T extends object>(c: T, p: number | undefined): T => (p === undefined ? c : { ...c, priority: p });
  const options: Array<WeightedArbitrary<Condition>> = [
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(fc.array(inner, { minLength: 0, maxLength: 4 }), priority).map(([all, p]) => withPriority({ all }, p)) },
    { weight: 2, arbitrary: fc.tuple(fc.array(inner, { minLength: 1, maxLength: 4 }), priority).map(([any, p]) => withPriority({ any }, p)) },
    { weight: 1, arbitrary: inner.map((not) => ({ not })) },
  ];
  if (named.length > 0) options.push({ weight: 1, arbitrary: fc.constantFrom(...named).map((condition) => ({ condition })) });
  return fc.oneof(...options);
}

/** A top-level condition (all / any / not / reference), as rules and json-rules-engine require. */
export function arbTopLevelCondition(facts: readonly FactDef[], named: readonly string[] = [], depth = 3): Arbitrary<TopLevelCondition> {
  const inner = arbCondition(facts, named, depth - 1);
  const options: Array<Arbitrary<TopLevelCondition>> = [
    fc.array(inner, { maxLength: 4 }).map((all) => ({ all })),
    fc.array(inner, { minLength: 1, maxLength: 4 }).map((any) => ({ any })),
    inner.map((not) => ({ not })),
  ];
  if (named.length > 0) options.push(fc.constantFrom(...named).map((condition) => ({ condition })));
  return fc.oneof(...options);
}

/** Named conditions `c0 … cN`, each referencing only earlier ones, so there are no cycles. */
export function arbNamedConditions(facts: readonly FactDef[], options: { max?: number; depth?: number } = {}): Arbitrary<Record<string, Condition>> {
  return fc.integer({ min: 0, max: options.max ?? 3 }).chain((n) => {
    const names = Array.from({ length: n }, (_, i) => `c${i}`);
    if (n === 0) return fc.constant({});
    return fc.tuple(...names.map((_, i) => arbCondition(facts, names.slice(0, i), options.depth ?? 2))).map((bodies) => Object.fromEntries(names.map((name, i) => [name, bodies[i] as Condition])));
  });
}

/** Everything one differential run needs. */
export interface ConditionScenario {
  facts: FactDef[];
  named: Record<string, Condition>;
  condition: TopLevelCondition;
  /** Several cases to evaluate the same condition on. */
  inputs: Array<Record<string, unknown>>;
  timezone: string;
}

/** Random facts, named conditions, a top-level condition, and well-typed cases. */
export function arbConditionScenario(options: { depth?: number; inputs?: number } = {}): Arbitrary<ConditionScenario> {
  return arbFactDefs().chain((facts) =>
    arbNamedConditions(facts).chain((named) =>
      fc.record({
        facts: fc.constant(facts),
        named: fc.constant(named),
        condition: arbTopLevelCondition(facts, Object.keys(named), options.depth ?? 4),
        inputs: fc.array(arbCaseFacts(facts), { minLength: 1, maxLength: options.inputs ?? 3 }),
        timezone: fc.constantFrom(...TIME_ZONE_POOL),
      }),
    ),
  );
}

const TEMPORAL_OPS: readonly OperatorName[] = ["before", "after", "onOrBefore", "onOrAfter", "withinDays"];
/** Anchor days for temporal scenarios: ordinary days and the America/New_York DST changes. */
export const ANCHOR_DAY_POOL: readonly string[] = [...DAY_RUN_POOL, "2022-03-13", "2022-11-06"];

/** Many temporal conditions over the same facts, evaluated as separate rules of one engine. */
export interface TemporalScenario {
  facts: FactDef[];
  conditions: TopLevelCondition[];
  inputs: Array<Record<string, unknown>>;
  timezone: string;
}

/**
 * Scenarios focused on the date operators. Everything sits near one anchor day in the scenario's
 * time zone: dates k days from it, instants at, 1 ms before or after, or an hour from local
 * midnight k days from it (written in random offsets), so that day boundaries, `withinDays` ends,
 * and datetime-against-date comparisons are hit on most runs.
 */
export function arbTemporalScenario(): Arbitrary<TemporalScenario> {
  const facts: FactDef[] = [
    { name: "at", type: "datetime", label: L("时间", "at") },
    { name: "meta.at", type: "datetime", label: L("时间2", "at 2") },
    { name: "on", type: "date", label: L("日期", "on") },
    { name: "meta.on", type: "date", label: L("日期2", "on 2") },
  ];
  return fc.tuple(fc.constantFrom(...TIME_ZONE_POOL), fc.constantFrom(...ANCHOR_DAY_POOL)).chain(([timezone, anchorIso]) => {
    const anchor = parseIsoDate(anchorIso);
    const k = fc.integer({ min: -3, max: 3 });
    const date = k.map((d) => formatInstant((anchor + d) * DAY_MS, "Z", false).slice(0, 10));
    const near = fc.tuple(k, fc.constantFrom(0, 0, -1, 1, 3_600_000, -3_600_000), fc.constantFrom(...OFFSET_POOL)).map(([d, delta, off]) => {
      const ms = zoneStartOfDay(anchor + d, timezone) + delta;
      return formatInstant(ms, off, ms % 1000 !== 0);
    });
    const dt = fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: arbIsoDateTime() });
    const cond = fc
      .tuple(fc.constantFrom("at", "meta.at", "on", "meta.on"), fc.constantFrom(...TEMPORAL_OPS), fc.integer({ min: 0, max: 4 }), date, dt, fc.integer({ min: 0, max: 2 }))
      .map(([fact, op, how, d, t, days]): TopLevelCondition => {
        const other = fact.startsWith("meta.") ? fact.slice(5) : `meta.${fact}`;
        const target: unknown = how === 0 ? { fact: other } : how <= 2 ? d : t;
        const c: FactCondition = { fact, operator: op, value: op === "withinDays" ? { days, of: target } : target };
        return { all: [c] };
      });
    return fc.record({
      facts: fc.constant(facts),
      conditions: fc.array(cond, { minLength: 1, maxLength: 12 }),
      inputs: fc.array(fc.record({ at: dt, meta: fc.record({ at: dt, on: date }), on: date }), { minLength: 1, maxLength: 6 }),
      timezone: fc.constant(timezone),
    });
  });
}
