// Broken case facts for the grading's differential tests (generated ≡ closures, compiled module ≡
// runtime): a value of the wrong kind for a fact, set at a fact's dotted name; and what a grading
// call gives, so two implementations' results and errors compare alike.
import { isJicengError } from "../src/errors/index.js";

/** A value of the wrong kind for a fact (or a container that is not an object). */
export const WRONG: readonly unknown[] = [null, 42, "x", true, [], {}, ["x", 1], Number.NaN, "2022-02-30", 1.5];

/** A copy of `target` with `value` at the dotted `name` (containers made on the way; undefined deletes it). */
export function setAt(target: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(target);
  const parts = name.split(".");
  let o: Record<string, unknown> = out;
  for (const k of parts.slice(0, -1)) {
    if (typeof o[k] !== "object" || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  if (value === undefined) delete o[parts.at(-1)!];
  else o[parts.at(-1)!] = value;
  return out;
}

/** What a grading call gives: its result as JSON text (so key order counts; a level as itself), or its first issue. */
export function outcomeOf(f: () => unknown): string | { code: string; path: unknown; message: unknown } {
  try {
    const r = f();
    return typeof r === "string" ? r : JSON.stringify(r);
  } catch (e) {
    if (!isJicengError(e)) throw e;
    return { code: e.issues[0]!.code, path: e.issues[0]!.path, message: e.issues[0]!.message };
  }
}
