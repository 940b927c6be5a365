// Issue 17 (cold start): a compiled pack's module carries the grader's checked level as module code
// (jiceng compile / compiledPackModule), so a fresh process grades its first case without parsing,
// indexing or generating anything. The code is trusted only with its own digest (of the core
// version, the pack's digest, its constants as data and its source text): code that was changed,
// reprinted by a bundler, or belongs to another pack is never run — the grader then works from the
// pack's JSON as before. Differential: the module's grader ≡ the runtime grader on random cases.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePack, compiledPackModule, createEngine, loadPack, type CompiledPack } from "../../src/index.js";
import { createGrader } from "../../src/grade.js";
import { codeDigest, packDigest } from "../../src/pack/compiled.js";
import type { FactDef } from "../../src/vocabulary/index.js";
import { arbCaseFacts } from "../../src/testing/arbitraries/conditions.js";
import { outcomeOf, setAt, WRONG } from "../broken-facts.js";

const root = new URL("../../../../", import.meta.url);
const PACKS = ["guyuan", "xiji", "ankang", "lanxi", "three-centers"];
const raw = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as Record<string, unknown>;
const numRuns = process.env["JICENG_DEEP"] ? 5_000 : 150;

/** The exports of a module compiledPackModule wrote (CommonJS, or ESM with its export lines taken off). */
function load(src: string): CompiledPack {
  if (src.includes("module.exports")) return new Function("module", `${src}; return module.exports;`)({}) as CompiledPack;
  return new Function(`${src.replace(/export default compiled;\nexport \{ compiled \};\n$/, "")}; return compiled;`)() as CompiledPack;
}

/** The text of the module's `level: function (K, H) {…}` (exactly what its digest covers). */
function levelText(src: string): string {
  const start = src.indexOf("    level: function (K, H) {\n");
  const end = src.indexOf("\n},\n  }),", start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return src.slice(start + "    level: ".length, end + 2);
}

/** The module with its code's text replaced, and its code digest recomputed (as one who knows the algorithm could). */
function rewritten(src: string, c: CompiledPack, edit: (text: string) => string, digestOf: string = c.digest): string {
  const text = levelText(src);
  const data = JSON.parse(/\n {4}data: (".*"),\n/.exec(src)![1]!) as string;
  const next = edit(text);
  expect(next).not.toBe(text);
  const old = /\n {4}digest: ("h64s-[0-9a-f]+"),\n/.exec(src)![1]!;
  return src.replace(text, () => next).replace(`    digest: ${old},`, `    digest: ${JSON.stringify(codeDigest(c.core, digestOf, data, next))},`);
}


/** Cases valid or broken: a wrong value, a missing fact, an unknown or inherited field, not an object. */
function arbInput(facts: readonly FactDef[]): fc.Arbitrary<unknown> {
  const valid = arbCaseFacts(facts);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 3, arbitrary: fc.tuple(valid, fc.constantFrom(...facts), fc.constantFrom(...WRONG, undefined)).map(([c, def, v]) => setAt(c, def.name, v)) },
    { weight: 1, arbitrary: valid.map((c) => ({ ...c, notDeclared: 1 })) },
    { weight: 1, arbitrary: valid.map((c) => JSON.parse(`{"__proto__": ${JSON.stringify(c)}}`) as unknown) },
    { weight: 1, arbitrary: valid.map((c) => Object.assign(Object.create({ inherited: true }), c) as unknown) },
    { weight: 1, arbitrary: fc.constantFrom(null, [], "case", 7, undefined) },
  );
}

const RED = { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } };

describe("the grader's code in a compiled pack's module", () => {
  for (const id of PACKS) {
    it(`${id}: the module's grader ≡ the runtime grader (levels, errors, grade, explain, validation) on random cases`, () => {
      const compiled = compilePack(raw(id));
      const pack = loadPack(raw(id));
      for (const format of ["esm", "cjs"] as const) {
        const mod = load(compiledPackModule(compiled, format));
        // Every pack's checked level is written as code; constants are data ({ fn } | { set } | { json }).
        expect(mod.code).toBeDefined();
        expect(Object.isFrozen(mod.code)).toBe(true);
      }
      const mod = load(compiledPackModule(compiled, "cjs"));
      const arbMoment = fc.integer({ min: 0, max: 6 });
      let graded = 0;
      fc.assert(
        fc.property(fc.array(arbInput(pack.facts), { minLength: 1, maxLength: 6 }), arbMoment, (inputs, moment) => {
          const ahead = createGrader(mod);
          const runtime = createGrader(compiled);
          const closures = createGrader(compiled, { generateCode: false });
          inputs.forEach((f, i) => {
            // Sometimes another method first (it builds the whole grader, which keeps the module's function).
            if (i === moment) expect(outcomeOf(() => ahead.validateCase(f))).toEqual(outcomeOf(() => runtime.validateCase(f)));
            const want = outcomeOf(() => runtime.gradeLevel(f as Record<string, unknown>));
            expect(outcomeOf(() => ahead.gradeLevel(f as Record<string, unknown>))).toEqual(want);
            expect(outcomeOf(() => closures.gradeLevel(f as Record<string, unknown>))).toEqual(want);
            if (typeof want === "string") graded++;
          });
          const f = inputs[0] as Record<string, unknown>;
          expect(outcomeOf(() => ahead.grade(f))).toEqual(outcomeOf(() => runtime.grade(f)));
          expect(outcomeOf(() => ahead.explain(f))).toEqual(outcomeOf(() => runtime.explain(f)));
          expect(ahead.checkCase(f)).toEqual(runtime.checkCase(f));
          // A ValidCase of this grader (made after it was built) grades the same; another grader's is validated.
          const valid = (() => {
            try {
              return ahead.validateCase(f);
            } catch {
              return undefined;
            }
          })();
          if (valid !== undefined) {
            expect(ahead.isValidCase(valid)).toBe(true);
            expect(runtime.isValidCase(valid)).toBe(false);
            expect(outcomeOf(() => ahead.gradeLevel(valid))).toEqual(outcomeOf(() => runtime.gradeLevel(f)));
          }
          expect(ahead.pack).toEqual(runtime.pack);
        }),
        { numRuns },
      );
      expect(graded).toBeGreaterThan(numRuns / 2);
      // The full engine takes the module too (it reads the JSON; the code is the grader's).
      expect(createEngine(mod).grade(RED).level).toBe(createEngine(compiled).grade(RED).level);
    });
  }

  it("a fresh grader answers other methods first, and reports errors the same (MISSING_FACT from the module's code)", () => {
    const compiled = compilePack(raw("guyuan"));
    const mod = load(compiledPackModule(compiled, "esm"));
    const runtime = createGrader(compiled);
    expect(createGrader(mod).isValidCase(RED)).toBe(false);
    expect(createGrader(mod).level("red")).toEqual(runtime.level("red"));
    expect(outcomeOf(() => createGrader(mod).level("purple"))).toEqual(outcomeOf(() => runtime.level("purple")));
    expect(createGrader(mod).pack).toEqual(runtime.pack);
    // receivedAt has no default and a rule reads it? Guyuan grades without it; an invalid value is refused with its path.
    for (const f of [{}, { receivedAt: 1 }, { risks: { homicide: "yes" } }, { risks: [] }, RED]) {
      expect(outcomeOf(() => createGrader(mod).gradeLevel(f))).toEqual(outcomeOf(() => runtime.gradeLevel(f)));
      expect(outcomeOf(() => createGrader(mod).gradeLevel(f, { strict: true }))).toEqual(outcomeOf(() => runtime.gradeLevel(f, { strict: true })));
      expect(outcomeOf(() => createGrader(mod, { strict: true }).gradeLevel({ ...f, extra: 1 }))).toEqual(outcomeOf(() => createGrader(compiled, { strict: true }).gradeLevel({ ...f, extra: 1 })));
    }
    // A pack whose rules read a fact without a default: the module's code throws MISSING_FACT, built lazily, identical.
    const p = raw("guyuan");
    const facts = p["facts"] as Array<Record<string, unknown>>;
    delete facts.find((f) => f["name"] === "difficulty")!["default"];
    const c2 = compilePack(p);
    const m2 = load(compiledPackModule(c2, "cjs"));
    const missing = outcomeOf(() => createGrader(m2).gradeLevel({ receivedAt: RED.receivedAt }));
    expect(missing).toMatchObject({ code: "MISSING_FACT" });
    expect(missing).toEqual(outcomeOf(() => createGrader(c2).gradeLevel({ receivedAt: RED.receivedAt })));
  });

  it("runs the module's code — and only code its digest covers: edited, reprinted, moved or rebound code is not run", () => {
    const compiled = compilePack(raw("guyuan"));
    const src = compiledPackModule(compiled, "cjs");
    const tamper = (t: string) => t.replaceAll('return "red";', 'return "TAMPERED";');
    // The digest recomputed: the edited code runs (the digest guards against edits and mix-ups, not against malice).
    expect(createGrader(load(rewritten(src, compiled, tamper))).gradeLevel(RED)).toBe("TAMPERED");
    // Edited without its digest: not run; the pack's JSON grades.
    expect(createGrader(load(src.replace(levelText(src), tamper(levelText(src))))).gradeLevel(RED)).toBe("red");
    // The code's digest names the pack's digest: code of this pack beside an edited pack (its own digest recomputed) is not run.
    const json = compiled.json.replace('"May lead to a homicide"', '"May lead to a homicide (edited)"');
    expect(json).not.toBe(compiled.json);
    const edited = rewritten(src, compiled, tamper).replace(JSON.stringify(compiled.json), () => JSON.stringify(json)).replace(`digest: ${JSON.stringify(compiled.digest)}`, `digest: ${JSON.stringify(packDigest(compiled.core, json))}`);
    const e = load(edited);
    expect(e.json).toBe(json);
    expect(createGrader(e).gradeLevel(RED)).toBe("red");
    expect(JSON.stringify(createGrader(e).pack)).toBe(json);
    // Constants changed (the data), a bound or native function, a code block of another pack: not run.
    const runtime = createGrader(compiled);
    const areaCase = { ...RED, risks: {}, area: "vice" };
    const withData = rewritten(src, compiled, tamper);
    const dataLine = /\n {4}data: ".*",\n/.exec(withData)![0];
    expect(dataLine).toContain('\\"vice\\",');
    const noSet = load(withData.replace(dataLine, () => dataLine.replace('\\"vice\\",', "")));
    expect(createGrader(noSet).gradeLevel(RED)).toBe("red");
    expect(outcomeOf(() => createGrader(noSet).gradeLevel(areaCase))).toEqual(outcomeOf(() => runtime.gradeLevel(areaCase)));
    const good = load(rewritten(src, compiled, tamper));
    for (const code of [{ ...good.code!, level: good.code!.level.bind(null) }, { ...good.code!, level: Math.max }, { ...good.code!, level: new Proxy(good.code!.level, {}) }, { ...good.code!, digest: 7 }, { ...good.code!, data: "{" }, "code", null, 1, []]) {
      expect(createGrader({ ...good, code } as CompiledPack).gradeLevel(RED)).toBe("red");
    }
    const ankang = compilePack(raw("ankang"));
    const other = load(compiledPackModule(ankang, "cjs")).code!;
    expect(other).toBeDefined();
    expect(createGrader({ ...compiled, code: other }).gradeLevel(RED)).toBe("red");
    // A bundler that reprints the module (minified here) leaves code whose text its digest does not cover: the JSON grades.
    const minified = transformSync(rewritten(src, compiled, tamper), { minify: true, format: "cjs", loader: "js" }).code;
    expect(createGrader(load(minified)).gradeLevel(RED)).toBe("red");
    // The data half of the module is still checked first: an edited JSON is INVALID_PACK, code or not.
    expect(outcomeOf(() => createGrader(load(src.replace(JSON.stringify(compiled.json), () => JSON.stringify(json)))))).toMatchObject({ code: "INVALID_PACK" });
  });

  it("options that the code does not serve (strict, generateCode: false) and modules without code (code: false) grade as before", () => {
    const compiled = compilePack(raw("guyuan"));
    const src = compiledPackModule(compiled, "esm");
    const tampered = load(rewritten(src, compiled, (t) => t.replaceAll('return "red";', 'return "TAMPERED";')));
    expect(createGrader(tampered).gradeLevel(RED)).toBe("TAMPERED");
    expect(createGrader(tampered, { strict: true }).gradeLevel(RED)).toBe("red");
    expect(createGrader(tampered, { generateCode: false }).gradeLevel(RED)).toBe("red");
    const lean = load(compiledPackModule(compiled, "esm", { code: false }));
    expect(lean.code).toBeUndefined();
    expect(createGrader(lean).gradeLevel(RED)).toBe("red");
  });

  it("hostile enum values and level-deciding literals stay data in the module's code (DESIGN decision 4)", () => {
    let accepted = 0;
    let refused = 0;
    const HOSTILE = ['"', "'", "\\", '\\"', "*/", "/*", "\u2028", "\u2029", "\n", "`${globalThis.pwned = 1}`", '"); globalThis.pwned = 1; ("', "</script>", "__proto__", "constructor", "toString", "}", "//", "😀"];
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 5 })), { minLength: 2, maxLength: 5 }), (values) => {
        const p = raw("guyuan");
        const facts = p["facts"] as Array<Record<string, unknown>>;
        const area = facts.find((f) => f["name"] === "area")!;
        area["values"] = values.map((v) => ({ value: v, label: { zh: v, en: v } }));
        const rules = (p["grading"] as { rules: Array<Record<string, unknown>> }).rules;
        rules[0]!["conditions"] = { any: [{ fact: "area", operator: "equal", value: values[0] }, { fact: "partyPhone", operator: "in", value: values }, { fact: "parties", operator: "contains", value: values[1] }] };
        let compiled: CompiledPack;
        try {
          compiled = compilePack(p);
        } catch {
          refused++;
          return; // a value the schema refuses
        }
        accepted++;
        const mod = load(compiledPackModule(compiled, "esm"));
        expect(mod.code).toBeDefined();
        const runtime = createGrader(compiled);
        for (const f of [RED, { ...RED, risks: {}, area: values[0] }, { ...RED, risks: {}, area: values[1] }, { ...RED, risks: {}, partyPhone: values.at(-1) }, { ...RED, risks: {}, parties: [values[1]] }, { ...RED, risks: {}, area: "not declared" }]) {
          expect(outcomeOf(() => createGrader(mod).gradeLevel(f))).toEqual(outcomeOf(() => runtime.gradeLevel(f)));
        }
        expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
      }),
      { numRuns: 60 },
    );
    // Most hostile sets are valid enum values: the property really ran on compiled modules.
    expect(accepted).toBeGreaterThan(refused);
  });
});

describe("the module's code in plain Node, from the build (dist/, rules packages' compiled modules)", () => {
  it("is the code that runs when node loads the module as a file, ESM and CommonJS, with code generation allowed or refused", () => {
    const compiled = compilePack(raw("guyuan"));
    const dir = mkdtempSync(join(tmpdir(), "jiceng-code-"));
    try {
      const tamper = (t: string) => t.replaceAll('return "red";', 'return "TAMPERED";');
      writeFileSync(join(dir, "t.mjs"), rewritten(compiledPackModule(compiled, "esm"), compiled, tamper));
      writeFileSync(join(dir, "t.cjs"), rewritten(compiledPackModule(compiled, "cjs"), compiled, tamper));
      writeFileSync(join(dir, "u.mjs"), compiledPackModule(compiled, "esm"));
      const dist = fileURLToPath(new URL("packages/core/dist/", root));
      const red = JSON.stringify(RED);
      writeFileSync(join(dir, "run.mjs"), `import { createGrader } from ${JSON.stringify(join(dist, "grade.js"))};\nimport t from "./t.mjs";\nimport u from "./u.mjs";\nimport { createRequire } from "node:module";\nconst c = createRequire(import.meta.url)("./t.cjs");\nconsole.log(JSON.stringify([createGrader(t).gradeLevel(${red}), createGrader(c).gradeLevel(${red}), createGrader(u).gradeLevel(${red})]));\n`);
      writeFileSync(join(dir, "run.cjs"), `const { createGrader } = require(${JSON.stringify(join(dist, "grade.cjs"))});\nconsole.log(JSON.stringify([createGrader(require("./t.cjs")).gradeLevel(${red})]));\n`);
      for (const flags of [[], ["--disallow-code-generation-from-strings"]]) {
        expect(JSON.parse(execFileSync(process.execPath, [...flags, join(dir, "run.mjs")], { encoding: "utf8" }))).toEqual(["TAMPERED", "TAMPERED", "red"]);
        expect(JSON.parse(execFileSync(process.execPath, [...flags, join(dir, "run.cjs")], { encoding: "utf8" }))).toEqual(["TAMPERED"]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const id of PACKS) {
    it(`${id}: the package's compiled.js and compiled.cjs carry code whose digest covers the text node reads`, () => {
      for (const file of ["compiled.js", "compiled.cjs"]) {
        const src = readFileSync(new URL(`packages/rules-${id}/${file}`, root), "utf8");
        const m = load(src);
        expect(m.code).toBeDefined();
        const data = JSON.parse(/\n {4}data: (".*"),\n/.exec(src)![1]!) as string;
        expect(m.code!.data).toBe(data);
        expect(codeDigest(m.core, m.digest, data, levelText(src))).toBe(m.code!.digest);
        expect(Function.prototype.toString.call(m.code!.level)).toBe(levelText(src));
      }
    });
  }
});
