// What an explanation holds: the trace of one condition over one case, and how a fact is seen
// for it (its value, its default, or the issue that stops it) without throwing.
import type { JicengIssue } from "../errors/index.js";
import { invalidFactError, missingFactError, type FactEntry } from "./facts.js";

/**
 * How one condition evaluated against one case: the tree a policy officer reads to see which
 * conditions held, which failed, and the values seen.
 */
export interface ConditionTrace {
  kind: "all" | "any" | "not" | "ref" | "fact";
  result: boolean;
  /** The condition's `name`, or for `ref` the named condition referenced. */
  name?: string;
  fact?: string;
  operator?: string;
  /** The value compared with: the literal, or the referenced fact's value (see `valueFact`). */
  value?: unknown;
  /** The fact the value came from, when the value is a `{ fact }` reference. */
  valueFact?: string;
  /** The fact's value as seen (its default when missing). */
  factValue?: unknown;
  /** True when the fact was missing and its declared default was used. */
  usedDefault?: boolean;
  children?: ConditionTrace[];
  /**
   * Set when this node could not be evaluated (a missing fact without default, an invalid value)
   * and its result was not needed to decide its parent; when it is needed, `explain` throws.
   */
  error?: JicengIssue;
}

/** A fact as an explanation sees it. */
export interface Seen {
  value: unknown;
  usedDefault: boolean;
  error?: JicengIssue | undefined;
}

/** Read a fact for an explanation: the issue is returned, not thrown. */
export function see(entry: FactEntry, input: unknown): Seen {
  const raw = entry.resolve(input);
  if (raw === undefined) {
    if (entry.hasDefault) return { value: entry.def.default, usedDefault: true };
    return { value: undefined, usedDefault: false, error: missingFactError(entry).issues[0] };
  }
  if (!entry.isValid(raw)) return { value: raw, usedDefault: false, error: invalidFactError(entry, raw).issues[0] };
  return { value: raw, usedDefault: false };
}
