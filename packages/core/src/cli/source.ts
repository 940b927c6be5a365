import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { IssueCode, JicengError, fail, issue, type IssueCode as Code } from "../errors/index.js";
import { readStdin, type CliIO } from "./io.js";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A pack read from disk: its raw JSON and where it came from. */
export interface PackSource {
  raw: unknown;
  file: string;
}

const PACK_ID = /^[a-z][a-z0-9-]{0,63}$/;
const PACKAGE_NAME = /^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*$/;

/** This module's location, in ESM (`import.meta.url`) and in the CJS build (where `import.meta` is empty). */
function here(): string {
  return typeof __filename === "string" ? __filename : import.meta.url;
}

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
  const file = tryResolve(pathToFileURL(join(io.cwd, "/")).href, request) ?? tryResolve(here(), request);
  if (file === undefined) {
    fail(
      IssueCode.PACK_NOT_FOUND,
      [],
      `找不到规则包 "${arg}"：它不是文件，也未安装 ${pkg}。请安装：npm install ${pkg}，或给出 pack.json 的路径`,
      `Pack "${arg}" not found: it is not a file, and ${pkg} is not installed. Install it with \`npm install ${pkg}\`, or give the path to a pack.json`,
    );
  }
  return { raw: await readJson(file, io, IssueCode.INVALID_PACK), file };
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

/** Parses JSON text, turning a syntax error into a typed issue naming the file. */
export function parseJson(text: string, name: string, code: Code): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    fail(code, [], `${name} 不是有效的 JSON：${(error as Error).message}`, `${name} is not valid JSON: ${(error as Error).message}`);
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

/** Parses JSON Lines (blank lines skipped); a JSON array is accepted too. */
export function parseJsonLines(text: string, name: string, code: Code): Line[] {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed.startsWith("[")) {
    const all = parseJson(trimmed, name, code) as unknown[];
    return all.map((value, i) => ({ line: i + 1, value }));
  }
  const out: Line[] = [];
  const bad: ReturnType<typeof issue>[] = [];
  text.split(/\r?\n/).forEach((s, i) => {
    if (s.trim() === "") return;
    try {
      out.push({ line: i + 1, value: JSON.parse(s.replace(/^\uFEFF/, "")) });
    } catch (error) {
      bad.push(issue(code, [], `${name} 第 ${i + 1} 行不是有效的 JSON：${(error as Error).message}`, `${name} line ${i + 1} is not valid JSON: ${(error as Error).message}`));
    }
  });
  if (bad.length) throw new JicengError(bad);
  return out;
}
