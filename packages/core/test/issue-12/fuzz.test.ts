import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as core from "../../src/index.js";
import { IssueCode, createEngine, isJicengError, loadPack, type CaseSnapshot, type Engine } from "../../src/index.js";
import { main } from "../../src/cli/index.js";

// Issue 12: the fuzz suite. Random and hostile values against every public function of
// @jiceng/core, every engine method and the CLI (in process): each call returns, or throws a
// JicengError whose issues all have a known code, an array path and both messages. No input is
// mutated and Object.prototype is unchanged. Fixed seeds; FUZZ_RUNS=… for long runs.
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 12);
/** FUZZ_SEED=n shifts every seed (other seeds for long runs). */
const SEED = Number(process.env["FUZZ_SEED"] ?? 0);
const root = new URL("../../../", import.meta.url);
const guyuanRaw = JSON.parse(readFileSync(new URL("rules-guyuan/pack.json", root), "utf8")) as Record<string, unknown>;
const guyuan = loadPack(guyuanRaw);
const engine: Engine = createEngine(guyuan);
const at = "2022-06-20T10:00:00+08:00";
const snap = engine.start({ type: "intake", at, facts: { receivedAt: at, unitCode: "01", subunitCode: "01" }, seq: 1 });
const stored = JSON.parse(JSON.stringify(snap)) as CaseSnapshot;

function deep(n: number, key = "all"): unknown {
  let x: unknown = { fact: "a", operator: "equal", value: 1 };
  for (let i = 0; i < n; i++) x = { [key]: [x] };
  return x;
}
const polluted = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}') as unknown;

/** Hostile and plausible values: wrong types, impossible instants, prototype keys, deep nesting, real objects of the wrong kind. */
const VALUES: unknown[] = [
  null, undefined, 0, -0, -1, 1.5, NaN, Infinity, 2 ** 53, "", "x", "2022-06-31T10:00:00+08:00", at, "2022-06-20", "2022Q3", "__proto__", "constructor", "toString", "{seq:2}",
  true, false, [], [null], [1, "a"], [at], {}, Object.create(null), { a: { b: {} } }, polluted, deep(3000), deep(3000, "not"), [deep(50)],
  guyuanRaw, guyuan, stored, [stored], { type: "tick", at }, { type: "intake", at, facts: {} }, { receivedAt: at, unitCode: "01", subunitCode: "01" }, { id: "x", version: "1" }, { amount: 1, unit: "calendar-days" },
];
const value = fc.oneof(fc.constantFrom(...VALUES), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 12 }));
const KNOWN = new Set<string>(Object.values(IssueCode));

/** A call returned or threw a well-formed JicengError; anything else is reported with the call. */
function wellFormed(what: string, f: () => unknown): void {
  try {
    const r = f();
    if (r instanceof Promise) r.catch(() => undefined);
  } catch (err) {
    if (!isJicengError(err)) throw new Error(`${what} threw a raw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    expect(err.issues.length, what).toBeGreaterThan(0);
    for (const i of err.issues) {
      const ok = KNOWN.has(i.code) && Array.isArray(i.path) && i.path.every((k) => typeof k === "string" || typeof k === "number") && typeof i.message?.zh === "string" && i.message.zh.length > 0 && typeof i.message?.en === "string" && i.message.en.length > 0;
      if (!ok) throw new Error(`${what}: a malformed issue ${JSON.stringify(i)}`);
    }
  }
}

/** A fingerprint of the arguments that survives any depth (no recursion). */
function fingerprint(x: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [x];
  const seen = new Set<object>();
  while (stack.length && out.length < 200_000) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") {
      out.push(typeof v === "number" && Object.is(v, -0) ? "-0" : String(v));
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    const keys = Reflect.ownKeys(v).filter((k) => typeof k === "string");
    out.push(`{${keys.join(",")}}${Object.isFrozen(v) ? "F" : ""}`);
    for (const k of keys) stack.push((v as Record<string, unknown>)[k as string]);
  }
  return out.join("|");
}

/** A short rendering of an argument for the report (a value too deep to stringify says so). */
function label(a: unknown): string {
  try {
    return String(JSON.stringify(a)).slice(0, 40);
  } catch {
    return "<deep>";
  }
}

const protoBefore = Object.getOwnPropertyNames(Object.prototype).join();
const fns = Object.entries(core).filter(([name, v]) => typeof v === "function" && name !== "JicengError") as Array<[string, (...a: unknown[]) => unknown]>;

describe("every public function of @jiceng/core, with hostile arguments", () => {
  it("enumerates the root exports", () => expect(fns.length).toBeGreaterThan(60));
  for (const [name, f] of fns) {
    it(name, () => {
      const n = Math.max(1, Math.min(f.length + 1, 4));
      fc.assert(
        fc.property(fc.array(value, { minLength: 0, maxLength: n }), (args) => {
          const before = args.map(fingerprint);
          wellFormed(`${name}(${args.map(label).join(", ")})`, () => f(...args));
          expect(args.map(fingerprint)).toEqual(before);
          expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
          expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
        }),
        { numRuns: RUNS, seed: 4242 + SEED },
      );
    });
  }
});

describe("every engine method, with hostile arguments", () => {
  const methods = Object.keys(engine).filter((k) => typeof (engine as unknown as Record<string, unknown>)[k] === "function");
  it("enumerates the methods", () => expect(methods.length).toBeGreaterThan(20));
  for (const m of methods) {
    it(m, () => {
      const f = (engine as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!;
      fc.assert(
        fc.property(fc.array(value, { minLength: 0, maxLength: 3 }), (args) => {
          const before = args.map(fingerprint);
          const snapBefore = fingerprint(snap);
          wellFormed(`engine.${m}(${args.map(label).join(", ")})`, () => f(...args));
          expect(args.map(fingerprint)).toEqual(before);
          expect(fingerprint(snap)).toBe(snapBefore);
          expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
        }),
        { numRuns: RUNS, seed: 4343 + SEED },
      );
    });
  }
});

describe("the CLI in process: hostile argv and stdin end with a code, never a stack", () => {
  const words = ["validate", "lint", "grade", "deadline", "number", "replay", "sweep", "score", "classify", "check-units", "types", "calendar", "schema", "--pack", "guyuan", "--json", "--strict", "-", "--at", at, "--level", "red", "--date", "2022-13-45", "--seq", "-1", "--period", "2022Q5", "--lang", "xx", "--snapshot", "--unit", "01"];
  it("argv × stdin", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 8 })), { maxLength: 6 }), fc.oneof(fc.constantFrom("", "{}", "null", "[", JSON.stringify(stored), JSON.stringify(guyuanRaw), '{"__proto__":{"x":1}}', '{"conditions":{"x":' + '{"all":['.repeat(3000) + '{}' + ']}'.repeat(3000) + '}}'), fc.json({ maxDepth: 3 })), async (argv, stdin) => {
        let out = "";
        let err = "";
        const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stdin, cwd: new URL("rules-guyuan/", root).pathname, env: {} });
        expect([0, 1, 2]).toContain(code);
        expect(err + out).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
      }),
      { numRuns: RUNS * 5, seed: 4444 + SEED },
    );
  });
});
