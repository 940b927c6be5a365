// Regenerates packages/rules-*/SNAPSHOT.md from each pack.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { packSnapshotMarkdown } from "../src/pack/snapshot.js";

const root = new URL("../../", import.meta.url);
for (const dir of readdirSync(root).filter((d) => d.startsWith("rules-"))) {
  const packUrl = new URL(`${dir}/pack.json`, root);
  if (!existsSync(packUrl)) continue;
  writeFileSync(new URL(`${dir}/SNAPSHOT.md`, root), packSnapshotMarkdown(JSON.parse(readFileSync(packUrl, "utf8"))));
  console.log(`wrote packages/${dir}/SNAPSHOT.md`);
}
