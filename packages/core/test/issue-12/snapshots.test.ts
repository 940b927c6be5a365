import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type CaseEvent, type CaseSnapshot, type Engine } from "../../src/index.js";
import { caseSnapshotSchema, snapshotValidator } from "../../src/lifecycle/snapshot.js";
import { caseHistoryArbitrary, catchJicengError } from "../../src/testing/index.js";

// Issue 12 part 4: a schema for the whole snapshot, context included, checked on every call that
// takes one. The schema cannot lag the engine: every snapshot random event sequences reach, in
// every pack and variant, passes both the fast validator and the zod schema.
const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as { id: string; variants?: { id: string }[] });
const engines: Array<[string, Engine]> = packs.flatMap((p) => [[p.id, createEngine(p as never)] as [string, Engine], ...(p.variants ?? []).map((v) => [`${p.id}/${v.id}`, createEngine(p as never, { variant: v.id })] as [string, Engine])]);
const runs = Number(process.env["FUZZ_RUNS"] ?? 40);
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Every snapshot a random case passes through (start, each accepted event). */
function snapshotsOf(engine: Engine, intake: Parameters<Engine["start"]>[0], events: readonly CaseEvent[]): CaseSnapshot[] {
  let s = engine.start(intake);
  const out = [s];
  for (const e of events) {
    try {
      s = engine.transition(s, e);
      out.push(s);
    } catch {
      /* refused: the case stays as it is */
    }
  }
  return out;
}

describe("every snapshot the engine makes passes the snapshot schema (fast validator and zod)", () => {
  for (const [name, engine] of engines) {
    it(name, () => {
      const fast = snapshotValidator(engine.pack);
      const schema = caseSnapshotSchema(engine.pack);
      let seen = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 25 }), ({ intake, events }) => {
          for (const s of snapshotsOf(engine, intake, events)) {
            const copy = plain(s);
            expect(fast.check(copy, ["snapshot"])).toEqual([]);
            const z = schema.safeParse(copy);
            expect(z.success ? [] : z.error.issues).toEqual([]);
            // A snapshot read back from a store is checked on every call and accepted.
            expect(engine.check(copy, { type: "tick", at: s.context.lastAt })).toEqual([]);
            seen++;
          }
        }),
        { numRuns: runs, seed: 1212 },
      );
      expect(seen).toBeGreaterThan(runs);
    });
  }
});

// Mutations of a valid snapshot: one field set to a hostile value.
const HOSTILE: unknown[] = [null, undefined, 0, -1, 1.5, NaN, "", "garbage", "2022-06-31T10:00:00+08:00", "purple", true, [], {}, [null], { x: 1 }];

function paths(x: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(x)) x.slice(0, 3).forEach((v, i) => paths(v, [...at, i], out));
  else if (x !== null && typeof x === "object") for (const [k, v] of Object.entries(x)) if (k !== "facts" && k !== "reasons" && k !== "conditions" && k !== "cite") paths(v, [...at, k], out);
  return out;
}
function setAt(x: unknown, path: ReadonlyArray<string | number>, v: unknown): unknown {
  const copy = plain(x) as Record<string | number, unknown>;
  if (path.length === 0) return v;
  let o = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (v === undefined) {
    if (Array.isArray(o)) o.splice(last as number, 1);
    else delete o[last];
  } else o[last] = v;
  return copy;
}

describe("a mutated snapshot: the fast validator and the zod schema agree; every entry point refuses it, at a path, leaving it untouched", () => {
  const [, engine] = engines.find(([n]) => n === "guyuan")!;
  const fast = snapshotValidator(engine.pack);
  const schema = caseSnapshotSchema(engine.pack);
  // A case that went through assignment, overdue, an application and a decision, and a report.
  const base = plain(
    engine.replay([
      { type: "intake", at: "2022-06-20T10:00:00+08:00", by: "中心", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "complex", scope: "multi-unit" }, seq: 3 },
      { type: "assign", at: "2022-06-20T11:00:00+08:00", by: "支部", leadUnit: "司法所", responsibleLeader: "王", responsibleUnit: "司法所", responsiblePerson: "李", measures: "调解", cooperatingUnits: ["派出所"], deadline: "2022-06-25" },
      { type: "tick", at: "2022-09-30T10:00:00+08:00" },
      { type: "requestEscalation", at: "2022-09-30T11:00:00+08:00", by: "司法所", reason: "复杂" },
      { type: "decideEscalation", at: "2022-09-30T12:00:00+08:00", by: "支部", decision: "upgrade" },
      { type: "progress", at: "2022-10-01T12:00:00+08:00", by: "司法所", note: "走访" },
    ] as CaseEvent[]),
  );
  const all = paths(base);
  it("the base case is valid and deep", () => {
    expect(fast.check(base, ["snapshot"])).toEqual([]);
    expect(all.length).toBeGreaterThan(60);
  });
  it("agreement on every field × hostile value", () => {
    let refused = 0;
    for (const p of all) {
      for (const v of HOSTILE) {
        const bad = setAt(base, p, v);
        const issues = fast.check(bad, ["snapshot"]);
        const z = schema.safeParse(bad);
        expect([p.join("."), v, issues.length === 0]).toEqual([p.join("."), v, z.success]);
        if (issues.length === 0) continue;
        refused++;
        for (const i of issues) {
          expect(i.code).toBe("INVALID_SNAPSHOT");
          expect(i.path[0]).toBe("snapshot");
          expect(i.message.zh.length * i.message.en.length).toBeGreaterThan(0);
        }
        // The issue points at the field (or inside it), not at the snapshot as a whole.
        if (p.length > 0) expect(issues.some((i) => p.every((k, j) => i.path[j + 1] === k) || i.path.length === p.length)).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(all.length * 5);
  });
  it("agreement on every field × hostile value of the same case in snapshot format 2 (read and migrated; every history entry with its state and level)", () => {
    let state: unknown;
    let level: unknown;
    const v2 = { ...base, format: 2, context: { ...base.context, history: base.context.history.map((e) => {
      state = e.state ?? state;
      level = e.level ?? level;
      const { type, at, state: _s, level: _l, ...rest } = e;
      return { type, at, state, level, ...rest };
    }) } };
    expect(base.context.history.some((e) => e.state === undefined || e.level === undefined)).toBe(true);
    expect(fast.check(v2, ["snapshot"])).toEqual([]);
    expect(schema.safeParse(v2).success).toBe(true);
    let refused = 0;
    for (const p of paths(v2)) {
      for (const v of HOSTILE) {
        const bad = setAt(v2, p, v);
        const issues = fast.check(bad, ["snapshot"]);
        expect([p.join("."), v, issues.length === 0]).toEqual([p.join("."), v, schema.safeParse(bad).success]);
        if (issues.length === 0) continue;
        refused++;
        if (p.length > 0) expect(issues.some((i) => p.every((k, j) => i.path[j + 1] === k) || i.path.length === p.length)).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(all.length * 5);
  });
  it("transition, check, sweep, agenda, status, listRow, score, allowedEvents, nextTickAt refuse it at the field, unchanged", () => {
    const bads: Array<[string, unknown]> = [
      ["context.history", setAt(base, ["context", "history"], undefined)],
      ["context.lastAt", setAt(base, ["context", "lastAt"], undefined)],
      ["context.dueAt", setAt(base, ["context", "dueAt"], "garbage")],
      ["context.level", setAt(base, ["context", "level"], "purple")],
      ["context.overdue", setAt(base, ["context", "overdue"], "no")],
      ["context", setAt(base, ["context"], [])],
      ["context.reportedTo", setAt(base, ["context", "reportedTo"], undefined)],
      ["context.rank", setAt(base, ["context", "rank"], 1)],
      ["context.facts.difficulty", setAt(base, ["context", "facts", "difficulty"], 5)],
      ["context.history.1.at", setAt(base, ["context", "history", 1, "at"], "2022-02-30T10:00:00+08:00")],
      ["pack.version", setAt(base, ["pack", "version"], "0.0.1")],
    ];
    const at = "2022-10-02T10:00:00+08:00";
    for (const [where, snap] of bads) {
      const before = JSON.stringify(snap);
      const calls: Array<[string, () => unknown]> = [
        ["transition", () => engine.transition(snap as CaseSnapshot, { type: "tick", at })],
        ["sweep", () => engine.sweep([snap as CaseSnapshot], at)],
        ["agenda", () => engine.agenda([snap as CaseSnapshot], "weekly", at)],
        ["status", () => engine.status(snap as CaseSnapshot)],
        ["listRow", () => engine.listRow(snap as CaseSnapshot)],
        ["score", () => engine.score([snap as CaseSnapshot], "2022")],
        ["allowedEvents", () => engine.allowedEvents(snap as CaseSnapshot, at)],
        ["nextTickAt", () => engine.nextTickAt(snap as CaseSnapshot)],
      ];
      for (const [fn, call] of calls) {
        const err = catchJicengError(call);
        const prefix = fn === "sweep" || fn === "agenda" || fn === "score" ? ["snapshots", 0] : ["snapshot"];
        expect([fn, where, err.issues.some((i) => i.code === "INVALID_SNAPSHOT" && [...prefix, ...where.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k))].every((k, j) => i.path[j] === k))]).toEqual([fn, where, true]);
      }
      const issues = engine.check(snap as CaseSnapshot, { type: "tick", at });
      expect(issues).toEqual(catchJicengError(() => engine.transition(snap as CaseSnapshot, { type: "tick", at })).issues);
      expect(JSON.stringify(snap)).toBe(before);
    }
  });
  it("a snapshot of another pack version is accepted when the engine opts in, and transitions to this version", () => {
    const old = setAt(base, ["pack", "version"], "0.0.1") as CaseSnapshot;
    const lenient = createEngine(engine.pack, { snapshotVersions: "any" });
    const next = lenient.transition(old, { type: "progress", at: "2022-10-02T10:00:00+08:00", by: "司法所", note: "再次走访" });
    expect(next.pack.version).toBe(engine.pack.version);
    expect(createEngine(engine.pack, { snapshotVersions: ["0.0.1"] }).check(old, { type: "tick", at: "2022-10-02T10:00:00+08:00" })).toEqual([]);
    expect(createEngine(engine.pack, { snapshotVersions: ["0.0.2"] }).check(old, { type: "tick", at: "2022-10-02T10:00:00+08:00" })[0]!.path).toEqual(["snapshot", "pack", "version"]);
  });
  it("an engine-made snapshot skips the check; its JSON or structuredClone copy is checked", () => {
    const s = engine.start({ type: "intake", at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" } });
    for (const copy of [plain(s), structuredClone(s)]) {
      const broken = { ...copy, context: { ...copy.context, dueAt: "garbage" } };
      expect(engine.check(broken, { type: "tick", at: "2022-06-21T10:00:00+08:00" })[0]!.path).toEqual(["snapshot", "context", "dueAt"]);
    }
  });
});

describe("the snapshot JSON Schema", () => {
  it("the committed schema/case-snapshot.schema.json is generated from the schema (run `npm run schema` after changing it)", async () => {
    const { caseSnapshotJsonSchema } = await import("../../src/index.js");
    const committed = JSON.parse(readFileSync(new URL("../../schema/case-snapshot.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(caseSnapshotJsonSchema());
  });
});
