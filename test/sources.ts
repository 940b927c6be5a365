// Where the tests find the five source documents the rule packs cite. The texts are not part of
// the repository: `JICENG_SOURCES` names the folder that holds them (absolute, or relative to the
// repository root); unset, `../shared/seeds` beside the repository is used when it exists.
// Without the texts the document tests skip, as one skipped test whose name says why — the one skip
// this project allows. `JICENG_REQUIRE_SOURCES=1` (set by .ci/run) turns that into a failure, and so
// does a `JICENG_SOURCES` that does not hold the file.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "vitest";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type SourceLookup =
  | { kind: "text"; path: string; text: string }
  | { kind: "skip"; line: string }
  | { kind: "fail"; message: string };

/** Finds `file` per the environment; `root` is the repository root the defaults are relative to. */
export function locateSource(file: string, env: Record<string, string | undefined> = process.env, root: string = ROOT): SourceLookup {
  const set = env["JICENG_SOURCES"];
  const fallback = resolve(root, "..", "shared", "seeds");
  const dir = set ? resolve(root, set) : existsSync(fallback) ? fallback : undefined;
  const path = dir && join(dir, file);
  if (path && existsSync(path)) return { kind: "text", path, text: readFileSync(path, "utf8") };
  if (set) return { kind: "fail", message: `Source text missing: ${file} is not in ${dir} (JICENG_SOURCES=${set}).` };
  const why = dir
    ? `${file} is not in ${dir}`
    : `${file} not found (JICENG_SOURCES is unset and there is no ../shared/seeds beside the repository)`;
  if (env["JICENG_REQUIRE_SOURCES"] === "1") {
    return { kind: "fail", message: `Source text missing: ${why}; JICENG_REQUIRE_SOURCES=1 requires it. Set JICENG_SOURCES to the folder of the source documents.` };
  }
  return { kind: "skip", line: `document checks skipped: ${why}. Set JICENG_SOURCES to the folder of the source documents to run them.` };
}

/**
 * Runs `body` with the text of `file`, registering its tests; without the text, registers one
 * skipped test whose name (also printed once) names `JICENG_SOURCES`, or fails the file (see {@link locateSource}).
 */
export function withSourceText(file: string, body: (text: string) => void): void {
  const found = locateSource(file);
  if (found.kind === "fail") throw new Error(found.message);
  if (found.kind === "text") return body(found.text);
  console.warn(found.line);
  it.skip(found.line, () => {});
}
