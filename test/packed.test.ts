// The six packages as npm would publish them, installed into an empty app outside the repository:
// ESM and CommonJS apps run, a strict TypeScript app (ESM and CJS files) type-checks, and the
// tarballs hold what they should. Needs the built packages (`npm run build`, run by `npm install`).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./sources.js";

const PACKAGES = ["core", "rules-guyuan", "rules-xiji", "rules-lanxi", "rules-three-centers", "rules-ankang"];
/**
 * A ceiling for the packed @jiceng/core, in bytes, so that it cannot grow unnoticed (it was 2.09 MB).
 * Issue 11 asks for 400 kB; measured 460.7 kB on 2026-12-06 10:05 UTC (471.7 kB at 10:38 with the
 * @jiceng/core/grade entry) after the ESM declaration
 * entries became re-exports of their .d.cts twins (scripts/share-types.mjs; 523.7 kB before): minified
 * ESM ≈ 153 kB and CJS ≈ 179 kB (CLI included), declarations ≈ 60 kB, JSON Schemas ≈ 37 kB, gzip.
 * The 400 kB target is not met: what is left is one copy of the code per module format.
 */
const CORE_TARBALL_LIMIT = 480_000;

interface Packed {
  name: string;
  filename: string;
  size: number;
  files: Array<{ path: string; size: number }>;
}

let app = "";
let packed: Packed[] = [];
const node = (file: string): string => execFileSync(process.execPath, [file], { cwd: app, encoding: "utf8" });

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), "jiceng-app-"));
  const tarballs = join(app, "tarballs");
  mkdirSync(tarballs);
  const args = ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs, ...PACKAGES.flatMap((p) => ["-w", `packages/${p}`])];
  packed = JSON.parse(execFileSync("npm", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Packed[];
  // Install: each tarball unpacked into node_modules, the third-party dependencies linked from the repository's.
  for (const p of packed) {
    const dir = join(app, "node_modules", ...p.name.split("/"));
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xzf", join(tarballs, p.filename), "-C", dir, "--strip-components=1"]);
  }
  for (const dep of ["zod", "xstate", "fast-check", "json-rules-engine"]) symlinkSync(join(ROOT, "node_modules", dep), join(app, "node_modules", dep), "dir");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true }));
}, 120_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe("the tarballs", () => {
  it("packs all six, each with its LICENSE; core with the holiday data notice", () => {
    expect(packed.map((p) => p.name).sort()).toEqual(PACKAGES.map((p) => `@jiceng/${p}`).sort());
    for (const p of packed) expect(p.files.map((f) => f.path), p.name).toContain("LICENSE");
    expect(packed.find((p) => p.name === "@jiceng/core")!.files.map((f) => f.path)).toContain("THIRD-PARTY-NOTICES.md");
  });

  it("core holds no tests, no sources beside the build, no source maps, and stays within its budget", () => {
    const core = packed.find((p) => p.name === "@jiceng/core")!;
    const paths = core.files.map((f) => f.path);
    expect(paths.filter((f) => /\.test\.|(^|\/)test\/|^src\/|\.map$/.test(f))).toEqual([]);
    expect(core.size).toBeLessThanOrEqual(CORE_TARBALL_LIMIT);
  });

  it("CJS: one copy of the engine, shared by the entries", () => {
    const core = join(app, "node_modules", "@jiceng", "core", "dist");
    const cjs = [...readdirSync(core), ...readdirSync(join(core, "testing")).map((f) => `testing/${f}`), "cli/index.cjs"].filter((f) => f.endsWith(".cjs"));
    const defining = cjs.filter((f) => readFileSync(join(core, f), "utf8").includes("jiceng.loadedPack"));
    expect(defining).toHaveLength(1);
    expect(defining[0]).toMatch(/^chunk-/);
  });
});

describe("an app outside the repository", () => {
  it("CommonJS: createEngine(require(pack)) works, and .pack names the same pack", () => {
    writeFileSync(join(app, "app.cjs"), `
      const { createEngine, isJicengError } = require("@jiceng/core");
      const guyuan = require("@jiceng/rules-guyuan");
      const out = { same: guyuan.pack === guyuan, keys: Object.keys(guyuan).includes("pack"), json: "pack" in JSON.parse(JSON.stringify(guyuan)) };
      out.ids = ["guyuan", "xiji", "lanxi", "three-centers", "ankang"].map((id) => createEngine(require("@jiceng/rules-" + id)).pack.id);
      const engine = createEngine(guyuan);
      out.dueAt = engine.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }).dueAt;
      try { createEngine({ default: guyuan, pack: guyuan }); } catch (e) { out.error = isJicengError(e) && e.code; }
      out.testing = typeof require("@jiceng/core/testing").checkInvariants;
      out.jre = typeof require("@jiceng/core/json-rules-engine").toJsonRulesEngine;
      console.log(JSON.stringify(out));`);
    expect(JSON.parse(node("app.cjs"))).toEqual({
      same: true, keys: false, json: false,
      ids: ["guyuan", "xiji", "lanxi", "three-centers", "ankang"],
      dueAt: "2022-06-28T00:00:00+08:00", error: "SCHEMA", testing: "function", jre: "function",
    });
  });

  it("ESM: the default and the named import are the pack", () => {
    writeFileSync(join(app, "app.mjs"), `
      import { createEngine } from "@jiceng/core";
      import guyuan, { pack } from "@jiceng/rules-guyuan";
      import { checkInvariants } from "@jiceng/core/testing";
      const engine = createEngine(guyuan);
      console.log(JSON.stringify({ same: guyuan === pack, id: createEngine(pack).pack.id, level: engine.gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }), testing: typeof checkInvariants }));`);
    expect(JSON.parse(node("app.mjs"))).toEqual({ same: true, id: "guyuan", level: "yellow", testing: "function" });
  });

  it("the jiceng command runs from the installed package", () => {
    const out = execFileSync(process.execPath, [join(app, "node_modules", "@jiceng", "core", "bin", "jiceng.cjs"), "--version"], { cwd: app, encoding: "utf8" });
    expect(out.trim()).toBe(`jiceng ${JSON.parse(readFileSync(join(ROOT, "packages", "core", "package.json"), "utf8")).version}`);
  });

  it("strict TypeScript (nodenext, library types checked too): ESM and CJS files type-check; a module object is refused", { timeout: 300_000 }, () => {
    writeFileSync(join(app, "esm.mts"), `
      import { createEngine, type Engine } from "@jiceng/core";
      import guyuan, { pack } from "@jiceng/rules-guyuan";
      export const a: Engine = createEngine(guyuan);
      export const b: Engine = createEngine(pack);
      // @ts-expect-error a module namespace is not a pack
      createEngine({ default: guyuan, pack });
    `);
    writeFileSync(join(app, "cjs.cts"), `
      import core = require("@jiceng/core");
      import guyuan = require("@jiceng/rules-guyuan");
      export const level: string = core.createEngine(guyuan).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", source: "public", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01" });
      export const same = core.createEngine(guyuan.pack);
      // @ts-expect-error a module-shaped object is not a pack
      core.createEngine({ default: guyuan });
    `);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: false, types: [] },
      files: ["esm.mts", "cjs.cts"],
    }));
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", app], { cwd: app, encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    expect(output).toBe("");
  });
});
