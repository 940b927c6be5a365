import type { Text } from "../errors/index.js";
import { FORBIDDEN_SEGMENTS } from "./facts.js";

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** At most this many property names in a fact name plus its path (as SAFE_FACT_NAME allows). */
export const MAX_PATH_SEGMENTS = 8;

/** A parsed `path`: its property names, or why it is refused. */
export type ParsedPath = { ok: true; segments: string[] } | { ok: false; problem: Text };

const refuse = (zh: string, en: string): ParsedPath => ({ ok: false, problem: { zh, en } });

/**
 * Parse a condition `path` in the safe subset: `$.a.b` or `a.b`, plain property names only.
 * JSONPath filters, scripts, wildcards, recursive descent and brackets are refused, so a pack
 * cannot make json-rules-engine's JSONPath evaluator run code or scan a whole case.
 *
 * @example
 * parseFactPath("$.homicide"); // { ok: true, segments: ["homicide"] }
 * parseFactPath("$..x").ok;    // false
 * @see DESIGN.md decision 4
 */
export function parseFactPath(path: unknown): ParsedPath {
  if (typeof path !== "string") return refuse(`路径须为字符串，实际为 ${typeof path}`, `A path must be a string, got ${typeof path}`);
  if (path.length === 0) return refuse("路径为空", "The path is empty");
  if (path.length > 600) return refuse("路径过长", "The path is too long");
  if (/\?\(|\[\?/.test(path)) return refuse(`路径“${path}”含 JSONPath 过滤表达式，不允许`, `Path "${path}" contains a JSONPath filter expression, which is not allowed`);
  if (/[()@=;{}`]/.test(path)) return refuse(`路径“${path}”含脚本表达式，不允许`, `Path "${path}" contains a script expression, which is not allowed`);
  if (path.includes("..")) return refuse(`路径“${path}”含递归下降“..”，不允许`, `Path "${path}" uses recursive descent "..", which is not allowed`);
  if (path.includes("*")) return refuse(`路径“${path}”含通配符“*”，不允许`, `Path "${path}" uses a wildcard "*", which is not allowed`);
  if (/[[\]'"]/.test(path)) return refuse(`路径“${path}”含方括号或引号，只允许点分属性名，如 $.a.b`, `Path "${path}" uses brackets or quotes; only dotted property names like $.a.b are allowed`);
  const body = path === "$" ? "" : path.startsWith("$.") ? path.slice(2) : path;
  if (body.startsWith("$")) return refuse(`路径“${path}”须以“$.”开头或直接写属性名`, `Path "${path}" must start with "$." or with a property name`);
  const segments = body === "" ? [] : body.split(".");
  for (const s of segments) {
    if (!SEGMENT.test(s)) return refuse(`路径“${path}”中的“${s}”不是合法的属性名`, `"${s}" in path "${path}" is not a plain property name`);
    if (FORBIDDEN_SEGMENTS.has(s)) return refuse(`路径“${path}”使用了禁止的属性名“${s}”`, `Path "${path}" uses the forbidden property name "${s}"`);
  }
  if (segments.length > MAX_PATH_SEGMENTS) return refuse(`路径“${path}”层级过深（最多 ${MAX_PATH_SEGMENTS} 层）`, `Path "${path}" is too deep (at most ${MAX_PATH_SEGMENTS} levels)`);
  return { ok: true, segments };
}

/**
 * The declared fact a `{ fact, path }` pair reads: `{ fact: "risks", path: "$.homicide" }` reads
 * the fact `risks.homicide`. Declared facts are scalars or string lists, so a path can only name
 * a nested fact; that fact must be declared (with its type and default) like any other.
 */
export function foldFactName(fact: string, segments: readonly string[]): string {
  return segments.length === 0 ? fact : `${fact}.${segments.join(".")}`;
}

/**
 * Writes `value` at a dotted fact name into a case-facts object, creating the nested objects on the
 * way (`risks.homicide` → `{ risks: { homicide: value } }`): the inverse of reading a declared fact.
 * For building example and test inputs; names are declared fact names (safe identifiers).
 */
export function setFactValue(target: Record<string, unknown>, name: string, value: unknown): void {
  const parts = name.split(".");
  let o = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    if (typeof o[k] !== "object" || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}
