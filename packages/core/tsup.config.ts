import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { defineConfig } from "tsup";

// What the published package holds (see "files" in package.json): minified ESM and CJS and their
// types, no source maps and no src/ (the readable source is the repository's).
//
// ESM is built with shared chunks, so one copy of the engine serves all its entries. CJS is made
// the same way: an ESM build of the library entries and the CLI (in a cache folder), each file then
// converted to CJS into dist/ (chunk-X.js → chunk-X.cjs), so the CJS entries share their chunks too. No tsup shims: they put `import path from "path"` into
// chunks the root entry loads, which breaks browser bundlers; the CLI finds its own location
// without them (cli/source.ts, cli/version.ts read __filename in CJS).
const libraryEntries = {
  index: "src/index.ts",
  "testing/index": "src/testing/index.ts",
  "json-rules-engine": "src/conditions/json-rules-engine.ts",
  // Grading only (issue 17): no zod, no XState, no scoring / tables / HTML; takes compiled packs.
  grade: "src/grade.ts",
};
const common = {
  target: "node20",
  external: ["json-rules-engine", "fast-check", "zod", "xstate"],
  shims: false,
  sourcemap: false,
  // Chinese text as UTF-8, not \uXXXX escapes (half the bytes for every message).
  esbuildOptions(options: { charset?: string }) {
    options.charset = "utf8";
  },
} as const;

const CJS_STAGE = "node_modules/.cache/jiceng-cjs";

export default defineConfig([
  { ...common, entry: libraryEntries, format: ["esm"], splitting: true, minify: true, clean: true, dts: true },
  {
    ...common,
    entry: { ...libraryEntries, "cli/index": "src/cli/index.ts" },
    outDir: CJS_STAGE,
    format: ["esm"],
    splitting: true,
    minify: true,
    clean: true,
    onSuccess: async () => toCjs(CJS_STAGE, "dist"),
  },
  // The .d.cts twins of the library entries' types.
  { ...common, entry: libraryEntries, format: ["cjs"], dts: { entry: libraryEntries, only: true } },
]);

function toCjs(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const path = join(from, entry.name);
    if (entry.isDirectory()) toCjs(path, join(to, entry.name));
    else if (entry.name.endsWith(".js")) {
      const esm = readFileSync(path, "utf8").replace(/((?:from|import)\s*"\.{1,2}\/[^"]+)\.js"/g, '$1.cjs"');
      // `import.meta` becomes empty here on purpose: cli/source.ts and cli/version.ts use __filename.
      const { code } = transformSync(esm, { format: "cjs", minify: true, charset: "utf8", target: "node20", loader: "js", logOverride: { "empty-import-meta": "silent" } });
      writeFileSync(join(to, entry.name.replace(/\.js$/, ".cjs")), code);
    }
  }
}
