// Writes packages/core/schema/rule-pack.schema.json, holiday-schedule.schema.json and case-snapshot.schema.json from the zod schemas.
import { writeFileSync } from "node:fs";
import { holidayScheduleJsonSchema } from "../src/calendar/schedule.js";
import { rulePackJsonSchema } from "../src/pack/json-schema.js";
import { caseSnapshotJsonSchema } from "../src/lifecycle/snapshot.js";

for (const [name, schema] of [
  ["rule-pack.schema.json", rulePackJsonSchema()],
  ["holiday-schedule.schema.json", holidayScheduleJsonSchema()],
  ["case-snapshot.schema.json", caseSnapshotJsonSchema()],
] as const) {
  const out = new URL(`../schema/${name}`, import.meta.url);
  writeFileSync(out, JSON.stringify(schema, null, 2) + "\n");
  console.log(`wrote ${out.pathname}`);
}
