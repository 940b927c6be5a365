// Issue 17 (How 1): decision tables (and routing, which evaluates its routing table) decide which
// rows hold by generated code. Held equal to the closures on random tables — every hit policy,
// named conditions, a default or none — and random, broken inputs: the same evaluation (hits,
// their traces, alsoMatched, the fallback) or the same error; hostile pack values stay data.
import fc from "fast-check";
import { describe, expect, it, onTestFinished } from "vitest";
import { ConditionCodegen, canGenerateCode } from "../../src/conditions/codegen.js";
import { isJicengError } from "../../src/errors/index.js";
import { compileTable } from "../../src/tables/compile.js";
import { arbCaseFacts, arbFactDefs, arbNamedConditions, arbTopLevelCondition } from "../../src/testing/arbitraries/conditions.js";
import type { FactDef } from "../../src/vocabulary/index.js";

const numRuns = process.env["JICENG_DEEP"] ? 5_000 : 200;
const disallowed = process.execArgv.includes("--disallow-code-generation-from-strings");
const L = (zh: string, en: string) => ({ zh, en });
const local = { local: true as const, note: L("测试", "test") };

/** An evaluation as JSON text (key order counts), or its first error. */
function outcome(f: () => unknown): unknown {
  try {
    return JSON.stringify(f());
  } catch (e) {
    if (!isJicengError(e)) throw e;
    return { code: e.issues[0]!.code, path: e.issues[0]!.path, message: e.issues[0]!.message, n: e.issues.length };
  }
}

const WRONG: readonly unknown[] = [null, 42, "x", true, [], {}, "2022-02-30", Number.NaN];
function arbInput(facts: readonly FactDef[]): fc.Arbitrary<unknown> {
  const valid = arbCaseFacts(facts);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...facts), fc.constantFrom(...WRONG, undefined)).map(([c, def, v]) => {
        const out = structuredClone(c);
        const parts = def.name.split(".");
        let o: Record<string, unknown> = out;
        for (const k of parts.slice(0, -1)) {
          if (typeof o[k] !== "object" || o[k] === null || Array.isArray(o[k])) o[k] = {};
          o = o[k] as Record<string, unknown>;
        }
        if (v === undefined) delete o[parts.at(-1)!];
        else o[parts.at(-1)!] = v;
        return out;
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, [], "case", 7) },
  );
}

const arbTable = arbFactDefs().chain((facts) =>
  arbNamedConditions(facts).chain((named) =>
    fc.record({
      hitPolicy: fc.constantFrom("first" as const, "unique" as const, "collect" as const),
      rows: fc.array(fc.tuple(arbTopLevelCondition(facts, Object.keys(named), 3), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 }),
      withDefault: fc.boolean(),
      inputs: fc.array(arbInput(facts), { minLength: 1, maxLength: 5 }),
    }).map(({ hitPolicy, rows, withDefault, inputs }) => {
      const table: Record<string, unknown> = {
        label: L("表", "table"),
        hitPolicy,
        rows: rows.map(([when, out], i) => ({ id: `r${i}`, when, result: { out, row: i }, ...local })),
      };
      if (withDefault) table["default"] = { result: { out: "default" }, ...local };
      return { table, facts, named, inputs };
    }),
  ),
);

describe("decision tables: generated row tests ≡ the closures", () => {
  it("evaluate and decide give the same result (hits, traces, alsoMatched, fallback) or the same error", () => {
    let hits = 0;
    let errors = 0;
    // Count the evaluations the generated explaining pass answers (it must really be taken).
    let explainedByCode = 0;
    const build = ConditionCodegen.prototype.build;
    ConditionCodegen.prototype.build = function <T>(this: ConditionCodegen, body: string): T {
      const fn = build.call(this, body) as T;
      if (!body.startsWith("function explain(f)")) return fn;
      const inner = fn as unknown as (input: unknown) => unknown;
      return ((input: unknown) => {
        const r = inner(input);
        if (r !== undefined) explainedByCode++;
        return r;
      }) as unknown as T;
    };
    onTestFinished(() => {
      ConditionCodegen.prototype.build = build;
    });
    fc.assert(
      fc.property(arbTable, ({ table, facts, named, inputs }) => {
        const ctx = { facts, named, path: ["tables", "t"], id: "t" };
        const generated = compileTable(table, ctx);
        const closures = compileTable(table, { ...ctx, generateCode: false });
        for (const input of inputs) {
          const want = outcome(() => closures.evaluate(input));
          expect(outcome(() => generated.evaluate(input))).toEqual(want);
          expect(outcome(() => generated.decide(input))).toEqual(outcome(() => closures.decide(input)));
          if (typeof want === "string") hits++;
          else errors++;
        }
      }),
      { numRuns },
    );
    expect(hits).toBeGreaterThan(numRuns / 4);
    expect(errors).toBeGreaterThan(numRuns / 20);
    if (disallowed) expect(explainedByCode).toBe(0);
    else expect(explainedByCode).toBeGreaterThan(numRuns / 10);
  });

  it("hostile values and names stay data in the generated source (DESIGN decision 4)", () => {
    const HOSTILE = ['"', "\\", "*/", "\u2028", "`${globalThis.pwned = 1}`", '"); globalThis.pwned = 1; ("', "__proto__", "constructor", "toString"];
    for (const h of HOSTILE) {
      const facts: FactDef[] = [
        { name: "kind", type: "enum", label: L("类", "kind"), values: [...new Set([h, "x"])].map((v) => ({ value: v, label: L(v, v) })), ...local } as FactDef,
        { name: "toString", type: "string", label: L("名", "name"), default: h } as FactDef,
      ];
      const table = {
        label: L("表", "table"),
        hitPolicy: "collect",
        rows: [
          { id: "a", when: { all: [{ fact: "kind", operator: "equal", value: h }] }, result: { v: h }, ...local },
          { id: "b", when: { any: [{ fact: "toString", operator: "in", value: [h, "y"] }] }, result: { v: "b" }, ...local },
        ],
      };
      const generated = compileTable(table, { facts });
      const closures = compileTable(table, { facts, generateCode: false });
      for (const input of [{ kind: h }, { kind: "x", toString: "z" }, { kind: "x" }, JSON.parse(`{"kind": "x", "__proto__": {"toString": "y"}}`)]) {
        expect(outcome(() => generated.evaluate(input))).toEqual(outcome(() => closures.evaluate(input)));
      }
    }
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it("generates code here unless code generation is disallowed", () => {
    expect(canGenerateCode()).toBe(!disallowed);
  });
});
