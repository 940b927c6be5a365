import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbConditionScenario, arbTemporalScenario, type ConditionScenario, type TemporalScenario } from "../testing/arbitraries/conditions";
import { checkCondition, checkNamedConditions } from "./check";
import { createConditionCompiler } from "./compile";
import { buildFactIndex } from "./facts";
import { createJsonRulesEngine } from "./json-rules-engine";

const numRuns = process.env["JICENG_DEEP"] ? 20_000 : 1_000;

async function jreFires(s: ConditionScenario, input: Record<string, unknown>): Promise<boolean> {
  const engine = createJsonRulesEngine({ facts: s.facts, conditions: s.named, rules: [{ id: "r", level: "x", conditions: s.condition }], timezone: s.timezone });
  const { events } = await engine.run(input);
  return events.length === 1;
}

async function differential(arb: fc.Arbitrary<ConditionScenario>): Promise<{ held: number; failed: number }> {
  let held = 0;
  let failed = 0;
  await fc.assert(
    fc.asyncProperty(arb, async (s) => {
      const compiler = createConditionCompiler({ facts: buildFactIndex(s.facts), named: s.named, timeZone: s.timezone });
      const compiled = compiler.compile(s.condition);
      for (const input of s.inputs) {
        const ours = compiled.test(input);
        expect(compiled.explain(input).result).toBe(ours);
        expect(await jreFires(s, input)).toBe(ours);
        if (ours) held++;
        else failed++;
      }
    }),
    { numRuns },
  );
  return { held, failed };
}

describe("compiled conditions vs json-rules-engine (differential)", () => {
  it("generated scenarios are valid: no check errors", () => {
    fc.assert(
      fc.property(arbConditionScenario(), (s) => {
        const facts = buildFactIndex(s.facts);
        const ctx = { facts, named: s.named };
        const errors = [...checkNamedConditions(ctx), ...checkCondition(s.condition, ctx)].filter((i) => i.severity === "error");
        expect(errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it(`test(facts) equals json-rules-engine's verdict, and explain agrees (${numRuns} runs)`, async () => {
    const { held, failed } = await differential(arbConditionScenario());
    // A differential test where every condition is false (or true) would prove little.
    expect(held).toBeGreaterThan(numRuns / 10);
    expect(failed).toBeGreaterThan(numRuns / 10);
  });

  it(`date operators at local midnights agree with json-rules-engine (${numRuns} runs of up to 12 rules)`, async () => {
    let held = 0;
    let failed = 0;
    await fc.assert(
      fc.asyncProperty(arbTemporalScenario(), async (s: TemporalScenario) => {
        const compiler = createConditionCompiler({ facts: buildFactIndex(s.facts), named: {}, timeZone: s.timezone });
        const compiled = s.conditions.map((c) => compiler.compile(c));
        const rules = s.conditions.map((conditions, i) => ({ id: `r${i}`, level: "x", conditions }));
        const engine = createJsonRulesEngine({ facts: s.facts, rules, timezone: s.timezone });
        for (const input of s.inputs) {
          const ours = compiled.map((c) => c.test(input));
          const { events } = await engine.run(input);
          const fired = new Set(events.map((e) => e.params?.["ruleId"] as string));
          expect(rules.map((r) => fired.has(r.id))).toEqual(ours);
          expect(compiled.map((c) => c.explain(input).result)).toEqual(ours);
          for (const r of ours) r ? held++ : failed++;
        }
      }),
      { numRuns },
    );
    expect(held).toBeGreaterThan(numRuns);
    expect(failed).toBeGreaterThan(numRuns);
  });
});
