import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONDITION_LIMITS, PACK_LIMITS } from "../../src/index.js";
import { rulePackJsonSchema } from "../../src/pack/json-schema.js";

// Issue 12 part 1: every limit documented, in the README of core and in the JSON Schema, with the
// values the code enforces (PACK_LIMITS for the pre-scan, CONDITION_LIMITS for conditions).
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const table = readme.slice(readme.indexOf("<!-- pack-limits:start -->"), readme.indexOf("<!-- pack-limits:end -->"));
const n = (x: number) => x.toLocaleString("en");

/** The README row of each limit, by a words of its English label. */
const ROWS: Record<string, [number, string]> = {
  "PACK_LIMITS.maxDepth": [PACK_LIMITS.maxDepth, "nesting depth"],
  "PACK_LIMITS.maxNodes": [PACK_LIMITS.maxNodes, "values in the whole pack"],
  "PACK_LIMITS.maxStringLength": [PACK_LIMITS.maxStringLength, "characters in a string or key"],
  "PACK_LIMITS.maxArrayLength": [PACK_LIMITS.maxArrayLength, "items in an array"],
  "PACK_LIMITS.maxObjectKeys": [PACK_LIMITS.maxObjectKeys, "keys of an object"],
  "PACK_LIMITS.maxRules": [PACK_LIMITS.maxRules, "grading rules"],
  "PACK_LIMITS.maxNamedConditions": [PACK_LIMITS.maxNamedConditions, "| 命名条件 named conditions"],
  "PACK_LIMITS.maxDocuments": [PACK_LIMITS.maxDocuments, "source documents"],
  "PACK_LIMITS.maxVariants": [PACK_LIMITS.maxVariants, "variants"],
  "PACK_LIMITS.maxFacts": [PACK_LIMITS.maxFacts, "facts (the pack's, and each table's own)"],
  "PACK_LIMITS.maxTables": [PACK_LIMITS.maxTables, "decision tables"],
  "PACK_LIMITS.maxTableRows": [PACK_LIMITS.maxTableRows, "rows of one table"],
  "CONDITION_LIMITS.maxDepth": [CONDITION_LIMITS.maxDepth, "condition depth"],
  "CONDITION_LIMITS.maxNodes": [CONDITION_LIMITS.maxNodes, "nodes of one condition"],
  "CONDITION_LIMITS.maxExpandedNodes": [CONDITION_LIMITS.maxExpandedNodes, "nodes with named conditions expanded"],
  "CONDITION_LIMITS.maxListLength": [CONDITION_LIMITS.maxListLength, "items of a list value"],
  "CONDITION_LIMITS.maxWithinDays": [CONDITION_LIMITS.maxWithinDays, "days of `withinDays`"],
};

describe("every pack limit is documented with the value the code enforces", () => {
  it("the rows name every limit", () => {
    expect(Object.keys(ROWS).sort()).toEqual([...Object.keys(PACK_LIMITS).map((k) => `PACK_LIMITS.${k}`), ...Object.keys(CONDITION_LIMITS).map((k) => `CONDITION_LIMITS.${k}`)].sort());
  });
  for (const [name, [value, label]] of Object.entries(ROWS)) {
    it(`${name} = ${value}: the README table`, () => {
      const row = table.split("\n").find((l) => l.includes(label));
      expect(row, label).toBeDefined();
      expect(row!.trim().endsWith(`| ${n(value)} |`), row).toBe(true);
    });
  }
  it("the JSON Schema: RulePack's description lists every value, and each list carries its maxItems / maxProperties", () => {
    const schema = rulePackJsonSchema() as { definitions: Record<string, { description?: string; properties?: Record<string, any> }> };
    const pack = schema.definitions["RulePack"]!;
    for (const [name, [value]] of Object.entries(ROWS)) expect(pack.description, name).toContain(String(value));
    const p = pack.properties!;
    expect(p["source"].properties.documents.maxItems).toBe(PACK_LIMITS.maxDocuments);
    expect(p["facts"].maxItems).toBe(PACK_LIMITS.maxFacts);
    expect(p["variants"].maxItems).toBe(PACK_LIMITS.maxVariants);
    expect(p["conditions"].maxProperties).toBe(PACK_LIMITS.maxNamedConditions);
    expect(p["tables"].maxProperties).toBe(PACK_LIMITS.maxTables);
    expect((schema.definitions["Grading"]!.properties!["rules"]).maxItems).toBe(PACK_LIMITS.maxRules);
    expect((schema.definitions["DecisionTable"]!.properties!["rows"]).maxItems).toBe(PACK_LIMITS.maxTableRows);
    expect((schema.definitions["DecisionTable"]!.properties!["facts"]).maxItems).toBe(PACK_LIMITS.maxFacts);
  });
});
