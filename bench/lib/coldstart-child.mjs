// Run in a fresh process by the cold-start workload: how long the first createEngine takes.
// argv: <core entry (dist/index.js or src/index.ts)> <pack.json> <warm repetitions> [mode]
//   mode "jitless": zod's JIT off (z.config({ jitless: true })) before the first parse
//   mode "intl":    only time the process's first Intl.DateTimeFormat with a time zone (ICU data)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [entry, packFile, reps = "20", mode = "default"] = process.argv.slice(2);
/** Process CPU time in ms (user + system): a busy machine inflates wall time, not this. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
if (mode === "intl") {
  const c = cpu();
  new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", timeZoneName: "longOffset" }).format(0);
  process.stdout.write(JSON.stringify({ intlMs: cpu() - c }) + "\n");
  process.exit(0);
}
const t0 = performance.now();
const core = await import(pathToFileURL(entry).href);
if (mode === "jitless") (await import("zod")).config({ jitless: true });
const t1 = performance.now();
const c1 = cpu();
const text = readFileSync(packFile, "utf8");
const engine = core.createEngine(JSON.parse(text));
const c2 = cpu();
const t2 = performance.now();
engine.gradeLevel({});
const warm = [];
for (let i = 0; i < Number(reps); i++) {
  const s = cpu();
  core.createEngine(JSON.parse(text));
  warm.push(cpu() - s);
}
warm.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ importMs: t1 - t0, coldMs: c2 - c1, coldWallMs: t2 - t1, warmMs: warm[warm.length >> 1] ?? Number.NaN }) + "\n");
