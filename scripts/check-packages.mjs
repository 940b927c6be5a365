#!/usr/bin/env node
// `npm run check:packages`: what an app installing the published packages would meet. Each package is
// packed as npm would publish it (run `npm run build` first) and checked by publint (package.json
// and files, warnings count as errors) and by @arethetypeswrong/cli (types for ESM, CJS and
// bundlers; node16 profile — node10 does not read `exports`, so core's sub-entries need node16+).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { workspaces } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const bin = (name) => join(root, "node_modules", ".bin", name);
const failed = [];
const published = workspaces.filter((ws) => !JSON.parse(readFileSync(join(root, ws, "package.json"), "utf8")).private);
for (const ws of published) {
  const dir = join(root, ws);
  for (const [tool, args] of [
    ["publint", [dir, "--strict"]],
    ["attw", ["--pack", dir, "--profile", "node16", "--format", "table-flipped"]],
  ]) {
    process.stdout.write(`\n## ${ws}: ${tool}\n`);
    try {
      process.stdout.write(execFileSync(bin(tool), args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    } catch (error) {
      process.stdout.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
      failed.push(`${ws} (${tool})`);
    }
  }
}
if (failed.length) {
  console.error(`\ncheck:packages failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`\ncheck:packages: ${published.length} packages clean (publint --strict, attw --pack --profile node16)`);
