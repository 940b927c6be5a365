// Issue 18: the CLI measured against the conventions of git, npm and ESLint — JSON errors with a
// line and column, streamed JSON Lines, progress only on a terminal, duplicate cases counted once.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IssueCode } from "../src/errors/index.js";
import { main } from "../src/cli/index.js";
import { readJsonLines } from "../src/cli/source.js";
import { guyuanEngine, guyuanStories } from "./scoring-fixtures.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], opts: { stdin?: string | AsyncIterable<string>; tty?: boolean } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: Object.assign({ write: (s: string) => (stderr += s) }, opts.tty ? { isTTY: true } : {}),
    cwd: REPO,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  });
  return { code, stdout, stderr };
}

let tmp: string;
const file = (name: string, content: string) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jiceng-cli18-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("JSON syntax errors: line, column and the line itself", () => {
  it("a broken pack names line 4, column 18 and shows the line with a caret", async () => {
    const bad = file("broken.json", '{\n  "id": "x",\n  "facts": [\n    {"name": "a" "type": "string"}\n  ]\n}\n');
    const r = await run(["validate", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("不是有效的 JSON：第 4 行第 18 列：此处应为 “,” 或 “}”");
    expect(r.stderr).toContain('is not valid JSON: line 4, column 18: expected "," or "}", not """ (a missing comma?)');
    expect(r.stderr).toContain('    4 |     {"name": "a" "type": "string"}\n      |                  ^\n');
    expect(r.stderr).not.toMatch(/position \d+/);
  });

  it("a bad line of JSON Lines gets its own line number in the excerpt", async () => {
    const r = await run(["replay", "--pack", "guyuan", "-"], { stdin: '{"type":"intake"}\n\n{"type":"tick",}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("stdin line 3 is not valid JSON: column 16: expected a key in double quotes");
    expect(r.stderr).toContain('    3 | {"type":"tick",}\n      |                ^\n');
  });
});

describe("JSON Lines are streamed line by line", () => {
  it("lines split across chunks, CRLF, a BOM and blank lines: every record with its line number", async () => {
    async function* chunks() {
      yield '\uFEFF{"a":1}\r\n\r\n{"b":';
      yield '2}\n{"c":"长';
      yield '文本"}';
    }
    const got: unknown[] = [];
    for await (const l of readJsonLines("-", { stdout: process.stdout, stderr: process.stderr, cwd: REPO, stdin: Readable.from(chunks()) }, IssueCode.INVALID_SNAPSHOT)) got.push(l);
    expect(got).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { b: 2 } },
      { line: 4, value: { c: "长文本" } },
    ]);
  });

  it("a JSON array in place of JSON Lines still works", async () => {
    const got: unknown[] = [];
    for await (const l of readJsonLines("-", { stdout: process.stdout, stderr: process.stderr, cwd: REPO, stdin: '[\n {"a": 1},\n {"a": 2}\n]\n' }, IssueCode.INVALID_SNAPSHOT)) got.push(l);
    expect(got).toEqual([{ line: 1, value: { a: 1 } }, { line: 2, value: { a: 2 } }]);
  });

  it("50,000 lines read from a stream one at a time, the bad ones named by line (first 20, then a count)", async () => {
    const N = 50_000;
    const bad = new Set([7, 12_345, 49_999]);
    async function* lines() {
      for (let i = 1; i <= N; i++) yield bad.has(i) ? `{"n": ${i}\n` : `{"n": ${i}}\n`;
    }
    const seen: number[] = [];
    const gen = readJsonLines("-", { stdout: process.stdout, stderr: process.stderr, cwd: REPO, stdin: Readable.from(lines()) }, IssueCode.INVALID_SNAPSHOT);
    const error = await (async () => {
      try {
        for await (const l of gen) seen.push(l.line);
      } catch (e) {
        return e as { issues: Array<{ message: { en: string } }> };
      }
      return undefined;
    })();
    expect(seen).toHaveLength(6); // records after the first bad line are not handed on
    expect(error!.issues.map((i) => i.message.en.split(":")[0])).toEqual(["stdin line 7 is not valid JSON", "stdin line 12345 is not valid JSON", "stdin line 49999 is not valid JSON"]);
  });
});

describe("score and sweep: duplicates, progress", () => {
  const snapshotsText = (() => {
    let text: string | undefined;
    return () => (text ??= guyuanStories(guyuanEngine(), { from: "2022-07-01T00:00:00+08:00", to: "2022-09-20T00:00:00+08:00", count: 30, seed: 5 }).map((s) => JSON.stringify(s)).join("\n") + "\n");
  })();

  it("the same case twice is warned about and counted once (the newer snapshot)", async () => {
    const lines = snapshotsText().trim().split("\n");
    const once = await run(["score", "--pack", "guyuan", "--period", "2022Q3", "--json", file("once.jsonl", lines.join("\n"))]);
    expect(once.code, once.stderr).toBe(0);
    const twice = await run(["score", "--pack", "guyuan", "--period", "2022Q3", "--json", file("twice.jsonl", [...lines, lines[4]!, lines[9]!].join("\n"))]);
    expect(twice.code, twice.stderr).toBe(0);
    const a = JSON.parse(once.stdout);
    const b = JSON.parse(twice.stdout);
    expect(b.cases).toBe(a.cases);
    expect(b.total).toEqual(a.total);
    expect(b.duplicates).toHaveLength(2);
    const n5 = JSON.parse(lines[4]!).context.number as string;
    expect(twice.stderr).toContain(`warning DUPLICATE_CASE: 案件 ${n5} 出现 2 次`);
    expect(twice.stderr).toContain(`case ${n5} appears 2 times (line 5; also line 31): counted once`);
  });

  it("progress goes to stderr only on a terminal and never with --json", async () => {
    // 10,000 snapshots: enough for one progress line.
    const one = snapshotsText().trim().split("\n")[0]!;
    const many = Array.from({ length: 10_000 }, () => one).join("\n");
    const piped = await run(["sweep", "--pack", "guyuan", "--at", "2022-10-01T00:00:00+08:00", "-"], { stdin: many });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe("");
    const tty = await run(["sweep", "--pack", "guyuan", "--at", "2022-10-01T00:00:00+08:00", "-"], { stdin: many, tty: true });
    expect(tty.stderr).toContain("已读 10,000 行… / read 10,000 lines…");
    expect(tty.stderr.endsWith("\r\x1b[K")).toBe(true);
    const json = await run(["sweep", "--pack", "guyuan", "--at", "2022-10-01T00:00:00+08:00", "--json", "-"], { stdin: many, tty: true });
    expect(json.stderr).toBe("");
  });
});

describe("validate and lint take several packs and globs, with a summary line", () => {
  it("validate 'packages/rules-*/pack.json' checks all five; an invalid one and a missing one are counted, exit 1", async () => {
    const all = await run(["validate", "packages/rules-*/pack.json", "--lang", "en"]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.match(/^✓ The pack is valid: /gm)).toHaveLength(5);
    expect(all.stdout.trimEnd().split("\n").at(-1)).toMatch(/^5 packs: 5 valid, 0 invalid; 0 errors, \d+ warnings?$/);
    const broken = file("broken-pack.json", "{ nope");
    const mixed = await run(["validate", "guyuan", broken, join(tmp, "missing.json"), "--lang", "en"]);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain("✓ The pack is valid: guyuan");
    expect(mixed.stdout).toMatch(/✗ The pack is invalid: .*broken-pack\.json\nINVALID_PACK: .*line 1, column 3/);
    expect(mixed.stdout).toContain("PACK_NOT_FOUND");
    expect(mixed.stdout.trimEnd().split("\n").at(-1)).toMatch(/^3 packs: 1 valid, 2 invalid; 2 errors, \d+ warnings?$/);
    const j = JSON.parse((await run(["validate", "packages/rules-{guyuan,xiji}/pack.json", "--json"])).stdout);
    expect(j.summary).toMatchObject({ packs: 2, valid: 2, invalid: 0, errors: 0 });
    expect(j.results.map((r: { pack: { id: string } }) => r.pack.id)).toEqual(["guyuan", "xiji"]);
  });

  it("a glob that matches nothing is an error, not silence", async () => {
    const r = await run(["validate", "packages/nothing-*/pack.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No file matches packages/nothing-*/pack.json");
  });

  it("lint over several packs ends with the summary line", async () => {
    const r = await run(["lint", "guyuan", "packages/rules-xiji/pack.json", "--lang", "en"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Pack: guyuan");
    expect(r.stdout).toContain("Pack: xiji");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^2 packs: 2 valid, 0 invalid; 0 errors, \d+ warnings$/);
  });

  it("validate and lint report an unreadable pack among several the same way", async () => {
    const missing = join(tmp, "gone.json");
    const v = JSON.parse((await run(["validate", "guyuan", missing, "--json"])).stdout);
    const l = JSON.parse((await run(["lint", "guyuan", missing, "--json"])).stdout);
    for (const doc of [v, l]) {
      expect(doc.summary).toMatchObject({ packs: 2, valid: 1, invalid: 1, errors: 1 });
      expect(doc.results[1]).toMatchObject({ valid: false, file: missing, warnings: [] });
      expect(doc.results[1].errors.map((i: { code: string }) => i.code)).toEqual(["PACK_NOT_FOUND"]);
    }
    expect(l.results[1].tables).toEqual([]);
    expect(v.results[1]).not.toHaveProperty("tables");
    const text = await run(["lint", "guyuan", missing, "--lang", "en"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`✗ The pack is invalid: ${missing}`);
  });
});

describe("jiceng types", () => {
  it("writes the same declarations a rules package ships, for a county's own pack.json", async () => {
    const { readFileSync } = await import("node:fs");
    const r = await run(["types", "packages/rules-xiji/pack.json"]);
    expect(r.code, r.stderr).toBe(0);
    const shipped = readFileSync(join(REPO, "packages/rules-xiji/types.d.ts"), "utf8");
    // Only the header (which command made it) differs.
    expect(r.stdout.split("\n").slice(1)).toEqual(shipped.split("\n").slice(1));
    expect(r.stdout).toContain('export type Level = "red" | "orange" | "yellow";');
    const out = join(tmp, "types.d.ts");
    const w = await run(["types", "guyuan", "--out", out]);
    expect(w.code, w.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toContain('difficulty?: "simple" | "complex" | "major";');
    const bad = await run(["types", file("bad-pack.json", JSON.stringify({ id: "x" }))]);
    expect(bad.code).toBe(1);
  });
});
