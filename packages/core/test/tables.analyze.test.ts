// Table analysis (issue 5): gaps, overlaps, shadowed and unreachable rows, each with a concrete
// example that really is what the finding says; exhaustive when small, property search when not.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeTable, compileTable, fastCheckSearch, isJicengError, type CompiledTable, type FactDef, type TableFinding } from "../src/index.js";

const T = (s: string) => ({ zh: s, en: s });
const LOCAL = { local: true as const, note: T("test") };
const row = (id: string, when: object, result: Record<string, unknown> = { v: id }) => ({ id, when, result, ...LOCAL });
const cmp = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });

const FACTS: FactDef[] = [
  { name: "age", type: "integer", label: { zh: "年龄", en: "Age" }, min: 0, max: 150 },
  { name: "income", type: "number", label: { zh: "收入", en: "Income" }, min: 0 },
  { name: "average", type: "number", label: { zh: "平均收入", en: "Average income" }, min: 0 },
  { name: "member", type: "boolean", label: { zh: "党员", en: "Party member" } },
  { name: "kind", type: "enum", label: T("kind"), values: [{ value: "a", label: T("a") }, { value: "b", label: T("b") }, { value: "c", label: T("c") }], ...LOCAL },
  { name: "tags", type: "enum-list", label: T("tags"), values: [{ value: "x", label: T("x") }, { value: "y", label: T("y") }, { value: "z", label: T("z") }], ...LOCAL },
  { name: "when", type: "date", label: T("when") },
];

const compile = (hitPolicy: "first" | "unique" | "collect", rows: object[], extra: object = {}) =>
  compileTable({ label: T("t"), hitPolicy, facts: FACTS, rows, ...extra }, { path: ["tables", "t"], id: "t" });

const matches = (t: CompiledTable, input: unknown) => t.rows.filter((r) => r.condition.test(t.derive(input))).map((r) => r.id);
const of = (findings: TableFinding[], kind: TableFinding["kind"]) => findings.filter((f) => f.kind === kind);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return isJicengError(e) ? e.code : "other";
  }
  return "none";
};

describe("gaps", () => {
  const t = compile("unique", [row("minor", { all: [cmp("age", "lessThan", 18)] }), row("adult", { all: [cmp("age", "greaterThanInclusive", 18), cmp("age", "lessThanInclusive", 60)] }), row("senior", { all: [cmp("age", "greaterThanInclusive", 65)] })]);
  const a = analyzeTable(t);

  it("finds ages 61–64, which no row covers, with an example inside the gap and the rows' paths", () => {
    expect(a.method).toBe("exhaustive");
    const gaps = of(a.findings, "gap");
    expect(gaps).toHaveLength(1);
    const g = gaps[0]!;
    expect(g.severity).toBe("warning");
    expect(g.rows.map((r) => r.path.join("."))).toEqual(["tables.t.rows.0", "tables.t.rows.1", "tables.t.rows.2"]);
    expect(g.cases).toHaveLength(1);
    const example = g.cases[0]!.example as { age: number };
    expect(example.age).toBeGreaterThan(60);
    expect(example.age).toBeLessThan(65);
    expect(matches(t, example)).toEqual([]);
    expect(code(() => t.evaluate(example))).toBe("NO_MATCH");
    expect(g.message.en).toContain("NO_MATCH");
    expect(`${g.common.en} ${g.cases[0]!.where.en}`).toContain("Age > 60");
    expect(`${g.common.zh} ${g.cases[0]!.where.zh}`).toContain("年龄 < 65");
  });

  it("tries the values on both sides of every constant (and between neighbours)", () => {
    expect(a.dimensions).toEqual([{ fact: "age", tested: { zh: "边界值：17, 18, 19, 39, 59, 60, 61, 62, 64, 65, 66", en: "boundary values: 17, 18, 19, 39, 59, 60, 61, 62, 64, 65, 66" } }]);
    expect(a.inputs).toBe(11);
  });

  it("a default covers the gap: reported as info, with what settles it", () => {
    const d = analyzeTable(compile("unique", t.table.rows, { default: { result: { v: "other" }, ...LOCAL } }));
    const g = of(d.findings, "gap")[0]!;
    expect(g.severity).toBe("info");
    expect(g.settledBy).toMatchObject({ by: "default", result: { v: "other" }, local: true, note: T("test") });
  });

  it("a fact compared with another fact: below, equal and above, so `income < average` and `income > average` leave equality as the gap", () => {
    const u = compile("unique", [row("poor", { all: [cmp("income", "lessThan", { fact: "average" })] }), row("rich", { all: [cmp("income", "greaterThan", { fact: "average" })] })]);
    const r = analyzeTable(u);
    const g = of(r.findings, "gap");
    expect(g).toHaveLength(1);
    const e = g[0]!.cases[0]!.example as { income: number; average: number };
    expect(e.income).toBe(e.average);
    expect(r.inputs).toBe(3);
    expect(r.dimensions.map((d) => `${d.fact}: ${d.tested.en}`)).toEqual(["average: a representative value: 1000", "income: below, equal to and above average"]);
  });

  it("enum lists: every subset of the values the conditions name", () => {
    const u = compile("first", [row("x", { all: [cmp("tags", "contains", "x")] }), row("y-not-z", { all: [cmp("tags", "contains", "y"), cmp("tags", "doesNotContain", "z")] })]);
    const r = analyzeTable(u);
    expect(r.inputs).toBe(8);
    const g = of(r.findings, "gap")[0]!;
    // No x, and (no y, or z): two kinds.
    expect(g.cases.map((c) => (c.example as { tags: string[] }).tags)).toEqual([[], ["y", "z"]]);
    for (const c of g.cases) expect(matches(u, c.example)).toEqual([]);
  });
});

describe("overlaps, shadowed and unreachable rows", () => {
  it("unique: rows that hold together, each pair with an example that really is an overlap (TABLE_OVERLAP)", () => {
    const t = compile("unique", [row("members", { all: [cmp("member", "equal", true)] }), row("kind-a", { all: [cmp("kind", "equal", "a")] }), row("old", { all: [cmp("age", "greaterThan", 70)] })]);
    const a = analyzeTable(t);
    const overlaps = of(a.findings, "overlap");
    expect(overlaps.map((f) => f.rows.map((r) => r.id).join("+")).sort()).toEqual(["kind-a+old", "members+kind-a", "members+kind-a+old", "members+old"]);
    for (const f of overlaps) {
      expect(f.severity).toBe("warning");
      const ex = f.cases[0]!.example;
      expect(matches(t, ex)).toEqual(f.rows.map((r) => r.id));
      expect(code(() => t.evaluate(ex))).toBe("TABLE_OVERLAP");
    }
  });

  it("first: overlaps between rows with different results are info, settled by row order; same results are not reported", () => {
    const t = compile(
      "first",
      [row("a1", { all: [cmp("kind", "equal", "a")] }, { v: "A" }), row("a2", { all: [cmp("member", "equal", true)] }, { v: "A" }), row("b", { all: [cmp("age", "lessThan", 10)] }, { v: "B" })],
      { precedence: { ...LOCAL } },
    );
    const a = analyzeTable(t);
    const overlaps = of(a.findings, "overlap");
    expect(overlaps.map((f) => f.rows.map((r) => r.id).join(">"))).toEqual(["a1>b", "a2>b"]);
    for (const f of overlaps) {
      expect(f.severity).toBe("info");
      expect(f.settledBy).toMatchObject({ by: "order", rowId: f.rows[0]!.id, local: true });
      expect(t.evaluate(f.cases[0]!.example).hits[0]!.rowId).toBe(f.rows[0]!.id);
      expect(matches(t, f.cases[0]!.example)).toContain(f.rows[1]!.id);
    }
  });

  it("first: a row every input of which an earlier row takes is shadowed; a row no input matches is unreachable", () => {
    const t = compile("first", [
      row("adult", { all: [cmp("age", "greaterThanInclusive", 18)] }),
      row("senior", { all: [cmp("age", "greaterThanInclusive", 65)] }),
      row("never", { all: [cmp("age", "lessThan", 10), cmp("age", "greaterThan", 20)] }),
      row("child", { all: [cmp("age", "lessThan", 18)] }),
    ]);
    const a = analyzeTable(t);
    const shadowed = of(a.findings, "shadowed");
    expect(shadowed.map((f) => f.rows.map((r) => r.id))).toEqual([["senior", "adult"]]);
    expect(shadowed[0]!.path).toEqual(["tables", "t", "rows", 1]);
    expect(matches(t, shadowed[0]!.cases[0]!.example)).toEqual(["adult", "senior"]);
    expect(of(a.findings, "unreachable").map((f) => f.rows[0]!.id)).toEqual(["never"]);
    expect(of(a.findings, "gap")).toEqual([]);
  });

  it("collect tables are meant to overlap: only gaps and unreachable rows are reported", () => {
    const a = analyzeTable(compile("collect", [row("m", { all: [cmp("member", "equal", true)] }), row("k", { all: [cmp("kind", "equal", "a")] })]));
    expect(a.findings.map((f) => f.kind)).toEqual(["gap"]);
  });
});

describe("large spaces: a property search instead, and the output says so", () => {
  const rows = [row("m", { all: [cmp("member", "equal", true)] }), row("k", { all: [cmp("kind", "equal", "a"), cmp("tags", "contains", "x")] })];

  it("with fast-check: method property-search, the search named, the gap still found with a real example", () => {
    const t = compile("unique", rows);
    const full = analyzeTable(t);
    expect(full.method).toBe("exhaustive");
    expect(full.space).toBe(2 * 3 * 2);
    const a = analyzeTable(t, { maxCombinations: 4, search: fastCheckSearch(fc), runs: 200, seed: 7 });
    expect(a.method).toBe("property-search");
    expect(a.searchName).toBe("fast-check");
    expect(a.inputs).toBeGreaterThan(0);
    expect(a.inputs).toBeLessThanOrEqual(12);
    const g = of(a.findings, "gap")[0]!;
    expect(g.message.en).toContain("sampled inputs");
    for (const c of g.cases) expect(matches(t, c.example)).toEqual([]);
  });

  it("without a search function: a seeded random sample, the same every run", () => {
    const t = compile("unique", rows);
    const a = analyzeTable(t, { maxCombinations: 1, runs: 50, seed: 1 });
    const b = analyzeTable(t, { maxCombinations: 1, runs: 50, seed: 1 });
    expect(a.method).toBe("random-sample");
    expect(a).toEqual(b);
  });

  it("facts it cannot vary (dates) make the table `skipped`, with the reason", () => {
    const a = analyzeTable(compile("unique", [row("d", { all: [cmp("when", "before", "2021-01-01")] })]));
    expect(a.method).toBe("skipped");
    expect(a.skipped?.en).toContain('"when"');
  });
});

// Random small tables: whatever the analysis reports is true (soundness), and whatever a random
// input reveals the exhaustive analysis has reported (completeness over the boundary values).
describe("property: the analysis is sound and complete on random tables", () => {
  const leaf = fc.oneof(
    fc.record({ fact: fc.constant("age"), operator: fc.constantFrom("lessThan", "lessThanInclusive", "greaterThan", "greaterThanInclusive", "equal", "notEqual"), value: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ fact: fc.constant("income"), operator: fc.constantFrom("lessThan", "greaterThanInclusive", "greaterThan"), value: fc.oneof(fc.constant({ fact: "average" }), fc.integer({ min: 0, max: 5 }).map((n) => n * 500)) }),
    fc.record({ fact: fc.constant("member"), operator: fc.constantFrom("equal", "notEqual"), value: fc.boolean() }),
    fc.record({ fact: fc.constant("kind"), operator: fc.constantFrom("in", "notIn"), value: fc.subarray(["a", "b", "c"], { minLength: 1 }) }),
    fc.record({ fact: fc.constant("tags"), operator: fc.constantFrom("contains", "doesNotContain"), value: fc.constantFrom("x", "y", "z") }),
  );
  const when = fc.tuple(fc.constantFrom("all", "any"), fc.array(leaf, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([k, ls, neg]) => (neg ? { all: [{ not: { [k]: ls } }] } : { [k]: ls }));
  const tableArb = fc.record({
    policy: fc.constantFrom("first" as const, "unique" as const),
    whens: fc.array(when, { minLength: 1, maxLength: 4 }),
    results: fc.array(fc.constantFrom("A", "B"), { minLength: 4, maxLength: 4 }),
  });
  const input = fc.record({
    age: fc.integer({ min: 0, max: 150 }),
    income: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 3000, noNaN: true })),
    average: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 3000, noNaN: true })),
    member: fc.boolean(),
    kind: fc.constantFrom("a", "b", "c"),
    tags: fc.subarray(["x", "y", "z"]),
    tie: fc.boolean(),
  }).map(({ tie, ...x }) => (tie ? { ...x, income: x.average } : x)); // ties are where `<` and `>=` part

  it("every example is what its finding says, and every gap or overlap a random input shows was reported", () => {
    fc.assert(
      fc.property(tableArb, fc.array(input, { minLength: 20, maxLength: 20 }), ({ policy, whens, results }, inputs) => {
        const t = compile(policy, whens.map((w, i) => row(`r${i}`, w, { v: results[i]! })));
        const a = analyzeTable(t);
        expect(a.method).toBe("exhaustive");
        for (const f of a.findings) {
          for (const c of f.cases) {
            const m = matches(t, c.example);
            if (f.kind === "gap") expect(m).toEqual([]);
            if (f.kind === "overlap") for (const r of f.rows) expect(m).toContain(r.id);
          }
        }
        const gapReported = a.findings.some((f) => f.kind === "gap");
        const overlapSets = new Set(of(a.findings, "overlap").map((f) => f.rows.map((r) => r.id).join("+")));
        for (const x of inputs) {
          const m = matches(t, x);
          if (m.length === 0) expect(gapReported).toBe(true);
          if (policy === "unique" && m.length > 1) expect(overlapSets.has(m.join("+"))).toBe(true);
          if (policy === "first" && m.length > 1) {
            for (const other of m.slice(1)) {
              const differs = results[Number(other.slice(1))] !== results[Number(m[0]!.slice(1))];
              if (differs) expect(overlapSets.has(`${m[0]}+${other}`)).toBe(true);
            }
          }
        }
        for (const f of of(a.findings, "unreachable")) for (const x of inputs) expect(matches(t, x)).not.toContain(f.rows[0]!.id);
        if (policy === "first") {
          for (const f of of(a.findings, "shadowed")) for (const x of inputs) expect(matches(t, x)[0]).not.toBe(f.rows[0]!.id);
        }
      }),
      { numRuns: process.env["JICENG_DEEP"] ? 2000 : 150 },
    );
  });

  it("evaluate agrees with the hit policy's definition on random inputs", () => {
    fc.assert(
      fc.property(tableArb, input, ({ policy, whens, results }, x) => {
        const t = compile(policy, whens.map((w, i) => row(`r${i}`, w, { v: results[i]! })), { default: { result: { v: "D" }, ...LOCAL } });
        const m = matches(t, x);
        if (policy === "unique" && m.length > 1) {
          expect(code(() => t.evaluate(x))).toBe("TABLE_OVERLAP");
          return;
        }
        const r = t.evaluate(x);
        expect(r.usedDefault).toBe(m.length === 0);
        expect(r.result).toEqual(m.length ? { v: results[Number(m[0]!.slice(1))] } : { v: "D" });
        expect(t.decide(x)).toEqual(r.result);
        if (policy === "first") expect(r.alsoMatched.map((h) => h.rowId)).toEqual(m.slice(1));
      }),
      { numRuns: process.env["JICENG_DEEP"] ? 5000 : 300 },
    );
  });
});
