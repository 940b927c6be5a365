import { IssueCode, fail } from "../errors/index.js";
import { formatCaseNumber, scopeKey, type ScopeParts } from "./format.js";
import type { NumberTemplate } from "./template.js";

/** A short rendering of a value for a message (never throws: deep or cyclic values too). */
const show = (v: unknown): string => {
  try {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return Array.isArray(v) ? "[…]" : typeof v === "object" && v !== null ? "{…}" : String(v);
  }
};

/** The bound an allocator must respect: never hand out (or consume) a sequence above `max`. */
export interface SequenceLimit {
  max: number;
}

/**
 * Hands out sequence numbers, one counter per scope (see {@link scopeKey}), starting at 1.
 *
 * Core keeps no state, so the app supplies this. Back it with a counter row in your database,
 * updated in the same transaction that inserts the case, so a number is used exactly once and a
 * failed insert gives it back, e.g. in PostgreSQL:
 *
 * ```sql
 * INSERT INTO case_seq (scope, value) VALUES ($1, 1)
 * ON CONFLICT (scope) DO UPDATE SET value = case_seq.value + 1 WHERE case_seq.value < $2
 * RETURNING value;   -- no row: the scope is full, throw SEQUENCE_OVERFLOW
 * ```
 *
 * `next` must be synchronous from core's point of view; an async store allocates first and
 * calls {@link formatCaseNumber} with the seq it got.
 *
 * @example
 * const allocator: SequenceAllocator = createMemoryAllocator();
 * allocator.next("06200101**"); // 1
 * allocator.next("06200101**"); // 2
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1): 问题序号赋2位编号
 */
export interface SequenceAllocator {
  /**
   * The next sequence of `scope` (1, 2, 3 …), recorded as used. When `limit` is given and the
   * scope already reached `limit.max`, throw SEQUENCE_OVERFLOW and consume nothing.
   */
  next(scope: string, limit?: SequenceLimit): number;
}

/** An in-memory {@link SequenceAllocator}, for tests and single-process tools. */
export interface MemoryAllocator extends SequenceAllocator {
  /** The last sequence handed out in `scope` (0 when none). */
  current(scope: string): number;
}

/**
 * An in-memory allocator. `initial` gives the last used sequence per scope.
 *
 * @example
 * const a = createMemoryAllocator({ "06200101**": 7 });
 * a.next("06200101**"); // 8
 * a.current("06200101**"); // 8
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function createMemoryAllocator(initial?: Readonly<Record<string, number>> | Iterable<readonly [string, number]>): MemoryAllocator {
  const counters = new Map<string, number>();
  if (initial) {
    const iterable = typeof initial === "object" && Symbol.iterator in initial;
    const entries: unknown[] = iterable ? [...(initial as Iterable<unknown>)] : Object.entries(initial);
    entries.forEach((entry, i) => {
      // Each entry is a [scope, last] pair (a Map, or an array of pairs), scope a string.
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string") {
        fail(IssueCode.INVALID_ARGUMENT, ["initial", i], `序号初值须为 [编号范围, 序号] 对，实际为 ${show(entry)}`, `An initial sequence must be a [scope, sequence] pair, got ${show(entry)}`);
      }
      const [scope, last] = entry as [string, unknown];
      if (typeof last !== "number" || !Number.isSafeInteger(last) || last < 0) {
        fail(IssueCode.INVALID_NUMBER, ["initial", scope], `序号初值须为不小于 0 的整数，实际为 ${show(last)}`, `An initial sequence must be an integer ≥ 0, got ${show(last)}`);
      }
      counters.set(scope, last);
    });
  }
  return {
    next(scope, limit) {
      const last = counters.get(scope) ?? 0;
      if (limit && last >= limit.max) {
        fail(IssueCode.SEQUENCE_OVERFLOW, ["seq"], `编号范围 ${scope} 的序号已用完（最大 ${limit.max}）`, `Scope ${scope} has used all its sequence numbers (max ${limit.max})`);
      }
      counters.set(scope, last + 1);
      return last + 1;
    },
    current(scope) {
      return counters.get(scope) ?? 0;
    },
  };
}

/**
 * Allocate the next number for these parts: validates them, takes the next seq of their scope
 * from `allocator` (passing the template's max, so a full scope is not consumed further), and
 * formats. Throws SEQUENCE_OVERFLOW when the scope is full; never returns a longer number.
 *
 * @example
 * const t = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
 * const a = createMemoryAllocator();
 * allocateCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01" }, a); // "0620010101"
 * allocateCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01" }, a); // "0620010102"
 * @see 固党办〔2022〕49号 附件说明1 (Guyuan appendix note 1)
 */
export function allocateCaseNumber(template: NumberTemplate, parts: ScopeParts, allocator: SequenceAllocator): string {
  // Validate before allocating: bad parts must not use up a sequence.
  const scope = scopeKey(template, parts);
  const seq = allocator.next(scope, { max: template.maxSeq });
  if (typeof seq === "number" && Number.isSafeInteger(seq) && seq > template.maxSeq) {
    // An allocator that ignores the limit: refuse here; the app's transaction rolls the counter back.
    fail(IssueCode.SEQUENCE_OVERFLOW, ["seq"], `编号范围 ${scope} 的序号 ${seq} 超出 ${template.seqWidth} 位`, `Sequence ${seq} of scope ${scope} does not fit ${template.seqWidth} digits`);
  }
  return formatCaseNumber(template, { ...parts, seq });
}
