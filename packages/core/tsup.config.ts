import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "testing/index": "src/testing/index.ts",
    "json-rules-engine": "src/conditions/json-rules-engine.ts",
    "cli/index": "src/cli/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  external: ["json-rules-engine", "fast-check", "zod", "xstate"],
  // No shims: they put `import path from "path"` into chunks the root entry loads, which breaks
  // browser bundlers. The CLI finds its own location without them (cli/source.ts, cli/version.ts).
  shims: false,
  esbuildOptions(options, { format }) {
    // In the CJS build `import.meta` is empty on purpose: those two modules use __filename there.
    if (format === "cjs") options.logOverride = { ...options.logOverride, "empty-import-meta": "silent" };
  },
});
