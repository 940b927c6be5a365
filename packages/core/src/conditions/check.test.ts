import { describe, expect, it } from "vitest";
import type { JicengIssue } from "../errors/index.js";
import type { Condition, FactDef } from "../vocabulary/index.js";
import { checkCondition, checkNamedConditions, CONDITION_LIMITS, type CheckContext } from "./check.js";
import { buildFactIndex } from "./facts.js";

const L = { zh: "标签", en: "label" };
const FACTS: FactDef[] = [
  { name: "age", type: "integer", label: L },
  { name: "score", type: "number", label: L },
  { name: "name", type: "string", label: L },
  { name: "level", type: "enum", label: L, values: [{ value: "red", label: L }, { value: "yellow", label: L }, { value: "green", label: L }], local: true, note: L },
  { name: "tags", type: "string-list", label: L },
  { name: "risks.homicide", type: "boolean", label: L },
  { name: "reportedOn", type: "date", label: L },
  { name: "reportedAt", type: "datetime", label: L },
];
const facts = buildFactIndex(FACTS);
const ctx = (named: Record<string, Condition> = {}, extra: Partial<CheckContext> = {}): CheckContext => ({ facts, named, ...extra });

/** Code and path of each issue, as a readable list. */
const brief = (issues: JicengIssue[]) => issues.map((i) => [i.code, i.path.join("/")]);

describe("checkCondition", () => {
  it("reports every issue of a broken condition, each at its JSON path, with zh and en messages", () => {
    const broken = {
      all: [
        { fact: "agee", operator: "greaterThan", value: 3 }, // unknown fact
        { fact: "age", operator: "greaterThen", value: 3 }, // unknown operator
        { fact: "reportedOn", operator: "lessThan", value: "2022-01-01" }, // operator does not fit a date
        { fact: "age", operator: "greaterThan", value: "3" }, // value of the wrong type
        { fact: "level", operator: "equal", value: "redd" }, // not in the enum
        { fact: "level", operator: "in", value: ["red", "purple", 3] }, // list items checked one by one
        { fact: "risks", path: "$..homicide", operator: "equal", value: true }, // recursive descent
        { fact: "risks", path: "$[?(@.homicide)]", operator: "equal", value: true }, // JSONPath filter
        { any: [{ condition: "isSerius" }] }, // unknown named condition
        { fact: "age", operator: "equal" }, // no value
        { fact: "age", operator: "equal", value: { fact: "nmae" } }, // unknown referenced fact
        { fact: "name", operator: "equal", value: 1, vlaue: 2 }, // unknown key, and wrong type
        { any: [] }, // json-rules-engine treats an empty any as true
      ],
    };
    const issues = checkCondition(broken, ctx({ isSerious: { fact: "risks.homicide", operator: "equal", value: true } }), ["grading", "rules", 0, "conditions"]);
    const at = (i: number, ...rest: (string | number)[]) => ["grading", "rules", 0, "conditions", "all", i, ...rest].join("/");
    expect(brief(issues)).toEqual([
      ["UNKNOWN_FACT", at(0, "fact")],
      ["UNKNOWN_OPERATOR", at(1, "operator")],
      ["OPERATOR_TYPE_MISMATCH", at(2, "operator")],
      ["VALUE_TYPE_MISMATCH", at(3, "value")],
      ["VALUE_NOT_IN_ENUM", at(4, "value")],
      ["VALUE_NOT_IN_ENUM", at(5, "value", 1)],
      ["VALUE_TYPE_MISMATCH", at(5, "value", 2)],
      ["UNSAFE_PATH", at(6, "path")],
      ["UNSAFE_PATH", at(7, "path")],
      ["UNKNOWN_CONDITION", at(8, "any", 0, "condition")],
      ["VALUE_TYPE_MISMATCH", at(9, "value")],
      ["UNKNOWN_FACT", at(10, "value", "fact")],
      ["SCHEMA", at(11, "vlaue")],
      ["VALUE_TYPE_MISMATCH", at(11, "value")],
      ["SCHEMA", at(12, "any")],
    ]);
    for (const i of issues) {
      expect(i.message.zh.length).toBeGreaterThan(0);
      expect(i.message.en.length).toBeGreaterThan(0);
      expect(i.severity).toBe("error");
    }
    const byPath = (p: string) => issues.find((i) => i.path.join("/") === p);
    expect(byPath(at(0, "fact"))?.message.en).toContain('did you mean "age"?');
    expect(byPath(at(0, "fact"))?.message.zh).toContain("是否为“age”");
    expect(byPath(at(1, "operator"))?.message.en).toContain('did you mean "greaterThan"?');
    expect(byPath(at(2, "operator"))?.message.en).toContain("before");
    expect(byPath(at(4, "value"))?.message.en).toContain('did you mean "red"?');
    expect(byPath(at(8, "any", 0, "condition"))?.message.en).toContain('did you mean "isSerious"?');
    expect(byPath(at(10, "value", "fact"))?.message.en).toContain('did you mean "name"?');
    expect(byPath(at(11, "vlaue"))?.message.en).toContain('did you mean "value"?');
  });

  it("accepts a well-formed condition, with references, paths and every operator family", () => {
    const ok: Condition = {
      all: [
        { fact: "risks", path: "$.homicide", operator: "equal", value: true },
        { fact: "age", operator: "greaterThanInclusive", value: { fact: "score" } },
        { fact: "level", operator: "in", value: ["red", "yellow"] },
        { fact: "name", operator: "in", value: { fact: "tags" } },
        { fact: "tags", operator: "contains", value: { fact: "level" } },
        { fact: "reportedAt", operator: "onOrAfter", value: "2022-06-20" },
        { fact: "reportedOn", operator: "withinDays", value: { days: 3, of: { fact: "reportedOn" } } },
        { not: { condition: "serious" } },
      ],
    };
    expect(checkCondition(ok, ctx({ serious: { fact: "risks.homicide", operator: "equal", value: true } }))).toEqual([]);
  });

  it("refuses every unsafe path form", () => {
    const paths = ["$..a", "$.*", "$[0]", "$['homicide']", "$[?(@.x)]", "$.a(1)", "@.a", "$.__proto__", "$.constructor", "$.a.prototype", "", "$$.a"];
    for (const path of paths) {
      const issues = checkCondition({ all: [{ fact: "risks", path, operator: "equal", value: true }] }, ctx());
      expect(brief(issues), path).toEqual([["UNSAFE_PATH", "all/0/path"]]);
    }
    // a path that is safe but names an undeclared fact
    expect(brief(checkCondition({ all: [{ fact: "risks", path: "$.suicide", operator: "equal", value: true }] }, ctx()))).toEqual([["UNKNOWN_FACT", "all/0/fact"]]);
  });

  it("checks fact references: type kinds must match", () => {
    const issues = checkCondition(
      {
        all: [
          { fact: "age", operator: "equal", value: { fact: "name" } }, // number vs string
          { fact: "reportedAt", operator: "before", value: { fact: "reportedOn" } }, // datetime vs date
          { fact: "age", operator: "in", value: { fact: "tags" } }, // a number is never in a string list
          { fact: "age", operator: "equal", value: { fact: "score", extra: 1 } }, // unknown key in a reference
          { fact: "risks.homicide", operator: "equal", value: { fact: "risks", path: "$[0]" } }, // unsafe ref path
        ],
      },
      ctx(),
    );
    expect(brief(issues)).toEqual([
      ["VALUE_TYPE_MISMATCH", "all/0/value"],
      ["VALUE_TYPE_MISMATCH", "all/1/value"],
      ["VALUE_TYPE_MISMATCH", "all/2/value"],
      ["SCHEMA", "all/3/value/extra"],
      ["UNSAFE_PATH", "all/4/value/path"],
    ]);
  });

  it("checks withinDays values", () => {
    const issues = checkCondition(
      {
        all: [
          { fact: "reportedOn", operator: "withinDays", value: 3 },
          { fact: "reportedOn", operator: "withinDays", value: { days: -1, of: "2022-06-20" } },
          { fact: "reportedOn", operator: "withinDays", value: { days: 2.5, of: "2022-13-01" } },
          { fact: "reportedOn", operator: "withinDays", value: { days: 1 } },
          { fact: "reportedAt", operator: "withinDays", value: { days: 1, of: "2022-06-20T08:00:00" } }, // no offset
        ],
      },
      ctx(),
    );
    expect(brief(issues)).toEqual([
      ["VALUE_TYPE_MISMATCH", "all/0/value"],
      ["VALUE_TYPE_MISMATCH", "all/1/value/days"],
      ["VALUE_TYPE_MISMATCH", "all/2/value/days"],
      ["VALUE_TYPE_MISMATCH", "all/2/value/of"],
      ["VALUE_TYPE_MISMATCH", "all/3/value/of"],
      ["VALUE_TYPE_MISMATCH", "all/4/value/of"],
    ]);
  });

  it("rejects json-rules-engine operator decorators with a clear message", () => {
    const [i] = checkCondition({ all: [{ fact: "age", operator: "not:equal", value: 1 }] }, ctx());
    expect(i?.code).toBe("UNKNOWN_OPERATOR");
    expect(i?.message.en).toContain("decorators");
    expect(i?.message.en).toContain('did you mean "equal"?');
  });

  it("reports structural problems", () => {
    const issues = checkCondition({ all: [null, [], { all: [], any: [] }, { not: [] }, { all: {} }, {}, { fact: "age", operator: "equal", value: 1, priority: 0 }] }, ctx());
    expect(brief(issues)).toEqual([
      ["SCHEMA", "all/0"],
      ["SCHEMA", "all/1"],
      ["SCHEMA", "all/2"],
      ["SCHEMA", "all/3/not"],
      ["SCHEMA", "all/4/all"],
      ["SCHEMA", "all/5"],
      ["SCHEMA", "all/6/priority"],
    ]);
  });

  it("warns (not errors) on an empty all and on params", () => {
    const issues = checkCondition({ all: [{ all: [] }, { fact: "age", operator: "equal", value: 1, params: { x: 1 } }] }, ctx());
    expect(issues.map((i) => [i.code, i.severity, i.path.join("/")])).toEqual([
      ["SCHEMA", "warning", "all/0/all"],
      ["SCHEMA", "warning", "all/1/params"],
    ]);
  });

  it("finds cycles between named conditions, once per entry point", () => {
    const named: Record<string, Condition> = {
      a: { all: [{ condition: "b" }] },
      b: { any: [{ condition: "c" }, { fact: "age", operator: "equal", value: 1 }] },
      c: { not: { condition: "a" } },
      self: { all: [{ condition: "self" }] },
    };
    const issues = checkCondition({ all: [{ condition: "a" }, { condition: "a" }, { condition: "self" }] }, ctx(named));
    expect(brief(issues)).toEqual([
      ["CONDITION_CYCLE", "all/0/condition"],
      ["CONDITION_CYCLE", "all/2/condition"],
    ]);
    expect(issues[0]?.message.en).toContain("a → b → c → a");
    const all = checkNamedConditions(ctx(named));
    expect(brief(all)).toEqual([
      ["CONDITION_CYCLE", "conditions/a/all/0/condition"],
      ["CONDITION_CYCLE", "conditions/b/any/0/condition"],
      ["CONDITION_CYCLE", "conditions/c/not/condition"],
      ["CONDITION_CYCLE", "conditions/self/all/0/condition"],
    ]);
  });

  it("does not resolve inherited names as named conditions", () => {
    expect(brief(checkCondition({ all: [{ condition: "constructor" }, { condition: "toString" }] }, ctx()))).toEqual([
      ["UNKNOWN_CONDITION", "all/0/condition"],
      ["UNKNOWN_CONDITION", "all/1/condition"],
    ]);
  });
});

describe("checkCondition limits", () => {
  const leaf = { fact: "age", operator: "equal", value: 1 };

  it(`limits depth to ${CONDITION_LIMITS.maxDepth}`, () => {
    let deep: Condition = leaf as Condition;
    for (let i = 0; i < 20; i++) deep = { not: deep };
    const issues = checkCondition(deep, ctx());
    expect(brief(issues)).toEqual([["LIMIT_EXCEEDED", Array(16).fill("not").join("/")]]);
    let ok: Condition = leaf as Condition;
    for (let i = 0; i < 15; i++) ok = { not: ok };
    expect(checkCondition(ok, ctx())).toEqual([]);
  });

  it(`limits nodes to ${CONDITION_LIMITS.maxNodes} per condition`, () => {
    const big = { any: Array.from({ length: 1000 }, () => leaf) };
    expect(brief(checkCondition(big, ctx()))).toEqual([["LIMIT_EXCEEDED", "any/999"]]);
    expect(checkCondition({ any: Array.from({ length: 999 }, () => leaf) }, ctx())).toEqual([]);
  });

  it("limits nodes and depth once named conditions are expanded (no exponential blow-up)", () => {
    // c0 = leaf; c(i) = any[c(i-1), c(i-1)]: each small, together 2^20 evaluations.
    const named: Record<string, Condition> = { c0: { all: [leaf as Condition] } };
    for (let i = 1; i <= 20; i++) named[`c${i}`] = { any: [{ condition: `c${i - 1}` }, { condition: `c${i - 1}` }] };
    const issues = checkCondition({ all: [{ condition: "c20" }] }, ctx(named));
    expect(issues.map((i) => i.code)).toEqual(["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]);
    expect(issues[0]?.message.en).toContain("named conditions expanded");
  });

  it("limits list length and accepts custom limits", () => {
    const issues = checkCondition({ all: [{ fact: "age", operator: "in", value: [1, 2, 3, 4] }] }, ctx({}, { limits: { maxListLength: 3 } }));
    expect(brief(issues)).toEqual([["LIMIT_EXCEEDED", "all/0/value"]]);
  });
});
