// Issue 17: engine.gradeLevel's two fast paths — validation fused into the generated grading for
// any input, and a ValidCase trusted by its brand — against the reference (validate, then grade).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGrading, createEngine, isJicengError, type CreateEngineInput } from "../../src/index.js";

const root = new URL("../../../../", import.meta.url);
const packOf = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as CreateEngineInput;
const PACKS = ["guyuan", "xiji", "ankang", "lanxi", "three-centers"];
const numRuns = process.env["JICENG_DEEP"] ? 5_000 : 150;
// Fixed seeds (JICENG_SEED overrides): the share of fully valid cases varies by seed, and the
// ValidCase path must be exercised on every run, not on most of them.
const seedFor = (i: number) => (process.env["JICENG_SEED"] ? Number(process.env["JICENG_SEED"]) : 1_700 + i);

type Outcome = { level: string } | { code: string; path: string; en: string };
function outcome(f: () => string): Outcome {
  try {
    return { level: f() };
  } catch (e) {
    if (!isJicengError(e)) throw e;
    const i = e.issues[0]!;
    return { code: i.code, path: i.path.join("."), en: i.message.en };
  }
}

/** A case built from the pack's own fact names: valid values, wrong ones, unknown and inherited-looking fields. */
function arbCase(pack: { facts: Array<{ name: string; type: string; values?: Array<{ value: string }> }> }, clean = false): fc.Arbitrary<unknown> {
  const valueOf = (f: (typeof pack.facts)[number]): fc.Arbitrary<unknown> => {
    const wrong = fc.constantFrom<unknown>(null, 42, "x", true, [], {}, "2022-02-30", Number.NaN);
    const right: fc.Arbitrary<unknown> =
      f.type === "enum" ? fc.constantFrom(...f.values!.map((v) => v.value))
      : f.type === "boolean" ? fc.boolean()
      : f.type === "datetime" ? fc.constantFrom("2022-06-20T10:00:00+08:00", "2023-01-01T00:00Z", "2022-06-20T10:00:00")
      : f.type === "date" ? fc.constantFrom("2022-06-20", "2024-02-29", "2023-02-29")
      : f.type === "number" || f.type === "integer" ? fc.integer({ min: -5, max: 200 })
      : f.type === "string-list" ? fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })
      : f.type === "enum-list" ? fc.subarray((f.values ?? []).map((v) => v.value))
      : fc.string({ maxLength: 4 });
    return clean ? right : fc.oneof({ weight: 8, arbitrary: right }, { weight: 1, arbitrary: wrong });
  };
  const fields = pack.facts.map((f) => fc.option(valueOf(f).map((v) => [f.name, v] as const), { nil: undefined, freq: 3 }));
  const extra = clean ? fc.constant(undefined) : fc.option(fc.constantFrom<[string, unknown]>(["unknown", 1], ["__proto__", { x: 1 }], ["toString", "x"], ["constructor", 1]), { nil: undefined });
  return fc.tuple(fc.tuple(...fields), extra, fc.boolean()).map(([kv, add, viaJson]) => {
    const out: Record<string, unknown> = {};
    for (const e of kv) {
      if (!e) continue;
      const parts = e[0].split(".");
      let o = out;
      for (const k of parts.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
      if (typeof o === "object" && o !== null) o[parts.at(-1)!] = e[1];
    }
    if (add) out[add[0]] = add[1];
    return viaJson ? JSON.parse(JSON.stringify(out)) : out;
  });
}

describe("engine.gradeLevel's fast paths ≡ validate then grade", () => {
  for (const [index, id] of PACKS.entries()) {
    it(`${id}: same level or the same first error, for plain input, a ValidCase, and a strict engine`, () => {
      const raw = packOf(id);
      const engine = createEngine(raw);
      const reference = createEngine(raw, { generateCode: false });
      const strict = createEngine(raw, { strict: true });
      let graded = 0;
      fc.assert(
        fc.property(arbCase(engine.pack as never), (input) => {
          const f = input as Record<string, unknown>;
          const want = outcome(() => reference.grade(f).level);
          expect(outcome(() => engine.gradeLevel(f))).toEqual(want);
          expect(outcome(() => strict.gradeLevel(f))).toEqual(outcome(() => reference.grade(f, { strict: true }).level));
          if (engine.checkCase(f).every((i) => i.severity !== "error")) {
            const valid = engine.validateCase(f);
            expect(outcome(() => engine.gradeLevel(valid))).toEqual(want);
            if ("level" in want) graded++;
          }
        }),
        { numRuns, seed: seedFor(index) },
      );
      expect(graded).toBeGreaterThan(numRuns / 10);
    });
  }
});

/** A grade result as JSON text (key order counts), warnings included, or its first error. */
function gradeOutcome(f: () => unknown): unknown {
  try {
    return JSON.stringify(f());
  } catch (e) {
    if (!isJicengError(e)) throw e;
    const i = e.issues[0]!;
    return { code: i.code, path: i.path.join("."), en: i.message.en };
  }
}

describe("engine.grade (with reasons) in one generated pass ≡ the closures", () => {
  for (const [index, id] of PACKS.entries()) {
    it(`${id}: the same result (reasons, their order, the conditions that held, the values seen, warnings) or the same error`, () => {
      const raw = packOf(id);
      const engine = createEngine(raw);
      const reference = createEngine(raw, { generateCode: false });
      const strict = createEngine(raw, { strict: true });
      const grading = compileGrading(engine.pack);
      let explained = 0;
      fc.assert(
        // Half of them without wrong values or unknown fields, the cases the generated pass takes.
        fc.property(fc.oneof(arbCase(engine.pack as never), arbCase(engine.pack as never, true)), (input) => {
          const f = input as Record<string, unknown>;
          const want = gradeOutcome(() => reference.grade(f));
          expect(gradeOutcome(() => engine.grade(f))).toEqual(want);
          expect(gradeOutcome(() => strict.grade(f))).toEqual(gradeOutcome(() => reference.grade(f, { strict: true })));
          expect(gradeOutcome(() => engine.explain(f))).toEqual(gradeOutcome(() => reference.explain(f)));
          if (engine.checkCase(f).every((i) => i.severity !== "error")) {
            const valid = engine.validateCase(f);
            expect(gradeOutcome(() => engine.grade(valid))).toEqual(gradeOutcome(() => reference.grade(reference.validateCase(f))));
          }
          if (grading.gradeChecked) {
            const direct = grading.gradeChecked(f);
            if (direct !== undefined) {
              expect(JSON.stringify(direct)).toEqual(want);
              explained++;
            }
          }
        }),
        { numRuns, seed: seedFor(index) },
      );
      // The generated pass must really be taken (here, where code generation is allowed).
      if (grading.mode === "generated") expect(explained).toBeGreaterThan(numRuns / 5);
    });
  }
});

describe("a declared fact held as an own non-enumerable property is read and checked on every path", () => {
  // Validation lists fields as JSON does (own enumerable); the grading reads own properties. A
  // non-enumerable fact must therefore be checked where it is read: before, the generated
  // gradeLevel graded an invalid one unchecked, and validateCase branded it as valid.
  const raw = packOf("guyuan");
  const BASE = { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" };
  const hidden = (name: string, value: unknown, nested?: string) => {
    const c: Record<string, unknown> = { ...BASE };
    const at = nested === undefined ? c : ((c[nested] = {}) as Record<string, unknown>);
    Object.defineProperty(at, name, { value, enumerable: false });
    return c;
  };
  for (const generateCode of [true, false]) {
    const engine = createEngine(raw, { generateCode });
    const reference = createEngine(raw, { generateCode: false });
    it(`generateCode ${generateCode}: an invalid one is INVALID_FACT from gradeLevel, grade, explain and validateCase; a valid one grades as if enumerable`, () => {
      for (const [name, bad, good, nested, level] of [["difficulty", 42, "major", undefined, "red"], ["homicide", "yes", true, "risks", "red"], ["petitionTo", "nowhere", "city", "risks", "orange"]] as const) {
        const invalid = hidden(name, bad, nested);
        const want = { code: "INVALID_FACT", path: `facts.${nested ? `${nested}.` : ""}${name}` };
        const first = (f: () => unknown) => outcome(() => String(f()));
        for (const run of [() => engine.gradeLevel(invalid), () => engine.grade(invalid).level, () => engine.explain(invalid).level, () => engine.validateCase(invalid), () => reference.gradeLevel(invalid)]) {
          expect(first(run)).toMatchObject(want);
        }
        const valid = hidden(name, good, nested);
        expect(engine.gradeLevel(valid)).toBe(level);
        expect(engine.grade(valid).level).toBe(level);
        expect(engine.gradeLevel(engine.validateCase(valid))).toBe(level);
        expect(engine.grade(engine.validateCase(valid)).level).toBe(level);
        expect(reference.gradeLevel(valid)).toBe(level);
      }
    });
  }
});

describe("the ValidCase brand cannot be borrowed", () => {
  const engine = createEngine(packOf("guyuan"));
  const BASE = { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" };
  const valid = engine.validateCase({ ...BASE });
  it("a spread, Object.assign or JSON copy of a ValidCase is validated again", () => {
    expect(engine.isValidCase({ ...valid })).toBe(false);
    expect(engine.isValidCase(Object.assign({}, valid))).toBe(false);
    expect(engine.isValidCase(JSON.parse(JSON.stringify(valid)))).toBe(false);
    expect(() => engine.gradeLevel({ ...valid, difficulty: 42 } as never)).toThrow(/difficulty/);
  });
  it("an object inheriting from a ValidCase is not trusted (its own fields are checked)", () => {
    const child = Object.create(valid, { difficulty: { value: 42, enumerable: true } }) as Record<string, unknown>;
    expect(engine.isValidCase(child)).toBe(false);
    expect(() => engine.gradeLevel(child)).toThrow();
  });
  it("a Proxy around a ValidCase can only report its real values", () => {
    const liar = new Proxy(valid, { get: (t, k) => (k === "difficulty" ? "major" : Reflect.get(t, k)) });
    // The frozen copy holds every declared key, so the Proxy invariant forbids another value.
    expect(() => engine.gradeLevel(liar)).toThrow(TypeError);
    const honest = new Proxy(valid, {});
    // Not trusted (the brand's value is the ValidCase itself, not the Proxy): validated like any input.
    expect(engine.isValidCase(honest)).toBe(false);
    expect(engine.isValidCase(valid)).toBe(true);
    expect(engine.gradeLevel(honest)).toBe("yellow");
    expect(JSON.stringify(engine.grade(honest))).toBe(JSON.stringify(engine.grade(valid)));
  });
  it("the brand's record (flat facts, defaults filled in) is frozen and names its own ValidCase: another object carrying it is not trusted", () => {
    const [key] = Object.getOwnPropertySymbols(valid);
    const record = (valid as unknown as Record<symbol, Record<string, unknown>>)[key!]!;
    expect(Object.isFrozen(record)).toBe(true);
    expect(record["o"]).toBe(valid);
    expect(() => {
      "use strict";
      record["f6"] = "major";
    }).toThrow(TypeError);
    const borrower = { ...BASE, difficulty: 42 };
    Object.defineProperty(borrower, key!, { value: record });
    expect(engine.isValidCase(borrower)).toBe(false);
    expect(() => engine.gradeLevel(borrower)).toThrow(/difficulty/);
    expect(engine.gradeLevel(valid)).toBe("yellow");
  });
  it("a ValidCase lists every declared name of a level as its own key, undefined when left out; JSON is unchanged", () => {
    expect(Object.keys(valid)).toContain("difficulty");
    expect(valid["difficulty" as never]).toBeUndefined();
    expect(JSON.parse(JSON.stringify(valid))).toEqual(BASE);
  });
});
