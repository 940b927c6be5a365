// A browser app bundles `@jiceng/core` as published (dist/, built by `npm install`): the root entry
// and every chunk it loads must be free of Node built-ins, and the bundle must run without them.
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = new URL("../../../", import.meta.url).pathname;

async function bundle(code: string) {
  const result = await build({
    stdin: { contents: code, resolveDir: root, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "app",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  return { js: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe("the browser bundles the built root entry", () => {
  it("with esbuild --platform=browser, no Node built-in in any chunk it loads, and it runs without Node", async () => {
    const { js, inputs } = await bundle(`
      import { createEngine, isJicengError } from "@jiceng/core";
      import guyuan from "@jiceng/rules-guyuan";
      const engine = createEngine(guyuan);
      export const dueAt = engine.assess({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }).dueAt;
      let code;
      try { engine.assess({}); } catch (e) { code = isJicengError(e) && e.code; }
      export { code };
    `);
    expect(inputs.some((f) => f.includes("packages/core/dist/index.js"))).toBe(true);
    expect(inputs.filter((f) => f.includes("packages/core/src/"))).toEqual([]);
    expect(inputs.filter((f) => /^(node:)?(fs|path|url|module|os|child_process)(\/|$)/.test(f))).toEqual([]);
    // A fresh realm with the language's built-ins and the one web API core uses (structuredClone,
    // in every browser): no process, no require, no Buffer.
    const sandbox: { app?: { dueAt: string; code: string }; structuredClone: typeof structuredClone } = { structuredClone };
    runInNewContext(js, sandbox);
    expect(sandbox.app).toEqual({ dueAt: "2022-06-28T00:00:00+08:00", code: "MISSING_FACT" });
  });
});
