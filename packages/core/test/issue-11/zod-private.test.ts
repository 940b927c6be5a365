// Issue 11: zod stays private (docs/ARCHITECTURE.md decision 10). No root export is a zod schema,
// and what replaces them — the JSON Schema of case events and checkSnapshot — says what the engine checks.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as core from "../../src/index.js";
import { caseEventJsonSchema, checkSnapshot, createEngine, IssueCode, loadPack } from "../../src/index.js";
import { CASE_EVENT_TYPES } from "../../src/lifecycle/events.js";

const guyuan = loadPack(JSON.parse(readFileSync(new URL("../../../rules-guyuan/pack.json", import.meta.url), "utf8")));
const isZodLike = (v: unknown) => (typeof v === "object" || typeof v === "function") && v !== null && ("_zod" in v || typeof (v as { safeParse?: unknown }).safeParse === "function");

describe("zod stays private", () => {
  it("no root export is a zod schema, nor a function that returns one", () => {
    const exported = Object.entries(core);
    expect(exported.length).toBeGreaterThan(60);
    expect(exported.filter(([, v]) => isZodLike(v)).map(([k]) => k)).toEqual([]);
    // The rule-pack JSON Schema is the shipped file (generated at build time, not in the bundles);
    // the functions that return schemas return JSON Schema objects (plain JSON), never zod.
    expect("rulePackJsonSchema" in core).toBe(false);
    for (const [name, fn] of [["holidayScheduleJsonSchema", core.holidayScheduleJsonSchema], ["caseEventJsonSchema", core.caseEventJsonSchema], ["caseSnapshotJsonSchema", () => core.caseSnapshotJsonSchema(guyuan)]] as const) {
      const out = (fn as () => unknown)();
      expect(isZodLike(out), name).toBe(false);
      expect(JSON.parse(JSON.stringify(out)), name).toEqual(out);
    }
  });

  it("caseEventJsonSchema: one strict object per event type, told apart by type", () => {
    const schema = caseEventJsonSchema();
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.oneOf.map((o) => o.properties["type"]?.["const"])).toEqual([...CASE_EVENT_TYPES]);
    for (const o of schema.oneOf) {
      expect(o.additionalProperties).toBe(false);
      expect(o.required).toContain("type");
      expect(o.required).toContain("at");
    }
    const assign = schema.oneOf.find((o) => o.properties["type"]?.["const"] === "assign")!;
    expect(Object.keys(assign.properties).sort()).toEqual(["at", "by", "cooperatingUnits", "deadline", "leadUnit", "measures", "responsibleLeader", "responsiblePerson", "responsibleUnit", "type"]);
  });

  it("checkSnapshot: [] for a snapshot the engine made and read back; INVALID_SNAPSHOT at the field of a broken one", () => {
    const engine = createEngine(guyuan);
    const s = engine.start({ type: "intake", at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" }, seq: 1 });
    const stored = JSON.parse(JSON.stringify(s));
    expect(checkSnapshot(stored, guyuan)).toEqual([]);
    expect(checkSnapshot(stored)).toEqual([]);
    // A level the pack has not (its history edited alike, so only the pack can tell).
    const broken = { ...stored, context: { ...stored.context, level: "purple", history: stored.context.history.map((h: object, i: number) => (i === 0 ? { ...h, level: "purple" } : h)) } };
    const issues = checkSnapshot(broken, guyuan);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.code).toBe(IssueCode.INVALID_SNAPSHOT);
    expect(issues[0]!.path).toEqual(["context", "level"]);
    expect(issues[0]!.message.zh).toMatch(/[\u4e00-\u9fff]/);
    // Without the pack, any level id passes; a value that is no snapshot at all is one issue.
    expect(checkSnapshot(broken)).toEqual([]);
    expect(checkSnapshot(42)).toHaveLength(1);
  });
});
