// Regenerates packages/rules-*/types.d.ts (the TypeScript types each pack declares) from each pack.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadPack } from "../src/pack/load.js";
import { packTypeDeclarations } from "../src/pack/types.js";

const root = new URL("../../", import.meta.url);
for (const dir of readdirSync(root).filter((d) => d.startsWith("rules-"))) {
  const packUrl = new URL(`${dir}/pack.json`, root);
  if (!existsSync(packUrl)) continue;
  const text = packTypeDeclarations(loadPack(JSON.parse(readFileSync(packUrl, "utf8"))), { source: "pack.json", command: "`npm run types`" });
  writeFileSync(new URL(`${dir}/types.d.ts`, root), text);
  console.log(`wrote packages/${dir}/types.d.ts`);
}
