// The READMEs run (issue 11): every ```ts block of the root README and the package READMEs is
// type-checked strictly against the packages and run, and so is every ```js block (CommonJS, run
// as a .cjs file). What a block says it prints is checked: each `console.log(…)` carries a
// `// → <what it prints>` comment, compared with what that call really printed (util.format, the
// text console.log writes, white space folded). After the value, ` — ` (or ` —— `) starts a
// remark that is not compared; `…` in the value stands for any text.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./sources.js";

export interface Block {
  /** The README, relative to the repository root, and the line of the opening fence. */
  file: string;
  line: number;
  lang: "ts" | "js";
  code: string;
}

/** Every ```ts / ```js block of a README. */
export function extractBlocks(markdown: string, file: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ file, line: start + 1, lang: open[1]!.startsWith("t") ? "ts" : "js", code: body.join("\n") + "\n" });
  }
  return out;
}

/** The `// → …` expectations of a block, in order; and how many console.log calls it writes. */
export function expectations(code: string): { expected: string[]; calls: number } {
  const expected = [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.split(/ —— | — /)[0]!.trim());
  return { expected, calls: (code.match(/console\.log\(/g) ?? []).length };
}

const fold = (s: string) => s.replace(/\s+/g, " ").trim();

/** True when `actual` (what one console.log call printed) is what the comment says; `…` matches any text. */
export function printsAsSaid(actual: string, expected: string): boolean {
  const a = fold(actual);
  const parts = fold(expected).split("…").map((p) => p.trim());
  if (parts.length === 1) return a === parts[0];
  let at = 0;
  for (const [k, p] of parts.entries()) {
    if (p === "") continue;
    const found = k === 0 ? (a.startsWith(p) ? 0 : -1) : a.indexOf(p, at);
    if (found < 0) return false;
    at = found + p.length;
  }
  const last = parts.at(-1)!;
  return last === "" || a.endsWith(last);
}

const READMES = ["README.md", "packages/core/README.md", ...readdirSync(join(ROOT, "packages")).filter((d) => d.startsWith("rules-")).sort().map((d) => `packages/${d}/README.md`)];
const blocks = READMES.flatMap((f) => extractBlocks(readFileSync(join(ROOT, f), "utf8"), f));
const name = (b: Block) => `${b.file}:${b.line}`;

// Each block becomes a file where the packages resolve as an app's would (node_modules of the
// repository). TypeScript blocks resolve with the sources' condition (no build needed); CommonJS
// blocks run on the built packages, as a CommonJS app does (`npm run build`, run by `npm install`).
let dir = "";
const fileOf = new Map<Block, string>();
let diagnostics = new Map<string, string[]>();
const PRELOAD = `const { format } = require("node:util");
console.log = (...args) => process.stdout.write("\\u241e" + JSON.stringify(format(...args)) + "\\n");
`;

beforeAll(() => {
  const cache = join(ROOT, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, "readme-"));
  writeFileSync(join(dir, "preload.cjs"), PRELOAD);
  for (const b of blocks) {
    const file = join(dir, `${b.file.replace(/[/.]/g, "_")}_${b.line}.${b.lang === "ts" ? "mts" : "cjs"}`);
    writeFileSync(file, b.code);
    fileOf.set(b, file);
  }
  // Strict programs (the repository's own strictness): ESM blocks as .mts against the sources'
  // types, CommonJS blocks as checked JavaScript against the published .d.cts types.
  const options: ts.CompilerOptions = {
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noImplicitOverride: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    resolveJsonModule: true, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true, types: ["node"],
  };
  const files = (lang: Block["lang"]) => blocks.filter((b) => b.lang === lang).map((b) => fileOf.get(b)!);
  const all = [
    ...ts.getPreEmitDiagnostics(ts.createProgram(files("ts"), { ...options, customConditions: ["@jiceng/source"] })),
    ...ts.getPreEmitDiagnostics(ts.createProgram(files("js"), options)),
  ];
  diagnostics = new Map();
  for (const d of all) {
    const f = d.file?.fileName ?? "";
    const text = `${d.file ? `line ${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    diagnostics.set(f, [...(diagnostics.get(f) ?? []), text]);
  }
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(b: Block): string[] {
  const file = fileOf.get(b)!;
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const args = b.lang === "ts" ? [tsx, "--conditions=@jiceng/source"] : [];
  let out: string;
  try {
    out = execFileSync(process.execPath, [...args, "--require", join(dir, "preload.cjs"), file], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`${name(b)} failed:\n${String(e.stderr ?? "").slice(0, 2000)}\nprinted before:\n${String(e.stdout ?? "").slice(0, 2000)}`);
  }
  return out.split("\n").filter((l) => l.startsWith("\u241e")).map((l) => JSON.parse(l.slice(1)) as string);
}

describe("the harness", () => {
  it("finds the blocks, reads the expectations and compares as it says", () => {
    expect(extractBlocks("a\n```ts\nconst x = 1;\n```\n```json\n{}\n```\n```js\nrequire('x');\n```\n", "R.md")).toEqual([
      { file: "R.md", line: 2, lang: "ts", code: "const x = 1;\n" },
      { file: "R.md", line: 8, lang: "js", code: "require('x');\n" },
    ]);
    expect(expectations('console.log(a); // → yellow — 三级\nconsole.log(b); // → [ 0 ]\n')).toEqual({ expected: ["yellow", "[ 0 ]"], calls: 2 });
    expect(printsAsSaid("yellow", "yellow")).toBe(true);
    expect(printsAsSaid("orange", "yellow")).toBe(false);
    expect(printsAsSaid("{\n  a: 1,\n  b: 2\n}", "{ a: 1, b: 2 }")).toBe(true);
    expect(printsAsSaid("{ a: 1, b: 2, c: 3 }", "{ a: 1, … }")).toBe(true);
    expect(printsAsSaid("{ a: 2, b: 2, c: 3 }", "{ a: 1, … }")).toBe(false);
    expect(printsAsSaid("x MISSING_FIELDS y", "… MISSING_FIELDS …")).toBe(true);
    expect(printsAsSaid("x y", "… MISSING_FIELDS …")).toBe(false);
  });

  it("every README with code has blocks here, and there is a CommonJS one", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(new Set(blocks.map((b) => b.file)).size).toBe(READMES.length);
    expect(blocks.some((b) => b.lang === "js" && b.code.includes('require("@jiceng/core")'))).toBe(true);
  });
});

describe.each(blocks.map((b) => [name(b), b] as const))("%s", (_, b) => {
  it("type-checks strictly", () => {
    expect(diagnostics.get(fileOf.get(b)!) ?? [], relative(ROOT, b.file)).toEqual([]);
  });

  it("runs, and prints what its comments say", { timeout: 120_000 }, () => {
    const { expected, calls } = expectations(b.code);
    // Every console.log says what it prints.
    expect(expected.length, "one `// → …` per console.log").toBe(calls);
    const printed = run(b);
    expect(printed.length, `console.log calls that ran: ${JSON.stringify(printed)}`).toBe(expected.length);
    for (const [i, text] of printed.entries()) expect(printsAsSaid(text, expected[i]!), `call ${i + 1} printed:\n${text}\nthe README says:\n${expected[i]}`).toBe(true);
  });
});
