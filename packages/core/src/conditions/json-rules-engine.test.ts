import { Engine } from "json-rules-engine";
import { describe, expect, it } from "vitest";
import { isJicengError } from "../errors/index.js";
import { RulePackSchema, type RulePack, type RulePackInput } from "../pack/schema.js";
import { createConditionCompiler } from "./compile.js";
import { buildFactIndex } from "./facts.js";
import { CASE_FACT, conditionToJsonRulesEngine, createJsonRulesEngine, safePathResolver, toJsonRulesEngine } from "./json-rules-engine.js";

const L = (zh: string, en: string) => ({ zh, en });
const local = { local: true as const, note: L("测试", "test") };

const PACK_INPUT: RulePackInput = {
  id: "test-pack",
  version: "1.0.0",
  name: L("测试", "Test"),
  source: { documents: [{ id: "doc", title: L("文件", "Document") }] },
  facts: [
    { name: "risks.homicide", type: "boolean", label: L("命案风险", "Homicide risk"), default: false },
    { name: "risks.suicide", type: "boolean", label: L("自杀风险", "Suicide risk"), default: false },
    { name: "people", type: "integer", label: L("涉及人数", "People involved") },
    { name: "kind", type: "enum", label: L("类型", "Kind"), values: [{ value: "land", label: L("土地", "Land") }, { value: "family", label: L("家庭", "Family") }], ...local },
    { name: "reportedAt", type: "datetime", label: L("上报时间", "Reported at") },
    { name: "firstVisitAt", type: "datetime", label: L("首访时间", "First visit at") },
  ],
  conditions: {
    lifeRisk: { any: [{ fact: "risks", path: "$.homicide", operator: "equal", value: true }, { fact: "risks.suicide", operator: "equal", value: true }] },
    crowd: { fact: "people", operator: "greaterThanInclusive", value: 5 },
  },
  levels: [
    { id: "red", rank: 3, label: L("红", "Red"), colour: "red", deadline: { amount: 3, ...local }, ...local },
    { id: "yellow", rank: 2, label: L("黄", "Yellow"), colour: "yellow", deadline: { amount: 7, ...local }, ...local },
    { id: "green", rank: 1, label: L("绿", "Green"), colour: "green", deadline: { amount: 15, ...local }, ...local },
  ],
  grading: {
    default: { level: "green", ...local },
    rules: [
      { id: "life", level: "red", priority: 10, conditions: { condition: "lifeRisk" }, ...local },
      { id: "crowd", level: "yellow", conditions: { all: [{ condition: "crowd" }, { fact: "kind", operator: "in", value: ["land"] }] }, ...local },
      { id: "slow", level: "yellow", priority: 1, conditions: { all: [{ fact: "firstVisitAt", operator: "after", value: "2022-06-20" }, { not: { fact: "firstVisitAt", operator: "withinDays", value: { days: 1, of: { fact: "reportedAt" } } } }] }, ...local },
    ],
  },
};
const pack: RulePack = RulePackSchema.parse(PACK_INPUT);

async function fired(engine: Engine, input: Record<string, unknown>): Promise<string[]> {
  const { events } = await engine.run(input);
  return events.map((e) => e.params?.["ruleId"] as string).sort();
}

const CASES: Array<Record<string, unknown>> = [
  { people: 2, kind: "family", reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-20T10:00:00+08:00" },
  { risks: { homicide: true }, people: 6, kind: "land", reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-20T10:00:00+08:00" },
  { risks: { suicide: true }, people: 1, kind: "land", reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-22T10:00:00+08:00" },
  { people: 5, kind: "land", reportedAt: "2022-06-19T08:00:00+08:00", firstVisitAt: "2022-06-20T23:00:00Z" },
];

describe("toJsonRulesEngine", () => {
  it("grades like the compiled conditions, with events { type: grade, params: { level, ruleId } }", async () => {
    const engine = toJsonRulesEngine(pack);
    const compiler = createConditionCompiler({ facts: buildFactIndex(pack.facts), named: pack.conditions, timeZone: pack.timezone });
    const compiled = pack.grading.rules.map((r) => ({ id: r.id, c: compiler.compile(r.conditions) }));
    const expected = [[], ["crowd", "life"], ["life", "slow"], ["crowd", "slow"]];
    for (const [i, input] of CASES.entries()) {
      const ours = compiled.filter((r) => r.c.test(input)).map((r) => r.id).sort();
      expect(ours, `case ${i}`).toEqual(expected[i]);
      expect(await fired(engine, input), `case ${i}`).toEqual(ours);
    }
    const { events } = await engine.run(CASES[1] as Record<string, unknown>);
    expect(events).toContainEqual({ type: "grade", params: { level: "red", ruleId: "life" } });
  });

  it("maps priorities to priority + 1 (json-rules-engine reads 0 as 1)", () => {
    const engine = toJsonRulesEngine(pack) as unknown as { rules: Array<{ name: string; priority: number }> };
    expect(engine.rules.map((r) => [r.name, r.priority])).toEqual([
      ["life", 11],
      ["crowd", 1],
      ["slow", 2],
    ]);
  });

  it("reads missing facts like the compiler: the default, or MISSING_FACT", async () => {
    const engine = toJsonRulesEngine(pack);
    // risks.* default to false; people has no default and the crowd rule needs it
    const err = await engine.run({ kind: "land", reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-20T09:00:00+08:00" }).catch((e: unknown) => e);
    expect(isJicengError(err)).toBe(true);
    expect((err as { code: string }).code).toBe("MISSING_FACT");
    expect((err as { issues: Array<{ path: unknown }> }).issues[0]?.path).toEqual(["facts", "people"]);
  });

  it("throws INVALID_FACT for a value of the wrong type, even a top-level one", async () => {
    const err = await toJsonRulesEngine(pack)
      .run({ ...CASES[0], people: "6" })
      .catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("INVALID_FACT");
  });

  it("passes other top-level keys through as runtime facts, for the app's own rules", async () => {
    const engine = toJsonRulesEngine(pack);
    engine.addRule({ name: "app", conditions: { all: [{ fact: "channel", operator: "equal", value: "hotline" }] }, event: { type: "app" } });
    const { events } = await engine.run({ ...CASES[0], channel: "hotline" });
    expect(events.map((e) => e.type)).toEqual(["app"]);
  });

  it("refuses a pack with broken conditions, listing every issue", () => {
    const broken: RulePack = {
      ...pack,
      conditions: { ...pack.conditions, bad: { fact: "peple", operator: "equal", value: 1 } },
      grading: { ...pack.grading, rules: [{ ...pack.grading.rules[0]!, conditions: { all: [{ fact: "people", operator: "before", value: 1 }] } }] },
    };
    try {
      toJsonRulesEngine(broken);
      expect.unreachable();
    } catch (e) {
      expect(isJicengError(e)).toBe(true);
      expect((e as { issues: Array<{ code: string; path: unknown }> }).issues.map((i) => [i.code, i.path])).toEqual([
        ["UNKNOWN_FACT", ["conditions", "bad", "fact"]],
        ["OPERATOR_TYPE_MISMATCH", ["grading", "rules", 0, "conditions", "all", 0, "operator"]],
      ]);
    }
  });
});

describe("conditionToJsonRulesEngine", () => {
  it("folds paths into declared fact names, drops params, rewrites withinDays fact references", () => {
    expect(
      conditionToJsonRulesEngine({
        all: [
          { fact: "risks", path: "$.homicide", operator: "equal", value: true, params: { x: 1 } },
          { fact: "a", operator: "equal", value: { fact: "risks", path: "suicide" } },
          { fact: "t", operator: "withinDays", value: { days: 2, of: { fact: "u" } }, priority: 2 },
          { fact: "t", operator: "withinDays", value: { days: 2, of: "2022-06-20" } },
        ],
        name: "n",
      }),
    ).toEqual({
      name: "n",
      all: [
        { fact: "risks.homicide", operator: "equal", value: true },
        { fact: "a", operator: "equal", value: { fact: "risks.suicide" } },
        { fact: "t", operator: "withinDays", value: { fact: "u", params: { jicengWithinDays: 2 } }, priority: 2 },
        { fact: "t", operator: "withinDays", value: { days: 2, of: "2022-06-20" } },
      ],
    });
  });

  it("withinDays with a fact reference works inside json-rules-engine", async () => {
    const engine = createJsonRulesEngine({
      facts: pack.facts,
      rules: [{ id: "near", level: "x", conditions: { all: [{ fact: "firstVisitAt", operator: "withinDays", value: { days: 1, of: { fact: "reportedAt" } } }] } }],
    });
    expect(await fired(engine, { reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-21T08:00:00+08:00" })).toEqual(["near"]);
    expect(await fired(engine, { reportedAt: "2022-06-20T08:00:00+08:00", firstVisitAt: "2022-06-21T08:00:01+08:00" })).toEqual([]);
  });
});

describe("safePathResolver", () => {
  it("reads own properties of plain objects along $.a.b or a.b", () => {
    expect(safePathResolver({ a: { b: 1 } }, "$.a.b")).toBe(1);
    expect(safePathResolver({ a: { b: 1 } }, "a.b")).toBe(1);
    expect(safePathResolver({ a: { b: 1 } }, "$.a.c")).toBeUndefined();
    expect(safePathResolver({ a: Object.create({ b: 1 }) as object }, "$.a.b")).toBeUndefined();
    expect(safePathResolver({ a: [1, 2] }, "$.a.length")).toBeUndefined();
  });

  it("throws UNSAFE_PATH for filters, scripts, wildcards, recursive descent, brackets and prototype names", () => {
    for (const path of ["$..b", "$.*", "$[0]", "$[?(@.b)]", "$.a[(@.length-1)]", "$.__proto__", "$.constructor.name"]) {
      expect(() => safePathResolver({ a: { b: 1 } }, path), path).toThrow(/UNSAFE_PATH/);
    }
  });

  it("is the engine's path resolver, for the app's own facts", async () => {
    const engine = createJsonRulesEngine({ facts: pack.facts });
    engine.addRule({ conditions: { all: [{ fact: "app", path: "$[?(@.x)]", operator: "equal", value: 1 }] }, event: { type: "x" } });
    await expect(engine.run({ app: { x: 1 } })).rejects.toThrow(/UNSAFE_PATH/);
  });

  it(`passes the case as ${CASE_FACT}`, async () => {
    const engine = createJsonRulesEngine({ facts: pack.facts });
    const { almanac } = await engine.run({ people: 1 });
    expect(await almanac.factValue(CASE_FACT)).toEqual({ people: 1 });
  });
});

// Canaries: json-rules-engine 7.3 behaviour the bridge works around. If one of these starts
// failing after an upgrade, revisit the workaround named in the test.
describe("json-rules-engine behaviour the bridge guards against", () => {
  const fires = async (conditions: object, facts: Record<string, unknown>) => {
    const e = new Engine();
    e.addRule({ conditions: conditions as never, event: { type: "x" } });
    return (await e.run(facts)).events.length === 1;
  };

  it("an empty any holds (so checkCondition rejects an empty any)", async () => {
    expect(await fires({ any: [] }, {})).toBe(true);
  });

  it("a path on a non-object fact returns the fact itself, issue #285 (so paths are folded into fact names)", async () => {
    expect(await fires({ all: [{ fact: "body", path: "$.amount", operator: "equal", value: "123" }] }, { body: "123" })).toBe(true);
  });

  it("in with a string value is a substring test (so in needs a list)", async () => {
    expect(await fires({ all: [{ fact: "s", operator: "in", value: "abc" }] }, { s: "b" })).toBe(true);
  });

  it("equal compares datetimes as strings (so datetimes use before / after / onOr*)", async () => {
    expect(await fires({ all: [{ fact: "t", operator: "equal", value: "2022-06-20T00:00:00Z" }] }, { t: "2022-06-20T08:00:00+08:00" })).toBe(false);
  });

  it("a dotted fact name is not a path into the case (so declared facts are registered by name)", async () => {
    await expect(fires({ all: [{ fact: "risks.homicide", operator: "equal", value: true }] }, { risks: { homicide: true } })).rejects.toThrow(/Undefined fact/);
  });

  it("setCondition refuses a fact condition as root (so it is wrapped in all)", () => {
    expect(() => new Engine().setCondition("c", { fact: "a", operator: "equal", value: 1 } as never)).toThrow(/root must contain/);
  });
});
