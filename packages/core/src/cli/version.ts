import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the @jiceng/core package this CLI belongs to: the nearest package.json above this
 * file (src/cli/ in the repository, dist/ or a dist chunk once built) whose name is @jiceng/core.
 */
export function corePackageDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "@jiceng/core") return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The version of @jiceng/core this CLI belongs to (its package.json), or "unknown". */
export function coreVersion(): string {
  const dir = corePackageDir();
  const version = dir === undefined ? undefined : (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version;
  return typeof version === "string" ? version : "unknown";
}
