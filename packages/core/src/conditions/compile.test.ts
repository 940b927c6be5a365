import { describe, expect, it } from "vitest";
import type { Condition, FactDef } from "../vocabulary/index.js";
import { catchJicengError } from "../testing/helpers.js";
import { compileCondition, createConditionCompiler, type CompileContext } from "./compile.js";
import { buildFactIndex } from "./facts.js";
import { compareTemporal, isWithinDays } from "./operators.js";
import { formatDay, parseIsoDate, parseIsoDateTime, zoneDay, zoneStartOfDay } from "./time.js";

const L = { zh: "标签", en: "label" };
const FACTS: FactDef[] = [
  { name: "age", type: "integer", label: L },
  { name: "score", type: "number", label: L, default: 0 },
  { name: "name", type: "string", label: L, default: "" },
  { name: "level", type: "enum", label: L, values: ["red", "orange", "yellow", "green"].map((value) => ({ value, label: L })), local: true, note: L, default: "green" },
  { name: "tags", type: "string-list", label: L, default: [] },
  { name: "risks.homicide", type: "boolean", label: L, default: false },
  { name: "risks.suicide", type: "boolean", label: L },
  { name: "reportedOn", type: "date", label: L },
  { name: "reportedAt", type: "datetime", label: L },
  { name: "dueAt", type: "datetime", label: L },
];
const facts = buildFactIndex(FACTS);
const ctx = (named: Record<string, Condition> = {}, timeZone?: string): CompileContext => (timeZone === undefined ? { facts, named } : { facts, named, timeZone });
const compile = (c: Condition, named: Record<string, Condition> = {}, timeZone?: string) => compileCondition(c, ctx(named, timeZone));
const one = (fact: string, operator: string, value: unknown, timeZone?: string) => compile({ all: [{ fact, operator, value }] }, {}, timeZone);


describe("json-rules-engine operators keep their semantics", () => {
  it("equal / notEqual are === and !==", () => {
    expect(one("age", "equal", 3).test({ age: 3 })).toBe(true);
    expect(one("age", "equal", 3).test({ age: 4 })).toBe(false);
    expect(one("score", "notEqual", 0).test({ score: -0 })).toBe(false);
    expect(one("level", "equal", "red").test({ level: "red" })).toBe(true);
    expect(one("reportedOn", "equal", "2022-06-20").test({ reportedOn: "2022-06-20" })).toBe(true);
  });

  it("ordering operators compare numbers", () => {
    const input = { age: 3 };
    expect(one("age", "lessThan", 3).test(input)).toBe(false);
    expect(one("age", "lessThanInclusive", 3).test(input)).toBe(true);
    expect(one("age", "greaterThan", 2.5).test(input)).toBe(true);
    expect(one("age", "greaterThanInclusive", 4).test(input)).toBe(false);
    expect(one("age", "greaterThan", { fact: "score" }).test({ age: 3, score: 2.9 })).toBe(true);
  });

  it("in / notIn use the list, short or long (Set), or a list fact", () => {
    expect(one("level", "in", ["red", "orange"]).test({ level: "red" })).toBe(true);
    expect(one("level", "notIn", ["red", "orange"]).test({ level: "red" })).toBe(false);
    const long = Array.from({ length: 50 }, (_, i) => i);
    expect(one("age", "in", long).test({ age: 49 })).toBe(true);
    expect(one("age", "in", long).test({ age: 50 })).toBe(false);
    expect(one("age", "notIn", long).test({ age: 50 })).toBe(true);
    expect(one("name", "in", { fact: "tags" }).test({ name: "a", tags: ["b", "a"] })).toBe(true);
    expect(one("name", "notIn", { fact: "tags" }).test({ name: "a", tags: [] })).toBe(true);
  });

  it("contains / doesNotContain look in a list fact", () => {
    expect(one("tags", "contains", "a").test({ tags: ["a"] })).toBe(true);
    expect(one("tags", "doesNotContain", "a").test({ tags: ["a"] })).toBe(false);
    expect(one("tags", "contains", { fact: "level" }).test({ tags: ["green"] })).toBe(true); // level's default
  });
});

describe("date and datetime operators", () => {
  it("compares datetimes as instants, not strings", () => {
    const a = "2022-06-20T08:00:00+08:00";
    const b = "2022-06-20T00:00:00Z";
    expect(compareTemporal(a, b, "UTC")).toBe(0);
    for (const op of ["onOrBefore", "onOrAfter"]) expect(one("reportedAt", op, b).test({ reportedAt: a })).toBe(true);
    for (const op of ["before", "after"]) expect(one("reportedAt", op, b).test({ reportedAt: a })).toBe(false);
    expect(one("reportedAt", "before", { fact: "dueAt" }).test({ reportedAt: "2022-06-20T09:00:00+08:00", dueAt: "2022-06-20T01:00:01Z" })).toBe(true);
  });

  it("compares a datetime with a date by its calendar day in the pack's time zone", () => {
    // 23:30 UTC on the 19th is 07:30 on the 20th in Beijing.
    const input = { reportedAt: "2022-06-19T23:30:00Z" };
    expect(one("reportedAt", "onOrAfter", "2022-06-20").test(input)).toBe(true); // Asia/Shanghai by default
    expect(one("reportedAt", "onOrAfter", "2022-06-20", "UTC").test(input)).toBe(false);
    expect(one("reportedAt", "onOrBefore", "2022-06-19", "UTC").test(input)).toBe(true);
    // the last millisecond of the 19th, and the first of the 20th, in Beijing
    expect(one("reportedAt", "before", "2022-06-20").test({ reportedAt: "2022-06-19T15:59:59.999Z" })).toBe(true);
    expect(one("reportedAt", "before", "2022-06-20").test({ reportedAt: "2022-06-19T16:00:00Z" })).toBe(false);
    // a date fact against a datetime constant: the day that instant falls on
    expect(one("reportedOn", "equal", "2022-06-20").test({ reportedOn: "2022-06-20" })).toBe(true);
    expect(one("reportedOn", "onOrAfter", "2022-06-19T16:00:00Z").test({ reportedOn: "2022-06-20" })).toBe(true);
    expect(one("reportedOn", "after", "2022-06-19T16:00:00Z").test({ reportedOn: "2022-06-20" })).toBe(false);
  });

  it("withinDays: N days either way, ends included; 24 h days between datetimes", () => {
    const within = (fact: string, value: unknown, input: object, tz?: string) => one(fact, "withinDays", value, tz).test(input);
    expect(within("reportedOn", { days: 3, of: "2022-06-20" }, { reportedOn: "2022-06-23" })).toBe(true);
    expect(within("reportedOn", { days: 3, of: "2022-06-20" }, { reportedOn: "2022-06-17" })).toBe(true);
    expect(within("reportedOn", { days: 3, of: "2022-06-20" }, { reportedOn: "2022-06-24" })).toBe(false);
    expect(within("reportedAt", { days: 1, of: "2022-06-20T08:00:00+08:00" }, { reportedAt: "2022-06-21T08:00:00+08:00" })).toBe(true);
    expect(within("reportedAt", { days: 1, of: "2022-06-20T08:00:00+08:00" }, { reportedAt: "2022-06-21T08:00:00.001+08:00" })).toBe(false);
    // datetime within 0 days of a date: any time on that day, in the pack's zone
    expect(within("reportedAt", { days: 0, of: "2022-06-20" }, { reportedAt: "2022-06-19T16:00:00Z" })).toBe(true);
    expect(within("reportedAt", { days: 0, of: "2022-06-20" }, { reportedAt: "2022-06-20T15:59:59.999Z" })).toBe(true);
    expect(within("reportedAt", { days: 0, of: "2022-06-20" }, { reportedAt: "2022-06-20T16:00:00Z" })).toBe(false);
    expect(within("reportedAt", { days: 1, of: { fact: "dueAt" } }, { reportedAt: "2022-06-20T00:00:00Z", dueAt: "2022-06-21T00:00:00Z" })).toBe(true);
    expect(isWithinDays("2022-06-21T23:59:59+08:00", "2022-06-20", 1, "Asia/Shanghai")).toBe(true);
  });

  it("handles DST days in zones that have them", () => {
    // New York, 2022-03-13: clocks jump from 02:00 to 03:00; the day starts at 05:00Z and the next at 04:00Z.
    expect(new Date(zoneStartOfDay(parseIsoDate("2022-03-13"), "America/New_York")).toISOString()).toBe("2022-03-13T05:00:00.000Z");
    expect(new Date(zoneStartOfDay(parseIsoDate("2022-03-14"), "America/New_York")).toISOString()).toBe("2022-03-14T04:00:00.000Z");
    expect(formatDay(zoneDay(Date.parse("2022-03-14T03:59:59.999Z"), "America/New_York"))).toBe("2022-03-13");
    expect(one("reportedAt", "onOrBefore", "2022-03-13", "America/New_York").test({ reportedAt: "2022-03-13T23:59:59-04:00" })).toBe(true);
    expect(one("reportedAt", "onOrBefore", "2022-03-13", "America/New_York").test({ reportedAt: "2022-03-14T00:00:00-04:00" })).toBe(false);
  });
});

describe("strict ISO parsing", () => {
  it("accepts real dates and datetimes with an offset only", () => {
    expect(formatDay(parseIsoDate("2024-02-29"))).toBe("2024-02-29");
    for (const bad of ["2023-02-29", "2022-02-30", "2022-6-1", "2022-06-20T00:00:00Z", "20220620", "0000-01-01"]) expect(parseIsoDate(bad), bad).toBeNaN();
    expect(parseIsoDateTime("2022-06-20T08:00+08:00")).toBe(Date.parse("2022-06-20T00:00:00Z"));
    expect(parseIsoDateTime("2022-06-20T08:00:00.123456789-05:30")).toBe(Date.parse("2022-06-20T13:30:00.123Z"));
    for (const bad of ["2022-06-20T08:00:00", "2022-06-20T08:00:00z", "2022-06-20 08:00:00Z", "2022-06-20T24:00:00Z", "2022-06-20T08:00:60Z", "2022-02-30T08:00:00Z", "2022-06-20T08:00:00+0800", "2022-06-20T08:00:00.Z"]) {
      expect(parseIsoDateTime(bad), bad).toBeNaN();
    }
  });
});

describe("missing and invalid facts are never silently false", () => {
  it("a missing fact takes its default", () => {
    const c = one("risks.homicide", "equal", false);
    expect(c.test({})).toBe(true);
    const t = c.explain({});
    expect(t.children?.[0]).toMatchObject({ kind: "fact", fact: "risks.homicide", factValue: false, usedDefault: true, result: true });
  });

  it("a missing fact without default throws MISSING_FACT, from test and from explain", () => {
    const c = one("risks.suicide", "equal", true);
    for (const run of [() => c.test({ risks: {} }), () => c.explain({ risks: {} })]) {
      const e = catchJicengError(run);
      expect(e.code).toBe("MISSING_FACT");
      expect(e.issues[0]?.path).toEqual(["facts", "risks.suicide"]);
      expect(e.issues[0]?.message.zh).toBeTruthy();
      expect(e.issues[0]?.message.en).toBeTruthy();
    }
  });

  it("a present fact of the wrong type throws INVALID_FACT", () => {
    expect(catchJicengError(() => one("age", "equal", 3).test({ age: "3" })).code).toBe("INVALID_FACT");
    expect(catchJicengError(() => one("reportedAt", "before", "2022-06-20").test({ reportedAt: "2022-06-20T08:00:00" })).code).toBe("INVALID_FACT");
    expect(catchJicengError(() => one("level", "in", ["red"]).test({ level: "purple" })).code).toBe("INVALID_FACT");
    expect(catchJicengError(() => one("tags", "contains", "a").test({ tags: "a" })).code).toBe("INVALID_FACT");
    expect(catchJicengError(() => one("age", "equal", 3).test({ age: null })).code).toBe("INVALID_FACT");
  });

  it("a referenced fact is read like any other", () => {
    expect(catchJicengError(() => one("reportedAt", "before", { fact: "dueAt" }).test({ reportedAt: "2022-06-20T08:00:00Z" })).issues[0]?.path).toEqual(["facts", "dueAt"]);
  });
});

describe("test short-circuits; explain evaluates everything and agrees", () => {
  const c = compile({ any: [{ fact: "age", operator: "greaterThan", value: 10 }, { fact: "risks.suicide", operator: "equal", value: true }] });

  it("test stops at the first deciding child, so a later missing fact is not needed", () => {
    expect(c.test({ age: 11 })).toBe(true);
    expect(catchJicengError(() => c.test({ age: 9 })).code).toBe("MISSING_FACT");
  });

  it("explain shows every child, marks the unneeded missing fact, and throws when test would", () => {
    const t = c.explain({ age: 11 });
    expect(t.result).toBe(true);
    expect(t.children?.map((x) => [x.result, x.error?.code])).toEqual([
      [true, undefined],
      [false, "MISSING_FACT"],
    ]);
    expect(catchJicengError(() => c.explain({ age: 9 })).code).toBe("MISSING_FACT");
  });

  it("higher priority children are evaluated first, as in json-rules-engine", () => {
    const p = compile({ all: [{ fact: "risks.suicide", operator: "equal", value: true }, { fact: "age", operator: "equal", value: 1, priority: 2 }] });
    expect(p.test({ age: 2 })).toBe(false); // the missing fact is never read
    expect(p.explain({ age: 2 }).result).toBe(false);
    expect(catchJicengError(() => p.test({ age: 1 })).code).toBe("MISSING_FACT");
  });
});

describe("explain", () => {
  it("returns the trace tree a policy officer reads", () => {
    const named: Record<string, Condition> = { serious: { any: [{ fact: "risks.homicide", operator: "equal", value: true }, { fact: "age", operator: "lessThan", value: 14 }] } };
    const c = compile({ all: [{ condition: "serious" }, { not: { fact: "level", operator: "in", value: ["green"] }, name: "not green" }, { fact: "age", operator: "lessThanInclusive", value: { fact: "score" } }] }, named);
    const input = { age: 12, level: "red", score: 12 };
    expect(c.test(input)).toBe(true);
    expect(c.explain(input)).toEqual({
      kind: "all",
      result: true,
      children: [
        {
          kind: "ref",
          name: "serious",
          result: true,
          children: [
            {
              kind: "any",
              result: true,
              children: [
                { kind: "fact", result: false, fact: "risks.homicide", operator: "equal", value: true, factValue: false, usedDefault: true },
                { kind: "fact", result: true, fact: "age", operator: "lessThan", value: 14, factValue: 12 },
              ],
            },
          ],
        },
        { kind: "not", name: "not green", result: true, children: [{ kind: "fact", result: false, fact: "level", operator: "in", value: ["green"], factValue: "red" }] },
        { kind: "fact", result: true, fact: "age", operator: "lessThanInclusive", value: 12, valueFact: "score", factValue: 12 },
      ],
    });
    expect(c.facts).toEqual(["age", "level", "risks.homicide", "score"]);
  });
});

describe("compiling", () => {
  it("throws one JicengError with every issue", () => {
    const e = catchJicengError(() => compile({ all: [{ fact: "agee", operator: "equal", value: 1 }, { fact: "age", operator: "before", value: 1 }, { condition: "nope" }] }));
    expect(e.issues.map((i) => i.code)).toEqual(["UNKNOWN_FACT", "OPERATOR_TYPE_MISMATCH", "UNKNOWN_CONDITION"]);
  });

  it("checks named conditions reachable from the condition, at their own paths", () => {
    const e = catchJicengError(() => compile({ all: [{ condition: "a" }] }, { a: { all: [{ fact: "x", operator: "equal", value: 1 }] } }));
    expect(e.issues.map((i) => i.path)).toEqual([["conditions", "a", "all", 0, "fact"]]);
  });

  it("refuses an unknown time zone", () => {
    expect(catchJicengError(() => compile({ all: [] }, {}, "Mars/Olympus")).issues[0]?.path).toEqual(["timezone"]);
  });

  it("compiles each named condition once per compiler", () => {
    const compiler = createConditionCompiler(ctx({ s: { fact: "age", operator: "equal", value: 1 } }));
    const a = compiler.compile({ all: [{ condition: "s" }] });
    const b = compiler.compile({ not: { condition: "s" } });
    expect(a.test({ age: 1 })).toBe(true);
    expect(b.test({ age: 1 })).toBe(false);
  });

  it("json-rules-engine's empty all holds", () => {
    expect(compile({ all: [] }).test({})).toBe(true);
  });
});
