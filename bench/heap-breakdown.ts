// Where the retained heap of a closed snapshot goes (issue 17): the closed Guyuan cases of the
// lifecycle bench, each read back from its JSON as a store returns it, kept in an array; then a V8
// heap snapshot of the process, and the self size of every object, array and string reachable only
// through that array, summed by kind and by JSON path. Not part of `npm run bench`:
//   NODE_OPTIONS=--expose-gc npx tsx --conditions=@jiceng/source bench/heap-breakdown.ts [file.json]
// With a file (a JSON array of snapshots), that file is measured instead (e.g. a candidate format).
import v8 from "node:v8";
import { readFileSync } from "node:fs";
import { createEngine, type RulePackInput } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { guyuanHistories } from "./workloads/histories.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with NODE_OPTIONS=--expose-gc");
const file = process.argv[2];
const closed: unknown[] = file
  ? (JSON.parse(readFileSync(file, "utf8")) as unknown[])
  : guyuanHistories(createEngine<RulePackInput>(guyuan), 2_000).map((h) => h.snapshots.at(-1)!).filter((x) => x.state === "closed");
const texts = closed.map((x) => JSON.stringify(x));
gc(); gc();
const h0 = process.memoryUsage().heapUsed;
const kept = texts.map((t) => JSON.parse(t));
gc(); gc();
const h1 = process.memoryUsage().heapUsed;
console.log(`heapUsed per snapshot: ${((h1 - h0) / kept.length).toFixed(0)} B; JSON ${(texts.reduce((a, t) => a + Buffer.byteLength(t), 0) / texts.length).toFixed(0)} B`);
class Marker {
  constructor(readonly k: unknown) {}
}
(globalThis as { __heapBreakdown?: unknown }).__heapBreakdown = new Marker(kept);
const chunks: Buffer[] = [];
for await (const c of v8.getHeapSnapshot()) chunks.push(c);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const snap = JSON.parse(Buffer.concat(chunks).toString("utf8")) as any;
const m = snap.snapshot.meta as { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
const NF = m.node_fields.length, EF = m.edge_fields.length;
const nTypes = m.node_types[0], eTypes = m.edge_types[0];
const nodes = snap.nodes as number[], edges = snap.edges as number[], strings = snap.strings as string[];
const iType = m.node_fields.indexOf("type"), iName = m.node_fields.indexOf("name"), iSize = m.node_fields.indexOf("self_size"), iEC = m.node_fields.indexOf("edge_count");
const eType = m.edge_fields.indexOf("type"), eName = m.edge_fields.indexOf("name_or_index"), eTo = m.edge_fields.indexOf("to_node");
const N = nodes.length / NF;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) { firstEdge[i] = e; e += nodes[i * NF + iEC]! * EF; }
firstEdge[N] = edges.length;
// find Marker
let markerNode = -1;
for (let i = 0; i < N; i++) if (nTypes[nodes[i * NF + iType]!]! === "object" && strings[nodes[i * NF + iName]!]! === "Marker") { markerNode = i; break; }
let arrNode = -1;
for (let e = firstEdge[markerNode]!; e < firstEdge[markerNode + 1]!; e += EF) if (eTypes[edges[e + eType]!]! === "property" && strings[edges[e + eName]!]! === "k") arrNode = edges[e + eTo]! / NF;
// Nodes reachable NOT via our array (to exclude shared internalized strings / maps): mark everything reachable from roots without passing through arrNode.
const shared = new Uint8Array(N);
{
  const stack: number[] = [0];
  shared[0] = 1;
  while (stack.length) {
    const n = stack.pop()!;
    if (n === arrNode || n === markerNode) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) {
      if (eTypes[edges[e + eType]!]! === "weak") continue;
      const to = edges[e + eTo]! / NF;
      if (!shared[to]) { shared[to] = 1; stack.push(to); }
    }
  }
}
const byPath = new Map<string, [number, number]>();
const byKind = new Map<string, [number, number]>();
const seen = new Uint8Array(N);
const add = (map: Map<string, [number, number]>, k: string, s: number) => {
  const v = map.get(k) ?? [0, 0];
  v[0] += s;
  v[1]++;
  map.set(k, v);
};
const walk = (root: number) => {
  const stack: Array<[number, string]> = [[root, "snapshot"]];
  seen[root] = 1;
  while (stack.length) {
    const [n, path] = stack.pop()!;
    const t = nTypes[nodes[n * NF + iType]!]!;
    const size = nodes[n * NF + iSize]!;
    const name = strings[nodes[n * NF + iName]!]!;
    add(byPath, `${path} <${t}${t === "hidden" || t === "array" ? ":" + name : ""}>`, size);
    add(byKind, t === "hidden" || t === "array" || t === "code" ? `${t}:${name}` : t, size);
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) {
      const et = eTypes[edges[e + eType]!]!;
      if (et === "weak" || et === "shortcut") continue;
      const to = edges[e + eTo]! / NF;
      if (seen[to]) continue;
      const tt = nTypes[nodes[to * NF + iType]!]!;
      // Internalised strings (JSON.parse internalises values of ≤ 10 characters) are counted once.
      if (shared[to] && tt !== "string") continue;
      if (tt === "synthetic") continue;
      const nm = et === "element" ? "[]" : et === "property" ? "." + strings[edges[e + eName]!]! : `(${et}:${strings[edges[e + eName]!]! ?? edges[e+eName]!})`;
      seen[to] = 1;
      stack.push([to, path + nm]);
    }
  }
};
// the array node itself: elements
for (let e = firstEdge[arrNode]!; e < firstEdge[arrNode + 1]!; e += EF) {
  if (eTypes[edges[e + eType]!]! !== "element") continue;
  const to = edges[e + eTo]! / NF;
  if (!seen[to]) walk(to);
}
const K = kept.length;
let total = 0;
for (const [, [s]] of byKind) total += s;
console.log(`reachable only via the kept array: ${(total / K).toFixed(0)} B per snapshot`);
console.log("\nby kind (B per snapshot, nodes per snapshot):");
for (const [k, [s, c]] of [...byKind].sort((a, b) => b[1][0] - a[1][0])) console.log(`  ${(s / K).toFixed(1).padStart(8)}  ${(c / K).toFixed(2).padStart(7)}  ${k}`);
console.log("\nby path:");
for (const [k, [s, c]] of [...byPath].sort((a, b) => b[1][0] - a[1][0])) if (s / K >= 2) console.log(`  ${(s / K).toFixed(1).padStart(8)}  ${(c / K).toFixed(2).padStart(7)}  ${k}`);
