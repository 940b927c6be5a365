import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { IssueCode, createEngine, isJicengError, safeLoadPack, type Engine, type JicengIssue } from "../../src/index.js";
import { main } from "../../src/cli/index.js";
import { PACK_LIMITS } from "../../src/pack/prescan.js";
import { applyVariantSets } from "../../src/pack/load.js";
import { CONDITION_LIMITS } from "../../src/conditions/check.js";
import { caseFactsArbitrary, intakeArbitrary } from "../../src/testing/index.js";

// Issue 12 part 1: whatever `safeLoadPack` and `jiceng validate` accept, `createEngine` accepts, and
// every valid case of it can be assessed. The five real packs, mutated at random paths (values
// replaced by other JSON, keys deleted and added, items duplicated, references swapped for values
// seen under the same key, time zones, amounts, limits at their edges), and random JSON.
// Fixed seeds; FUZZ_RUNS=… for long runs.
const RUNS = Number(process.env["FUZZ_RUNS"] ?? 10);
const SEED = Number(process.env["FUZZ_SEED"] ?? 1212);
const root = new URL("../../../", import.meta.url);
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as Obj);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

interface Site {
  parent: Obj | Json[] | undefined;
  key: string | number;
  value: Json;
}

/** Every value of a JSON document with its parent and key (iterative: any depth). */
function sites(doc: Json): Site[] {
  const out: Site[] = [];
  const stack: Site[] = [{ parent: undefined, key: "", value: doc }];
  while (stack.length) {
    const s = stack.pop()!;
    out.push(s);
    const v = s.value;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ parent: v, key: i, value: x }));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) stack.push({ parent: v, key: k, value: x });
  }
  return out;
}

// Values seen under each key in the five packs (level ids, table and unit references, units of
// time, calendar choices…), so a swap gives a plausible reference to something else.
const seenByKey = new Map<string, Json[]>();
const allStrings = new Set<string>();
const allKeys = new Set<string>();
for (const p of packs) {
  for (const s of sites(p)) {
    if (typeof s.key === "string" && s.key !== "") allKeys.add(s.key);
    if (typeof s.value === "string") allStrings.add(s.value);
    if (typeof s.key === "string" && (s.value === null || typeof s.value !== "object")) {
      const list = seenByKey.get(s.key) ?? [];
      if (!list.includes(s.value)) list.push(s.value);
      seenByKey.set(s.key, list);
    }
  }
}
// Words, not rules: mutating them tells nothing about validation (the schema only asks for text).
const TEXT_KEYS = new Set(["zh", "en", "quote", "clause", "title", "$schema", "description", "url", "publisher"]);
const meaningful = (s: Site) => typeof s.key !== "string" || !TEXT_KEYS.has(s.key);
const strings = [...allStrings].filter((s) => s.length < 60);
const keys = [...allKeys];
const HOSTILE_STRINGS = ["", "constructor", "__proto__", "toString", "prototype", "hasOwnProperty", "valueOf", "a.b", "Foo/Bar", "2022-06-31", "2022-06-31T10:00:00+08:00", "{seq:2}", "{constructor}", "x".repeat(PACK_LIMITS.maxStringLength), "x".repeat(PACK_LIMITS.maxStringLength + 1)];
const EDGE_NUMBERS = [0, -0, -1, 1, 0.5, 2, 12, 99, 100, 101, 365, 366, 999, 1000, 3660, 3661, 36_600, 36_601, 1e6, 1e9, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e21, -1e21, 1e-7];
const TIME_ZONES = ["Asia/Shanghai", "UTC", "Etc/UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati", "Etc/GMT+12", "Etc/GMT-14", "Europe/London", "Foo/Bar", "asia/shanghai", "+08:00", "Asia/Shanghai ", "", "Local", "US/Pacific", "GMT"];
const replacement: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, weight: 3 },
  { arbitrary: fc.constantFrom<Json>(...EDGE_NUMBERS, ...HOSTILE_STRINGS, true, false, null, [], {}), weight: 3 },
  { arbitrary: fc.constantFrom(...strings), weight: 3 },
);

type Mutation =
  | { kind: "replace" | "swap" | "number" | "delete" | "duplicate" | "edge"; at: number; pick: number; value: Json }
  | { kind: "add"; at: number; pick: number; value: Json; key: string }
  | { kind: "timezone"; zone: string }
  | { kind: "nest"; at: number; depth: number; key: "all" | "any" | "not" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("replace", "swap", "number", "delete", "duplicate", "edge"), at: fc.nat(), pick: fc.nat(), value: replacement }),
  fc.record({ kind: fc.constant("add" as const), at: fc.nat(), pick: fc.nat(), value: replacement, key: fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant("timezone" as const), zone: fc.constantFrom(...TIME_ZONES) }),
  fc.record({ kind: fc.constant("nest" as const), at: fc.nat(), depth: fc.integer({ min: CONDITION_LIMITS.maxDepth - 3, max: CONDITION_LIMITS.maxDepth + 1 }), key: fc.constantFrom("all" as const, "any" as const, "not" as const) }),
);

const set = (s: Site, v: Json) => {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else if (s.parent) s.parent[s.key as string] = v;
};
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Applies one mutation to a pack (in place); a mutation with nothing to act on does nothing. */
function mutate(doc: Obj, m: Mutation): void {
  if (m.kind === "timezone") {
    doc["timezone"] = m.zone;
    return;
  }
  const all = sites(doc).slice(1);
  const one = (list: Site[]) => (list.length ? list[m.at % list.length] : undefined);
  switch (m.kind) {
    case "replace": {
      const s = one(all.filter(meaningful));
      if (s) set(s, m.value);
      return;
    }
    case "swap": {
      // A scalar replaced by another value seen under the same key (a level id, a table id, a unit…).
      const s = one(all.filter((x) => typeof x.key === "string" && meaningful(x) && (x.value === null || typeof x.value !== "object")));
      const pool = s && seenByKey.get(s.key as string);
      if (s && pool?.length) set(s, pool[m.pick % pool.length]!);
      return;
    }
    case "number": {
      const s = one(all.filter((x) => typeof x.value === "number"));
      if (s) set(s, EDGE_NUMBERS[m.pick % EDGE_NUMBERS.length]!);
      return;
    }
    case "delete": {
      const s = one(all);
      if (!s) return;
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else if (s.parent) delete s.parent[s.key as string];
      return;
    }
    case "duplicate": {
      const s = one(all.filter((x) => Array.isArray(x.value) && x.value.length > 0));
      if (s) (s.value as Json[]).push(clone((s.value as Json[])[m.pick % (s.value as Json[]).length]!));
      return;
    }
    case "add": {
      const s = one(all.filter((x) => isObj(x.value)));
      const target = s ? (s.value as Obj) : doc;
      if (m.key !== "__proto__") target[m.key] = m.value;
      return;
    }
    case "edge": {
      // A collection brought to its limit, or one past it: named conditions, rules, a string.
      const which = m.pick % 3;
      const over = m.at % 2;
      if (which === 0) {
        const conditions = (isObj(doc["conditions"]) ? doc["conditions"] : {}) as Obj;
        const facts = Array.isArray(doc["facts"]) ? doc["facts"] : [];
        const bool = facts.find((f) => isObj(f) && f["type"] === "boolean") as Obj | undefined;
        const leaf: Json = bool ? { fact: bool["name"]!, operator: "equal", value: true } : { all: [] };
        for (let i = Object.keys(conditions).length; i < PACK_LIMITS.maxNamedConditions + over; i++) conditions[`edge${i}`] = leaf;
        doc["conditions"] = conditions;
      } else if (which === 1) {
        const grading = doc["grading"];
        const rules = isObj(grading) && Array.isArray(grading["rules"]) ? grading["rules"] : undefined;
        if (!rules?.length) return;
        const model = rules[0]!;
        for (let i = rules.length; i < PACK_LIMITS.maxRules + over; i++) rules.push(isObj(model) ? { ...model, id: `edge-${i}` } : model);
      } else {
        const s = one(all.filter((x) => typeof x.value === "string"));
        if (s) set(s, "字".repeat(PACK_LIMITS.maxStringLength - 1 + over));
      }
      return;
    }
    case "nest": {
      const s = one(all.filter((x) => (x.key === "conditions" || x.key === "when" || x.key === "appliesWhen") && isObj(x.value)));
      if (!s) return;
      let c = s.value;
      for (let i = 0; i < m.depth; i++) c = m.key === "not" ? { not: c } : { [m.key]: [c] };
      set(s, c);
      return;
    }
  }
}

const KNOWN = new Set<string>(Object.values(IssueCode));
function wellFormed(issues: readonly JicengIssue[]): void {
  for (const i of issues) {
    const ok = KNOWN.has(i.code) && Array.isArray(i.path) && i.path.every((k) => typeof k === "string" || typeof k === "number") && i.message.zh.length > 0 && i.message.en.length > 0;
    if (!ok) throw new Error(`a malformed issue ${JSON.stringify(i)}`);
  }
}

/** createEngine's verdict: the engine, or the JicengError's issues (anything else fails the test). */
function engineOf(x: unknown, options: { variant?: string } = {}): { engine?: Engine; issues?: readonly JicengIssue[] } {
  try {
    return { engine: createEngine(x as never, options) };
  } catch (error) {
    if (!isJicengError(error)) throw new Error(`createEngine threw a raw ${(error as Error)?.name}: ${(error as Error)?.message}`);
    return { issues: error.issues };
  }
}

const dir = mkdtempSync(join(tmpdir(), "jiceng-12-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function validateExit(x: unknown): Promise<number> {
  let out = "";
  const file = join(dir, "pack.json");
  writeFileSync(file, JSON.stringify(x));
  const code = await main(["validate", file, "--json"], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, cwd: root.pathname, env: {} });
  expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return code;
}

// A valid case of an accepted pack may be refused only for what is wrong with the case itself or
// with its dates (a pack may choose to refuse dates past its holiday data).
const CASE_CODES = new Set<string>([IssueCode.INVALID_CASE, IssueCode.INVALID_FACT, IssueCode.MISSING_FACT, IssueCode.CALENDAR_OUT_OF_RANGE]);
const START_MS = Date.parse("2021-01-04T00:00:00+08:00");
const SPAN_MS = Date.parse("2025-06-30T00:00:00+08:00") - START_MS;

/** The agreement property for one candidate pack; returns whether it was accepted. */
async function agree(x: unknown, caseSeed: number, checkCli: boolean): Promise<boolean> {
  let r: ReturnType<typeof safeLoadPack>;
  try {
    r = safeLoadPack(x);
  } catch (error) {
    throw new Error(`safeLoadPack threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
  const e = engineOf(x);
  if (r.success !== (e.engine !== undefined)) {
    throw new Error(r.success ? `safeLoadPack accepted, createEngine refused: ${JSON.stringify(e.issues?.slice(0, 3))}` : `safeLoadPack refused, createEngine accepted: ${JSON.stringify(r.issues.slice(0, 3))}`);
  }
  if (!r.success) {
    expect(r.issues.some((i) => i.severity === "error")).toBe(true);
    wellFormed(r.issues);
    wellFormed(e.issues!);
  }
  if (checkCli) expect(await validateExit(x), "jiceng validate exits 0 iff safeLoadPack accepts").toBe(r.success ? 0 : 1);
  if (!r.success) return false;
  const engine = e.engine!;
  const levels = new Set(engine.pack.levels.map((l) => l.id));
  // Every variant of an accepted pack makes an engine too.
  const variants = engine.pack.variants;
  if (variants.length) {
    const v = variants[caseSeed % variants.length]!;
    const ve = engineOf(x, { variant: v.id });
    if (!ve.engine) throw new Error(`the pack was accepted but its variant ${v.id} is refused: ${JSON.stringify(ve.issues?.slice(0, 3))}`);
    // The variant (checked on the sections it sets, the rest shared) is the pack with its values set, loaded whole.
    if (v.set?.length && Object.keys(v.levels).length === 0) {
      const patched = applyVariantSets(x, v.set, ["variants"]);
      if (!patched.ok) throw new Error(`variant ${v.id}: its paths are not in the pack`);
      const whole = safeLoadPack(patched.value);
      if (!whole.success) throw new Error(`variant ${v.id} loads, but the pack with its values set does not: ${JSON.stringify(whole.issues.slice(0, 3))}`);
      expect(JSON.stringify(ve.engine.pack)).toBe(JSON.stringify(whole.data));
    }
  }
  const startMs = START_MS + (caseSeed % Math.floor(SPAN_MS / 60_000)) * 60_000;
  const cases = fc.sample(caseFactsArbitrary(engine.pack, startMs), { seed: caseSeed, numRuns: 4 });
  for (const facts of cases) {
    try {
      const a = engine.assess(facts);
      if (!levels.has(a.level)) throw new Error(`assess returned level ${String(a.level)}`);
    } catch (error) {
      if (!isJicengError(error)) throw new Error(`assess(${JSON.stringify(facts)}) threw a raw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      wellFormed(error.issues);
      const other = error.issues.filter((i) => !CASE_CODES.has(i.code));
      if (other.length) throw new Error(`assess(${JSON.stringify(facts)}) of an accepted pack refused the case for the pack's sake: ${JSON.stringify(other.slice(0, 3))}`);
    }
  }
  // The lifecycle's intake too: a result or a typed error, never a raw one.
  for (const intake of fc.sample(intakeArbitrary(engine.pack), { seed: caseSeed, numRuns: 2 })) {
    try {
      engine.start(intake);
    } catch (error) {
      if (!isJicengError(error)) throw new Error(`start(${JSON.stringify(intake)}) threw a raw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      wellFormed(error.issues);
    }
  }
  return true;
}

describe("safeLoadPack ≡ createEngine ≡ jiceng validate on mutated packs, and every valid case of an accepted pack is assessed", () => {
  for (const pack of packs) {
    it(`${String(pack["id"])}: 1–3 mutations`, async () => {
      let accepted = 0;
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(), async (ms, caseSeed) => {
          const doc = clone(pack);
          for (const m of ms) mutate(doc, m);
          if (await agree(doc, caseSeed, n++ % 3 === 0)) accepted++;
        }),
        { numRuns: RUNS, seed: SEED },
      );
      if (process.env["FUZZ_STATS"]) console.log(`${String(pack["id"])}: ${accepted} of ${n} mutated packs accepted`);
      // The mutations keep a share of the packs valid (else the second half of the property is idle).
      if (RUNS >= 10) expect(accepted).toBeGreaterThan(0);
    });
  }
  it("the five packs as shipped are accepted", async () => {
    for (const pack of packs) expect(await agree(clone(pack), 7, true)).toBe(true);
  });
  it("random JSON, and objects shaped like a pack with random values", async () => {
    const shaped = fc.record({ id: fc.string(), version: fc.string(), facts: fc.jsonValue({ maxDepth: 2 }), levels: fc.jsonValue({ maxDepth: 3 }), grading: fc.jsonValue({ maxDepth: 3 }), conditions: fc.jsonValue({ maxDepth: 3 }), timezone: fc.constantFrom(...TIME_ZONES) }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), shaped), async (x) => {
        expect(await agree(x, 1, true)).toBe(false);
      }),
      { numRuns: RUNS * 5, seed: SEED + 1 },
    );
  });
});
