// After tsup: the ESM declaration entries re-export their CJS twins, and the ESM-only declaration
// chunks go. tsup writes every declaration twice (.d.ts for import, .d.cts for require), ~60 kB of
// the gzipped tarball; an ES module may take its types from a CommonJS declaration file (never the
// other way round), so the .d.cts files are the one copy. attw and publint check the result
// (npm run check:packages), and test/packed.test.ts type-checks an ESM and a CJS app against it.
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
// An entry is a declaration file with its own JavaScript beside it (chunks of types have none), so a
// new entry in tsup.config.ts needs nothing here.
const entries = readdirSync(dist, { recursive: true, encoding: "utf8" })
  .map((file) => file.replaceAll("\\", "/"))
  .filter((file) => file.endsWith(".d.ts") && existsSync(join(dist, file.replace(/\.d\.ts$/, ".js"))) && existsSync(join(dist, file.replace(/\.d\.ts$/, ".d.cts"))))
  .map((file) => file.replace(/\.d\.ts$/, ""));
for (const entry of entries) {
  const base = entry.slice(entry.lastIndexOf("/") + 1);
  writeFileSync(join(dist, `${entry}.d.ts`), `export * from "./${base}.cjs";\n`);
}
const keep = new Set(entries.map((e) => `${e}.d.ts`));
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (file.endsWith(".d.ts") && !keep.has(file.replaceAll("\\", "/"))) rmSync(join(dist, file));
}
console.log(`share-types: ${entries.length} ESM declaration entries re-export their .d.cts twins (${relative(process.cwd(), dist)})`);
