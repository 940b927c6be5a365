// Decision tables: compileTable / evaluateTable, hit policies, defaults, derived facts, and the
// errors a policy officer can act on (code, JSON path, zh + en).
import { describe, expect, it } from "vitest";
import { buildFactIndex, checkTable, compileTable, createEngine, DERIVATIONS, evaluateTable, loadPack, safeLoadPack, type FactDef } from "../src/index.js";
import { catchJicengError } from "../src/testing/helpers.js";

const T = (s: string) => ({ zh: s, en: s });
const LOCAL = { local: true as const, note: T("test") };
const CITE = { cite: { doc: "d", clause: "§1" } };

const FACTS: FactDef[] = [
  { name: "age", type: "integer", label: { zh: "年龄", en: "Age" }, min: 0, max: 150 },
  { name: "member", type: "boolean", label: { zh: "党员", en: "Party member" } },
  { name: "kind", type: "enum", label: T("kind"), values: [{ value: "a", label: T("a") }, { value: "b", label: T("b") }], ...LOCAL },
  { name: "flag", type: "boolean", label: T("flag"), default: false },
];

const row = (id: string, when: object, result: Record<string, unknown> = { v: id }) => ({ id, when, result, ...LOCAL });
const age = (operator: string, value: number) => ({ fact: "age", operator, value });
const table = (hitPolicy: "first" | "unique" | "collect", rows: object[], extra: object = {}) => ({ label: T("t"), hitPolicy, facts: FACTS, rows, ...extra });

const ctx = { path: ["tables", "t"] };

/** The issues of the JicengError `fn` throws. */
const thrown = (fn: () => unknown) => catchJicengError(fn).issues;

describe("hit policies", () => {
  const rows = [row("minor", { all: [age("lessThan", 18)] }), row("adult", { all: [age("greaterThanInclusive", 18)] }), row("any-age", { all: [age("greaterThanInclusive", 0)] })];

  it("first: the first matching row decides; later matching rows are listed as alsoMatched", () => {
    const t = compileTable(table("first", rows), ctx);
    const r = t.evaluate({ age: 10 });
    expect(r.result).toEqual({ v: "minor" });
    expect(r.hits.map((h) => h.rowId)).toEqual(["minor"]);
    expect(r.alsoMatched.map((h) => h.rowId)).toEqual(["any-age"]);
    expect(r.hits[0]!.path).toEqual(["tables", "t", "rows", 0]);
    expect(r.hits[0]!.conditions.result).toBe(true);
    expect(r.hits[0]!.conditions.children?.[0]?.factValue).toBe(10);
    expect(r.usedDefault).toBe(false);
    expect(t.decide({ age: 10 })).toEqual({ v: "minor" });
    expect(t.decide({ age: 30 })).toEqual({ v: "adult" });
  });

  it("unique: one matching row is the result; two at run time is TABLE_OVERLAP naming both rows, zh + en", () => {
    const t = compileTable(table("unique", rows.slice(0, 2)), ctx);
    expect(t.evaluate({ age: 30 }).result).toEqual({ v: "adult" });
    const overlapping = compileTable(table("unique", rows), ctx);
    const issues = thrown(() => overlapping.evaluate({ age: 30 }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe("TABLE_OVERLAP");
    expect(issues[0]!.path).toEqual(["tables", "t", "rows"]);
    expect(issues[0]!.message.zh).toContain("adult、any-age");
    expect(issues[0]!.message.en).toContain("adult, any-age");
    expect(issues[0]!.message.en).toContain("$.tables.t.rows[1], $.tables.t.rows[2]");
    expect(thrown(() => overlapping.decide({ age: 30 }))[0]!.code).toBe("TABLE_OVERLAP");
  });

  it("collect: every matching row, in order; the result is the list of their results", () => {
    const t = compileTable(table("collect", rows), ctx);
    const r = t.evaluate({ age: 30 });
    expect(r.hits.map((h) => h.rowId)).toEqual(["adult", "any-age"]);
    expect(r.result).toEqual([{ v: "adult" }, { v: "any-age" }]);
    expect(t.decide({ age: 5 })).toEqual([{ v: "minor" }, { v: "any-age" }]);
  });

  it("no row and no default is NO_MATCH at the table's path; with a default, the default applies and says where it comes from", () => {
    const only = [row("senior", { all: [age("greaterThanInclusive", 65)] })];
    const issues = thrown(() => evaluateTable(table("first", only), { age: 30 }, ctx));
    expect(issues[0]).toMatchObject({ code: "NO_MATCH", path: ["tables", "t"] });
    expect(issues[0]!.message.zh).toContain("没有任何行命中");
    const withDefault = compileTable(table("first", only, { default: { result: { v: "other" }, label: T("other"), ...LOCAL } }), ctx);
    const r = withDefault.evaluate({ age: 30 });
    expect(r).toMatchObject({ usedDefault: true, result: { v: "other" }, hits: [], fallback: { path: ["tables", "t", "default"], local: true, note: T("test"), label: T("other") } });
    expect(withDefault.decide({ age: 30 })).toEqual({ v: "other" });
  });

  it("results are frozen: a caller cannot change the pack through them", () => {
    const t = compileTable(table("first", [row("x", { all: [age("greaterThanInclusive", 0)] }, { nested: { a: 1 } })]), ctx);
    const r = t.evaluate({ age: 1 }).result as { nested: { a: number } };
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.nested)).toBe(true);
  });
});

describe("a missing fact is never silently false", () => {
  const rows = [row("member", { all: [{ fact: "member", operator: "equal", value: true }] }), row("adult", { all: [age("greaterThanInclusive", 18)] })];

  it("a missing fact the decision needs is MISSING_FACT with its path", () => {
    const t = compileTable(table("first", rows), ctx);
    expect(thrown(() => t.evaluate({ age: 30 }))[0]).toMatchObject({ code: "MISSING_FACT", path: ["facts", "member"] });
    expect(thrown(() => t.decide({ age: 30 }))[0]).toMatchObject({ code: "MISSING_FACT" });
  });

  it("first: a fact only later rows read is not needed once an earlier row holds", () => {
    const t = compileTable(table("first", rows), ctx);
    const r = t.evaluate({ member: true });
    expect(r.result).toEqual({ v: "member" });
    expect(r.alsoMatched).toEqual([]);
  });

  it("unique and collect read every row, so every fact is needed", () => {
    expect(thrown(() => compileTable(table("collect", rows), ctx).evaluate({ member: true }))[0]).toMatchObject({ code: "MISSING_FACT", path: ["facts", "age"] });
  });

  it("a declared default is used (and shown in the trace); a wrong type is INVALID_FACT", () => {
    const t = compileTable(table("first", [row("flagged", { all: [{ fact: "flag", operator: "equal", value: false }] })]), ctx);
    const r = t.evaluate({});
    expect(r.hits[0]!.conditions.children?.[0]).toMatchObject({ usedDefault: true, factValue: false });
    expect(thrown(() => t.evaluate({ flag: "no" }))[0]).toMatchObject({ code: "INVALID_FACT", path: ["facts", "flag"] });
  });

  it("validate lists every problem of an input at once, and unknown fields as warnings", () => {
    const t = compileTable(table("first", rows), ctx);
    const issues = t.validate({ age: -1, member: "yes", extra: 1 });
    expect(issues.filter((i) => i.severity === "error").map((i) => i.path)).toEqual([["facts", "age"], ["facts", "member"]]);
    expect(issues.filter((i) => i.severity === "warning").map((i) => i.path)).toEqual([["facts", "extra"]]);
  });
});

describe("what a table compiles against", () => {
  const rows = [row("adult", { all: [age("greaterThanInclusive", 18)] })];
  const noFacts = { label: T("t"), hitPolicy: "first" as const, rows };

  it("its own facts, or the context's facts (declarations or an index) when it declares none", () => {
    expect(compileTable(noFacts, { facts: FACTS }).decide({ age: 20 })).toEqual({ v: "adult" });
    expect(compileTable(noFacts, { facts: buildFactIndex(FACTS) }).decide({ age: 20 })).toEqual({ v: "adult" });
    expect(thrown(() => compileTable(noFacts, ctx))[0]).toMatchObject({ code: "SCHEMA", path: ["tables", "t", "facts"] });
  });

  it("named conditions from the context", () => {
    const t = compileTable({ ...noFacts, rows: [row("adult", { condition: "isAdult" })] }, { facts: FACTS, named: { isAdult: { all: [age("greaterThanInclusive", 18)] } } });
    expect(t.evaluate({ age: 20 }).hits[0]!.conditions).toMatchObject({ kind: "ref", name: "isAdult", result: true });
  });

  it("every issue of a broken table at once, each with its JSON path and the row id", () => {
    const broken = table("unique", [
      row("a", { all: [{ fact: "agee", operator: "greaterThan", value: 1 }] }),
      row("a", { all: [{ fact: "member", operator: "lessThan", value: 1 }] }),
      row("c", { all: [{ fact: "kind", operator: "equal", value: "z" }] }),
    ]);
    const issues = checkTable(broken, ctx);
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["DUPLICATE_ID", "tables.t.rows.1.id"],
      ["UNKNOWN_FACT", "tables.t.rows.0.when.all.0.fact"],
      ["OPERATOR_TYPE_MISMATCH", "tables.t.rows.1.when.all.0.operator"],
      ["VALUE_NOT_IN_ENUM", "tables.t.rows.2.when.all.0.value"],
    ]);
    expect(issues[1]!.message.en).toContain('did you mean "age"');
    expect(issues[1]!.ruleId).toBe("a");
    expect(thrown(() => compileTable(broken, ctx)).map((i) => i.code)).toEqual(issues.map((i) => i.code));
  });

  it("schema problems (a row without result, a bad hit policy, a row without provenance) are reported under the table's path", () => {
    const issues = checkTable({ label: T("t"), hitPolicy: "any", facts: FACTS, rows: [{ id: "x", when: { all: [] }, ...LOCAL }, { id: "y", when: { all: [] }, result: {} }] }, ctx);
    const at = issues.map((i) => `${i.code} ${i.path.join(".")}`);
    expect(at).toContain("SCHEMA tables.t.hitPolicy");
    expect(at).toContain("SCHEMA tables.t.rows.0.result");
    expect(at).toContain("MISSING_CITE tables.t.rows.1.cite");
  });
});

describe("derived facts from a list of years", () => {
  const derived = {
    yearLists: [{ name: "years", label: T("years"), min: 2000, max: 2100 }],
    derive: [
      { name: "streak", fn: "consecutiveYears", years: "years", asOf: "year", label: T("streak"), ...LOCAL },
      { name: "recent", fn: "yearsWithin", years: "years", asOf: "year", span: 2, label: T("recent"), ...LOCAL },
    ],
  };
  const facts: FactDef[] = [{ name: "year", type: "integer", label: T("year") }];
  const t = compileTable(
    { label: T("t"), hitPolicy: "first", facts, ...derived, rows: [row("three", { all: [{ fact: "streak", operator: "greaterThanInclusive", value: 3 }] }), row("none-recent", { all: [{ fact: "recent", operator: "equal", value: 0 }] })], default: { result: { v: "else" }, ...LOCAL } },
    ctx,
  );

  it.each([
    [[2019, 2020, 2021], 2021, 3, 2],
    [[2019, 2021], 2021, 1, 1],
    [[2018, 2019, 2020], 2021, 0, 1],
    [[2021, 2020, 2019, 2020], 2021, 3, 2],
    [[], 2021, 0, 0],
    [[2022], 2021, 0, 0],
  ])("years %j as of %i: %i in a row, %i within the last two", (years, year, streak, recent) => {
    const set = new Set(years);
    expect(DERIVATIONS.consecutiveYears(set, year, 0)).toBe(streak);
    expect(DERIVATIONS.yearsWithin(set, year, 2)).toBe(recent);
    const f = t.derive({ year, years }) as Record<string, unknown>;
    expect([f["streak"], f["recent"]]).toEqual([streak, recent]);
  });

  it("rows read the derived facts, and traces show them", () => {
    const r = t.evaluate({ year: 2021, years: [2019, 2020, 2021] });
    expect(r.result).toEqual({ v: "three" });
    expect(r.hits[0]!.conditions.children?.[0]).toMatchObject({ fact: "streak", factValue: 3 });
    expect(t.evaluate({ year: 2021, years: [2019, 2021] }).usedDefault).toBe(true);
    expect(t.evaluate({ year: 2021, years: [2019] }).result).toEqual({ v: "none-recent" });
  });

  it("a missing year list is MISSING_FACT; a list that is not years is INVALID_FACT; a given derived value is ignored with a warning", () => {
    expect(thrown(() => t.evaluate({ year: 2021 }))[0]).toMatchObject({ code: "MISSING_FACT", path: ["facts", "years"] });
    expect(thrown(() => t.evaluate({ year: 2021, years: ["2020"] }))[0]).toMatchObject({ code: "INVALID_FACT", path: ["facts", "years"] });
    expect(thrown(() => t.evaluate({ year: 2021, years: [1999] }))[0]!.message.en).toContain("2000–2100");
    expect(thrown(() => t.evaluate({ years: [] }))[0]).toMatchObject({ code: "MISSING_FACT", path: ["facts", "year"] });
    expect(t.evaluate({ year: 2021, years: [], streak: 9 }).usedDefault).toBe(false);
    const v = t.validate({ year: 2021, years: "x", streak: 9 });
    expect(v.map((i) => [i.code, i.severity, i.path.join(".")])).toEqual([["INVALID_FACT", "error", "facts.years"], ["INVALID_CASE", "warning", "facts.streak"]]);
  });

  it("load-time checks: an undeclared list, a year that is not an integer fact, a name that clashes, yearsWithin without span", () => {
    const issues = checkTable(
      {
        label: T("t"), hitPolicy: "first", facts: [...facts, { name: "name", type: "string", label: T("n") }],
        yearLists: [{ name: "year", label: T("clash") }],
        derive: [{ name: "a", fn: "consecutiveYears", years: "nope", asOf: "name", label: T("a"), ...LOCAL }, { name: "b", fn: "yearsWithin", years: "year", asOf: "missing", label: T("b"), ...LOCAL }],
        rows: [row("x", { all: [] })],
      },
      ctx,
    );
    expect(issues.map((i) => `${i.code} ${i.path.join(".")}`)).toEqual(["SCHEMA tables.t.derive.1.span"]);
    const fixed = checkTable(
      {
        label: T("t"), hitPolicy: "first", facts: [...facts, { name: "name", type: "string", label: T("n") }],
        yearLists: [{ name: "year", label: T("clash") }],
        derive: [{ name: "a", fn: "consecutiveYears", years: "nope", asOf: "name", label: T("a"), ...LOCAL }, { name: "b", fn: "yearsWithin", years: "year", asOf: "missing", span: 2, label: T("b"), ...LOCAL }],
        rows: [row("x", { all: [] })],
      },
      ctx,
    );
    expect(fixed.map((i) => `${i.code} ${i.path.join(".")}`)).toEqual([
      "DUPLICATE_ID tables.t.yearLists.0.name",
      "UNKNOWN_FACT tables.t.derive.0.years",
      "OPERATOR_TYPE_MISMATCH tables.t.derive.0.asOf",
      "UNKNOWN_FACT tables.t.derive.1.asOf",
    ]);
  });
});

describe("tables in a pack", () => {
  const base = {
    id: "p", version: "1.0.0", name: T("p"),
    source: { documents: [{ id: "d", title: T("d") }] },
    facts: [{ name: "receivedAt", type: "datetime", label: T("r") }],
    levels: [{ id: "one", rank: 1, label: T("one"), colour: "grey", deadline: { amount: 1, ...LOCAL }, ...LOCAL }],
    grading: { default: { level: "one", ...LOCAL }, rules: [] },
  };
  const households = table("first", [{ id: "adult", when: { all: [age("greaterThanInclusive", 18)] }, result: { class: "adult", label: T("adult"), service: T("s") }, ...CITE }], { default: { result: { class: "minor" }, ...LOCAL } });

  it("loads, and engine.classify gives the class, label, service and reasons with the clause", () => {
    const engine = createEngine({ ...base, tables: { people: households } });
    const c = engine.classify("people", { age: 40 });
    expect(c).toMatchObject({ table: "people", class: "adult", label: T("adult"), service: T("s"), usedDefault: false, overridden: [] });
    expect(c.reasons).toHaveLength(1);
    expect(c.reasons[0]).toMatchObject({ rowId: "adult", path: ["tables", "people", "rows", 0], cite: { doc: "d", clause: "§1" } });
    const d = engine.classify("people", { age: 4 });
    expect(d).toMatchObject({ class: "minor", usedDefault: true, reasons: [{ rowId: "default", local: true, path: ["tables", "people", "default"] }] });
    expect(d.rejected?.[0]).toMatchObject({ rowId: "adult", conditions: { result: false } });
  });

  it("classify validates the whole input first, and an unknown table is UNKNOWN_TABLE with a hint", () => {
    const engine = createEngine({ ...base, tables: { people: households } });
    expect(thrown(() => engine.classify("people", { age: "x", member: 2 })).map((i) => i.path.join("."))).toEqual(["facts.age", "facts.member"]);
    const u = thrown(() => engine.classify("peple", { age: 1 }))[0]!;
    expect(u.code).toBe("UNKNOWN_TABLE");
    expect(u.message.en).toContain('did you mean "people"');
  });

  it("a broken table makes the pack invalid, with the issue's path under tables.<id>; cites must name a declared document", () => {
    const bad = { ...households, rows: [{ ...households.rows[0], when: { all: [{ fact: "nope", operator: "equal", value: 1 }] }, cite: { doc: "other", clause: "§1" } }] };
    const r = safeLoadPack({ ...base, tables: { people: bad } });
    expect(r.success).toBe(false);
    const paths = r.success ? [] : r.issues.map((i) => `${i.code} ${i.path.join(".")}`);
    expect(paths).toContain("UNKNOWN_FACT tables.people.rows.0.when.all.0.fact");
    expect(paths).toContain("MISSING_CITE tables.people.rows.0.cite.doc");
  });

  it("a table without facts of its own reads the pack's facts and named conditions", () => {
    const pack = loadPack({ ...base, facts: [...base.facts, ...FACTS], conditions: { old: { all: [age("greaterThan", 64)] } }, tables: { t: { label: T("t"), hitPolicy: "unique", rows: [row("old", { condition: "old" })], default: { result: { v: "young" }, ...LOCAL } } } });
    const engine = createEngine(pack);
    expect(engine.classify("t", { age: 70 }).result).toEqual({ v: "old" });
    expect(engine.classify("t", { age: 7 }).result).toEqual({ v: "young" });
  });

  it("checkUnits without a units section is a USAGE error", () => {
    expect(thrown(() => createEngine(base).checkUnits([]))[0]!.code).toBe("USAGE");
  });
});
