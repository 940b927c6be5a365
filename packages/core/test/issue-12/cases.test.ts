import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, type CreateEngineInput, type JicengIssue } from "../../src/index.js";
import { main } from "../../src/cli/index.js";
import { catchJicengError } from "../../src/testing/index.js";

// Issue 12, "Malformed cases graded instead of refused": every entry point that reads facts
// validates the case the way `start` does.
const root = new URL("../../../../", import.meta.url);
const packOf = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as CreateEngineInput;
const guyuan = createEngine(packOf("guyuan"));
const lanxi = createEngine(packOf("lanxi"));
const BASE = { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" };
const codes = (f: () => unknown) => catchJicengError(f).issues.map((i) => [i.code, i.path.join(".")]);

describe("a declared nested fact whose container is not an object is refused, not read as missing", () => {
  it('risks as a JSON string: INVALID_FACT at facts.risks (it used to be yellow, 7 days)', () => {
    expect(codes(() => guyuan.assess({ ...BASE, risks: '{"homicide":true}' }))).toEqual([["INVALID_FACT", "facts.risks"]]);
    expect(guyuan.assess({ ...BASE, risks: { homicide: true } }).level).toBe("red");
  });
  for (const risks of [null, [true], 5, true, "x", [], new Date(0)]) {
    it(`risks: ${JSON.stringify(risks)} → INVALID_FACT at facts.risks`, () => {
      for (const call of [() => guyuan.assess({ ...BASE, risks }), () => guyuan.grade({ ...BASE, risks }), () => guyuan.gradeLevel({ ...BASE, risks }), () => guyuan.explain({ ...BASE, risks })]) {
        expect(codes(call)).toEqual([["INVALID_FACT", "facts.risks"]]);
      }
    });
  }
});

describe("facts grading does not read are type-checked too", () => {
  it("unitCode: 5 and source: 'bogus' are refused at their paths", () => {
    expect(codes(() => guyuan.assess({ ...BASE, unitCode: 5 }))).toEqual([["INVALID_FACT", "facts.unitCode"]]);
    expect(codes(() => guyuan.grade({ ...BASE, source: "bogus" }))).toEqual([["INVALID_FACT", "facts.source"]]);
    expect(codes(() => guyuan.gradeLevel({ ...BASE, source: "bogus", unitCode: 5 })).sort()).toEqual([["INVALID_FACT", "facts.source"], ["INVALID_FACT", "facts.unitCode"]]);
  });
});

describe("a case that is not an object is INVALID_CASE at every entry point", () => {
  for (const bad of [null, 42, "x", [], true, undefined, new Map(), Object.create({ difficulty: "major" })]) {
    it(`${String(bad)}`, () => {
      for (const call of [() => guyuan.explain(bad as never), () => guyuan.gradeLevel(bad as never), () => guyuan.grade(bad as never), () => guyuan.assess(bad as never), () => lanxi.route(bad as never)]) {
        const e = catchJicengError(call);
        expect(e.code).toBe("INVALID_CASE");
        expect(e.issues[0]!.path).toEqual(["facts"]);
      }
    });
  }
  it("a container that is not a plain object (inheriting a fact) is refused, not read through its prototype", () => {
    expect(codes(() => guyuan.gradeLevel({ ...BASE, risks: Object.create({ homicide: true }) as object }))).toEqual([["INVALID_FACT", "facts.risks"]]);
  });
});

describe("unknown fields: a warning with did-you-mean, or refused when strict", () => {
  it("difficulity is graded by default but warned about, naming difficulty", () => {
    const a = guyuan.assess({ ...BASE, difficulity: "major" });
    expect(a.level).toBe("yellow");
    const w = a.warnings as JicengIssue[];
    expect(w.map((i) => [i.code, i.severity, i.path.join(".")])).toEqual([["INVALID_CASE", "warning", "facts.difficulity"]]);
    expect(w[0]!.message.en).toContain('did you mean "difficulty"');
    expect(w[0]!.message.zh).toContain("difficulty");
    expect(guyuan.grade({ ...BASE, risks: { homicde: true } }).warnings?.[0]?.message.en).toContain('did you mean "homicide"');
  });
  it("a flattened dotted name is explained", () => {
    const w = guyuan.grade({ ...BASE, "risks.homicide": true }).warnings!;
    expect(w[0]!.message.en).toContain('{ "risks": { "homicide": … } }');
  });
  it("a clean case carries no warnings field", () => {
    expect("warnings" in guyuan.assess({ ...BASE })).toBe(false);
  });
  it("strict refuses them, per call or per engine", () => {
    expect(codes(() => guyuan.assess({ ...BASE, difficulity: "major" }, { strict: true }))).toEqual([["INVALID_CASE", "facts.difficulity"]]);
    const strict = createEngine(packOf("guyuan"), { strict: true });
    expect(codes(() => strict.gradeLevel({ ...BASE, difficulity: "major" }))).toEqual([["INVALID_CASE", "facts.difficulity"]]);
    expect(strict.gradeLevel({ ...BASE, difficulity: "major" }, { strict: false })).toBe("yellow");
    expect(codes(() => lanxi.route({ bogus: 1 }, { strict: true }))).toEqual([["INVALID_CASE", "facts.bogus"]]);
  });
  it("wrong-typed options are INVALID_ARGUMENT", () => {
    expect(codes(() => guyuan.grade({ ...BASE }, 5 as never))).toEqual([["INVALID_ARGUMENT", "options"]]);
    expect(codes(() => guyuan.grade({ ...BASE }, { strict: "yes" } as never))).toEqual([["INVALID_ARGUMENT", "options.strict"]]);
  });
});

describe("the trusted path: engine.validateCase", () => {
  it("returns a frozen copy of the declared facts, trusted by the engine that made it", () => {
    const input = { ...BASE, risks: { homicide: true }, difficulity: "x" };
    const valid = guyuan.validateCase(input);
    expect(Object.isFrozen(valid)).toBe(true);
    expect(Object.isFrozen(valid["risks"])).toBe(true);
    expect(valid).toEqual({ ...BASE, risks: { homicide: true } });
    expect(input.difficulity).toBe("x");
    expect(guyuan.isValidCase(valid)).toBe(true);
    expect(guyuan.isValidCase({ ...valid })).toBe(false);
    expect(guyuan.gradeLevel(valid)).toBe("red");
    expect(guyuan.assess(valid).dueAt).toBe(guyuan.assess({ ...BASE, risks: { homicide: true } }).dueAt);
    expect(() => {
      (valid as Record<string, unknown>)["risks"] = "tampered";
    }).toThrow(TypeError);
  });
  it("refuses what grading refuses; another engine does not trust its values", () => {
    expect(codes(() => guyuan.validateCase({ ...BASE, risks: null }))).toEqual([["INVALID_FACT", "facts.risks"]]);
    expect(codes(() => guyuan.validateCase({ ...BASE, x: 1 }, { strict: true }))).toEqual([["INVALID_CASE", "facts.x"]]);
    const other = createEngine(packOf("guyuan"));
    expect(other.isValidCase(guyuan.validateCase({ ...BASE }))).toBe(false);
  });
  it("checkCase lists every issue without throwing", () => {
    expect(guyuan.checkCase({ ...BASE, risks: 5, x: 1 }).map((i) => [i.code, i.severity])).toEqual([["INVALID_FACT", "error"], ["INVALID_CASE", "warning"]]);
    expect(guyuan.checkCase(null).map((i) => i.code)).toEqual(["INVALID_CASE"]);
  });
});

describe("jiceng grade --strict", () => {
  const run = async (args: string[], stdin: string) => {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: root.pathname, stdin });
    return { code, stdout, stderr };
  };
  const text = JSON.stringify({ ...BASE, difficulity: "major" });
  it("warns on stderr by default and lists the warnings in --json", async () => {
    const r = await run(["grade", "--pack", "guyuan", "--json", "-"], text);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("difficulity");
    expect((JSON.parse(r.stdout) as { warnings: unknown[] }).warnings).toHaveLength(1);
  });
  it("refuses the unknown field with --strict", async () => {
    const r = await run(["grade", "--pack", "guyuan", "--strict", "-"], text);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("INVALID_CASE");
  });
});
