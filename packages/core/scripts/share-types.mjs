// After tsup: the ESM declaration entries re-export their CJS twins, and the ESM-only declaration
// chunks go. tsup writes every declaration twice (.d.ts for import, .d.cts for require), ~60 kB of
// the gzipped tarball; an ES module may take its types from a CommonJS declaration file (never the
// other way round), so the .d.cts files are the one copy. attw and publint check the result
// (npm run check:packages), and test/packed.test.ts type-checks an ESM and a CJS app against it.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
const entries = ["index", "json-rules-engine", "testing/index"];
for (const entry of entries) {
  const base = entry.slice(entry.lastIndexOf("/") + 1);
  writeFileSync(join(dist, `${entry}.d.ts`), `export * from "./${base}.cjs";\n`);
}
const keep = new Set(entries.map((e) => `${e}.d.ts`));
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".d.ts") && !keep.has(file.replaceAll("\\", "/"))) rmSync(join(dist, file));
}
console.log(`share-types: ${entries.length} ESM declaration entries re-export their .d.cts twins (${relative(process.cwd(), dist)})`);
