import { writeFileSync } from "node:fs";
import { guyuanEngine, guyuanStories } from "../packages/core/test/scoring-fixtures.js";
const engine = guyuanEngine();
const snaps = [
  ...guyuanStories(engine, { from: "2021-07-01T00:00:00+08:00", to: "2021-09-30T00:00:00+08:00", count: 160, seed: 7 }),
  ...guyuanStories(engine, { from: "2022-06-15T00:00:00+08:00", to: "2022-09-30T00:00:00+08:00", count: 140, seed: 11, skill: { "司法所": 0.92, "派出所": 0.8, "人民法庭": 0.7, "综合执法办公室": 0.85, "妇联": 0.6 } }),
];
writeFileSync("/tmp/sc/snapshots.jsonl", snaps.map((s) => JSON.stringify(s)).join("\n") + "\n");
writeFileSync("/tmp/sc/assessments.json", JSON.stringify([
  { subject: "司法所", scores: { township: 80, "county-department": 90 } },
  { subject: "派出所", scores: { township: 88, "county-department": 85 } },
  { subject: "人民法庭", scores: { "county-department": 92 } },
  { subject: "综合执法办公室", scores: { township: 76.5, "county-department": 81 } },
], null, 1));
console.log(snaps.length, snaps.filter(s => s.state === "closed").length);
