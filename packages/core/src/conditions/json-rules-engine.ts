/**
 * `@jiceng/core/json-rules-engine`: hand a pack's conditions to a json-rules-engine `Engine`, for
 * apps that want its async dynamic facts and events. The only module that imports json-rules-engine.
 *
 * The engine sees exactly what the compiled evaluator sees: the same operators (jiceng's date
 * operators added with `addOperator`), the same named conditions (`setCondition`), each declared
 * fact registered by its full dotted name, reading the case through the same safe reader (own
 * properties only, defaults applied, MISSING_FACT / INVALID_FACT thrown), and a safe `pathResolver`.
 * @module @jiceng/core/json-rules-engine
 */
import { Engine, type Almanac, type EngineOptions, type EngineResult, type RuleProperties, type RunOptions, type TopLevelCondition as JreTopLevelCondition } from "json-rules-engine";
import { IssueCode, JicengError, issue, type IssuePath } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { Condition, FactDef, TopLevelCondition } from "../vocabulary/index.js";
import { checkCondition, checkNamedConditions, conditionKind } from "./check.js";
import { buildFactIndex, readFact, type FactIndex } from "./facts.js";
import { isFactRef, jsonRulesEngineOperators, type FactRef } from "./operators.js";
import { foldFactName, parseFactPath } from "./paths.js";
import { isValidTimeZone } from "./time.js";

/** The runtime fact under which {@link JicengJsonRulesEngine.run} passes the whole case. */
export const CASE_FACT = "jiceng:case";
/** Fact param that makes a declared fact return `{ days, of: value }` for `withinDays` (see below). */
export const WITHIN_DAYS_PARAM = "jicengWithinDays";

/** A json-rules-engine condition (its own JSON shape, which jiceng's conditions already are). */
export type JsonRulesEngineCondition = Record<string, unknown>;

function isObj(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === "object" && !Array.isArray(o);
}

/**
 * A json-rules-engine `pathResolver` for the safe subset: `$.a.b` or `a.b`, own properties of
 * plain objects only. JSONPath filters, scripts, wildcards and recursive descent throw UNSAFE_PATH.
 *
 * @example
 * new Engine([], { pathResolver: safePathResolver });
 * safePathResolver({ a: { b: 1 } }, "$.a.b"); // 1
 * @see https://github.com/CacheControl/json-rules-engine/blob/master/docs/rules.md (custom path resolver)
 */
export function safePathResolver(value: object, path: string): unknown {
  const p = parseFactPath(path);
  if (!p.ok) throw new JicengError(issue(IssueCode.UNSAFE_PATH, ["path"], p.problem.zh, p.problem.en));
  let o: unknown = value;
  for (const seg of p.segments) {
    if (!isObj(o) || !Object.hasOwn(o, seg)) return undefined;
    o = o[seg];
  }
  return o;
}

function refToJre(ref: FactRef, params?: Record<string, unknown>): Record<string, unknown> {
  const p = ref.path === undefined ? undefined : parseFactPath(ref.path);
  const out: Record<string, unknown> = { fact: foldFactName(ref.fact, p && p.ok ? p.segments : []) };
  if (params) out["params"] = params;
  return out;
}

/**
 * Translate a checked condition into the JSON json-rules-engine runs with jiceng's semantics:
 * `{ fact, path }` becomes the declared fact it names (`{ fact: "risks", path: "$.homicide" }` →
 * `{ fact: "risks.homicide" }`: json-rules-engine would return a non-object fact unchanged for any
 * path, issue #285), `params` are dropped (they do nothing for declared facts), and a `withinDays`
 * whose `of` is a fact reference becomes `value: { fact, params: { jicengWithinDays: N } }`, because
 * json-rules-engine resolves only a top-level `{ fact }` value and operators cannot see the almanac.
 *
 * @example
 * conditionToJsonRulesEngine({ all: [{ fact: "risks", path: "$.homicide", operator: "equal", value: true }] });
 * // → { all: [{ fact: "risks.homicide", operator: "equal", value: true }] }
 */
export function conditionToJsonRulesEngine(cond: Condition): JsonRulesEngineCondition {
  const c = cond as Record<string, unknown>;
  const kind = conditionKind(c);
  const out: Record<string, unknown> = {};
  if (typeof c["name"] === "string") out["name"] = c["name"];
  if (typeof c["priority"] === "number") out["priority"] = c["priority"];
  switch (kind) {
    case "all":
    case "any":
      out[kind] = (c[kind] as Condition[]).map(conditionToJsonRulesEngine);
      return out;
    case "not":
      out["not"] = conditionToJsonRulesEngine(c["not"] as Condition);
      return out;
    case "condition":
      out["condition"] = c["condition"];
      return out;
    case "fact": {
      const p = c["path"] === undefined ? undefined : parseFactPath(c["path"]);
      out["fact"] = foldFactName(c["fact"] as string, p && p.ok ? p.segments : []);
      out["operator"] = c["operator"];
      const value = c["value"];
      if (isFactRef(value)) {
        out["value"] = refToJre(value);
      } else if (c["operator"] === "withinDays" && isObj(value) && isFactRef(value["of"])) {
        out["value"] = refToJre(value["of"], { [WITHIN_DAYS_PARAM]: value["days"] });
      } else {
        out["value"] = value;
      }
      return out;
    }
    default:
      throw new JicengError(issue(IssueCode.SCHEMA, [], "无法转换的条件", "A condition that cannot be translated"));
  }
}

/** json-rules-engine's `setCondition` and rules need an all / any / not / condition root. */
function topLevel(cond: Condition): JreTopLevelCondition {
  const jre = conditionToJsonRulesEngine(cond);
  return (conditionKind(cond) === "fact" ? { all: [jre] } : jre) as unknown as JreTopLevelCondition;
}

/** A grading rule as the bridge needs it. */
export interface JsonRulesEngineRule {
  id: string;
  level: string;
  priority?: number | undefined;
  conditions: TopLevelCondition;
}

/** The parts of a pack the bridge uses; {@link toJsonRulesEngine} takes them from a whole pack. */
export interface JsonRulesEngineParts {
  facts: readonly FactDef[];
  conditions?: Readonly<Record<string, Condition>> | undefined;
  rules?: readonly JsonRulesEngineRule[] | undefined;
  /** IANA zone for comparing datetimes with dates. Default `Asia/Shanghai`. */
  timezone?: string | undefined;
}

/** Engine options; `pathResolver` is always {@link safePathResolver}. */
export type ToJsonRulesEngineOptions = Omit<EngineOptions, "pathResolver">;

/**
 * A json-rules-engine `Engine` whose `run(case)` passes the whole case as {@link CASE_FACT}, so
 * every declared fact (dotted names included) is read by jiceng's reader with its default. Other
 * top-level keys of the case still become runtime facts, for the app's own rules.
 */
export class JicengJsonRulesEngine extends Engine {
  readonly #declared: ReadonlySet<string>;

  constructor(declared: ReadonlySet<string>, options: EngineOptions) {
    super([], options);
    this.#declared = declared;
  }

  override run(facts: Record<string, unknown> = {}, runOptions?: RunOptions): Promise<EngineResult> {
    const runtime: Record<string, unknown> = {};
    if (isObj(facts)) {
      for (const key of Object.keys(facts)) if (!this.#declared.has(key) && key !== CASE_FACT) runtime[key] = facts[key];
    }
    runtime[CASE_FACT] = facts;
    return super.run(runtime, runOptions);
  }
}

function caseOf(almanac: Almanac): Promise<unknown> {
  return almanac.factValue(CASE_FACT).then(
    (v) => v,
    (e: unknown) => ((e as { code?: unknown })?.code === "UNDEFINED_FACT" ? undefined : Promise.reject(e)),
  );
}

function registerFacts(engine: Engine, index: FactIndex): void {
  for (const name of index.keys()) {
    engine.addFact(name, (params, almanac) =>
      caseOf(almanac).then((input) => {
        const value = readFact(index, input, name);
        const days = params?.[WITHIN_DAYS_PARAM];
        return days === undefined ? value : { days, of: value };
      }),
    );
  }
}

/**
 * Build a json-rules-engine `Engine` from facts, named conditions and rules. Everything is checked
 * first (a {@link JicengError} lists every issue); rule priorities map to `priority + 1` because
 * json-rules-engine needs priorities ≥ 1 and reads 0 as 1.
 *
 * @example
 * const engine = createJsonRulesEngine({ facts, rules: [{ id: "r1", level: "red", conditions: { all: [...] } }] });
 * const { events } = await engine.run({ risks: { homicide: true } });
 * @see toJsonRulesEngine
 */
export function createJsonRulesEngine(parts: JsonRulesEngineParts, options: ToJsonRulesEngineOptions = {}): JicengJsonRulesEngine {
  const index = buildFactIndex(parts.facts);
  const named = parts.conditions ?? {};
  const timeZone = parts.timezone ?? "Asia/Shanghai";
  const ctx = { facts: index, named };
  const issues = checkNamedConditions(ctx);
  const rulePath: IssuePath = ["grading", "rules"];
  (parts.rules ?? []).forEach((r, i) => issues.push(...checkCondition(r.conditions, ctx, [...rulePath, i, "conditions"])));
  if (!isValidTimeZone(timeZone)) issues.push(issue(IssueCode.SCHEMA, ["timezone"], `未知的时区“${timeZone}”`, `Unknown time zone "${timeZone}"`));
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new JicengError(errors);

  const declared = new Set(index.keys());
  const engine = new JicengJsonRulesEngine(declared, { ...options, pathResolver: safePathResolver });
  for (const op of jsonRulesEngineOperators(timeZone)) engine.addOperator(op.name, op.evaluate);
  registerFacts(engine, index);
  for (const name of Object.keys(named)) engine.setCondition(name, topLevel(named[name] as Condition));
  for (const r of parts.rules ?? []) {
    const rule: RuleProperties = {
      name: r.id,
      priority: (r.priority ?? 0) + 1,
      conditions: topLevel(r.conditions),
      event: { type: "grade", params: { level: r.level, ruleId: r.id } },
    };
    engine.addRule(rule);
  }
  return engine;
}

/**
 * A json-rules-engine `Engine` with the pack's grading rules (event `{ type: "grade", params:
 * { level, ruleId } }`), named conditions, jiceng's operators, declared facts and a safe path
 * resolver — the same rules the compiled evaluator runs, for apps that want json-rules-engine.
 *
 * @example
 * import { toJsonRulesEngine } from "@jiceng/core/json-rules-engine";
 * const engine = toJsonRulesEngine(pack);
 * const { events } = await engine.run(caseFacts);
 * events.map((e) => e.params?.level); // levels of the rules that held
 * @see DESIGN.md decision 8
 */
export function toJsonRulesEngine(pack: RulePack, options: ToJsonRulesEngineOptions = {}): JicengJsonRulesEngine {
  return createJsonRulesEngine({ facts: pack.facts, conditions: pack.conditions, rules: pack.grading.rules, timezone: pack.timezone }, options);
}
