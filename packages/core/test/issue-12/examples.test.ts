import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, createMemoryAllocator, isJicengError, lintPack, safeLoadPack, scoreCases, type CaseSnapshot, type CreateEngineInput, type Engine, type JicengIssue } from "../../src/index.js";
import { main } from "../../src/cli/index.js";
import { PACK_LIMITS } from "../../src/pack/prescan.js";
import { catchJicengError } from "../../src/testing/index.js";

// Issue 12: the examples of the issue text that no other test of test/issue-12 holds, each as a
// regression test (the inventory, example by example, is in README.md beside this file):
// `jiceng validate` of a deep pack, the 500 rules × 999 conditions pack, `__proto__` in every record
// of a pack, a unit named "toString" in a scorecard, `jiceng sweep` of a snapshot without
// reportedTo, `jiceng lint … | head -1`; and what the long fuzz run (FUZZ_RUNS=300) found.
const root = new URL("../../../../", import.meta.url);
type Pack = Record<string, any>;
const packOf = (dir: string): Pack => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as Pack;
const dir = mkdtempSync(join(tmpdir(), "jiceng-12-examples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = "2022-06-20T10:00:00+08:00";
const guyuanEngine = (): Engine => createEngine(packOf("guyuan") as CreateEngineInput);

async function cli(argv: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin, cwd: fileURLToPath(root), env: {} });
  return { code, out, err };
}
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+|RangeError|TypeError|意外错误/);

function nest(depth: number): unknown {
  let c: unknown = { fact: "difficulty", operator: "equal", value: "simple" };
  for (let i = 0; i < depth; i++) c = { all: [c] };
  return c;
}

/** Guyuan with its first rule's conditions nested `depth` deep, as JSON text. */
function deepPackText(depth: number): string {
  const p = packOf("guyuan");
  p.grading.rules[0].conditions = "DEEP";
  const leaf = JSON.stringify({ fact: "difficulty", operator: "equal", value: "simple" });
  return JSON.stringify(p).replace('"DEEP"', '{"all":['.repeat(depth) + leaf + "]}".repeat(depth));
}

describe("Crashes of the safe loader: `jiceng validate` of a pack nested 1,000 deep", () => {
  it("exits 1 with LIMIT_EXCEEDED at the rule (it exited 2, 意外错误)", async () => {
    // Written as text (JSON.stringify itself recurses, and this suite also runs under --stack-size=200).
    writeFileSync(join(dir, "deep.json"), deepPackText(1_000));
    const r = await cli(["validate", join(dir, "deep.json"), "--json"]);
    expect(r.code).toBe(1);
    noStack(r.out + r.err);
    const json = JSON.parse(r.out) as { valid: boolean; errors: JicengIssue[] };
    expect(json.valid).toBe(false);
    expect(json.errors.some((i) => i.code === "LIMIT_EXCEEDED" && i.path[0] === "grading" && i.path[1] === "rules" && i.path[2] === 0)).toBe(true);
  });
  it("jiceng lint of the same pack reports the load errors, no stack", async () => {
    writeFileSync(join(dir, "deep-lint.json"), deepPackText(5_000));
    const r = await cli(["lint", join(dir, "deep-lint.json")]);
    expect(r.code).toBe(1);
    noStack(r.out + r.err);
    expect(r.out).toContain("LIMIT_EXCEEDED");
  });
});

describe("Load time unbounded: 500 rules × 999 conditions (inside the old limits) is refused by the pre-scan", () => {
  it("LIMIT_EXCEEDED for the values in the pack, before any recursive parse", () => {
    const p = packOf("guyuan");
    const leaf = { fact: "difficulty", operator: "equal", value: "simple" };
    const rule = p.grading.rules[0];
    p.grading.rules = Array.from({ length: 500 }, (_, i) => ({ ...rule, id: `r${i}`, conditions: { any: Array.from({ length: 999 }, () => leaf) } }));
    const t = performance.now();
    const r = safeLoadPack(p);
    expect(performance.now() - t).toBeLessThan(10_000); // a guard against a hang, not a timing test
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.issues.map((i) => i.code)).toEqual(["LIMIT_EXCEEDED"]);
    expect(r.issues[0]!.message.en).toContain(String(PACK_LIMITS.maxNodes));
    expect(catchJicengError(() => createEngine(p as never)).code).toBe("LIMIT_EXCEEDED");
  });
});

describe("Lookups that reach the prototype chain: `__proto__` as a key in any object of a pack", () => {
  // Every object of every pack whose values are all objects (the records: tables, named conditions,
  // variant levels, numbering parts, labels…) and the pack itself, one at a time.
  for (const id of ["guyuan", "ankang", "xiji", "lanxi", "three-centers"]) {
    it(`${id}: refused at [..., "__proto__"] (zod used to strip it silently)`, () => {
      const text = readFileSync(new URL(`packages/rules-${id}/pack.json`, root), "utf8");
      const records: Array<(string | number)[]> = [[]];
      const stack: Array<{ v: unknown; path: (string | number)[] }> = [{ v: JSON.parse(text), path: [] }];
      while (stack.length) {
        const { v, path } = stack.pop()!;
        if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }));
        else if (v && typeof v === "object") {
          const values = Object.values(v);
          if (path.length && values.length && values.every((x) => x && typeof x === "object" && !Array.isArray(x))) records.push(path);
          for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, k] });
        }
      }
      expect(records.length).toBeGreaterThan(3);
      for (const path of records) {
        const pack = JSON.parse(text) as Pack;
        const target = path.reduce((x: any, k) => x[k], pack) as Record<string, unknown>;
        // An own key "__proto__", as JSON.parse makes it from a pack file.
        Object.defineProperty(target, "__proto__", { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
        expect(Object.hasOwn(target, "__proto__")).toBe(true);
        const r = safeLoadPack(pack);
        expect(r.success, JSON.stringify(path)).toBe(false);
        if (!r.success) expect(r.issues.some((i) => JSON.stringify(i.path) === JSON.stringify([...path, "__proto__"])), JSON.stringify(path)).toBe(true);
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }
    });
  }
  it('a unit named "toString" or "constructor" gets a text label in the scorecard, never a function', () => {
    const engine = guyuanEngine();
    const snaps: CaseSnapshot[] = ["toString", "constructor", "__proto__", "hasOwnProperty"].map((_unit, i) =>
      engine.start({ type: "intake", at, facts: { receivedAt: at, unitCode: "01", subunitCode: "01" }, seq: i + 1 }),
    );
    const withUnit = snaps.map((s, i) => engine.transition(s, { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "x", responsibleLeader: "王", responsibleUnit: ["toString", "constructor", "__proto__", "hasOwnProperty"][i]!, responsiblePerson: "李", measures: "调解", cooperatingUnits: [], deadline: "2022-06-25" } as never));
    for (const card of [engine.score(withUnit, "2022"), scoreCases(engine.pack, withUnit, "2022", { groupBy: "assignment.responsibleUnit" })]) {
      for (const u of card.units) {
        expect(typeof u.label.zh, u.key).toBe("string");
        expect(typeof u.label.en, u.key).toBe("string");
      }
    }
  });
});

describe("Snapshots from a store: `jiceng sweep` of a snapshot without reportedTo", () => {
  it("exits 1 with INVALID_SNAPSHOT at the field (it exited 2 with a raw TypeError)", async () => {
    const engine = guyuanEngine();
    const snap = JSON.parse(JSON.stringify(engine.start({ type: "intake", at, facts: { receivedAt: at, unitCode: "01", subunitCode: "01" }, seq: 1 }))) as CaseSnapshot;
    const { reportedTo: _drop, ...context } = snap.context;
    const r = await cli(["sweep", "--pack", "packages/rules-guyuan", "--at", "2022-07-01T10:00:00+08:00", "--json", "-"], JSON.stringify({ ...snap, context }) + "\n");
    expect(r.code).toBe(1);
    noStack(r.out + r.err);
    expect(r.err + r.out).toContain("INVALID_SNAPSHOT");
    expect(r.err + r.out).toContain("reportedTo");
  });
});

describe("Also: `jiceng lint … | head -1` ends quietly with status 0 (EPIPE)", () => {
  it("no EPIPE stack, exit 0", () => {
    const bin = fileURLToPath(new URL("packages/core/bin/jiceng.js", root));
    const pack = fileURLToPath(new URL("packages/rules-guyuan/pack.json", root));
    const r = spawnSync("bash", ["-c", `node "${bin}" lint "${pack}" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("0");
    expect(r.stderr).not.toMatch(/EPIPE|at .+:\d+:\d+/);
  });
});

describe("found by the long fuzz run (FUZZ_RUNS=300)", () => {
  it('jiceng toString is an unknown command, exit 2 (it ran Object.prototype.toString and returned no exit code)', async () => {
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const r = await cli([name]);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toContain("USAGE");
      noStack(r.out + r.err);
    }
    const h = await cli(["help", "toString"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("validate");
  });
  it("createMemoryAllocator: an initial entry that is not a [scope, sequence] pair is INVALID_ARGUMENT at its index", () => {
    expect(catchJicengError(() => createMemoryAllocator([[]] as never)).issues.map((i) => [i.code, i.path])).toEqual([["INVALID_ARGUMENT", ["initial", 0]]]);
    expect(catchJicengError(() => createMemoryAllocator([["s", 1], ["t"]] as never)).issues[0]!.path).toEqual(["initial", 1]);
    expect(catchJicengError(() => createMemoryAllocator({ s: -1 })).issues.map((i) => [i.code, i.path])).toEqual([["INVALID_NUMBER", ["initial", "s"]]]);
    expect(createMemoryAllocator(new Map([["s", 3]])).next("s")).toBe(4);
    expect(createMemoryAllocator({ s: 3 }).next("s")).toBe(4);
  });
  it("lintPack of a pack nested 3,000 deep: LIMIT_EXCEEDED, never a RangeError", () => {
    const p = packOf("guyuan");
    p.grading.rules[0].conditions = nest(3_000);
    const err = catchJicengError(() => lintPack(p));
    expect(err.code).toBe("LIMIT_EXCEEDED");
    expect(lintPack(packOf("guyuan")).length).toBeGreaterThan(0);
  });
  it("engine.agenda with a deep value as the kind: INVALID_ARGUMENT at kind", () => {
    const engine = guyuanEngine();
    const err = catchJicengError(() => engine.agenda([], nest(5_000) as never, at));
    expect(err.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["INVALID_ARGUMENT", "kind"]]);
  });
  it("engine.score without a period, or with a forged one: INVALID_PERIOD, never a TypeError", () => {
    const engine = guyuanEngine();
    for (const period of [undefined, null, 5, {}, { id: 2022 }, { id: "2022", timeZone: "Foo/Bar" }, { id: "2022Q5" }]) {
      let error: unknown;
      try {
        engine.score([], period as never);
      } catch (e) {
        error = e;
      }
      expect(isJicengError(error), JSON.stringify(period)).toBe(true);
      expect((error as { code: string }).code, JSON.stringify(period)).toBe("INVALID_PERIOD");
    }
    // A period object from parsePeriod is read again from its id and zone.
    const card = engine.score([], { id: "2022Q3", timeZone: "Asia/Shanghai", startMs: 0, endMs: 1 } as never);
    expect(card.period.start).toBe("2022-07-01T00:00:00+08:00");
  });
});
