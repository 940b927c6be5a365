// After tsup (npm run build): the CommonJS entries and the ESM declaration entries, both one-line
// pointers to the one copy that exists (docs/ARCHITECTURE.md, decision 11).
// - `X.cjs`: `module.exports = require("./X.js")`. The code exists once, as ES modules; Node
//   (^20.19 || >=22.12, package.json "engines") loads them for `require` through require(esm), so
//   ESM and CJS callers share one module instance (one JicengError class, one cache).
// - `X.d.ts`: `export * from "./X.cjs"`. tsup writes the declarations once, as .d.cts (the types of
//   the `require` condition); an ES module may take its types from a CommonJS declaration file
//   (never the other way round). attw and publint check the result (npm run check:packages), and
//   test/packed.test.ts runs and type-checks an ESM and a CJS app against the tarballs.
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
// An entry is a declaration file with its own JavaScript beside it (chunks of types have none), so a
// new entry in tsup.config.ts needs nothing here.
const entries = readdirSync(dist, { recursive: true, encoding: "utf8" })
  .map((file) => file.replaceAll("\\", "/"))
  .filter((file) => file.endsWith(".d.cts") && existsSync(join(dist, file.replace(/\.d\.cts$/, ".js"))))
  .map((file) => file.replace(/\.d\.cts$/, ""));
for (const entry of entries) {
  const base = entry.slice(entry.lastIndexOf("/") + 1);
  writeFileSync(join(dist, `${entry}.d.ts`), `export * from "./${base}.cjs";\n`);
  writeFileSync(join(dist, `${entry}.cjs`), `"use strict";\n// The ES module itself, loaded by Node's require(esm): one copy of the code, one instance for ESM and CJS callers.\nmodule.exports = require("./${base}.js");\n`);
}
const keep = new Set(entries.map((e) => `${e}.d.ts`));
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".d.ts") && !keep.has(file.replaceAll("\\", "/"))) rmSync(join(dist, file));
}
console.log(`finish-build: ${entries.length} CommonJS entries (require of the ES module) and .d.ts entries (re-export of the .d.cts) in ${relative(process.cwd(), dist)}: ${entries.join(", ")}`);
