import * as z from "zod";
import { RulePackSchema } from "./schema.js";

/**
 * The JSON Schema (draft-07) of a rule pack, generated from the zod schema, with zh / en
 * descriptions. Editors validate `pack.json` against it through its `"$schema"` property.
 *
 * @example
 * fs.writeFileSync("rule-pack.schema.json", JSON.stringify(rulePackJsonSchema(), null, 2));
 */
export function rulePackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RulePackSchema, { io: "input", target: "draft-07", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    ...schema,
  };
}
