// Workload 6: cold start (read + parse + validate + compile each pack in a fresh process) and the
// size of @jiceng/core's build, minified and gzipped, alone and with its dependencies.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createEngine } from "@jiceng/core";
import { record } from "../lib/report.js";
import type { CustomTable, Prepared, Size, Workload } from "../lib/workload.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const core = join(root, "packages/core");
const child = fileURLToPath(new URL("../lib/coldstart-child.mjs", import.meta.url));
// Under node_modules, so the build's bare imports (zod, xstate) resolve from the repository root.
const distDir = join(root, "node_modules/.cache/jiceng-bench/core-dist");

/** Every packages/rules-<name>/pack.json, by name. */
export function packFiles(): Array<{ name: string; file: string }> {
  return readdirSync(join(root, "packages"))
    .filter((d) => d.startsWith("rules-") && existsSync(join(root, "packages", d, "pack.json")))
    .sort()
    .map((d) => ({ name: d, file: join(root, "packages", d, "pack.json") }));
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** A difference in ms with its sign (+3.16, −1.01): a reference row can come out below bare node. */
const diff = (x: number) => (x < 0 ? `−${ms(-x)}` : `+${ms(x)}`);
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function bundleSize(entry: string, external: string[]): Promise<{ min: number; gz: number; inputs: Array<[string, number]> }> {
  const esbuild = (await import("esbuild")) as typeof import("esbuild");
  const r = await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "node", target: "node20", write: false, metafile: true, external, logLevel: "silent" });
  const code = r.outputFiles[0]!.contents;
  const out = Object.values(r.metafile.outputs)[0]!;
  // Bytes each input contributes to the minified output, grouped by package (or "own code").
  const groups = new Map<string, number>();
  for (const [path, v] of Object.entries(out.inputs)) {
    const m = path.includes("jiceng-bench/core-dist") ? null : /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const src = /packages\/core\/src\/([^/]+)\//.exec(path);
    const key = m ? m[1]! : path.includes("holidays-cn") ? "holiday data (JSON)" : src ? `src/${src[1]}/` : "jiceng";
    groups.set(key, (groups.get(key) ?? 0) + v.bytesInOutput);
  }
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs: [...groups].sort((a, b) => b[1] - a[1]) };
}

export const coldstart: Workload = {
  id: "coldstart",
  async prepare(size: Size): Promise<Prepared> {
    const packs = packFiles();
    return {
      id: "coldstart",
      title: "Cold start and build size",
      groups: [],
      async check() {
        // Every pack loads, validates and compiles (in this process).
        for (const p of packs) createEngine(JSON.parse(readFileSync(p.file, "utf8")));
        return [`${packs.length} pack(s) load, validate and compile: ${packs.map((p) => p.name).join(", ")}.`];
      },
      async custom(): Promise<{ tables: CustomTable[]; notes: string[] }> {
        if (size.smoke) return { tables: [], notes: [] };
        const tables: CustomTable[] = [];
        const notes0: string[] = [];
        let built = false;
        let buildNote = "";
        try {
          const t0 = performance.now();
          // The package's own build, into a private directory: other builds of packages/core/dist
          // (tsup cleans it first) cannot pull files from under a running measurement.
          // tsup itself, not `npm run build -- --out-dir …`: npm appends the arguments to the build
          // script's last command (scripts/finish-build.mjs), so tsup never saw --out-dir and wrote dist/.
          execFileSync("npx", ["tsup", "--out-dir", distDir], { cwd: core, stdio: "pipe" });
          built = existsSync(join(distDir, "index.js"));
          buildNote = !built ? "The build into node_modules/.cache/jiceng-bench/core-dist left no index.js, so the per-pack cold start ran on the sources through tsx and sizes were not measured. " : "";
          buildNote += `\`npx tsup --out-dir node_modules/.cache/jiceng-bench/core-dist\` in packages/core (ESM + .d.cts; the package's ES module build) took ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
        } catch (e) {
          buildNote = `The build failed, so cold start ran on the sources through tsx and sizes were not measured: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 300)}`;
        }
        const entry = built ? join(distDir, "index.js") : join(core, "src/index.ts");
        const nodeArgs = built ? [] : ["--conditions=@jiceng/source", "--import", "tsx"];
        const runs = 5;
        const rows: string[][] = [];
        let imports: number[] = [];
        const spawn = (file: string, mode: string) => {
          const out = execFileSync(process.execPath, [...nodeArgs, child, entry, file, "20", mode], { cwd: root, encoding: "utf8" });
          return JSON.parse(out.trim().split("\n").at(-1)!) as { importMs: number; coldMs: number; coldWallMs: number; warmMs: number };
        };
        for (const p of packs) {
          const cold: number[] = [];
          const coldWall: number[] = [];
          const warm: number[] = [];
          const jitless: number[] = [];
          for (let i = 0; i < runs; i++) {
            const r = spawn(p.file, "default");
            cold.push(r.coldMs);
            coldWall.push(r.coldWallMs);
            warm.push(r.warmMs);
            imports.push(r.importMs);
            jitless.push(spawn(p.file, "jitless").coldMs);
          }
          const c = median(cold);
          const w = median(warm);
          record(`coldstart.${p.name}.first`, c);
          record(`coldstart.${p.name}.warm`, w);
          rows.push([p.name, `${ms(c)} ms`, `${ms(Math.min(...cold))} – ${ms(Math.max(...cold))} ms`, `${ms(median(coldWall))} ms`, `${ms(median(jitless))} ms`, `${ms(w)} ms`]);
        }
        // Fresh process → first graded case (issue 17's goal): the grade-only entry with a compiled
        // pack, ESM and CJS, against bare node in the same run, processes interleaved. The workspace
        // build (packages/core/dist, the rules package's compiled.js) is what these resolve.
        try {
          execFileSync("npm", ["run", "build", "-w", "@jiceng/core", "-w", "@jiceng/rules-guyuan"], { cwd: root, stdio: "pipe" });
          const lib = (f: string) => fileURLToPath(new URL(`../lib/${f}`, import.meta.url));
          const BARE = 'const u=process.cpuUsage();process.stdout.write(JSON.stringify({total:(u.user+u.system)/1000})+"\\n")';
          const kinds: Array<[string, string[]]> = [
            ["bare node (node -e)", ["-e", BARE]],
            ["@jiceng/core/grade + compiled pack, ESM", [lib("coldstart-lean.mjs")]],
            ["@jiceng/core/grade + compiled pack, CJS", [lib("coldstart-lean.cjs")]],
            ["@jiceng/core createEngine, compiled pack, ESM", [lib("coldstart-full.mjs"), "compiled"]],
            ["@jiceng/core createEngine, pack as written, ESM", [lib("coldstart-full.mjs")]],
            // References, not baselines: the goal is against `node -e` (row 1). What node's loaders
            // cost for a script file that does nothing, so the grade rows can be read net of them.
            ["reference, not a baseline: an empty ES module script (node's ESM loader alone)", [lib("coldstart-empty.mjs")]],
            ["reference, not a baseline: an empty CommonJS script (node's CJS loader alone)", [lib("coldstart-empty.cjs")]],
          ];
          const n = 15;
          const got = kinds.map(() => ({ total: [] as number[], script: [] as number[], wall: [] as number[] }));
          for (let i = 0; i < n; i++) {
            for (let k = 0; k < kinds.length; k++) {
              const j = (k + i) % kinds.length;
              const t0 = performance.now();
              const out = JSON.parse(execFileSync(process.execPath, kinds[j]![1], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!) as { total: number; script?: number; level?: string };
              got[j]!.wall.push(performance.now() - t0);
              if (out.level !== undefined && out.level !== "red") throw new Error(`${kinds[j]![0]} graded ${out.level}, not red`);
              got[j]!.total.push(out.total);
              if (out.script !== undefined) got[j]!.script.push(out.script);
            }
          }
          const bare = median(got[0]!.total);
          const bareWall = median(got[0]!.wall);
          const rows2: string[][] = kinds.map(([name], j) => {
            const g = got[j]!;
            const t = median(g.total);
            return [name, `${ms(t)} ms`, j === 0 ? "—" : `${diff(t - bare)} ms (${(t / bare).toFixed(2)}×)`, g.script.length ? `${ms(median(g.script))} ms` : "—", `${ms(median(g.wall))} ms`, j === 0 ? "—" : `${diff(median(g.wall) - bareWall)} ms`];
          });
          record("coldstart.lean.esm.above", median(got[1]!.total) - bare);
          record("coldstart.lean.cjs.above", median(got[2]!.total) - bare);
          record("coldstart.lean.esm.script", median(got[1]!.script));
          record("coldstart.lean.cjs.script", median(got[2]!.script));
          const emptyEsm = median(got[5]!.total);
          const emptyCjs = median(got[6]!.total);
          notes0.push(`Read the grade rows net of node's loader for the script file (the two reference rows, not the goal's baseline, which stays \`node -e\`): ESM ${ms(median(got[1]!.total) - emptyEsm)} ms above an empty .mjs (node's ESM loader for it: ${diff(emptyEsm - bare)} ms above \`node -e\`), CJS ${ms(median(got[2]!.total) - emptyCjs)} ms above an empty .cjs (${diff(emptyCjs - bare)} ms).`);
          tables.push({
            title: `Fresh process → first graded case (Guyuan, a red case), against bare node in the same run: ${n} processes each, interleaved; CPU time of the whole process (user + system, node's own start-up included) when the case is graded`,
            columns: ["process", "CPU (median)", "above bare node", "CPU from the script's first line", "wall (median)", "wall above bare node"],
            rows: rows2,
          });
          const esbuild = (await import("esbuild")) as typeof import("esbuild");
          const probe = join(root, "node_modules/.cache/jiceng-bench/lean-entry.mjs");
          const { mkdirSync, writeFileSync } = await import("node:fs");
          mkdirSync(join(root, "node_modules/.cache/jiceng-bench"), { recursive: true });
          const leanSize = async (code: string) => {
            writeFileSync(probe, code);
            const r = await esbuild.build({ entryPoints: [probe], bundle: true, minify: true, format: "esm", platform: "neutral", write: false, logLevel: "silent", charset: "utf8", absWorkingDir: root, nodePaths: [join(root, "node_modules")] });
            const c = r.outputFiles[0]!.contents;
            return [kb(c.length), kb(gzipSync(c, { level: 9 }).length)];
          };
          tables.push({
            title: "Size of the grade-only path (esbuild, ESM, minified; gzip -9): createGrader + gradeLevel, with and without a compiled pack",
            columns: ["bundle", "minified", "gzipped"],
            rows: [
              ["@jiceng/core/grade: createGrader(compiled).gradeLevel + the Guyuan compiled pack", ...(await leanSize('import { createGrader } from "@jiceng/core/grade"; import compiled from "@jiceng/rules-guyuan/compiled"; export const gradeLevel = (f) => createGrader(compiled).gradeLevel(f);\n'))],
              ["@jiceng/core/grade alone (createGrader)", ...(await leanSize('export { createGrader } from "@jiceng/core/grade";\n'))],
            ],
          });
        } catch (e) {
          notes0.push(`The grade-only cold start was not measured: ${String((e as { stderr?: Buffer }).stderr ?? e).slice(0, 300)}`);
        }
        const intl: number[] = [];
        for (let i = 0; i < runs; i++) intl.push((JSON.parse(execFileSync(process.execPath, [child, "-", "-", "0", "intl"], { encoding: "utf8" }).trim()) as { intlMs: number }).intlMs);
        imports = imports.sort((a, b) => a - b);
        tables.push({
          title: `Cold start per pack: read + JSON.parse + createEngine (validate, compile, calendar, machine), CPU time of the first call in a fresh \`node\` process after importing ${built ? "dist/index.js" : "src/index.ts via tsx"} (${runs} processes each), and of later calls in the same process`,
          columns: ["pack", "first call, CPU (median)", "min – max", "first call, wall (median)", "first call with zod's JIT off", "later calls (median of 20)"],
          rows,
        });
        const notes = [...notes0, buildNote, `The first \`Intl.DateTimeFormat\` with a time zone in a fresh process (ICU zone data; core makes one to check and use the pack's zone) costs ${ms(median(intl))} ms of CPU by itself (median of ${runs}).`, `Importing @jiceng/core (${built ? "dist/index.js with zod and xstate" : "sources through tsx"}) itself took ${ms(median(imports))} ms (median of ${imports.length} processes; min ${ms(imports[0]!)}, max ${ms(imports.at(-1)!)}), not counted above.`];
        if (built) {
          const dist = join(distDir, "index.js");
          const peers = ["json-rules-engine", "fast-check"];
          const own = await bundleSize(dist, ["zod", "xstate", ...peers]);
          const all = await bundleSize(dist, peers);
          const data = Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(core, "data/holidays-cn.json"), "utf8"))));
          tables.push({
            title: "Size of @jiceng/core's main entry (dist/index.js bundled by esbuild, minified; gzip -9)",
            columns: ["bundle", "minified", "gzipped"],
            rows: [
              ["own code (zod and xstate external)", kb(own.min), kb(own.gz)],
              ["… of which the holiday data (the JSON alone, minified)", kb(data.length), kb(gzipSync(data, { level: 9 }).length)],
              ["with dependencies (zod and xstate bundled)", kb(all.min), kb(all.gz)],
            ],
          });
          // The sources bundled the same way, to see which folders the own code comes from.
          const bySource = await bundleSize(join(core, "src/index.ts"), ["zod", "xstate", ...peers]);
          tables.push({
            title: "Own code by source folder (src/index.ts bundled by esbuild the same way, minified bytes per folder)",
            columns: ["folder", "minified"],
            rows: bySource.inputs.map(([k, v]) => [k, kb(v)]),
          });
          tables.push({
            title: "What the bundle with dependencies is made of (minified bytes per input)",
            columns: ["input", "minified"],
            rows: all.inputs.map(([k, v]) => [k, kb(v)]),
          });
        }
        return { tables, notes };
      },
    };
  },
};
