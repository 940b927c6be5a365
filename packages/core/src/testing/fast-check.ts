// fast-check is an optional peer dependency of @jiceng/core: only this entry needs it. It is loaded
// here, once and synchronously, so that an app without it gets a JicengError naming the fix
// instead of Node's "Cannot find package 'fast-check'" (a static import fails before any code of
// the entry runs). fast-check marks what crosses instances with Symbol.for, so the arbitraries
// work with an app's own copy (ESM or CJS) of fast-check.
import { createRequire } from "node:module";
import type * as FastCheck from "fast-check";
import { IssueCode, JicengError, issue } from "../errors/index.js";

/** True for the error Node gives when `name` itself cannot be found (not a module it requires). */
export function isMissingModule(error: unknown, name: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return typeof e === "object" && e !== null && e.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.includes(`'${name}'`);
}

/** The error an entry throws when fast-check is not installed. */
export function missingFastCheck(): JicengError {
  return new JicengError(
    issue(
      IssueCode.MISSING_DEPENDENCY,
      [],
      "@jiceng/core/testing 需要 fast-check（可选的对等依赖），但未安装。请运行：npm install -D fast-check",
      "@jiceng/core/testing needs fast-check (an optional peer dependency), which is not installed. Run: npm install -D fast-check",
    ),
  );
}

function load(): typeof FastCheck {
  // Synchronous on purpose: no top-level await anywhere in core, so that CommonJS callers can load
  // it through require(esm). (A bare `require` would become a bundler's shim that refuses in ESM.)
  const req = createRequire(import.meta.url);
  try {
    return req("fast-check") as typeof FastCheck;
  } catch (error) {
    if (isMissingModule(error, "fast-check")) throw missingFastCheck();
    throw error;
  }
}

const fc: typeof FastCheck = load();
export default fc;
