import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

/**
 * The house flows one way (docs/ARCHITECTURE.md): errors → vocabulary → calendar / numbering →
 * conditions → capabilities → lifecycle → scoring → pack assembler → engine → cli, testing, the root.
 * A file may import its own floor or any floor below, never one above. The one allowance: a
 * capability may name the type of a whole loaded pack (`import type { RulePack } from
 * "../pack/schema.js"`) — erased at build, so no run-time arrow; it may never import a value from
 * the assembler, nor anything at all from the loader.
 */
const FLOORS: Record<string, number> = {
  errors: 0,
  vocabulary: 1,
  calendar: 2,
  numbering: 2,
  conditions: 3,
  grading: 4,
  tables: 4,
  units: 4,
  routing: 4,
  lifecycle: 5,
  scoring: 6,
  pack: 7,
  engine: 8,
  cli: 9,
  testing: 9,
  "index.ts": 9,
  "grade.ts": 9,
};
const TYPE_ONLY_ALLOWED = new Set(["pack/schema.ts"]);

type Graph = Record<string, string[]>;

const folderOf = (file: string) => (file.includes("/") ? file.slice(0, file.indexOf("/")) : file);
const isSource = (file: string) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.startsWith("..");

/** Every import that goes up a floor, or into a folder with no floor; type-only imports of the allowed files excepted. */
function layeringViolations(all: Graph, values: Graph): string[] {
  const out: string[] = [];
  for (const [from, deps] of Object.entries(all)) {
    if (!isSource(from)) continue;
    const floorFrom = FLOORS[folderOf(from)];
    if (floorFrom === undefined) {
      out.push(`${from}: its folder has no floor in the house (add it to FLOORS and to docs/ARCHITECTURE.md)`);
      continue;
    }
    for (const to of deps) {
      if (!isSource(to)) continue;
      const floorTo = FLOORS[folderOf(to)];
      if (floorTo === undefined || floorTo <= floorFrom) continue;
      const typeOnly = !(values[from] ?? []).includes(to);
      if (typeOnly && TYPE_ONLY_ALLOWED.has(to)) continue;
      out.push(`${from} → ${to}${typeOnly ? " (type-only)" : ""}: floor ${floorFrom} imports floor ${floorTo}`);
    }
  }
  return out.sort();
}

const src = fileURLToPath(new URL("../src", import.meta.url));
const tsConfig = fileURLToPath(new URL("../../../tsconfig.base.json", import.meta.url));
const graphOf = (skipTypeImports: boolean) =>
  madge(src, { fileExtensions: ["ts"], tsConfig, detectiveOptions: { ts: { skipTypeImports }, es6: { skipTypeImports } } });

describe("the house flows one way", () => {
  it("the layering check itself catches an upward import, a value from the assembler and a folder without a floor", () => {
    const all: Graph = {
      "grading/grade.ts": ["pack/schema.ts", "vocabulary/index.ts"],
      "scoring/score.ts": ["pack/load.ts", "pack/schema.ts"],
      "vocabulary/index.ts": ["conditions/check.ts"],
      "newthing/x.ts": [],
    };
    const values: Graph = { "grading/grade.ts": ["vocabulary/index.ts"], "scoring/score.ts": ["pack/load.ts", "pack/schema.ts"], "vocabulary/index.ts": ["conditions/check.ts"] };
    expect(layeringViolations(all, values)).toEqual([
      "newthing/x.ts: its folder has no floor in the house (add it to FLOORS and to docs/ARCHITECTURE.md)",
      "scoring/score.ts → pack/load.ts: floor 6 imports floor 7",
      "scoring/score.ts → pack/schema.ts: floor 6 imports floor 7",
      "vocabulary/index.ts → conditions/check.ts: floor 1 imports floor 3",
    ]);
  });

  it("core has no import circle (type imports counted) and no import up a floor", async () => {
    const [all, values] = await Promise.all([graphOf(false), graphOf(true)]);
    const files = Object.keys(all.obj()).filter(isSource);
    expect(files.length).toBeGreaterThan(100);
    expect(all.warnings().skipped).toEqual([]);
    expect(all.circular()).toEqual([]);
    expect(layeringViolations(all.obj(), values.obj())).toEqual([]);
    // Nothing below the assembler may import the loader, even for a type.
    const loaderUsers = files.filter((f) => (all.obj()[f] ?? []).includes("pack/load.ts"));
    expect(loaderUsers.filter((f) => (FLOORS[folderOf(f)] ?? 0) < FLOORS["pack"]!)).toEqual([]);
  }, 120_000);
});
