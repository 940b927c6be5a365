import { dayOf, getZone, toEpochMs, type Zone } from "../calendar/timezone.js";
import type { LevelDef } from "../vocabulary/periods.js";
import type { LevelDeadline } from "./types.js";

const BITS = 14;
const SIZE = 1 << BITS;
const MAX_LEVELS = 64;
const FROM_PATH: string[] = []; // computeDeadline's own path for a bad `from` (the engine passes none)

/**
 * A memo of `engine.deadline` results by (level, local start day). A day-unit deadline depends
 * only on the start day, and a `before` warning only on the due instant — except when it falls
 * before `from` and is clamped to it, which a hit checks (`warnAtMs >= from`, else it recomputes).
 * Levels counted in hours, `fraction` warnings and provisional results are not memoized. Direct-
 * mapped, 2-way (a key may sit in its slot or the next); each hit builds one fresh result literal (same keys, same order as the computed one).
 */
export interface LevelDeadlineMemo {
  /** The memoized deadline, or undefined (then compute it and {@link LevelDeadlineMemo.put} it). */
  get(level: LevelDef, index: number, from: string | Date): LevelDeadline | undefined;
  put(level: LevelDef, index: number, from: string | Date, result: LevelDeadline): void;
}

interface Entry {
  dueAt: string;
  dueAtMs: number;
  startDay: string;
  lastDay: string;
  rolledOver: boolean;
  zh: string;
  en: string;
  warnAt: string | undefined;
  warnAtMs: number;
}

export function createLevelDeadlineMemo(levelCount: number, timezone: string): LevelDeadlineMemo {
  const keys = new Float64Array(SIZE).fill(Number.NaN);
  const entries = new Array<Entry | undefined>(SIZE).fill(undefined);
  // Resolved on first use: no zone data on the engine's start path.
  let zone: Zone | undefined;
  const usable = (l: LevelDef) => levelCount <= MAX_LEVELS && l.deadline.unit !== "hours" && (l.warn === undefined || l.warn.before !== undefined);
  const keyOf = (day: number, index: number) => day * MAX_LEVELS + index;
  const slotOf = (key: number) => Math.imul(key | 0, 0x9e3779b1) >>> (32 - BITS);
  return {
    get(l, index, from) {
      if (!usable(l)) return undefined;
      const ms = toEpochMs(from, FROM_PATH);
      const day = dayOf((zone ??= getZone(timezone)), ms);
      const key = keyOf(day, index);
      let slot = slotOf(key);
      if (keys[slot] !== key && keys[(slot ^= 1)] !== key) return undefined;
      const e = entries[slot]!;
      if (e.warnAt === undefined) return { dueAt: e.dueAt, dueAtMs: e.dueAtMs, startDay: e.startDay, lastDay: e.lastDay, rolledOver: e.rolledOver, explanation: { zh: e.zh, en: e.en }, level: l.id };
      if (e.warnAtMs < ms) return undefined; // the warning would be clamped to `from`
      return { dueAt: e.dueAt, dueAtMs: e.dueAtMs, startDay: e.startDay, lastDay: e.lastDay, rolledOver: e.rolledOver, explanation: { zh: e.zh, en: e.en }, level: l.id, warnAt: e.warnAt, warnAtMs: e.warnAtMs };
    },
    put(l, index, from, r) {
      if (!usable(l) || r.provisional) return;
      const ms = toEpochMs(from, FROM_PATH);
      // A warning at `from` may have been clamped: not a function of the start day alone.
      if (r.warnAt !== undefined && !(r.warnAtMs! > ms)) return;
      const day = dayOf((zone ??= getZone(timezone)), ms);
      const key = keyOf(day, index);
      let slot = slotOf(key);
      // The second way of the pair when the first holds another key (the first keeps the older key).
      if (keys[slot] === keys[slot] && keys[slot] !== key) slot ^= 1;
      keys[slot] = key;
      entries[slot] = { dueAt: r.dueAt, dueAtMs: r.dueAtMs, startDay: r.startDay, lastDay: r.lastDay, rolledOver: r.rolledOver, zh: r.explanation.zh, en: r.explanation.en, warnAt: r.warnAt, warnAtMs: r.warnAtMs ?? 0 };
    },
  };
}
