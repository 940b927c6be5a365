// The argument check of the public functions that take structured values (packs, compiled
// objects, paths, periods…): a wrong-typed argument is an INVALID_ARGUMENT at its name, in zh and
// en, before the function reads it; and what the function still trips over (an object of the
// right type but the wrong shape) is an INVALID_ARGUMENT too, never a raw TypeError. Internal code
// calls the functions directly; only the root exports go through here.
import { IssueCode, JicengError, fail, isJicengError } from "../errors/index.js";
import { isLoadedPack } from "../pack/load.js";
import { show } from "../conditions/text.js";

/** What an argument must be. `?` after the kind: may be left out (undefined). */
type Kind = "any" | "string" | "number" | "int" | "boolean" | "object" | "array" | "function" | "pack" | "path" | "time" | "table" | "facts";
export type ArgSpec = ReadonlyArray<readonly [name: string, kind: Kind, optional?: "optional"]>;

const KIND_TEXT: Record<Kind, [string, string]> = {
  any: ["任意值", "any value"],
  string: ["字符串", "a string"],
  number: ["有限数值", "a finite number"],
  int: ["整数", "an integer"],
  boolean: ["true 或 false", "true or false"],
  object: ["对象", "an object"],
  array: ["数组", "an array"],
  function: ["函数", "a function"],
  pack: ["loadPack 返回的规则包", "a pack loadPack returned"],
  path: ["由字符串和数字组成的路径数组", "a path: an array of strings and numbers"],
  time: ["带时区偏移的 ISO 8601 字符串、Date 或毫秒数", "an ISO 8601 string with an offset, a Date or epoch milliseconds"],
  table: ["compileTable 返回的决策表", "a table compileTable returned"],
  facts: ["buildFactIndex 返回的事实索引", "a fact index buildFactIndex returned"],
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function fits(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case "any": return true;
    case "string": return typeof v === "string";
    case "number": return typeof v === "number" && Number.isFinite(v);
    case "int": return typeof v === "number" && Number.isSafeInteger(v);
    case "boolean": return typeof v === "boolean";
    case "object": return isObj(v);
    case "array": return Array.isArray(v);
    case "function": return typeof v === "function";
    case "pack": return isLoadedPack(v);
    case "path": return Array.isArray(v) && v.every((k) => typeof k === "string" || (typeof k === "number" && Number.isFinite(k)));
    case "time": return typeof v === "string" || (v instanceof Date && !Number.isNaN(v.getTime())) || (typeof v === "number" && Number.isFinite(v));
    case "table": return isObj(v) && isObj(v["table"]) && Array.isArray(v["rows"]);
    case "facts": return v instanceof Map;
  }
}

/** Throws INVALID_ARGUMENT at the first argument that does not fit its spec. */
export function checkArguments(fn: string, spec: ArgSpec, args: ArrayLike<unknown>): void {
  for (let i = 0; i < spec.length; i++) {
    const [name, kind, optional] = spec[i]!;
    const v = args[i];
    if (v === undefined && optional) continue;
    if (!fits(v, kind)) {
      const [zh, en] = KIND_TEXT[kind];
      fail(IssueCode.INVALID_ARGUMENT, [name], `${fn} 的参数 ${name} 须为${zh}，实际为 ${show(v)}`, `${fn}: ${name} must be ${en}, got ${show(v)}`);
    }
  }
}

/**
 * `f` with its arguments checked against `spec`; an error other than a JicengError out of `f` (an
 * argument of the right type but not the shape `f` reads) becomes INVALID_ARGUMENT.
 */
export function guarded<F extends (...args: never[]) => unknown>(fn: string, f: F, spec: ArgSpec): F {
  const g = function (this: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown): unknown {
    // eslint-disable-next-line prefer-rest-params
    checkArguments(fn, spec, arguments);
    try {
      return (f as unknown as (...x: unknown[]) => unknown).apply(this, arguments.length <= 4 ? [a, b, c, d].slice(0, arguments.length) : Array.from(arguments));
    } catch (err) {
      if (isJicengError(err)) throw err;
      const why = err instanceof RangeError ? ["嵌套过深", "nested too deep"] : ["结构不对", "has the wrong shape"];
      throw new JicengError({
        code: IssueCode.INVALID_ARGUMENT,
        path: [],
        message: { zh: `${fn} 的参数${why[0]}：${(err as Error)?.message ?? String(err)}`, en: `${fn}: an argument ${why[1]}: ${(err as Error)?.message ?? String(err)}` },
        severity: "error",
      });
    }
  };
  Object.defineProperty(g, "name", { value: fn });
  Object.defineProperty(g, "length", { value: f.length });
  return g as unknown as F;
}
