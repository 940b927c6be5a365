import { describe, expect, it } from "vitest";
import type { FactDef } from "../vocabulary/index.js";
import { catchJicengError } from "../testing/helpers.js";
import { buildFactIndex, checkFacts, normalizeCaseFacts, readFact, validateCaseFacts } from "./facts.js";

const L = { zh: "标签", en: "label" };
const FACTS: FactDef[] = [
  { name: "age", type: "integer", label: L, min: 0, max: 150 },
  { name: "level", type: "enum", label: L, values: [{ value: "red", label: L }, { value: "green", label: L }], local: true, note: L, default: "green" },
  { name: "risks.homicide", type: "boolean", label: L, default: false },
  { name: "risks.suicide", type: "boolean", label: L },
  { name: "reportedOn", type: "date", label: L },
  { name: "reportedAt", type: "datetime", label: L },
  { name: "tags", type: "string-list", label: L, default: [] },
  { name: "kinds", type: "enum-list", label: L, values: [{ value: "a", label: L }, { value: "b", label: L }], local: true, note: L },
];
const index = buildFactIndex(FACTS);


describe("buildFactIndex / checkFacts", () => {
  it("pre-splits dotted names", () => {
    expect(index.get("risks.homicide")?.segments).toEqual(["risks", "homicide"]);
  });

  it("rejects unsafe names, duplicates, nesting inside a value, bad defaults and ranges", () => {
    const bad: FactDef[] = [
      { name: "__proto__.x", type: "boolean", label: L },
      { name: "a.constructor", type: "boolean", label: L },
      { name: "age", type: "integer", label: L },
      { name: "age", type: "integer", label: L },
      { name: "age.years", type: "integer", label: L },
      { name: "when", type: "date", label: L, default: "2022-02-30" },
      { name: "at", type: "datetime", label: L, default: "2022-06-20T08:00:00" },
      { name: "n", type: "number", label: L, min: 5, max: 1 },
      { name: "s", type: "string", label: L, min: 1 },
      { name: "e", type: "enum", label: L, values: [{ value: "x", label: L }, { value: "x", label: L }], local: true, note: L, default: "y" },
    ];
    expect(checkFacts(bad).map((i) => [i.code, i.path.join("/")])).toEqual([
      ["UNSAFE_PATH", "facts/0/name"],
      ["UNSAFE_PATH", "facts/1/name"],
      ["DUPLICATE_ID", "facts/3/name"],
      ["VALUE_TYPE_MISMATCH", "facts/5/default"],
      ["VALUE_TYPE_MISMATCH", "facts/6/default"],
      ["SCHEMA", "facts/7/min"],
      ["SCHEMA", "facts/8/min"],
      ["DUPLICATE_ID", "facts/9/values/1/value"],
      ["VALUE_TYPE_MISMATCH", "facts/9/default"],
      ["SCHEMA", "facts/4/name"],
    ]);
    expect(() => buildFactIndex(bad)).toThrow(/UNSAFE_PATH/);
  });
});

describe("readFact", () => {
  it("reads nested facts, applies defaults, and never reads inherited or array properties", () => {
    expect(readFact(index, { risks: { homicide: true } }, "risks.homicide")).toBe(true);
    expect(readFact(index, {}, "risks.homicide")).toBe(false);
    expect(readFact(index, { risks: Object.create({ homicide: true }) as object }, "risks.homicide")).toBe(false);
    expect(readFact(index, JSON.parse('{"__proto__": {"homicide": true}}') as object, "risks.homicide")).toBe(false);
    const toString = buildFactIndex([{ name: "toString", type: "string", label: L, default: "d" }]);
    expect(readFact(toString, {}, "toString")).toBe("d");
    const length = buildFactIndex([{ name: "list.length", type: "integer", label: L, default: -1 }]);
    expect(readFact(length, { list: [1, 2] }, "list.length")).toBe(-1);
  });

  it("throws MISSING_FACT with path [facts, name] and zh + en messages", () => {
    const e = catchJicengError(() => readFact(index, { risks: {} }, "risks.suicide"));
    expect(e.code).toBe("MISSING_FACT");
    expect(e.issues[0]?.path).toEqual(["facts", "risks.suicide"]);
    expect(e.issues[0]?.message.zh).toContain("没有默认值");
    expect(e.issues[0]?.message.en).toContain("no default");
  });

  it("throws INVALID_FACT for values of the wrong type, including null", () => {
    for (const [name, value] of [
      ["age", 1.5],
      ["age", 200],
      ["age", "3"],
      ["level", "purple"],
      ["reportedOn", "2022-6-1"],
      ["reportedOn", "2022-02-30"],
      ["reportedAt", "2022-06-20T08:00:00"],
      ["reportedAt", "2022-06-20T08:00:00z"],
      ["tags", ["a", 1]],
      ["kinds", ["a", "c"]],
      ["risks.suicide", null],
    ] as const) {
      const segs = name.split(".");
      const input = segs.length === 1 ? { [name]: value } : { [segs[0] as string]: { [segs[1] as string]: value } };
      const e = catchJicengError(() => readFact(index, input, name));
      expect(e.code, `${name} = ${JSON.stringify(value)}`).toBe("INVALID_FACT");
    }
    expect(catchJicengError(() => readFact(index, { "risks": { suicide: null } }, "risks.suicide")).issues[0]?.message.en).toContain("omit the field");
  });

  it("throws UNKNOWN_FACT for an undeclared name", () => {
    expect(catchJicengError(() => readFact(index, {}, "nope")).code).toBe("UNKNOWN_FACT");
  });
});

describe("validateCaseFacts", () => {
  it("reports each bad value at its JSON path, and unknown fields as warnings", () => {
    const issues = validateCaseFacts(
      index,
      { age: -1, level: "purple", risks: { homicide: "yes", sucide: true }, reportedOn: "20220620", reportedAt: "2022-06-20 08:00", tags: ["x"], extra: 1 },
      ["case", "facts"],
    );
    expect(issues.map((i) => [i.code, i.severity, i.path.join("/")])).toEqual([
      ["INVALID_FACT", "error", "case/facts/age"],
      ["INVALID_FACT", "error", "case/facts/level"],
      ["INVALID_FACT", "error", "case/facts/risks/homicide"],
      ["INVALID_CASE", "warning", "case/facts/risks/sucide"],
      ["INVALID_FACT", "error", "case/facts/reportedOn"],
      ["INVALID_FACT", "error", "case/facts/reportedAt"],
      ["INVALID_CASE", "warning", "case/facts/extra"],
    ]);
    expect(issues[1]?.message.en).toContain("one of: red, green");
  });

  it("reports a non-object where dotted facts expect one, and a non-object case", () => {
    expect(validateCaseFacts(index, { risks: true }).map((i) => [i.code, i.path.join("/")])).toEqual([["INVALID_FACT", "risks"]]);
    expect(validateCaseFacts(index, [1], ["case"]).map((i) => i.code)).toEqual(["INVALID_CASE"]);
  });

  it("accepts a valid case, missing facts included", () => {
    expect(validateCaseFacts(index, { age: 3, reportedAt: "2022-06-20T08:00:00.5+08:00", kinds: [] })).toEqual([]);
  });
});

describe("normalizeCaseFacts", () => {
  it("fills defaults without changing the input", () => {
    const input = { risks: { suicide: true }, age: 3 };
    const out = normalizeCaseFacts(index, input);
    expect(out).toEqual({ risks: { suicide: true, homicide: false }, age: 3, level: "green", tags: [] });
    expect(input).toEqual({ risks: { suicide: true }, age: 3 });
    expect(normalizeCaseFacts(index, { level: "red" })["level"]).toBe("red");
  });
});
