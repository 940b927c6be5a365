import { defineConfig } from "tsup";

// What the published package holds (see "files" in package.json): one minified ES module build with
// shared chunks (every entry, the CLI included, loads the same copy of the engine), its types, no
// source maps and no src/ (the readable source is the repository's).
//
// CommonJS callers get the same ES modules (docs/ARCHITECTURE.md, decision 11): each `require`
// entry is a one-line stub, `module.exports = require("./index.js")`, written by
// scripts/finish-build.mjs, which Node (^20.19 || >=22.12) loads through require(esm). One copy of
// the code in the tarball, and one module instance for ESM and CJS callers alike. The types for
// `require` are real .d.cts declarations (the second build below); the .d.ts files re-export them.
//
// No tsup shims: they put `import path from "path"` into chunks the root entry loads, which breaks
// browser bundlers; the CLI finds its own location from `import.meta.url`.
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

export default defineConfig([
  { ...common, entry: { ...libraryEntries, "cli/index": "src/cli/index.ts" }, format: ["esm"], splitting: true, minify: true, clean: true },
  // The declarations, once, as .d.cts (scripts/finish-build.mjs adds the .d.ts entries that re-export them).
  { ...common, entry: libraryEntries, format: ["cjs"], dts: { entry: libraryEntries, only: true } },
]);
