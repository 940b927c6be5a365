import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileTemplate, createEngine, formatCaseNumber, isJicengError, safeLoadPack, type CreateEngineInput, type JicengIssue } from "../../src/index.js";
import { main } from "../../src/cli/index.js";
import { PACK_LIMITS } from "../../src/pack/prescan.js";
import { catchJicengError } from "../../src/testing/index.js";

// Issue 12, "Crashes of the safe loader", "Load time unbounded", "Lookups that reach the prototype
// chain", "The engine disagrees with itself": one test per example, each through safeLoadPack,
// createEngine and `jiceng validate`, which must agree.
const root = new URL("../../../../", import.meta.url);
type Pack = Record<string, any>;
const packOf = (dir: string): Pack => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as Pack;
const leaf = { fact: "difficulty", operator: "equal", value: "simple" };

function refused(pack: unknown): JicengIssue[] {
  const r = safeLoadPack(pack);
  if (r.success) throw new Error("safeLoadPack accepted the pack");
  let engineError: unknown;
  try {
    createEngine(pack as CreateEngineInput);
  } catch (error) {
    engineError = error;
  }
  expect(isJicengError(engineError), "createEngine refuses it with a JicengError too").toBe(true);
  for (const i of r.issues) {
    expect(Array.isArray(i.path)).toBe(true);
    expect(i.message.zh.length * i.message.en.length).toBeGreaterThan(0);
  }
  return r.issues;
}
const has = (issues: JicengIssue[], code: string, path?: (string | number)[]) =>
  expect(issues.some((i) => i.code === code && (path === undefined || JSON.stringify(i.path) === JSON.stringify(path))), JSON.stringify(issues.slice(0, 3))).toBe(true);

function nest(kind: "all" | "any" | "not", depth: number): unknown {
  let c: unknown = leaf;
  for (let i = 0; i < depth; i++) c = kind === "not" ? { not: c } : { [kind]: [c] };
  return c;
}

describe("deep and large packs are refused with LIMIT_EXCEEDED, never a RangeError", () => {
  for (const kind of ["all", "any", "not"] as const) {
    for (const depth of [20, 1_000, 100_000]) {
      it(`${kind} nested ${depth} deep`, () => {
        const p = packOf("guyuan");
        p.grading.rules[0].conditions = nest(kind, depth);
        const issues = refused(p);
        has(issues, "LIMIT_EXCEEDED");
        expect(issues.every((i) => i.path[0] === "grading")).toBe(true);
      });
    }
  }
  it("a deep value and deep params", () => {
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = [v];
    const p = packOf("guyuan");
    p.grading.rules[0].conditions = { all: [{ ...leaf, value: v }] };
    has(refused(p), "LIMIT_EXCEEDED");
    const q = packOf("guyuan");
    q.grading.rules[0].conditions = { all: [{ ...leaf, params: v }] };
    has(refused(q), "LIMIT_EXCEEDED");
  });
  it("a chain of 5,000 named conditions (over the count limit) and of 1,000 (over the expanded depth)", () => {
    for (const n of [5_000, 1_000]) {
      const p = packOf("guyuan");
      p.conditions = {};
      for (let i = 0; i < n - 1; i++) p.conditions[`c${i}`] = { all: [{ condition: `c${i + 1}` }] };
      p.conditions[`c${n - 1}`] = leaf;
      p.grading.rules[0].conditions = { condition: "c0" };
      has(refused(p), "LIMIT_EXCEEDED");
    }
  });
  it("counts: rules, named conditions, documents, variants, table rows, at the path of the list", () => {
    const cases: Array<[string, (p: Pack) => void, (string | number)[]]> = [
      ["200,000 rules", (p) => (p.grading.rules = Array.from({ length: 200_000 }, (_, i) => ({ ...p.grading.rules[0], id: `r${i}` }))), ["grading", "rules"]],
      ["100,000 named conditions", (p) => (p.conditions = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`c${i}`, leaf]))), ["conditions"]],
      ["200,000 documents", (p) => (p.source.documents = Array.from({ length: 200_000 }, (_, i) => ({ ...p.source.documents[0], id: `d${i}` }))), ["source", "documents"]],
      ["200,000 variants", (p) => (p.variants = Array.from({ length: 200_000 }, (_, i) => ({ id: `v${i}`, label: { zh: "v", en: "v" }, levels: {} }))), ["variants"]],
    ];
    for (const [name, mutate, path] of cases) {
      const p = packOf("guyuan");
      mutate(p);
      const t = performance.now();
      const issues = refused(p);
      has(issues, "LIMIT_EXCEEDED", path);
      expect(performance.now() - t, name).toBeLessThan(5_000); // not a timing test: a guard against a hang
    }
    const a = packOf("ankang");
    const id = Object.keys(a.tables)[0]!;
    a.tables[id].rows = Array.from({ length: PACK_LIMITS.maxTableRows + 1 }, (_, i) => ({ ...a.tables[id].rows[0], id: `row-${i}` }));
    has(refused(a), "LIMIT_EXCEEDED", ["tables", id, "rows"]);
  });
  it("a long string, a huge object, a cyclic object, values that are not JSON", () => {
    const p = packOf("guyuan");
    p.name.zh = "x".repeat(PACK_LIMITS.maxStringLength + 1);
    has(refused(p), "LIMIT_EXCEEDED", ["name", "zh"]);
    const c = packOf("guyuan");
    c.self = c;
    expect(safeLoadPack(c).success).toBe(false);
    for (const bad of [() => 1, Symbol("x"), 10n, new Date(0), Number.NaN, Infinity]) {
      const q = packOf("guyuan");
      q.levels[0].rank = bad;
      expect(safeLoadPack(q).success).toBe(false);
    }
  });
});

describe("fact-declaration problems are returned, never thrown", () => {
  const cases: Array<[string, (p: Pack) => void, string]> = [
    ["a duplicate fact", (p) => p.facts.push({ ...p.facts[1] }), "DUPLICATE_ID"],
    ["a duplicate enum value", (p) => p.facts[1].values.push({ ...p.facts[1].values[0] }), "DUPLICATE_ID"],
    ["min > max", (p) => p.facts.push({ name: "n", type: "number", min: 5, max: 1, label: { zh: "n", en: "n" } }), "SCHEMA"],
    ["a fact named a.prototype", (p) => p.facts.push({ name: "a.prototype", type: "boolean", label: { zh: "a", en: "a" } }), "UNSAFE_PATH"],
  ];
  for (const [name, mutate, code] of cases) {
    it(name, () => {
      const p = packOf("guyuan");
      mutate(p);
      has(refused(p), code);
    });
  }
});

describe("whatever validation accepts, createEngine accepts (checks moved into validation)", () => {
  it('timezone "Foo/Bar" is refused at timezone', () => {
    const p = packOf("guyuan");
    p.timezone = "Foo/Bar";
    has(refused(p), "SCHEMA", ["timezone"]);
  });
  it("a warning 1,000,000 days before is refused at its path", () => {
    const p = packOf("guyuan");
    p.levels[0].warn = { before: { amount: 1_000_000 }, local: true, note: { zh: "x", en: "x" } };
    has(refused(p), "SCHEMA", ["levels", 0, "warn", "before", "amount"]);
  });
  it("jiceng validate agrees", async () => {
    const p = packOf("guyuan");
    p.timezone = "Foo/Bar";
    const dir = mkdtempSync(join(tmpdir(), "jiceng-12-"));
    writeFileSync(join(dir, "pack.json"), JSON.stringify(p));
    let out = "";
    const code = await main(["validate", join(dir, "pack.json")], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, cwd: root.pathname });
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(out).toContain("timezone");
  });
});

describe("lookups never reach the prototype chain", () => {
  it("template {constructor} is a part that must be mapped, not a date field", () => {
    const p = packOf("guyuan");
    p.numbering.template = "{constructor}{unit:2}{subunit:2}{seq:2}";
    has(refused(p), "INVALID_TEMPLATE", ["numbering", "parts"]);
    const t = compileTemplate("{constructor:2}{seq:2}");
    expect(catchJicengError(() => formatCaseNumber(t, { seq: 1 })).issues[0]!.path).toEqual(["constructor"]);
  });
  it('routing.table "constructor" is an unknown table, not a crash', () => {
    const p = packOf("lanxi");
    p.routing.table = "constructor";
    has(refused(p), "UNKNOWN_TABLE", ["routing", "table"]);
  });
  it("__proto__ keys in record-typed fields are refused with their path", () => {
    const p = packOf("guyuan");
    const text = JSON.stringify({ ...p, conditions: {} }).replace('"conditions":{}', '"conditions":{"__proto__":{"fact":"difficulty","operator":"equal","value":"simple"}}');
    const parsed = JSON.parse(text) as Pack;
    expect(Object.hasOwn(parsed.conditions, "__proto__")).toBe(true);
    has(refused(parsed), "SCHEMA", ["conditions", "__proto__"]);
  });
});

describe("duplicate ids: the full path, and one numbering convention (the other item's path)", () => {
  it("grading rules and source documents", () => {
    const p = packOf("guyuan");
    p.grading.rules.push({ ...p.grading.rules[0] });
    p.source.documents.push({ ...p.source.documents[0] });
    const issues = refused(p);
    const n = p.grading.rules.length - 1;
    has(issues, "DUPLICATE_ID", ["grading", "rules", n, "id"]);
    has(issues, "DUPLICATE_ID", ["source", "documents", p.source.documents.length - 1, "id"]);
    expect(issues.find((i) => i.path[1] === "rules")!.message.en).toContain("$.grading.rules[0].id");
  });
});

describe("safeLoadPack never throws, for any value and any options", () => {
  it("plain values", () => {
    for (const v of [undefined, null, 0, "", [], {}, true, () => 1, new Map(), Object.create(null)]) {
      expect(safeLoadPack(v).success).toBe(false);
      expect(() => createEngine(v)).toThrow(expect.objectContaining({ name: "JicengError" }));
    }
    expect(safeLoadPack(packOf("guyuan"), 5 as never).success).toBe(false);
    expect(safeLoadPack(packOf("guyuan"), { variant: 5 } as never).success).toBe(false);
  });
});
