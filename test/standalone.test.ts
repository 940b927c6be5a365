// The repository stands alone: nothing in it reaches outside (the source texts come only through
// JICENG_SOURCES), and scratch files stay out of it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, locateSource } from "./sources.js";

const git = (...args: string[]): string => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" });

describe("nothing reaches outside the repository", () => {
  it("no file names ../shared or shared/seeds, except where it documents JICENG_SOURCES", () => {
    const files = git("ls-files", "-co", "--exclude-standard").split("\n").filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const outside = files.filter((f) => {
      let text: string;
      try {
        text = readFileSync(join(ROOT, f), "utf8");
      } catch {
        return false; // deleted in the work tree
      }
      return /\.\.\/shared|shared\/seeds|\.\.\/\.\.\/\.\.\/\.\.\/shared/.test(text) && !text.includes("JICENG_SOURCES");
    });
    expect(outside).toEqual([]);
  });

  it("keeps scratch files at the root out of git", () => {
    expect(git("ls-files", "_*").trim()).toBe("");
    expect(git("check-ignore", "_t9.ts", "_try.mjs").trim().split("\n")).toEqual(["_t9.ts", "_try.mjs"]);
  });
});

describe("locateSource", () => {
  const root = mkdtempSync(join(tmpdir(), "jiceng-sources-"));
  const repo = join(root, "repo");
  mkdirSync(join(root, "texts"), { recursive: true });
  mkdirSync(repo);
  writeFileSync(join(root, "texts", "a.txt"), "正文");

  it("reads JICENG_SOURCES, relative to the repository root or absolute", () => {
    expect(locateSource("a.txt", { JICENG_SOURCES: "../texts" }, repo)).toMatchObject({ kind: "text", text: "正文" });
    expect(locateSource("a.txt", { JICENG_SOURCES: join(root, "texts") }, repo)).toMatchObject({ kind: "text", path: join(root, "texts", "a.txt") });
  });

  it("without the variable and without ../shared/seeds, skips with one line naming the variable", () => {
    const r = locateSource("a.txt", {}, repo);
    expect(r.kind).toBe("skip");
    expect(r.kind === "skip" && r.line).toMatch(/JICENG_SOURCES/);
    expect(r.kind === "skip" && r.line.includes("\n")).toBe(false);
  });

  it("falls back to ../shared/seeds beside the repository", () => {
    mkdirSync(join(root, "shared", "seeds"), { recursive: true });
    writeFileSync(join(root, "shared", "seeds", "b.txt"), "乙");
    expect(locateSource("b.txt", {}, repo)).toMatchObject({ kind: "text", text: "乙" });
    expect(locateSource("c.txt", {}, repo).kind).toBe("skip");
  });

  it("fails instead of skipping under JICENG_REQUIRE_SOURCES=1, or when JICENG_SOURCES lacks the file", () => {
    const required = locateSource("c.txt", { JICENG_REQUIRE_SOURCES: "1" }, repo);
    expect(required.kind).toBe("fail");
    expect(required.kind === "fail" && required.message).toMatch(/JICENG_REQUIRE_SOURCES=1/);
    expect(locateSource("c.txt", { JICENG_SOURCES: "../texts" }, repo)).toMatchObject({ kind: "fail" });
  });
});
