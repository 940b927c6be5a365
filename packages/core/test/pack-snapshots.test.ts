import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packSnapshotMarkdown } from "../src/pack/snapshot.js";

const root = new URL("../../", import.meta.url);
const dirs = readdirSync(root).filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)));

describe("each pack's committed SNAPSHOT.md matches its pack.json (regenerate with `npm run snapshots`)", () => {
  for (const dir of dirs) {
    it(dir, () => {
      const pack = JSON.parse(readFileSync(new URL(`${dir}/pack.json`, root), "utf8"));
      const snap = new URL(`${dir}/SNAPSHOT.md`, root);
      expect(existsSync(snap), `packages/${dir}/SNAPSHOT.md is missing`).toBe(true);
      expect(readFileSync(snap, "utf8")).toBe(packSnapshotMarkdown(pack));
    });
  }
});
