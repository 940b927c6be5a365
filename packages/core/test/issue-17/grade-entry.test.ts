// Issue 17 (and issue 11's grade-only import path): @jiceng/core/grade pulls in neither zod nor
// XState, nor scoring, tables, routing, the lifecycle, the CLI or HTML.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("@jiceng/core/grade", () => {
  it("bundles without zod, xstate, scoring, tables, routing, lifecycle, cli or pack schema modules", async () => {
    const r = await build({ entryPoints: [new URL("../../src/grade.ts", import.meta.url).pathname], bundle: true, write: false, metafile: true, format: "esm", platform: "neutral", logLevel: "silent" });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.filter((i) => i.includes("node_modules"))).toEqual([]);
    expect(inputs.filter((i) => /src\/(scoring|tables|routing|lifecycle|cli|units|numbering|vocabulary\/(?!names|loaded|version))|pack\/(schema|load)|html/.test(i))).toEqual([]);
    // It really is the grader: the modules that grade are in.
    expect(inputs.some((i) => i.endsWith("grading/grade.ts"))).toBe(true);
  });
});
