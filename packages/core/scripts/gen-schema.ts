// Writes packages/core/schema/rule-pack.schema.json from the zod schema.
import { writeFileSync } from "node:fs";
import { rulePackJsonSchema } from "../src/pack/json-schema.js";

const out = new URL("../schema/rule-pack.schema.json", import.meta.url);
writeFileSync(out, JSON.stringify(rulePackJsonSchema(), null, 2) + "\n");
console.log(`wrote ${out.pathname}`);
