// The fact frame of a framed compiler: during one evaluation every fact is resolved and validated
// at most once, into slots reused by every later evaluation.
import { invalidFactError, missingFactError, type FactEntry, type FactValue } from "./facts.js";

/**
 * A per-compiler fact frame: while an evaluation runs (between `begin` and `end`), every fact a
 * compiled test reads is resolved and validated at most once, into a preallocated slot reused by
 * every later evaluation. Reads are lazy, so a fact no test reaches is never read (and never throws).
 * Not reentrant: evaluation is synchronous and never calls back into the engine.
 */
export interface FactFrame {
  /** Start evaluating `input`: every slot read before is forgotten (an epoch counter, no clearing). */
  begin(input: unknown): void;
  /** Stop evaluating: the frame no longer holds the input. */
  end(): void;
}

export interface FrameImpl extends FactFrame {
  /** A copy of `entry` whose `read` / `readTime` go through the frame. */
  view(entry: FactEntry): FactEntry;
  /** The slot of `entry` when it was read for `input` in the current evaluation, else -1. */
  seenSlot(entry: FactEntry, input: unknown): number;
  value(slot: number): unknown;
  usedDefault(slot: number): boolean;
}

const EPOCH_LIMIT = 0x3fffffff;
const hop = Object.prototype.hasOwnProperty;
type Obj = Record<string, unknown>;
const isObj = (o: unknown): o is Obj => o !== null && typeof o === "object" && !Array.isArray(o);

export function createFrame(): FrameImpl {
  let input: unknown;
  let epoch = 1;
  const slots = new Map<string, number>();
  const views = new Map<string, FactEntry>();
  const stamp: number[] = [];
  const vals: unknown[] = [];
  const used: boolean[] = [];
  const tstamp: number[] = [];
  const times: number[] = [];
  // Objects on the way to the facts (`risks` for `risks.homicide`), read once per evaluation and
  // shared by every fact under them: the object when it is an own property holding a plain object.
  const ostamp: number[] = [];
  const ovals: Array<Obj | undefined> = [];
  const objs = new Map<string, () => Obj | undefined>();
  const root = (): Obj | undefined => (isObj(input) ? input : undefined);
  const objOf = (segs: readonly string[], n: number): (() => Obj | undefined) => {
    if (n === 0) return root;
    const key = segs.slice(0, n).join(".");
    const known = objs.get(key);
    if (known) return known;
    const parent = objOf(segs, n - 1);
    const k = segs[n - 1] as string;
    const s = ostamp.length;
    ostamp.push(0);
    ovals.push(undefined);
    const get = (): Obj | undefined => {
      if (ostamp[s] === epoch) return ovals[s];
      const p = parent();
      const v = p !== undefined && hop.call(p, k) ? p[k] : undefined;
      const o = isObj(v) ? v : undefined;
      ovals[s] = o;
      ostamp[s] = epoch;
      return o;
    };
    objs.set(key, get);
    return get;
  };
  const slotOf = (entry: FactEntry): number => {
    let s = slots.get(entry.name);
    if (s === undefined) {
      s = stamp.length;
      slots.set(entry.name, s);
      stamp.push(0);
      vals.push(undefined);
      used.push(false);
      tstamp.push(0);
      times.push(0);
    }
    return s;
  };
  return {
    begin(f) {
      input = f;
      if (++epoch === EPOCH_LIMIT) {
        stamp.fill(0);
        tstamp.fill(0);
        ostamp.fill(0);
        epoch = 1;
      }
    },
    end() {
      input = undefined;
    },
    view(entry) {
      const known = views.get(entry.name);
      if (known) return known;
      const s = slotOf(entry);
      const segs = entry.segments;
      const parent = objOf(segs, segs.length - 1);
      const last = segs[segs.length - 1] as string;
      const isValid = entry.isValid;
      const hasDefault = entry.hasDefault;
      const dflt = entry.def.default as FactValue;
      // Same checks, same errors, same order as entry.read.
      const fill = (): FactValue => {
        const p = parent();
        // = entry.resolve(input), sharing the objects on the way.
        const v = p !== undefined && hop.call(p, last) ? p[last] : undefined;
        if (v === undefined) {
          if (!hasDefault) throw missingFactError(entry);
          vals[s] = dflt;
          used[s] = true;
        } else {
          if (!isValid(v)) throw invalidFactError(entry, v);
          vals[s] = v;
          used[s] = false;
        }
        stamp[s] = epoch;
        return vals[s] as FactValue;
      };
      const read = (_f: unknown): FactValue => (stamp[s] === epoch ? (vals[s] as FactValue) : fill());
      const rt = entry.readTime;
      const fillTime = (): number => {
        const t = rt(input);
        times[s] = t;
        tstamp[s] = epoch;
        return t;
      };
      const readTime = (_f: unknown): number => (tstamp[s] === epoch ? (times[s] as number) : fillTime());
      const v: FactEntry = { ...entry, read, readTime: entry.type === "date" || entry.type === "datetime" ? readTime : entry.readTime };
      views.set(entry.name, v);
      return v;
    },
    seenSlot(entry, f) {
      if (f !== input || input === undefined) return -1;
      const s = slots.get(entry.name);
      return s !== undefined && stamp[s] === epoch ? s : -1;
    },
    value: (s) => vals[s],
    usedDefault: (s) => used[s] === true,
  };
}
