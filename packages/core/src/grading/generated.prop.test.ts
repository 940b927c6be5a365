// The generated grading (conditions/codegen.ts) against the closures and json-rules-engine on random
// packs and cases, errors included; and hostile pack values that must stay data in the generated
// source (DESIGN decision 4).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canGenerateCode, generateCaseRecord, generateCleanCheck } from "../conditions/codegen.js";
import { createJsonRulesEngine } from "../conditions/json-rules-engine.js";
import { buildFactIndex, freezeCaseFacts, isCleanCase, validateCaseFacts } from "../conditions/facts.js";
import { isJicengError } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import type { Condition, FactDef, TopLevelCondition } from "../vocabulary/index.js";
import { arbCaseFacts, arbFactDefs, arbNamedConditions, arbTopLevelCondition, TIME_ZONE_POOL } from "../testing/arbitraries/conditions.js";
import { compileGrading } from "./grade.js";
import { outcomeOf, setAt, WRONG } from "../../test/broken-facts.js";

const numRuns = process.env["JICENG_DEEP"] ? 10_000 : 250;
const timeout = numRuns * 200;
const L = (zh: string, en: string) => ({ zh, en });
const local = { local: true as const, note: L("测试", "test") };
/** Code generation is refused in this process (the no-codegen test project): only the closures run. */
const disallowed = process.execArgv.includes("--disallow-code-generation-from-strings");

interface Scenario {
  pack: RulePack;
  inputs: unknown[];
}

const LEVELS = [
  { id: "red", rank: 3, label: L("红", "Red"), colour: "red" },
  { id: "orange", rank: 2, label: L("橙", "Orange"), colour: "orange" },
  { id: "yellow", rank: 1, label: L("黄", "Yellow"), colour: "yellow" },
];

/** A case that may be broken: a wrong value, a missing fact, a container that is not an object, not an object at all. */
function arbInput(facts: readonly FactDef[]): fc.Arbitrary<unknown> {
  const valid = arbCaseFacts(facts);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, fc.constantFrom(...facts), fc.constantFrom(...WRONG, undefined)).map(([c, def, v]) => setAt(c, def.name, v)),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.constantFrom(...facts), fc.constantFrom(null, 1, "s", [])).map(([c, def, v]) => (def.name.includes(".") ? { ...c, [def.name.split(".")[0]!]: v } : c)),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, [], "case", 7, undefined) },
  );
}

function arbScenario(): fc.Arbitrary<Scenario> {
  return arbFactDefs().chain((facts) =>
    arbNamedConditions(facts).chain((named) => {
      const names = Object.keys(named);
      const cond = arbTopLevelCondition(facts, names, 3);
      const rule = fc.record({ level: fc.constantFrom("red", "orange", "yellow"), priority: fc.integer({ min: 0, max: 3 }), conditions: cond });
      const point = fc.record({ points: fc.integer({ min: 1, max: 40 }), conditions: cond });
      return fc.record({
        rules: fc.array(rule, { maxLength: 5 }),
        strategy: fc.constantFrom("most-severe" as const, "first-hit" as const),
        score: fc.option(fc.record({ points: fc.array(point, { minLength: 1, maxLength: 4 }), red: fc.integer({ min: 30, max: 80 }), orange: fc.integer({ min: 1, max: 29 }) }), { nil: undefined }),
        timezone: fc.constantFrom(...TIME_ZONE_POOL),
        inputs: fc.array(arbInput(facts), { minLength: 1, maxLength: 5 }),
      }).map(({ rules, strategy, score, timezone, inputs }) => {
        const grading: Record<string, unknown> = {
          strategy,
          default: { level: "yellow", ...local },
          rules: rules.map((r, i) => ({ id: `r${i}`, ...r, ...local })),
        };
        if (score) {
          grading["score"] = {
            points: score.points.map((p, i) => ({ id: `p${i}`, label: L(`p${i}`, `p${i}`), ...p, ...local })),
            thresholds: [{ level: "red", min: score.red, ...local }, { level: "orange", min: score.orange, ...local }],
          };
        }
        const pack = { id: "t", version: "1.0.0", timezone, facts, conditions: named, levels: LEVELS, grading } as unknown as RulePack;
        return { pack, inputs };
      });
    }),
  );
}


type Outcome = { level: string } | { code: string; path: unknown; message: unknown };
function outcome(f: () => string): Outcome {
  try {
    return { level: f() };
  } catch (e) {
    if (!isJicengError(e)) throw e;
    return { code: e.issues[0]!.code, path: e.issues[0]!.path, message: e.issues[0]!.message };
  }
}

/** The level json-rules-engine gives: its fired rules folded by the pack's strategy and score lines. */
async function jreLevel(pack: RulePack, input: Record<string, unknown>): Promise<string> {
  const g = pack.grading;
  const items = g.score?.points ?? [];
  const engine = createJsonRulesEngine({
    facts: pack.facts,
    conditions: pack.conditions,
    timezone: pack.timezone,
    rules: [...g.rules.map((r) => ({ id: r.id, level: r.level, conditions: r.conditions as TopLevelCondition })), ...items.map((p) => ({ id: p.id, level: "", conditions: p.conditions as TopLevelCondition }))],
  });
  const fired = new Set((await engine.run(input)).events.map((e) => e.params?.["ruleId"] as string));
  const rank = (id: string) => LEVELS.find((l) => l.id === id)!.rank;
  const hits = g.rules.map((r, i) => ({ r, i })).filter(({ r }) => fired.has(r.id));
  let byRule: string | undefined;
  if (hits.length) {
    if (g.strategy === "most-severe") byRule = hits.reduce((a, b) => (rank(b.r.level) > rank(a.r.level) ? b : a)).r.level;
    else byRule = [...hits].sort((a, b) => b.r.priority - a.r.priority || a.i - b.i)[0]!.r.level;
  }
  let byScore: string | undefined;
  if (g.score) {
    const total = items.filter((p) => fired.has(p.id)).reduce((s, p) => s + p.points, 0);
    byScore = [...g.score.thresholds].sort((a, b) => b.min - a.min).find((t) => total >= t.min)?.level;
  }
  if (byScore && (!byRule || rank(byScore) > rank(byRule))) return byScore;
  return byRule ?? g.default.level;
}

describe("generated grading ≡ closures ≡ json-rules-engine", () => {
  it("runs generated code here unless code generation is disallowed, and falls back to the closures when it is", () => {
    expect(canGenerateCode()).toBe(!disallowed);
    const pack = { id: "t", version: "1", timezone: "Asia/Shanghai", facts: [{ name: "x", type: "boolean", label: L("x", "x"), default: false }], conditions: {}, levels: LEVELS, grading: { strategy: "most-severe", default: { level: "yellow", ...local }, rules: [{ id: "r", level: "red", priority: 0, conditions: { all: [{ fact: "x", operator: "equal", value: true }] }, ...local }] } } as unknown as RulePack;
    const g = compileGrading(pack);
    expect(g.mode).toBe(disallowed ? "closures" : "generated");
    expect(compileGrading(pack, { generateCode: false }).mode).toBe("closures");
    expect(g.level({ x: true })).toBe("red");
    expect(g.levelTrusted({})).toBe("yellow");
  });

  it(
    "same level, or the same error (code, path, zh/en message), on random packs and cases, valid or not",
    async () => {
      let levels = 0;
      let errors = 0;
      let valid = 0;
      let explained = 0;
      let explainedFrozen = 0;
      let rejectedExplained = 0;
      let recorded = 0;
      await fc.assert(
        fc.asyncProperty(arbScenario(), async ({ pack, inputs }) => {
          const generated = compileGrading(pack);
          const closures = compileGrading(pack, { generateCode: false });
          const index = buildFactIndex(pack.facts);
          for (const input of inputs) {
            const f = input as Record<string, unknown>;
            const want = outcome(() => closures.level(f));
            expect(outcome(() => generated.level(f))).toEqual(want);
            // grade() with reasons: the generated explaining pass (or, when it declines, the
            // closures) gives the same result as the closures, deep-equal and byte-for-byte in
            // JSON (key order), or the same error.
            const wantGrade = outcomeOf(() => closures.grade(f));
            expect(outcomeOf(() => generated.grade(f))).toEqual(wantGrade);
            if (generated.gradeChecked) {
              const direct = outcomeOf(() => generated.gradeChecked!(f) ?? "(undefined)");
              if (direct !== "(undefined)") {
                // Taken only for clean cases: nothing admission would warn about or refuse.
                expect(isCleanCase(index, f)).toBe(true);
                expect(direct).toEqual(wantGrade);
                explained++;
              }
            }
            // explain() (the rejected levels too): the same, by the generated pass or the closures.
            const wantExplain = outcomeOf(() => closures.explain(f));
            expect(outcomeOf(() => generated.explain(f))).toEqual(wantExplain);
            if (generated.explainChecked) {
              const direct = outcomeOf(() => generated.explainChecked!(f) ?? "(undefined)");
              if (direct !== "(undefined)") {
                expect(isCleanCase(index, f)).toBe(true);
                expect(direct).toEqual(wantExplain);
                if (generated.explainFrozen) expect(outcomeOf(() => generated.explainFrozen!(freezeCaseFacts(index, f)) ?? "(undefined)")).toEqual(wantExplain);
                rejectedExplained++;
              }
            }
            // The engine's one-pass path: validation fused into the generated grading. Undefined
            // exactly when validation finds an error (the engine then reports it); else the same
            // level or MISSING_FACT. And the path of a frozen ValidCase.
            const invalid = validateCaseFacts(index, f).some((i) => i.severity === "error");
            if (generated.levelChecked) {
              const checked = outcome(() => generated.levelChecked!(f) ?? "(undefined)");
              if (invalid) expect(checked).toEqual({ level: "(undefined)" });
              else expect(checked).toEqual(want);
            } else expect(disallowed).toBe(true);
            if (!invalid) expect(outcome(() => generated.levelFrozen(freezeCaseFacts(index, f)))).toEqual(want);
            // The trusted level of a ValidCase's flat record (defaults filled in): the same level or MISSING_FACT.
            if (!invalid && generated.levelRecord) {
              const record = generateCaseRecord(index, generated.recordFacts)!(freezeCaseFacts(index, f));
              expect(Object.isFrozen(record)).toBe(true);
              expect(outcome(() => generated.levelRecord!(record))).toEqual(want);
              recorded++;
            } else if (!generated.levelRecord) expect(disallowed).toBe(true);
            // The explaining pass for a frozen ValidCase: the same result, or it declines.
            if (!invalid && generated.gradeFrozen) {
              const frozen = outcomeOf(() => generated.gradeFrozen!(freezeCaseFacts(index, f)) ?? "(undefined)");
              if (frozen !== "(undefined)") {
                expect(frozen).toEqual(wantGrade);
                explainedFrozen++;
              }
            }
            if ("level" in want) {
              levels++;
              // A case with no invalid value and no missing fact (json-rules-engine reads them all) grades the same there and in json-rules-engine.
              if (!validateCaseFacts(index, f).some((i) => i.severity === "error") && [...index.values()].every((e) => e.hasDefault || e.resolve(f) !== undefined)) {
                valid++;
                expect(generated.levelTrusted(f)).toBe(want.level);
                expect(await jreLevel(pack, f)).toBe(want.level);
              }
            } else errors++;
          }
        }),
        { numRuns },
      );
      // Both kinds of outcome must really be exercised.
      expect(levels).toBeGreaterThan(numRuns / 4);
      expect(errors).toBeGreaterThan(numRuns / 20);
      expect(valid).toBeGreaterThan(numRuns / 4);
      if (!disallowed) expect(explained).toBeGreaterThan(numRuns / 4);
      if (!disallowed) expect(explainedFrozen).toBeGreaterThan(numRuns / 4);
      if (!disallowed) expect(rejectedExplained).toBeGreaterThan(numRuns / 4);
      if (!disallowed) expect(recorded).toBeGreaterThan(numRuns / 4);
    },
    timeout,
  );
});

describe("the generated clean-case check ≡ isCleanCase (the engine's per-call admission)", () => {
  it("on random declarations and cases: valid, broken, with unknown, inherited or __proto__ fields", () => {
    const extra = fc.constantFrom<[string, unknown]>(["unknown", 1], ["__proto__", {}], ["constructor", "x"], ["toString", 1], ["risks", null], ["meta", { deep: [] }], ["age", undefined]);
    fc.assert(
      fc.property(
        arbFactDefs().chain((facts) => fc.tuple(fc.constant(facts), fc.array(fc.tuple(arbInput(facts), fc.option(extra, { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 6 }))),
        ([facts, inputs]) => {
          const index = buildFactIndex(facts);
          const clean = generateCleanCheck(index);
          if (disallowed) {
            expect(clean).toBeUndefined();
            return;
          }
          for (const [input, add, viaJson] of inputs) {
            let c: unknown = input;
            if (add && c !== null && typeof c === "object" && !Array.isArray(c)) {
              // A computed key (and JSON.parse) makes "__proto__" an own field, as a request body would.
              const withField = { ...c, [add[0]]: add[1] };
              c = viaJson ? JSON.parse(JSON.stringify(withField)) : withField;
            }
            expect(clean!(c)).toBe(isCleanCase(index, c));
          }
          expect(clean!(Object.create({ inherited: 1 }))).toBe(isCleanCase(index, Object.create({ inherited: 1 })));
          expect(clean!(new Date(0))).toBe(false);
        },
      ),
      { numRuns: Math.max(200, numRuns) },
    );
  });
});

describe("generated source keeps pack values as data (DESIGN decision 4)", () => {
  /** Values that would break out of a string literal, a comment or a line if spliced in as code. */
  const HOSTILE: readonly string[] = ['"', "'", "\\", '\\"', "*/", "/*", "\u2028", "\u2029", "\n", "`${globalThis.pwned = 1}`", '"); globalThis.pwned = 1; ("', "'); globalThis.pwned = 1; ('", "</script>", "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "}", "{", "//", "\0", "😀"];

  it("levels, enum values, literals and constants with quotes, backslashes, */, U+2028, __proto__… grade as data", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ minLength: 1, maxLength: 6 })), { minLength: 3, maxLength: 6 }), fc.double({ noNaN: true, noDefaultInfinity: true }), (values, num) => {
        const [top, mid, low] = values as [string, string, string];
        const levels = [
          { id: top, rank: 3, label: L("红", "Red"), colour: "red" },
          { id: mid, rank: 2, label: L("橙", "Orange"), colour: "orange" },
          { id: low, rank: 1, label: L("黄", "Yellow"), colour: "yellow" },
        ];
        const facts: FactDef[] = [
          { name: "kind", type: "enum", label: L("类", "kind"), values: values.map((v) => ({ value: v, label: L(v, v) })), ...local },
          { name: "text", type: "string", label: L("文", "text"), default: values[1]! },
          { name: "risks.level", type: "number", label: L("数", "n"), default: 0 },
          { name: "tags", type: "string-list", label: L("标签", "tags"), default: [] },
          // Names Object.prototype also has: read as own properties only.
          { name: "toString", type: "enum", label: L("名", "name"), values: values.map((v) => ({ value: v, label: L(v, v) })), default: values[2]! },
          { name: "hasOwnProperty.valueOf", type: "boolean", label: L("真", "flag"), default: false },
        ];
        // A named condition and condition labels with hostile names too: explanations carry them as data.
        const named: Record<string, Condition> = { [values[2]!]: { fact: "text", operator: "in", value: values, name: values[0] } as Condition };
        const pack = {
          id: "t", version: "1", timezone: "Asia/Shanghai", facts, conditions: named, levels,
          grading: {
            strategy: "most-severe",
            default: { level: low, ...local },
            rules: [
              { id: values[0], level: top, priority: 0, conditions: { all: [{ fact: "kind", operator: "equal", value: values[0] }, { condition: values[2] }], name: values[1] }, ...local },
              { id: `${values[1]}*/`, level: mid, priority: 0, conditions: { any: [{ fact: "text", operator: "equal", value: values[2] }, { fact: "tags", operator: "contains", value: values[1] }, { fact: "risks.level", operator: "greaterThan", value: num }, { fact: "toString", operator: "equal", value: values[0] }, { fact: "hasOwnProperty.valueOf", operator: "equal", value: true }] }, ...local },
            ],
          },
        } as unknown as RulePack;
        const generated = compileGrading(pack);
        const closures = compileGrading(pack, { generateCode: false });
        const cases: unknown[] = [
          {},
          { kind: values[0], text: values[2] },
          { kind: values[1], tags: [values[1]] },
          { kind: values[2], risks: { level: num + 1 } },
          JSON.parse(`{"kind": ${JSON.stringify(values[0])}, "__proto__": {"text": ${JSON.stringify(values[0])}}}`),
          { kind: "not declared" },
          { kind: values[0], text: 3 },
        ];
        cases.push({ toString: values[0] }, { hasOwnProperty: { valueOf: true } }, { hasOwnProperty: { valueOf: 1 } }, JSON.parse(`{"toString": ${JSON.stringify(values[1])}, "__proto__": {"kind": ${JSON.stringify(values[0])}}}`));
        const index = buildFactIndex(facts);
        for (const c of cases) {
          const f = c as Record<string, unknown>;
          const want = outcome(() => closures.level(f));
          expect(outcome(() => generated.level(f))).toEqual(want);
          const invalid = validateCaseFacts(index, f).some((i) => i.severity === "error");
          if (generated.levelChecked) expect(outcome(() => generated.levelChecked!(f) ?? "(undefined)")).toEqual(invalid ? { level: "(undefined)" } : want);
          if (!invalid) expect(outcome(() => generated.levelFrozen(freezeCaseFacts(index, f)))).toEqual(want);
          if (!invalid && generated.levelRecord) {
            const record = generateCaseRecord(index)!(freezeCaseFacts(index, f)) as Record<string, unknown>;
            expect(outcome(() => generated.levelRecord!(record))).toEqual(want);
            // Field names are the generator's (o, f0, f1…), never a pack's; the values are the case's or the defaults.
            expect(Object.keys(record)).toEqual(["o", ...facts.map((_, i) => `f${i}`)]);
            expect(record["f1"]).toBe(typeof f["text"] === "string" ? f["text"] : values[1]);
            // The record the engine makes holds only the facts the trusted level reads.
            const read = generated.recordFacts!;
            const small = generateCaseRecord(index, read)!(freezeCaseFacts(index, f)) as Record<string, unknown>;
            expect(Object.keys(small)).toEqual(["o", ...facts.flatMap((d, i) => (read.includes(d.name) ? [`f${i}`] : []))]);
            expect(outcome(() => generated.levelRecord!(small))).toEqual(want);
          }
          expect(outcomeOf(() => generated.grade(f))).toEqual(outcomeOf(() => closures.grade(f)));
          if (generated.gradeChecked) {
            const direct = outcomeOf(() => generated.gradeChecked!(f) ?? "(undefined)");
            if (direct !== "(undefined)") expect(direct).toEqual(outcomeOf(() => closures.grade(f)));
          }
          expect(outcomeOf(() => generated.explain(f))).toEqual(outcomeOf(() => closures.explain(f)));
        }
        expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty("text");
      }),
      { numRuns: Math.max(100, numRuns) },
    );
  });
});
