import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The published shape: the built ESM and CJS entry points (dist/, built by `npm install`'s prepare
// step) load in plain Node without the source condition, for core and every pack.
const root = new URL("../../../", import.meta.url);
const packs = ["guyuan", "xiji", "lanxi", "three-centers", "ankang"];
const run = (file: string, code: string) => execFileSync(process.execPath, ["--input-type=" + file, "-e", code], { cwd: root, encoding: "utf8" });

describe("built packages work in ESM and CommonJS", () => {
  it("dist/ exists (run `npm run build` if this fails locally)", () => {
    expect(existsSync(new URL("packages/core/dist/index.js", root))).toBe(true);
    expect(existsSync(new URL("packages/core/dist/index.cjs", root))).toBe(true);
  });

  it("CommonJS: require() of core, its sub-entries and every pack", () => {
    const out = run("commonjs", `
      const core = require("@jiceng/core");
      const out = [typeof require("@jiceng/core/testing").checkInvariants, typeof require("@jiceng/core/json-rules-engine").toJsonRulesEngine];
      for (const id of ${JSON.stringify(packs)}) out.push(core.createEngine(require("@jiceng/rules-" + id).pack).pack.id);
      const g = core.createEngine(require("@jiceng/rules-guyuan").pack);
      out.push(g.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }).dueAt);
      try { g.assess({}); } catch (e) { out.push(core.isJicengError(e) && e.code); }
      console.log(JSON.stringify(out));`);
    expect(JSON.parse(out)).toEqual(["function", "function", ...packs, "2022-06-28T00:00:00+08:00", "MISSING_FACT"]);
  });

  it("ESM: import of core, its sub-entries and every pack", () => {
    const out = run("module", `
      import { createEngine, isJicengError } from "@jiceng/core";
      import { checkInvariants } from "@jiceng/core/testing";
      import { toJsonRulesEngine } from "@jiceng/core/json-rules-engine";
      const out = [typeof checkInvariants, typeof toJsonRulesEngine];
      for (const id of ${JSON.stringify(packs)}) out.push(createEngine((await import("@jiceng/rules-" + id)).default).pack.id);
      const g = createEngine((await import("@jiceng/rules-guyuan")).default);
      out.push(g.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }).dueAt);
      try { g.assess({}); } catch (e) { out.push(isJicengError(e) && e.code); }
      console.log(JSON.stringify(out));`);
    expect(JSON.parse(out)).toEqual(["function", "function", ...packs, "2022-06-28T00:00:00+08:00", "MISSING_FACT"]);
  });

  it("the JSON Schema is reachable as a package export", () => {
    const out = run("commonjs", `console.log(require("@jiceng/core/schema/rule-pack.schema.json").$schema)`);
    expect(out.trim()).toBe("http://json-schema.org/draft-07/schema#");
  });
});
