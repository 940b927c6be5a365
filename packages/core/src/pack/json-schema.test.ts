import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rulePackJsonSchema } from "./json-schema.js";

describe("rule-pack JSON Schema", () => {
  it("the committed schema/rule-pack.schema.json matches the zod schema (run `npm run schema -w @jiceng/core` after changing it)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/rule-pack.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(rulePackJsonSchema());
  });

  it("is draft-07 and describes fields in Chinese and English", () => {
    const s = rulePackJsonSchema() as { $schema: string; definitions: Record<string, { description?: string }> };
    expect(s.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(s.definitions["Cite"]?.description).toMatch(/出处.* \/ Citation/);
  });
});
