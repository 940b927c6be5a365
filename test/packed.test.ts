// The six packages as npm would publish them, installed into an empty app outside the repository:
// ESM and CommonJS apps run, a strict TypeScript app (ESM and CJS files) type-checks, and the
// tarballs hold what they should. Needs the built packages (`npm run build`, run by `npm install`).
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./sources.js";

const PACKAGES = ["core", "rules-guyuan", "rules-xiji", "rules-lanxi", "rules-three-centers", "rules-ankang"];
/**
 * A ceiling for the packed @jiceng/core, in bytes, so that it cannot grow unnoticed (it was 2.09 MB).
 * Issue 11 asks for 400 kB; NOT met: 462.5 kB on 2026-12-06 12:27 UTC, 472.6 kB at 12:58 (core's
 * README grew from 13.6 to 21.8 kB, and the code with the day's work). What it holds (gzip): minified
 * ESM ≈ 160 kB and CJS ≈ 185 kB (CLI included, ESM only has no CLI), declarations ≈ 64 kB (half of
 * it JSDoc), JSON Schemas ≈ 37 kB. Cut so far: sources, maps and tests (2.09 MB → 524 kB), one
 * declaration copy (→ 461 kB), the rule-pack JSON Schema generator and its editor docs out of both
 * builds (the shipped file is the schema; −17 kB). What is left is one copy of the code per module
 * format: an ESM wrapper over the CJS build would save ≈ 165 kB but doubles an app's browser bundle
 * (the CJS build requires zod's CJS build: createEngine + a pack, esbuild --minify, 1.23 MB / 354 kB gz
 * against 612 kB / 200 kB from the ESM build); CJS as require(esm) needs Node ≥ 20.19 and fails attw.
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

  it("without fast-check, @jiceng/core/testing throws a JicengError naming `npm install -D fast-check` (ESM and CJS); the rest of core works", () => {
    // A second app with the same packages but no fast-check anywhere above it (a copy, not a link:
    // Node resolves a linked package from where it really is, beside the first app's fast-check).
    const bare = mkdtempSync(join(tmpdir(), "jiceng-app-no-fc-"));
    try {
      mkdirSync(join(bare, "node_modules", "@jiceng"), { recursive: true });
      cpSync(join(app, "node_modules", "@jiceng"), join(bare, "node_modules", "@jiceng"), { recursive: true });
      for (const dep of ["zod", "xstate"]) symlinkSync(join(ROOT, "node_modules", dep), join(bare, "node_modules", dep), "dir");
      writeFileSync(join(bare, "package.json"), JSON.stringify({ name: "bare", private: true }));
      writeFileSync(join(bare, "esm.mjs"), `
        import { isJicengError } from "@jiceng/core";
        let out;
        try { await import("@jiceng/core/testing"); out = "loaded"; } catch (e) { out = { jiceng: isJicengError(e), code: e.code, zh: e.issues?.[0]?.message.zh, en: e.issues?.[0]?.message.en }; }
        console.log(JSON.stringify(out));`);
      writeFileSync(join(bare, "cjs.cjs"), `
        const { isJicengError, createEngine } = require("@jiceng/core");
        let out;
        try { require("@jiceng/core/testing"); out = "loaded"; } catch (e) { out = { jiceng: isJicengError(e), code: e.code, en: e.issues?.[0]?.message.en }; }
        out.level = createEngine(require("@jiceng/rules-guyuan")).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" });
        console.log(JSON.stringify(out));`);
      const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { cwd: bare, encoding: "utf8" })) as Record<string, unknown>;
      const esm = run("esm.mjs");
      expect(esm).toMatchObject({ jiceng: true, code: "MISSING_DEPENDENCY" });
      expect(esm["zh"]).toContain("npm install -D fast-check");
      expect(esm["en"]).toContain("npm install -D fast-check");
      expect(run("cjs.cjs")).toMatchObject({ jiceng: true, code: "MISSING_DEPENDENCY", en: expect.stringContaining("npm install -D fast-check"), level: "yellow" });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
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
