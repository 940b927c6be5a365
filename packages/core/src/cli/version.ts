import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** This module's location, in ESM (`import.meta.url`) and in the CJS build (where `import.meta` is empty). */
function here(): string {
  return typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
}

/**
 * The version of @jiceng/core this CLI belongs to: the nearest package.json above this file
 * (src/cli/ in the repository, dist/ or a dist chunk once built) whose name is @jiceng/core.
 */
export function coreVersion(): string {
  let dir = dirname(here());
  for (let i = 0; i < 6; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const meta = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (meta.name === "@jiceng/core" && typeof meta.version === "string") return meta.version;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return "unknown";
}
