import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatPath, safeLoadPack, checkUnits, type JicengIssue } from "../../src/index.js";

// Issue 12 part 7: duplicate ids are reported at their full path (["grading","rules",1,"id"], not
// ["grading",1,"id"]), and every duplicate message names the first item the same way: by its JSON
// path, numbered from 0 like the issue's own path ("already used at $.grading.rules[0].id"), never
// "item 1". Every list of identified items in the five packs, each item duplicated in turn.
const root = new URL("../../../", import.meta.url);
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as { [k: string]: Json });
const isObj = (v: unknown): v is { [k: string]: Json } => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every array of objects that all carry a string `id` (or `name`, or `value`), with the key. */
function identifiedLists(doc: Json): Array<{ path: (string | number)[]; key: string; length: number }> {
  const out: Array<{ path: (string | number)[]; key: string; length: number }> = [];
  const stack: Array<{ v: Json; path: (string | number)[] }> = [{ v: doc, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (Array.isArray(v)) {
      // Conditions ({ fact, operator, value }) and variant settings ({ path, value }) are not identified items.
      const key = ["id", "name", "value"].find((k) => v.length > 0 && v.every((x) => isObj(x) && typeof x[k] === "string" && !("fact" in x) && !("path" in x)));
      if (key) out.push({ path, key, length: v.length });
      v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
    } else if (isObj(v)) for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
  }
  return out;
}

const at = (doc: Json, path: (string | number)[]): Json => path.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k]!, doc);
const NUMBERED = /item \d|row \d|unit \d|period no\.|第 ?\d+ ?(项|行|个|段)|另见/;

describe("every duplicated item of every identified list is DUPLICATE_ID at its full path, naming the first by its path", () => {
  for (const pack of packs) {
    it(String(pack["id"]), () => {
      const lists = identifiedLists(pack);
      expect(lists.length).toBeGreaterThan(10);
      const silent: string[] = [];
      for (const { path, key, length } of lists) {
        // The last item again: the duplicate is at index `length`, the first at `length - 1`.
        const doc = JSON.parse(JSON.stringify(pack)) as Json;
        const list = at(doc, path) as Json[];
        list.push(JSON.parse(JSON.stringify(list[length - 1])) as Json);
        const r = safeLoadPack(doc);
        const issues: readonly JicengIssue[] = r.success ? r.warnings : r.issues;
        const want = [...path, length, key];
        const hit = issues.find((i) => i.code === "DUPLICATE_ID" && JSON.stringify(i.path) === JSON.stringify(want));
        if (!hit) {
          silent.push(`${formatPath(want)}: ${r.success ? "accepted" : JSON.stringify(issues.slice(0, 2).map((i) => [i.code, i.path]))}`);
          continue;
        }
        expect(r.success).toBe(false);
        const first = formatPath([...path, length - 1, key]);
        expect(hit.message.en, formatPath(want)).toContain(`already used at ${first}`);
        expect(hit.message.zh, formatPath(want)).toContain(`${first} 已使用`);
      }
      expect(silent).toEqual([]);
      for (const i of collectDuplicates(pack)) expect(`${i.message.zh} ${i.message.en}`).not.toMatch(NUMBERED);
    });
  }
});

/** Every DUPLICATE_ID issue that duplicating each list's first item produces (for the numbering check). */
function collectDuplicates(pack: { [k: string]: Json }): JicengIssue[] {
  const out: JicengIssue[] = [];
  for (const { path } of identifiedLists(pack)) {
    const doc = JSON.parse(JSON.stringify(pack)) as Json;
    const list = at(doc, path) as Json[];
    list.push(JSON.parse(JSON.stringify(list[0])) as Json);
    const r = safeLoadPack(doc);
    out.push(...(r.success ? r.warnings : r.issues).filter((i) => i.code === "DUPLICATE_ID"));
  }
  return out;
}

describe("duplicates outside a pack use the same convention", () => {
  it("checkUnits: a unit id used twice names the first unit by its path", () => {
    const three = packs.find((p) => isObj(p["units"]))!;
    expect(three).toBeDefined();
    const kinds = ((three["units"] as { kinds: Array<{ id: string; parents?: string[] }> }).kinds);
    const top = kinds.find((k) => !k.parents?.length)!;
    const report = checkUnits(three["units"] as never, [{ id: "u1", kind: top.id }, { id: "u1", kind: top.id }]);
    const v = report.violations.find((x) => x.rule === "unit-id")!;
    expect(v.path).toEqual([1, "id"]);
    expect(v.message.en).toContain("already used at $[0].id");
    expect(`${v.message.zh} ${v.message.en}`).not.toMatch(NUMBERED);
  });
});
