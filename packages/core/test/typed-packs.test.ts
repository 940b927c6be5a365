// Issue 18: a rules package's pack carries the types it declares, so `createEngine(pack)` checks
// facts, level ids and events at compile time. The `@ts-expect-error` lines are checked by
// `npm run typecheck` (tsc -b): if one of them stopped being an error, tsc fails. The runtime
// assertions show the same calls do what the types say.
import { describe, expect, expectTypeOf, it } from "vitest";
import guyuan from "@jiceng/rules-guyuan";
import xiji from "@jiceng/rules-xiji";
import threeCenters from "@jiceng/rules-three-centers";
import { createEngine, isJicengError, type Engine, type EngineFor, type RulePackInput, type TypedEngine } from "../src/index.js";
import type { Types as GuyuanTypes } from "../../rules-guyuan/types.js";

const FACTS = { receivedAt: "2022-06-20T10:00:00+08:00", source: "grid-worker", type: "dispute", area: "neighbour", unitCode: "01", subunitCode: "01" } as const;

describe("typed packs", () => {
  const engine = createEngine(guyuan);

  it("a misspelt fact does not compile; the runtime only warns", () => {
    // @ts-expect-error — `difficulity` is not a fact of the Guyuan pack (did you mean `difficulty`?)
    const a = engine.assess({ ...FACTS, difficulity: "major" });
    expect(a.level).toBe("yellow");
    expect(a.warnings?.[0]?.message.en).toContain('did you mean "difficulty"');
    // @ts-expect-error — an enum takes one of its values only
    expect(() => engine.grade({ ...FACTS, difficulty: "huge" })).toThrow(/INVALID_FACT/);
    // @ts-expect-error — a fact without a default is required (unitCode)
    engine.grade({ receivedAt: FACTS.receivedAt, source: "grid-worker", type: "dispute", area: "neighbour", subunitCode: "01" });
    // Nested facts, optional where the pack gives a default:
    expect(engine.assess({ ...FACTS, risks: { petitionTo: "city" } }).level).toBe("orange");
    // @ts-expect-error — a nested fact is checked too
    expect(engine.grade({ ...FACTS, risks: { homocide: true } }).warnings?.[0]?.message.en).toContain('did you mean "homicide"');
  });

  it("levels are the pack's level ids", () => {
    const a = engine.assess({ ...FACTS, difficulty: "major" });
    expectTypeOf(a.level).toEqualTypeOf<"red" | "orange" | "yellow">();
    expectTypeOf(engine.gradeLevel(FACTS)).toEqualTypeOf<"red" | "orange" | "yellow">();
    expect(a.level).toBe("red");
    // @ts-expect-error — "green" is not a Guyuan level
    expect(() => engine.deadline("green", FACTS.receivedAt)).toThrow();
    expect(engine.deadline("red", FACTS.receivedAt).dueAt).toBe(a.dueAt);
  });

  it("events carry the fields the pack requires: Xiji's 四定 on assign, 五不放过 on close", () => {
    const x = createEngine(xiji);
    let snap = x.start({ type: "intake", at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", township: "吉强镇", category: "邻里纠纷" } });
    const assign = { type: "assign", at: "2022-06-20T11:00:00+08:00", responsibleLeader: "镇长", responsiblePerson: "李某", deadline: "2022-06-25" } as const;
    // @ts-expect-error — 四定: an assignment without `measures` is a type error …
    const rejected = (() => { try { x.transition(snap, assign); } catch (e) { return e; } })();
    // … and a run-time error too.
    expect(isJicengError(rejected)).toBe(true);
    snap = x.transition(snap, { ...assign, measures: "上门调解" });
    snap = x.transition(snap, { type: "resolve", at: "2022-06-21T10:00:00+08:00" });
    // @ts-expect-error — 五不放过: closing needs the confirmations
    expect(() => x.transition(snap, { type: "close", at: "2022-06-22T10:00:00+08:00" })).toThrow();
    // @ts-expect-error — a confirmation that is not one of the five
    expect(() => x.transition(snap, { type: "close", at: "2022-06-22T10:00:00+08:00", confirmations: ["all-good"] })).toThrow();
    // @ts-expect-error — Xiji has no satisfaction evaluation stage
    expect(() => x.transition(snap, { type: "evaluate", at: "2022-06-22T10:00:00+08:00", rating: "satisfied" })).toThrow();
  });

  it("ratings are the pack's own (three centres)", () => {
    type Ev = Parameters<ReturnType<typeof createEngine<typeof threeCenters>>["transition"]>[1];
    expectTypeOf<Extract<Ev, { type: "evaluate" }>["rating"]>().toEqualTypeOf<"satisfied" | "basically-satisfied" | "dissatisfied">();
  });

  it("without exactOptionalPropertyTypes (an app's tsconfig) the phantom reads `T | undefined`: still one typed engine", () => {
    expectTypeOf<EngineFor<{ readonly "~types"?: GuyuanTypes | undefined }>>().toEqualTypeOf<TypedEngine<GuyuanTypes>>();
    // A value typed `any` (JSON.parse) gets the general engine.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expectTypeOf<EngineFor<any>>().toEqualTypeOf<Engine>();
  });

  it("an untyped pack (loaded at run time) falls back to the general types", () => {
    const raw: unknown = JSON.parse(JSON.stringify(guyuan));
    const e = createEngine(raw as RulePackInput);
    expectTypeOf(e).toEqualTypeOf<Engine>();
    const a = e.assess({ ...FACTS, anything: 1 });
    expectTypeOf(a.level).toEqualTypeOf<string>();
    expect(a.level).toBe("yellow");
    // A typed engine goes wherever an Engine does.
    const general: Engine = engine;
    expect(general.pack.id).toBe("guyuan");
  });
});
