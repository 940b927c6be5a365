import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, safeLoadPack, scoreCases, type CreateEngineInput, type JicengIssue } from "../../src/index.js";

const PACKS = ["guyuan", "xiji", "lanxi", "ankang", "three-centers"] as const;
const read = (id: string) => JSON.parse(readFileSync(new URL(`../../../rules-${id}/pack.json`, import.meta.url), "utf8")) as Record<string, unknown>;

/** Every place in a pack's scoring section where a case field names a fact: `{ field: "facts.x" }`. */
function factFields(node: unknown, path: (string | number)[] = ["scoring"]): Array<{ path: (string | number)[]; field: string }> {
  const out: Array<{ path: (string | number)[]; field: string }> = [];
  const stack: Array<[unknown, (string | number)[]]> = [[node, path]];
  while (stack.length) {
    const [n, p] = stack.pop()!;
    if (Array.isArray(n)) n.forEach((x, i) => stack.push([x, [...p, i]]));
    else if (n !== null && typeof n === "object") {
      for (const [k, v] of Object.entries(n)) {
        if (k === "field" && typeof v === "string" && v.startsWith("facts.")) out.push({ path: [...p, k], field: v });
        else stack.push([v, [...p, k]]);
      }
    }
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path.at(-1)!] = value;
}

describe("a scoring field that names an undeclared fact is refused where it is written (never scores nothing silently)", () => {
  const sites = PACKS.flatMap((id) => factFields(read(id)["scoring"]).map((s) => ({ id, ...s })));

  it("the five packs name facts in their scoring sections", () => {
    expect(sites.length).toBeGreaterThan(10);
    for (const id of PACKS) expect(safeLoadPack(read(id)).success, id).toBe(true);
  });

  it.each(sites.map((s) => [`${s.id} ${s.path.join(".")}`, s] as const))("%s: a misspelt fact → UNKNOWN_FACT at that path with did-you-mean", (_, s) => {
    const pack = read(s.id);
    const name = s.field.slice("facts.".length);
    const typo = name.length > 1 ? name.slice(0, -2) + name.at(-1) + name.at(-2) : name + "x";
    setAt(pack, s.path, `facts.${typo}`);
    const r = safeLoadPack(pack);
    expect(r.success).toBe(false);
    if (r.success) return;
    const hit = r.issues.find((i: JicengIssue) => i.code === "UNKNOWN_FACT" && JSON.stringify(i.path) === JSON.stringify(s.path));
    expect(hit, JSON.stringify(r.issues.map((i) => [i.code, i.path]))).toBeDefined();
    expect(hit!.message.en).toContain(`did you mean "${name}"`);
    expect(hit!.message.zh).toContain(`是否为“${name}”`);
    // Reported once, at the pack's own path, not again under each variant.
    expect(r.issues.filter((i) => i.code === "UNKNOWN_FACT")).toHaveLength(1);
  });

  it("scoreCases' groupBy option is held to the declared facts too", () => {
    const engine = createEngine(read("guyuan") as CreateEngineInput);
    const bad = () => scoreCases(engine.pack, [], "2022-Q3", { groupBy: "facts.unitCdoe" });
    expect(bad).toThrowError(expect.objectContaining({ code: "UNKNOWN_FACT", issues: [expect.objectContaining({ path: ["groupBy"] })] }));
    expect(scoreCases(engine.pack, [], "2022-Q3", { groupBy: "facts.unitCode" }).units).toEqual([]);
  });
});
