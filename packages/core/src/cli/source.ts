import { existsSync, statSync } from "node:fs";
import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { IssueCode, JicengError, fail, issue, type IssueCode as Code, type JicengIssue } from "../errors/index.js";
import { findJsonSyntaxError } from "./json-error.js";
import { compiledPackProblem, isCompiledPack } from "../pack/compiled.js";
import { readStdin, type CliIO } from "./io.js";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A pack read from disk: its raw JSON and where it came from. */
export interface PackSource {
  raw: unknown;
  file: string;
  /** An installed rules package's compiled pack module (its `/compiled` export), if it has one. */
  compiled?: string;
}

const PACK_ID = /^[a-z][a-z0-9-]{0,63}$/;
const PACKAGE_NAME = /^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/;

function tryResolve(from: string, request: string): string | undefined {
  try {
    return createRequire(from).resolve(request);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return undefined;
    throw error;
  }
}

/**
 * Finds a pack: a path to a pack JSON file, a directory holding `pack.json`, an id such as
 * `guyuan` (the package `@jiceng/rules-guyuan`, installed where the command runs or beside
 * jiceng itself), or a full package name.
 */
export async function resolvePack(arg: string, io: CliIO): Promise<PackSource> {
  const path = resolve(io.cwd, arg);
  if (existsSync(path)) {
    const file = statSync(path).isDirectory() ? join(path, "pack.json") : path;
    if (existsSync(file)) return { raw: await readJson(file, io, IssueCode.INVALID_PACK), file };
    // A directory that happens to share a pack's name does not hide the installed pack.
    if (!PACK_ID.test(arg)) fail(IssueCode.PACK_NOT_FOUND, [], `目录 ${arg} 中没有 pack.json`, `There is no pack.json in the directory ${arg}`);
  }
  const pkg = PACKAGE_NAME.test(arg) ? arg : PACK_ID.test(arg) ? `@jiceng/rules-${arg}` : undefined;
  if (pkg === undefined) {
    fail(IssueCode.PACK_NOT_FOUND, [], `找不到规则包文件 ${arg}`, `No pack file at ${arg}`);
  }
  const request = `${pkg}/pack.json`;
  const from = [pathToFileURL(join(io.cwd, "/")).href, import.meta.url].find((f) => tryResolve(f, request) !== undefined);
  const file = from === undefined ? undefined : tryResolve(from, request);
  if (file === undefined) {
    fail(
      IssueCode.PACK_NOT_FOUND,
      [],
      `找不到规则包 "${arg}"：它不是文件，也未安装 ${pkg}。请安装：npm install ${pkg}，或给出 pack.json 的路径`,
      `Pack "${arg}" not found: it is not a file, and ${pkg} is not installed. Install it with \`npm install ${pkg}\`, or give the path to a pack.json`,
    );
  }
  const compiled = tryResolve(from!, `${pkg}/compiled`);
  return { raw: await readJson(file, io, IssueCode.INVALID_PACK), file, ...(compiled === undefined ? {} : { compiled }) };
}

/**
 * What the engine commands hand to createEngine: an installed rules package's compiled pack when
 * it can be trusted — no variant asked for, the module at least as new as its pack.json (not an
 * edit since the build), compiled by this core and unchanged — so zod does not validate the pack
 * again on every command (issue 17: ~125 ms of CPU); the pack as written otherwise.
 */
export async function packInput(source: PackSource, variant: string | undefined): Promise<unknown> {
  if (variant !== undefined || source.compiled === undefined) return source.raw;
  if (statSync(source.compiled).mtimeMs < statSync(source.file).mtimeMs) return source.raw;
  const mod = (await import(pathToFileURL(source.compiled).href)) as { default?: unknown };
  const compiled = mod.default;
  return isCompiledPack(compiled) && compiledPackProblem(compiled) === undefined ? compiled : source.raw;
}

/** Reads a file (or stdin for `-`) as UTF-8 text. */
export async function readText(arg: string, io: CliIO, code: Code): Promise<string> {
  if (arg === "-") return readStdin(io);
  const file = resolve(io.cwd, arg);
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const why = (error as { code?: string }).code === "ENOENT" ? ["文件不存在", "no such file"] : ["无法读取", String((error as Error).message)];
    fail(code, [], `无法读取 ${arg}：${why[0]}`, `Cannot read ${arg}: ${why[1]}`);
  }
}

/**
 * A JSON syntax error in a file the CLI read: a {@link JicengError} whose message gives the line
 * and column, plus the offending line with a caret (`excerpt`), which the CLI prints under it.
 */
export class JsonTextError extends JicengError {
  constructor(
    issues: readonly JicengIssue[],
    readonly excerpt: string,
    readonly where: { line: number; column: number },
  ) {
    super(issues);
  }
}

/** The excerpt of a {@link JsonTextError}, if `error` is one. */
export function excerptOf(error: unknown): string | undefined {
  return error instanceof JsonTextError ? error.excerpt : undefined;
}

function syntaxIssue(text: string, name: string, code: Code, fallback: string): { issue: JicengIssue; excerpt?: string; where?: { line: number; column: number } } {
  const e = findJsonSyntaxError(text);
  if (!e) return { issue: issue(code, [], `${name} 不是有效的 JSON：${fallback}`, `${name} is not valid JSON: ${fallback}`) };
  return {
    issue: issue(code, [], `${name} 不是有效的 JSON：第 ${e.line} 行第 ${e.column} 列：${e.message.zh}`, `${name} is not valid JSON: line ${e.line}, column ${e.column}: ${e.message.en}`),
    excerpt: e.excerpt,
    where: { line: e.line, column: e.column },
  };
}

/** Parses JSON text, turning a syntax error into a typed issue naming the file, line and column. */
export function parseJson(text: string, name: string, code: Code): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const r = syntaxIssue(text, name, code, (error as Error).message);
    if (r.excerpt !== undefined) throw new JsonTextError([r.issue], r.excerpt, r.where!);
    throw new JicengError(r.issue);
  }
}

/** Reads and parses a JSON file (or stdin for `-`). */
export async function readJson(arg: string, io: CliIO, code: Code): Promise<unknown> {
  return parseJson(await readText(arg, io, code), arg === "-" ? "stdin" : arg, code);
}

/** A JSON Lines record with the (1-based) line it came from. */
export interface Line {
  line: number;
  value: unknown;
}

/** One line of JSON Lines, parsed; a bad line is an issue naming the file, line and column. */
function parseLine(s: string, lineNo: number, name: string, code: Code): { value: unknown } | { issue: JicengIssue; excerpt?: string } {
  try {
    return { value: JSON.parse(s.replace(/^\uFEFF/, "")) };
  } catch (error) {
    const e = findJsonSyntaxError(s, { firstLine: lineNo });
    const at = e ? { zh: `第 ${e.column} 列：${e.message.zh}`, en: `column ${e.column}: ${e.message.en}` } : { zh: (error as Error).message, en: (error as Error).message };
    const excerpt = e?.excerpt;
    return { issue: issue(code, [], `${name} 第 ${lineNo} 行不是有效的 JSON：${at.zh}`, `${name} line ${lineNo} is not valid JSON: ${at.en}`), ...(excerpt !== undefined ? { excerpt } : {}) };
  }
}

/** Parses JSON Lines (blank lines skipped); a JSON array is accepted too. */
export function parseJsonLines(text: string, name: string, code: Code): Line[] {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed.startsWith("[")) {
    const all = parseJson(trimmed, name, code) as unknown[];
    return all.map((value, i) => ({ line: i + 1, value }));
  }
  const out: Line[] = [];
  const bad: JicengIssue[] = [];
  let excerpt: string | undefined;
  text.split(/\r?\n/).forEach((s, i) => {
    if (s.trim() === "") return;
    const r = parseLine(s, i + 1, name, code);
    if ("value" in r) out.push({ line: i + 1, value: r.value });
    else {
      bad.push(r.issue);
      excerpt ??= r.excerpt;
    }
  });
  if (bad.length) throw excerpt !== undefined ? new JsonTextError(bad, excerpt, { line: 0, column: 0 }) : new JicengError(bad);
  return out;
}

/**
 * Reads JSON Lines from a file (or stdin for `-`) one line at a time (node:readline), so input of
 * any size streams through without being held as one string. Blank lines are skipped. A file
 * whose first non-blank character is `[` is read as one JSON array instead (small files only).
 * Every bad line is collected and thrown at the end (at most `maxIssues`, then a count).
 */
export async function* readJsonLines(arg: string, io: CliIO, code: Code, options: { maxIssues?: number } = {}): AsyncGenerator<Line> {
  const name = arg === "-" ? "stdin" : arg;
  const max = options.maxIssues ?? 20;
  let input: AsyncIterable<string | Uint8Array> | string;
  if (arg === "-") input = io.stdin ?? process.stdin;
  else {
    const file = resolve(io.cwd, arg);
    try {
      await access(file);
    } catch (error) {
      const why = (error as { code?: string }).code === "ENOENT" ? ["文件不存在", "no such file"] : ["无法读取", String((error as Error).message)];
      fail(code, [], `无法读取 ${arg}：${why[0]}`, `Cannot read ${arg}: ${why[1]}`);
    }
    input = createReadStream(file, { encoding: "utf8" });
  }
  const lines: Iterable<string> | AsyncIterable<string> = typeof input === "string" ? input.split(/\r?\n/) : createInterface({ input: Readable.from(input), crlfDelay: Infinity });
  const bad: JicengIssue[] = [];
  let excerpt: string | undefined;
  let badCount = 0;
  let lineNo = 0;
  let array: string[] | undefined;
  let seen = false;
  try {
    for await (const raw of lines) {
      lineNo++;
      const s = lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw;
      if (array) {
        array.push(s);
        continue;
      }
      if (s.trim() === "") continue;
      if (!seen && s.trimStart().startsWith("[")) {
        array = [...(Array(lineNo - 1).fill("") as string[]), s];
        continue;
      }
      seen = true;
      const r = parseLine(s, lineNo, name, code);
      if ("value" in r) {
        if (!badCount) yield { line: lineNo, value: r.value };
        continue;
      }
      badCount++;
      if (bad.length < max) bad.push(r.issue);
      excerpt ??= r.excerpt;
    }
  } catch (error) {
    const c = (error as { code?: string }).code;
    if (c === "EISDIR" || c === "EACCES" || c === "ENOENT") fail(code, [], `无法读取 ${arg}：${c}`, `Cannot read ${arg}: ${c}`);
    throw error;
  }
  if (array) {
    const all = parseJson(array.join("\n"), name, code);
    if (!Array.isArray(all)) fail(code, [], `${name} 须为 JSON Lines（每行一个 JSON 值）或一个 JSON 数组`, `${name} must be JSON Lines (one JSON value a line) or one JSON array`);
    let i = 0;
    for (const value of all) yield { line: ++i, value };
    return;
  }
  if (badCount > bad.length) bad.push(issue(code, [], `另有 ${badCount - bad.length} 行不是有效的 JSON`, `${badCount - bad.length} more lines are not valid JSON`));
  if (bad.length) throw excerpt !== undefined ? new JsonTextError(bad, excerpt, { line: 0, column: 0 }) : new JicengError(bad);
}
