import fc from "fast-check";
import { Engine } from "json-rules-engine";
import { describe, expect, it } from "vitest";
import { arbConditionScenario, arbTemporalScenario, type ConditionScenario, type TemporalScenario } from "../testing/arbitraries/conditions.js";
import { checkCondition, checkNamedConditions } from "./check.js";
import { createConditionCompiler, createFramedConditionCompiler } from "./compile.js";
import { buildFactIndex } from "./facts.js";
import { conditionToJsonRulesEngine, createJsonRulesEngine, WITHIN_DAYS_PARAM } from "./json-rules-engine.js";
import { jsonRulesEngineOperators } from "./operators.js";

const numRuns = process.env["JICENG_DEEP"] ? 20_000 : 1_000;
/** Property tests scale with numRuns; the deep run needs minutes, not vitest's default minute. */
const timeout = numRuns * 60;

async function jreFires(s: ConditionScenario, input: Record<string, unknown>): Promise<boolean> {
  const engine = createJsonRulesEngine({ facts: s.facts, conditions: s.named, rules: [{ id: "r", level: "x", conditions: s.condition }], timezone: s.timezone });
  const { events } = await engine.run(input);
  return events.length === 1;
}

/**
 * A second oracle that shares none of jiceng's fact reading: a plain json-rules-engine Engine with
 * jiceng's operators, fed flat runtime facts ("risks.homicide" → value) that this test resolves
 * itself, defaults included. Only the condition translation (paths folded, withinDays references
 * as fact params, see conditionToJsonRulesEngine) comes from the bridge.
 */
async function plainJreFires(s: ConditionScenario, input: Record<string, unknown>): Promise<boolean> {
  const engine = new Engine();
  for (const op of jsonRulesEngineOperators(s.timezone)) engine.addOperator(op.name, op.evaluate);
  const top = (c: object) => ("fact" in c ? { all: [conditionToJsonRulesEngine(c as never)] } : conditionToJsonRulesEngine(c as never)) as never;
  for (const [name, c] of Object.entries(s.named)) engine.setCondition(name, top(c));
  engine.addRule({ conditions: top(s.condition), event: { type: "hit" } });
  const flat: Record<string, unknown> = {};
  for (const def of s.facts) {
    let v: unknown = input;
    for (const seg of def.name.split(".")) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[seg] : undefined;
    flat[def.name] = v === undefined ? def.default : v;
  }
  // json-rules-engine resolves only a top-level { fact } value, so a withinDays `of` reference is
  // passed as a fact param (see conditionToJsonRulesEngine); answer it the same way here.
  for (const [name, value] of Object.entries(flat)) {
    engine.addFact(name, (params) => (params[WITHIN_DAYS_PARAM] === undefined ? value : { days: params[WITHIN_DAYS_PARAM], of: value }));
  }
  const { events } = await engine.run();
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
        expect(await plainJreFires(s, input)).toBe(ours);
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
  }, timeout);

  it(`a framed compiler (each fact read once per evaluation) gives what the plain one gives, throws included (${numRuns} runs)`, () => {
    const outcome = (run: () => unknown): unknown => {
      try {
        return { ok: run() };
      } catch (e) {
        return { threw: (e as { issues?: unknown }).issues ?? String(e) };
      }
    };
    fc.assert(
      fc.property(arbConditionScenario(), arbTemporalScenario(), (s, t) => {
        const ctx = { facts: buildFactIndex(s.facts), named: s.named, timeZone: s.timezone };
        const plain = createConditionCompiler(ctx).compile(s.condition);
        const { compiler, frame } = createFramedConditionCompiler(ctx);
        const framed = compiler.compile(s.condition);
        // Missing facts and wrong types too: the frame must throw exactly where the plain reader does.
        const inputs: unknown[] = [...s.inputs, {}, { ...s.inputs[0] }, null];
        for (const input of [...inputs, ...inputs.slice().reverse()]) {
          const want = outcome(() => plain.test(input));
          frame.begin(input);
          expect(outcome(() => framed.test(input))).toEqual(want);
          expect(outcome(() => framed.test(input))).toEqual(want); // again, from the filled slots
          expect(outcome(() => framed.explain(input))).toEqual(outcome(() => plain.explain(input)));
          frame.end();
          expect(outcome(() => framed.explain(input))).toEqual(outcome(() => plain.explain(input)));
        }
        const tctx = { facts: buildFactIndex(t.facts), named: {}, timeZone: t.timezone };
        const tplain = t.conditions.map((c) => createConditionCompiler(tctx).compile(c));
        const tf = createFramedConditionCompiler(tctx);
        const tframed = t.conditions.map((c) => tf.compiler.compile(c));
        for (const input of t.inputs) {
          tf.frame.begin(input);
          expect(tframed.map((c) => outcome(() => c.test(input)))).toEqual(tplain.map((c) => outcome(() => c.test(input))));
          expect(tframed.map((c) => outcome(() => c.explain(input)))).toEqual(tplain.map((c) => outcome(() => c.explain(input))));
          tf.frame.end();
        }
      }),
      { numRuns },
    );
  }, timeout);

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
  }, timeout);
});
