// The six packages as npm would publish them, installed into an empty app outside the repository:
// ESM and CommonJS apps run, a strict TypeScript app (ESM and CJS files) type-checks, and the
// tarballs hold what they should. Needs the built packages (`npm run build`, run by `npm install`).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./sources.js";

const PACKAGES = ["core", "rules-guyuan", "rules-xiji", "rules-lanxi", "rules-three-centers", "rules-ankang"];
/**
 * Issue 11: the packed @jiceng/core is at most 400 kB (it was 2.09 MB). 306.9 kB on 2026-12-06 (was
 * 473.4 kB) since the code ships once, as ES modules, and CommonJS callers load the same modules
 * through Node's require(esm) (docs/ARCHITECTURE.md, decision 11): before, a second, CommonJS copy
 * of the engine and the CLI took ≈ 193 kB of the gzipped tarball.
 */
const CORE_TARBALL_LIMIT = 400_000;
/** Every `require` entry of @jiceng/core (package.json "exports"). */
const CORE_REQUIRE_ENTRIES = ["@jiceng/core", "@jiceng/core/testing", "@jiceng/core/json-rules-engine", "@jiceng/core/grade"];

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

  it("every package states the same Node floor, the one require(esm) needs without a flag (^20.19.0 || >=22.12.0)", () => {
    for (const p of packed) {
      const meta = JSON.parse(readFileSync(join(app, "node_modules", ...p.name.split("/"), "package.json"), "utf8")) as { engines?: { node?: string } };
      expect(meta.engines?.node, p.name).toBe("^20.19.0 || >=22.12.0");
    }
  });

  it("core holds no tests, no sources beside the build, no source maps, and stays within its budget", () => {
    const core = packed.find((p) => p.name === "@jiceng/core")!;
    const paths = core.files.map((f) => f.path);
    expect(paths.filter((f) => /\.test\.|(^|\/)test\/|^src\/|\.map$/.test(f))).toEqual([]);
    expect(core.size).toBeLessThanOrEqual(CORE_TARBALL_LIMIT);
  });

  it("one copy of the engine: ES modules only, each CommonJS entry a one-line require of its ES module", () => {
    const dist = join(app, "node_modules", "@jiceng", "core", "dist");
    const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).map((f) => f.replaceAll("\\", "/"));
    const code = files.filter((f) => /\.(c|m)?js$/.test(f));
    const defining = code.filter((f) => readFileSync(join(dist, f), "utf8").includes("jiceng.loadedPack"));
    // In grade.js: the chunks the grade-only entry needs are folded into it (scripts/finish-build.mjs).
    expect(defining).toEqual(["grade.js"]);
    const stubs = code.filter((f) => f.endsWith(".cjs")).sort();
    expect(stubs).toEqual(["grade.cjs", "index.cjs", "json-rules-engine.cjs", "testing/index.cjs"]);
    for (const f of stubs) {
      const lines = readFileSync(join(dist, f), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("//") && l !== '"use strict";');
      expect(lines, f).toEqual([`module.exports = require("./${f.slice(f.lastIndexOf("/") + 1).replace(/\.cjs$/, ".js")}");`]);
    }
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

  it("CommonJS: every require entry loads (no top-level await in its graph, which require(esm) refuses), silently, and is the ES module itself", () => {
    writeFileSync(join(app, "entries.cjs"), `
      const entries = ${JSON.stringify(CORE_REQUIRE_ENTRIES)};
      const out = {};
      Promise.all(entries.map(async (e) => {
        let cjs;
        try { cjs = require(e); } catch (error) { out[e] = { code: error.code, message: error.message }; return; }
        const esm = await import(e);
        out[e] = { same: cjs === esm, exports: Object.keys(cjs).length };
      })).then(() => console.log(JSON.stringify(out)));`);
    // stderr is captured: Node prints an ExperimentalWarning where require(esm) is still flagged.
    const result = spawnSync(process.execPath, ["entries.cjs"], { cwd: app, encoding: "utf8" });
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout) as Record<string, { same?: boolean; exports?: number }>;
    for (const e of CORE_REQUIRE_ENTRIES) {
      expect(out[e], e).toMatchObject({ same: true });
      expect(out[e]!.exports, e).toBeGreaterThan(0);
    }
  });

  it("one module instance for require and import: the same createEngine and JicengError, isJicengError across both (from a CJS app and from an ESM app)", () => {
    const probe = (load: string) => `
      ${load}
      const guyuan = cjs.require("@jiceng/rules-guyuan");
      const out = { createEngine: cjs.core.createEngine === esm.core.createEngine, JicengError: cjs.core.JicengError === esm.core.JicengError,
        gradeError: cjs.grade.JicengError === esm.core.JicengError, grader: cjs.grade.createGrader === esm.grade.createGrader };
      const engine = cjs.core.createEngine(guyuan);
      try { esm.core.createEngine(guyuan).assess({}); } catch (e) { out.fromEsm = [cjs.core.isJicengError(e), e instanceof cjs.core.JicengError, e.code]; }
      try { engine.assess({}); } catch (e) { out.fromCjs = [esm.core.isJicengError(e), e instanceof esm.core.JicengError, e.code]; }
      out.level = esm.core.createEngine(guyuan).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" });
      console.log(JSON.stringify(out));`;
    writeFileSync(join(app, "instance.cjs"), `(async () => {${probe(`
      const cjs = { require, core: require("@jiceng/core"), grade: require("@jiceng/core/grade") };
      const esm = { core: await import("@jiceng/core"), grade: await import("@jiceng/core/grade") };`)}})();`);
    writeFileSync(join(app, "instance.mjs"), `
      import { createRequire } from "node:module";
      import * as core from "@jiceng/core";
      import * as grade from "@jiceng/core/grade";
      const require = createRequire(import.meta.url);
      ${probe(`const cjs = { require, core: require("@jiceng/core"), grade: require("@jiceng/core/grade") }; const esm = { core, grade };`)}`);
    const expected = { createEngine: true, JicengError: true, gradeError: true, grader: true, fromEsm: [true, true, "MISSING_FACT"], fromCjs: [true, true, "MISSING_FACT"], level: "yellow" };
    expect(JSON.parse(node("instance.cjs"))).toEqual(expected);
    expect(JSON.parse(node("instance.mjs"))).toEqual(expected);
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
    const out = execFileSync(process.execPath, [join(app, "node_modules", "@jiceng", "core", "bin", "jiceng.js"), "--version"], { cwd: app, encoding: "utf8" });
    expect(out.trim()).toBe(`jiceng ${JSON.parse(readFileSync(join(ROOT, "packages", "core", "package.json"), "utf8")).version}`);
  });

  it("the engine commands read an installed pack's compiled module when it is as new as its pack.json, and pack.json otherwise", () => {
    const other = mkdtempSync(join(tmpdir(), "jiceng-app-cli-"));
    try {
      mkdirSync(join(other, "node_modules", "@jiceng"), { recursive: true });
      cpSync(join(app, "node_modules", "@jiceng"), join(other, "node_modules", "@jiceng"), { recursive: true });
      for (const dep of ["zod", "xstate"]) symlinkSync(join(ROOT, "node_modules", dep), join(other, "node_modules", dep), "dir");
      writeFileSync(join(other, "package.json"), JSON.stringify({ name: "other", private: true }));
      writeFileSync(join(other, "case.json"), JSON.stringify({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } }));
      const guyuan = join(other, "node_modules", "@jiceng", "rules-guyuan");
      const grade = () => spawnSync(process.execPath, [join(other, "node_modules", "@jiceng", "core", "bin", "jiceng.js"), "grade", "--pack", "guyuan", "--json", "case.json"], { cwd: other, encoding: "utf8" });
      const level = (r: ReturnType<typeof grade>) => (r.status === 0 ? (JSON.parse(r.stdout) as { level: string }).level : `exit ${r.status}: ${r.stdout}${r.stderr}`);
      expect(level(grade())).toBe("red");
      // pack.json no longer a valid pack, but older than the compiled module: the compiled pack is what runs.
      const written = readFileSync(join(guyuan, "pack.json"), "utf8");
      writeFileSync(join(guyuan, "pack.json"), JSON.stringify({ id: "guyuan" }));
      const past = new Date(Date.UTC(2020, 0, 1));
      utimesSync(join(guyuan, "pack.json"), past, past);
      expect(level(grade())).toBe("red");
      // Edited after the build (newer than the module): pack.json is what runs.
      writeFileSync(join(guyuan, "pack.json"), written.replaceAll('"level": "red"', '"level": "orange"'));
      expect(level(grade())).toBe("orange");
      // A compiled module changed by hand (its digest no longer matches) is not trusted either.
      writeFileSync(join(guyuan, "pack.json"), JSON.stringify({ id: "guyuan" }));
      utimesSync(join(guyuan, "pack.json"), past, past);
      const module = readFileSync(join(guyuan, "compiled.cjs"), "utf8");
      writeFileSync(join(guyuan, "compiled.cjs"), module.replace('\\"rank\\":3', '\\"rank\\":4'));
      expect(readFileSync(join(guyuan, "compiled.cjs"), "utf8")).not.toBe(module);
      expect(grade().status).toBe(1); // pack.json ({ id }) is validated instead, and refused
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("strict TypeScript (module node16, library types checked too): ESM and CJS files type-check; a module object is refused", { timeout: 300_000 }, () => {
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
      compilerOptions: { strict: true, module: "node16", moduleResolution: "node16", target: "es2022", noEmit: true, skipLibCheck: false, types: [] },
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
