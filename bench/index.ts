// `npm run bench`: every workload of issue 7, variants side by side in one process, several
// rounds, median and min–max, ratio to the baseline; writes the table to bench/RESULTS.md.
//
//   npm run bench                          all workloads, full size, writes bench/RESULTS.md
//   npm run bench -- --only=grading,sweep  some workloads (RESULTS.md is not written)
//   npm run bench -- --scale=0.1 --rounds=3 --no-write
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { measure, type Stats } from "./lib/harness.js";
import { evaluateGoals, renderGoals } from "./lib/goals.js";
import { machineInfo, renderMarkdown, renderStats, type Section } from "./lib/report.js";
import type { Workload } from "./lib/workload.js";
import { WORKLOADS } from "./workloads/index.js";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const only = args.get("only")?.split(",");
const scale = Number(args.get("scale") ?? 1);
const rounds = Number(args.get("rounds") ?? 7);
const write = args.get("no-write") === undefined && only === undefined && scale === 1;

const selected: Workload[] = only ? WORKLOADS.filter((w) => only.includes(w.id)) : WORKLOADS;
const sections: Section[] = [];
const started = Date.now();
const loads: number[] = [loadavg()[0]!];

for (const w of selected) {
  const t0 = Date.now();
  const p = await w.prepare({ scale, smoke: false });
  if ("skipped" in p) {
    console.log(`\n## ${w.id}: skipped — ${p.skipped}`);
    sections.push({ id: w.id, title: w.id, skipped: p.skipped, groups: [], tables: [], notes: [] });
    continue;
  }
  console.log(`\n## ${p.title}`);
  const notes = await p.check();
  for (const n of notes) console.log(`  ✓ ${n}`);
  const results = new Map<string, Stats[]>();
  const groups: Section["groups"] = [];
  for (const g of p.groups) {
    const stats = await measure(g.variants, { rounds, warmup: 2 });
    results.set(g.title, stats);
    groups.push({ title: g.title, unit: g.unit, stats });
    console.log(renderStats(g.title, g.unit, stats));
  }
  if (p.after) for (const n of await p.after(results)) (notes.push(n), console.log(`  · ${n}`));
  const custom = p.custom ? await p.custom() : { tables: [], notes: [] };
  const tables = custom.tables;
  for (const n of custom.notes) (notes.push(n), console.log(`  · ${n}`));
  for (const t of tables) console.log(`\n${t.title}\n${t.columns.join(" | ")}\n${t.rows.map((r) => r.join(" | ")).join("\n")}`);
  sections.push({ id: p.id, title: p.title, groups, tables, notes });
  loads.push(loadavg()[0]!);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s, load average ${loads.at(-1)!.toFixed(1)})`);
}

const goals = evaluateGoals(sections);
console.log(`\nGoals\n${goals.map((g) => `  ${g.met === undefined ? "—" : g.met ? "met   " : "MISSED"}  ${g.goal}: ${g.measured}`).join("\n")}`);
const info = machineInfo();
console.log(`\n${info.summary}; ${rounds} rounds; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (write) {
  const file = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
  const load = `${Math.min(...loads).toFixed(1)} – ${Math.max(...loads).toFixed(1)} (1-minute, sampled between workloads; ${info.nproc} cores)`;
  const analysisFile = fileURLToPath(new URL("./ANALYSIS.md", import.meta.url));
  const analysis = existsSync(analysisFile) ? readFileSync(analysisFile, "utf8").trim() : undefined;
  writeFileSync(file, renderMarkdown(info, sections, { rounds, load, goals: `## Goals\n\n${renderGoals(goals)}`, ...(analysis ? { analysis } : {}) }));
  console.log(`wrote ${file}`);
}
