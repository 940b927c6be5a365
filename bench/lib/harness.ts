// A small benchmark harness: the compared variants run interleaved in one process, after a
// warm-up, for several rounds; each round times one full pass over the workload. We report the
// median throughput, the min–max over rounds, and the time ratio to the baseline of the same run.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** One contestant: `run` processes `ops` items of the shared workload once. */
export interface Variant {
  name: string;
  /** Items one `run` processes (cases, calls, transitions…). */
  ops: number;
  run: () => unknown;
  /** The reference the others are compared with (one per group). */
  baseline?: boolean;
  /** Shown in the notes column. */
  note?: string | undefined;
}

export interface Stats {
  name: string;
  ops: number;
  /** Items per second of process CPU time: median, slowest and fastest round. */
  median: number;
  min: number;
  max: number;
  rounds: number;
  /** Time per item relative to the baseline's median (1 = as fast; 2 = twice as slow). */
  ratio: number | undefined;
  /** Items per second of wall-clock time, median. */
  wallMedian: number;
  baseline: boolean;
  note?: string | undefined;
}

export interface MeasureOptions {
  rounds: number;
  /** Untimed passes per variant before the first round. */
  warmup: number;
}

let sinkValue: unknown;
/** Keeps results alive so the JIT cannot drop the work. */
export function sink(v: unknown): void {
  sinkValue = v;
}
export function sunk(): unknown {
  return sinkValue;
}

const now = () => performance.now();
/** Process CPU time (user + system, every thread) in ms: what other processes on a shared machine cannot inflate. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Time `variants` interleaved: warm-up, then `rounds` rounds of one pass each. Throughput is
 * computed from process CPU time (a busy neighbour only adds wall-clock time) and wall time.
 */
export async function measure(variants: readonly Variant[], options: MeasureOptions): Promise<Stats[]> {
  for (const v of variants) for (let i = 0; i < options.warmup; i++) sink(await v.run());
  const samples = variants.map(() => [] as number[]);
  const walls = variants.map(() => [] as number[]);
  for (let r = 0; r < options.rounds; r++) {
    // Rotate the order each round so no variant always runs right after the same neighbour.
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      const v = variants[i]!;
      const t0 = now();
      const c0 = cpu();
      const out = v.run();
      sink(out instanceof Promise ? await out : out);
      const c1 = cpu();
      const t1 = now();
      samples[i]!.push(v.ops / ((c1 - c0) / 1000));
      walls[i]!.push(v.ops / ((t1 - t0) / 1000));
    }
  }
  const base = variants.findIndex((v) => v.baseline);
  const baseMedian = base >= 0 ? median(samples[base]!) : undefined;
  return variants.map((v, i) => {
    const s = samples[i]!;
    const med = median(s);
    return {
      name: v.name,
      ops: v.ops,
      median: med,
      min: Math.min(...s),
      max: Math.max(...s),
      rounds: s.length,
      ratio: baseMedian === undefined ? undefined : baseMedian / med,
      wallMedian: median(walls[i]!),
      baseline: v.baseline === true,
      note: v.note,
    };
  });
}

let gcFn: (() => void) | undefined | null = null;
/** `gc()` without `--expose-gc` on the command line (the flag can be set at run time). */
export function getGc(): (() => void) | undefined {
  if (gcFn !== null) return gcFn;
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return (gcFn = g);
  try {
    setFlagsFromString("--expose-gc");
    gcFn = runInNewContext("gc") as () => void;
  } catch {
    gcFn = undefined;
  }
  return gcFn;
}

/**
 * Bytes of heap allocated per item by one warm pass of `run` over `ops` items, measured as the
 * growth of `heapUsed` between two full GCs-free points. Returns `undefined` when a GC ran during
 * the pass (the growth would then understate the allocation) — in that case it allocates
 * at least a young-generation's worth per pass.
 */
export async function bytesPerOp(run: () => unknown, ops: number): Promise<{ bytes: number; gcDuringRun: boolean } | undefined> {
  const gc = getGc();
  if (!gc) return undefined;
  const { PerformanceObserver } = await import("node:perf_hooks");
  for (let i = 0; i < 3; i++) sink(run()); // warm: compiled, inline caches settled
  let gcs = 0;
  const obs = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  obs.observe({ entryTypes: ["gc"] });
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gcs = 0;
  const h0 = process.memoryUsage().heapUsed;
  sink(run());
  const h1 = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 0));
  obs.disconnect();
  return { bytes: Math.max(0, h1 - h0) / ops, gcDuringRun: gcs > 0 };
}

/** Seeded PRNG (mulberry32): the same workload on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pick by weights: `pick(r, [["a", 3], ["b", 1]])`. */
export function pick<T>(r: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = r() * total;
  for (const [v, w] of table) {
    x -= w;
    if (x < 0) return v;
  }
  return table[table.length - 1]![0];
}

/** Throws with the first few differences when two equal-length lists disagree. */
export function assertSame(what: string, expected: ArrayLike<unknown>, actual: ArrayLike<unknown>, show: (i: number) => string = String): void {
  if (expected.length !== actual.length) throw new Error(`${what}: ${actual.length} results, expected ${expected.length}`);
  const diffs: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== actual[i]) {
      diffs.push(`  #${i}: expected ${String(expected[i])}, got ${String(actual[i])} — ${show(i)}`);
      if (diffs.length >= 5) break;
    }
  }
  if (diffs.length) throw new Error(`${what} disagrees:\n${diffs.join("\n")}`);
}
