// Issue 17: events are validated by a hand-written fast path (src/lifecycle/event-check.ts) that
// either returns the copy zod's CaseEventSchema would return or steps aside for zod. Held here:
// whenever it answers, zod accepts the same event and its `data` is equal to the copy — same keys
// in the same order, the same values, fresh containers — on the events of random histories of
// every pack and on those events broken in every way we can think of; and it does answer for the
// ordinary event (or it would be a fast path in name only). Refusals and their issues (code, path,
// zh + en) are zod's, through the engine: shown by the last test.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, loadPack, type CaseEvent, type CreateEngineInput } from "../../src/index.js";
import { CaseEventSchema } from "../../src/lifecycle/events.js";
import { fastEvent } from "../../src/lifecycle/event-check.js";
import { fromZodIssues } from "../../src/vocabulary/zod-issues.js";
import { caseHistoryArbitrary } from "../../src/testing/index.js";

const root = new URL("../../../", import.meta.url);
const packs = readdirSync(root)
  .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
  .map((d) => ({ dir: d, pack: JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")) as unknown }));
const numRuns = process.env["JICENG_DEEP"] ? 1_000 : 40;

/** Keys in order, all the way down: equal JSON is not enough (JSON drops undefined). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return { array: v.map(shape) };
  if (v !== null && typeof v === "object") return { keys: Reflect.ownKeys(v).map(String), values: Reflect.ownKeys(v).map((k) => shape((v as Record<PropertyKey, unknown>)[k])) };
  return { value: typeof v === "number" && Number.isNaN(v) ? "NaN" : v, type: typeof v };
}

/** The property: an answer of the fast path is zod's answer. Returns whether it answered. */
function agrees(e: unknown): boolean {
  const fast = fastEvent(e);
  if (fast === undefined) return false;
  const z = CaseEventSchema.safeParse(e);
  expect(z.success).toBe(true);
  expect(shape(fast)).toEqual(shape(z.data));
  expect(fast).not.toBe(e);
  const f = (fast as { facts?: unknown }).facts;
  if (f !== undefined) expect(f).not.toBe((e as { facts?: unknown }).facts);
  const c = (fast as { cooperatingUnits?: unknown; confirmations?: unknown });
  for (const k of ["cooperatingUnits", "confirmations"] as const) if (c[k] !== undefined) expect(c[k]).not.toBe((e as Record<string, unknown>)[k]);
  return true;
}

/** Values that sit on or just past a limit of the schema, or are not what they seem. */
const hostile: unknown[] = [
  undefined, null, 0, -1, 1.5, NaN, Infinity, 2 ** 53, 3660, 3661, 1000, 1001, "", "x", "x".repeat(50), "x".repeat(51), "x".repeat(64), "x".repeat(65),
  "x".repeat(100), "x".repeat(101), "x".repeat(200), "x".repeat(201), "x".repeat(5000), "x".repeat(5001), true, false, [], [""], ["a", "b"], [1], new Array(2),
  Array.from({ length: 101 }, () => "a"), {}, Object.create(null), Object.create({ inherited: 1 }), new Date(0), /x/, Symbol("s"), () => 1,
  "2024-02-30", "2024-02-29", "2024-13-01", "2023-02-29", "2024-01-01T24:00:00+08:00", "2024-01-01T10:00:00+08:00", "2024-01-01T10:00:00Z", "2024-01-01T10:00+08:00",
  "2024-01-01T10:00:00.123456789Z", "2024-01-01T10:00:00.1234567890Z", "2024-01-01 10:00:00Z", "2024-01-01T10:00:00", " 2024-01-01T10:00:00Z", "2024-01-01T10:00:60Z",
  "upgrade", "extend", "reject", "Upgrade", "__proto__", "constructor",
];

/** Ways of breaking an event: a field replaced, removed, added, the container changed. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key: fc.constantFrom("type", "at", "by", "facts", "note", "reason", "decision", "days", "report", "passed", "rating", "role", "item", "seq", "number", "id", "deadline", "cooperatingUnits", "confirmations", "agreementKept", "needsCoordination", "leadUnit", "measures", "extra", "__proto__"), value: fc.oneof(fc.constantFrom(...hostile), fc.anything()) }),
  fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom("type", "at", "by", "facts", "note", "reason", "decision", "report", "passed", "rating", "role") }),
  fc.record({ op: fc.constantFrom("nullProto" as const, "symbolKey" as const, "getter" as const, "nonEnumerable" as const, "inherit" as const, "factsSymbol" as const, "factsProto" as const, "factsNull" as const, "array" as const) }),
);

function mutate(e: CaseEvent, m: { op: string; key?: string; value?: unknown }): unknown {
  const o: Record<string, unknown> = { ...e };
  switch (m.op) {
    case "set":
      if (m.key === "__proto__") Object.defineProperty(o, "__proto__", { value: m.value, enumerable: true, configurable: true, writable: true });
      else o[m.key!] = m.value;
      return o;
    case "delete":
      delete o[m.key!];
      return o;
    case "nullProto":
      return Object.assign(Object.create(null), o);
    case "symbolKey":
      return Object.assign(o, { [Symbol("k")]: 1 });
    case "getter": {
      const v = o["at"];
      delete o["at"];
      return Object.defineProperty(o, "at", { get: () => v, enumerable: true });
    }
    case "nonEnumerable": {
      const v = o["at"];
      delete o["at"];
      return Object.defineProperty(o, "at", { value: v, enumerable: false });
    }
    case "inherit":
      return Object.assign(Object.create({ by: "inherited" }), o);
    case "factsSymbol":
      o["facts"] = { ...(o["facts"] as object), [Symbol("f")]: 1 };
      return o;
    case "factsProto": {
      const f = { ...(o["facts"] as object) };
      Object.defineProperty(f, "__proto__", { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
      o["facts"] = f;
      return o;
    }
    case "factsNull":
      o["facts"] = Object.assign(Object.create(null), o["facts"] ?? {});
      return o;
    default:
      return [o];
  }
}

describe("issue 17: the fast event check answers as zod does", () => {
  it("finds the packs", () => expect(packs.length).toBeGreaterThanOrEqual(5));
  for (const { dir, pack: input } of packs) {
    it(`${dir}: the events of random histories, and the same events broken`, () => {
      const pack = loadPack(input);
      let valid = 0;
      let answered = 0;
      let brokenAnswered = 0;
      let broken = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(pack, { maxEvents: 12 }), fc.array(mutation, { minLength: 1, maxLength: 12 }), ({ intake, events }, ms) => {
          const all: CaseEvent[] = [intake, ...events];
          for (const e of all) {
            if (CaseEventSchema.safeParse(e).success) {
              valid++;
              if (agrees(e)) answered++;
            } else agrees(e);
          }
          for (let i = 0; i < ms.length; i++) {
            const m = mutate(all[i % all.length]!, ms[i]!);
            broken++;
            if (agrees(m)) brokenAnswered++;
          }
        }),
        { numRuns },
      );
      // The ordinary event takes the fast path (the random histories' valid events, all of them).
      expect(valid).toBeGreaterThan(100);
      expect(answered).toBe(valid);
      // And breaking an event is mostly seen (some mutations leave a valid event).
      expect(brokenAnswered).toBeLessThan(broken);
    }, 120_000);
  }

  it("every field of every event type, set to every value on or past a limit", () => {
    // One event of each type from sampled histories of all packs; then each known key (and an
    // unknown one) set to each hostile value, exhaustively.
    const byType = new Map<string, CaseEvent>();
    for (const { pack: input } of packs) {
      for (const { intake, events } of fc.sample(caseHistoryArbitrary(loadPack(input), { maxEvents: 25 }), { numRuns: 40, seed: 17 })) {
        for (const e of [intake, ...events]) if (!byType.has(e.type) && CaseEventSchema.safeParse(e).success) byType.set(e.type, e);
      }
    }
    expect(byType.size).toBeGreaterThanOrEqual(20);
    const keys = ["type", "at", "by", "facts", "note", "reason", "decision", "days", "report", "passed", "rating", "role", "item", "seq", "number", "id", "deadline", "cooperatingUnits", "confirmations", "agreementKept", "needsCoordination", "leadUnit", "responsibleLeader", "responsibleUnit", "responsiblePerson", "measures", "difficulty", "extra"];
    let answered = 0;
    let refusedByZod = 0;
    for (const e of byType.values()) {
      for (const key of keys) {
        for (const value of hostile) {
          const m = mutate(e, { op: "set", key, value });
          if (agrees(m)) answered++;
          else if (!CaseEventSchema.safeParse(m).success) refusedByZod++;
        }
      }
    }
    expect(answered).toBeGreaterThan(100);
    expect(refusedByZod).toBeGreaterThan(1000);
  });

  it("a refused event gets zod's issues through the engine (code, path, zh + en), and nothing changes", () => {
    const input = packs.find((p) => p.dir === "rules-guyuan")!.pack as CreateEngineInput;
    const engine = createEngine(input);
    const pack = loadPack(input);
    fc.assert(
      fc.property(caseHistoryArbitrary(pack, { maxEvents: 6 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), ({ intake, events }, ms) => {
        const snap = engine.start(intake);
        const before = JSON.stringify(snap);
        for (let i = 0; i < ms.length; i++) {
          const m = mutate(events[i % events.length] ?? intake, ms[i]!);
          const z = CaseEventSchema.safeParse(m);
          if (z.success) continue;
          const want = fromZodIssues(z.error.issues, ["event"]).map((x) => ({ ...x, code: "INVALID_EVENT" }));
          expect(engine.check(snap, m)).toEqual(want);
          try {
            engine.transition(snap, m as CaseEvent);
            expect.unreachable("a malformed event was accepted");
          } catch (err) {
            if (!isJicengError(err)) throw err;
            expect(err.issues).toEqual(want);
          }
          expect(JSON.stringify(snap)).toBe(before);
        }
      }),
      { numRuns },
    );
  });
});
