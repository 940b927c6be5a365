// Writes a large JSON Lines file of Guyuan case snapshots, for checking that `jiceng score` and
// `jiceng sweep` stream their input (issue 18: 400,000 snapshots, ~700 MB, once failed with
// "Invalid string length"). Not part of `npm test`: run it, then time the command, e.g.
//   npx tsx --conditions=@jiceng/source packages/core/scripts/large-jsonl.ts 400000 /tmp/big.jsonl
//   /usr/bin/time -v node packages/core/bin/jiceng.js score --pack guyuan --period 2022Q3 /tmp/big.jsonl
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { guyuanEngine, guyuanStories } from "../test/scoring-fixtures.js";

const count = Number(process.argv[2] ?? 400_000);
const target = process.argv[3] ?? "big.jsonl";
const engine = guyuanEngine();
// A few thousand real stories; each line is one of them under a number of its own.
const stories = guyuanStories(engine, { from: "2022-06-15T00:00:00+08:00", to: "2022-09-30T00:00:00+08:00", count: 3000, seed: 42 });
const out = createWriteStream(target, { encoding: "utf8" });
let bytes = 0;
for (let i = 0; i < count; i++) {
  const s = stories[i % stories.length]!;
  const line = JSON.stringify({ ...s, context: { ...s.context, id: `big-${i}`, number: `${s.context.number}-${i}` } }) + "\n";
  bytes += Buffer.byteLength(line);
  if (!out.write(line)) await once(out, "drain");
}
out.end();
await once(out, "finish");
console.log(`wrote ${count} snapshots, ${(bytes / 1e6).toFixed(0)} MB, to ${target}`);
