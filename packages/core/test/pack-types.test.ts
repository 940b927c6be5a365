import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPack } from "../src/pack/load.js";
import { packTypeDeclarations } from "../src/pack/types.js";

const root = new URL("../../", import.meta.url);
const dirs = readdirSync(root).filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)));

describe("each pack's committed types.d.ts matches its pack.json (regenerate with `npm run types`)", () => {
  for (const dir of dirs) {
    it(dir, () => {
      const pack = loadPack(JSON.parse(readFileSync(new URL(`${dir}/pack.json`, root), "utf8")));
      const file = new URL(`${dir}/types.d.ts`, root);
      expect(existsSync(file), `packages/${dir}/types.d.ts is missing`).toBe(true);
      expect(readFileSync(file, "utf8")).toBe(packTypeDeclarations(pack, { source: "pack.json", command: "`npm run types`" }));
    });
  }
});
