// After tsup (npm run build): the CommonJS entries and the ESM declaration entries, both one-line
// pointers to the one copy that exists (docs/ARCHITECTURE.md, decision 11); and the grade-only entry
// folded into one file.
// - `X.cjs`: `module.exports = require("./X.js")`. The code exists once, as ES modules; Node
//   (^20.19 || >=22.12, package.json "engines") loads them for `require` through require(esm), so
//   ESM and CJS callers share one module instance (one JicengError class, one cache).
// - `X.d.ts`: `export * from "./X.cjs"`. tsup writes the declarations once, as .d.cts (the types of
//   the `require` condition); an ES module may take its types from a CommonJS declaration file
//   (never the other way round). attw and publint check the result (npm run check:packages), and
//   test/packed.test.ts runs and type-checks an ESM and a CJS app against the tarballs.
// - `grade.js` (@jiceng/core/grade, issue 17's cold start): esbuild's code splitting leaves it as a
//   small file over the shared chunks it needs (two today, ≈ 75 kB), and each file a fresh process
//   loads costs the ESM loader a resolution, a read and a compile. So those chunks are folded into
//   grade.js itself, and each becomes a stub that re-exports its bindings from grade.js (`export {
//   __0_a as a, … } from "./grade.js"`): the other entries load the same code through the stubs, so
//   there is still one copy and one module instance (the same JicengError from every entry).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

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
await foldChunksInto("grade.js");

const keep = new Set(entries.map((e) => `${e}.d.ts`));
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".d.ts") && !keep.has(file.replaceAll("\\", "/"))) rmSync(join(dist, file));
}

/** Folds every chunk `entry` loads (directly or through other chunks) into `entry`; the chunks become re-export stubs. */
async function foldChunksInto(entry) {
  const read = (file) => readFileSync(join(dist, file), "utf8");
  const chunksOf = (file) => [...read(file).matchAll(/from\s*"\.\/(chunk-[\w-]+\.js)"/g)].map((m) => m[1]);
  const chunks = [];
  const visit = (file) => {
    for (const c of chunksOf(file)) if (!chunks.includes(c)) chunks.push(c), visit(c);
  };
  visit(entry);
  if (chunks.length === 0) return;
  // A chunk's bindings, as esbuild lists them in its one `export { x as a, … }` at the end.
  const exportsOf = (file) => {
    const text = read(file);
    const m = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(text);
    if (!m || /^\s*export\s+(?!\{)/m.test(text.slice(0, m.index))) throw new Error(`finish-build: cannot read the exports of ${file}`);
    return m[1].split(",").map((s) => s.trim().split(/\s+as\s+/).at(-1));
  };
  const names = chunks.map(exportsOf);
  const source = [`export * from "./${entry}";`, ...chunks.map((c, i) => `export { ${names[i].map((n) => `${n} as __${i}_${n}`).join(", ")} } from "./${c}";`)].join("\n");
  const out = await build({ stdin: { contents: source, resolveDir: dist, loader: "js" }, bundle: true, format: "esm", platform: "neutral", target: "node20", minify: true, charset: "utf8", write: false, external: ["zod", "xstate", "fast-check", "json-rules-engine"], logLevel: "warning" });
  const folded = out.outputFiles[0].text;
  if (/from\s*"\.\//.test(folded)) throw new Error(`finish-build: ${entry} still imports a local file after folding`);
  writeFileSync(join(dist, entry), folded);
  chunks.forEach((c, i) => writeFileSync(join(dist, c), `// Folded into ${entry} (scripts/finish-build.mjs): the same bindings, one copy.\nexport { ${names[i].map((n) => `__${i}_${n} as ${n}`).join(", ")} } from "./${entry}";\n`));
  console.log(`finish-build: ${chunks.join(", ")} folded into ${entry} (${(folded.length / 1024).toFixed(1)} KiB); they re-export from it`);
}

console.log(`finish-build: ${entries.length} CommonJS entries (require of the ES module) and .d.ts entries (re-export of the .d.cts) in ${relative(process.cwd(), dist)}: ${entries.join(", ")}`);
