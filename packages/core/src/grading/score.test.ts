import { describe, expect, it } from "vitest";
import { isJicengError } from "../errors/index.js";
import { safeLoadPack } from "../pack/load.js";
import { compileGrading } from "./grade.js";
import { describeReason } from "./describe.js";
import { loadPack } from "../pack/load.js";

const local = { local: true, note: { zh: "本地设定，测试用", en: "local, for the test" } } as const;
const level = (id: string, rank: number, colour: string) => ({ id, rank, label: { zh: id, en: id }, colour, deadline: { amount: 7, ...local }, ...local });
const fact = (name: string, type: string, extra: object = {}) => ({ name, type, label: { zh: name, en: name }, ...extra });
const eq = (f: string, v: unknown) => ({ all: [{ fact: f, operator: "equal", value: v }] });

function pack(grading: object) {
  return {
    id: "score-test",
    version: "1.0.0",
    name: { zh: "评分", en: "score" },
    source: { documents: [{ id: "doc", title: { zh: "文件", en: "doc" } }] },
    facts: [fact("receivedAt", "datetime"), fact("a", "boolean", { default: false }), fact("b", "boolean", { default: false }), fact("n", "integer", { default: 0 })],
    levels: [level("red", 3, "red"), level("orange", 2, "orange"), level("yellow", 1, "yellow")],
    grading,
  };
}
const SCORE = {
  label: { zh: "评估赋分", en: "risk score" },
  points: [
    { id: "pa", label: { zh: "甲", en: "A" }, points: 20, conditions: eq("a", true), ...local },
    { id: "pb", label: { zh: "乙", en: "B" }, points: 15, conditions: eq("b", true), ...local },
    { id: "pn", label: { zh: "人多", en: "many" }, points: 30, conditions: { all: [{ fact: "n", operator: "greaterThanInclusive", value: 10 }] }, ...local },
    { id: "relief", label: { zh: "减分", en: "relief" }, points: -10, conditions: { all: [{ fact: "n", operator: "equal", value: 0 }] }, ...local },
  ],
  thresholds: [
    { level: "orange", min: 30, ...local },
    { level: "red", min: 60, ...local },
  ],
  ...local,
};
const g = compileGrading(loadPack(pack({ default: { level: "yellow", ...local }, rules: [], score: SCORE })));

describe("score-based grading: points per condition, summed, thresholds → levels", () => {
  it("sums the points of every item that holds, negative ones included", () => {
    expect(g.grade({ a: true, n: 0 }).score).toMatchObject({ total: 10, items: [{ ruleId: "pa", points: 20 }, { ruleId: "relief", points: -10 }] });
  });

  it("thresholds are inclusive and the highest reached decides; below all of them, the default", () => {
    expect(g.level({ a: true, b: true, n: 1 })).toBe("orange"); // 35
    expect(g.level({ n: 10 })).toBe("orange"); // 30, the line itself
    expect(g.level({ a: true, n: 10 })).toBe("orange"); // 50
    expect(g.level({ a: true, b: true, n: 10 })).toBe("red"); // 65
    expect(g.level({ a: true, n: 1 })).toBe("yellow"); // 20
  });

  it("reasons: the threshold reached (with total and line), then every point awarded with the conditions seen", () => {
    const r = g.grade({ a: true, b: true, n: 1 });
    expect(r.reasons.map((x) => [x.ruleId, x.kind, x.points ?? x.score])).toEqual([["threshold-orange", "threshold", 35], ["pa", "points", 20], ["pb", "points", 15]]);
    expect(r.reasons[0]).toMatchObject({ min: 30, local: true, label: { zh: "评估赋分总分 35，达到orange分数线 30" } });
    expect(r.reasons[1]!.conditions?.result).toBe(true);
    expect(describeReason(loadPack(pack({ default: { level: "yellow", ...local }, rules: [], score: SCORE })), r.reasons[2]!).zh).toBe("乙 +15分〔本地设定〕：b = 是（实际：是）");
  });

  it("below every line the default is the reason, and the points awarded still explain the total", () => {
    expect(g.grade({ a: true, n: 1 }).reasons.map((x) => x.ruleId)).toEqual(["default", "pa"]);
  });

  it("the fast path agrees with grade() on every combination", () => {
    for (const a of [true, false]) for (const b of [true, false]) for (const n of [0, 1, 9, 10, 11]) expect(g.level({ a, b, n })).toBe(g.grade({ a, b, n }).level);
  });

  it("explain(): each more severe level shows its line and the total seen", () => {
    const x = g.explain({ a: true, n: 1 });
    expect(x.rejected.map((r) => [r.level, r.score])).toEqual([["red", { total: 20, min: 60 }], ["orange", { total: 20, min: 30 }]]);
  });
});

describe("score and rules together: the more severe level wins", () => {
  const both = compileGrading(loadPack(pack({ default: { level: "yellow", ...local }, rules: [{ id: "rule-red", level: "red", conditions: eq("b", true), ...local }], score: SCORE })));
  it("a rule above the score decides, with its own reason; the score is still reported", () => {
    const r = both.grade({ b: true, n: 1 });
    expect(r.level).toBe("red");
    expect(r.reasons.map((x) => x.ruleId)).toEqual(["rule-red"]);
    expect(r.score?.total).toBe(15);
  });
  it("a score above the rules decides", () => {
    const mid = compileGrading(loadPack(pack({ default: { level: "yellow", ...local }, rules: [{ id: "rule-orange", level: "orange", conditions: eq("a", true), ...local }], score: SCORE })));
    expect(mid.grade({ a: true, b: true, n: 10 }).reasons[0]!.ruleId).toBe("threshold-red");
    // Same level from both: the threshold, the points and the rule are all reasons.
    expect(mid.grade({ a: true, n: 10 }).reasons.map((x) => x.ruleId)).toEqual(["threshold-orange", "pa", "pn", "rule-orange"]);
  });
});

describe("a broken score section is a load error with its path", () => {
  const issues = (grading: object) => {
    const r = safeLoadPack(pack(grading));
    return r.success ? [] : r.issues.map((i) => [i.code, i.path.join(".")]);
  };
  it("an unknown level", () => {
    expect(issues({ default: { level: "yellow", ...local }, rules: [], score: { ...SCORE, thresholds: [{ level: "purple", min: 10, ...local }] } })).toContainEqual(["UNKNOWN_LEVEL", "grading.score.thresholds.0.level"]);
  });
  it("a more severe level with a lower line", () => {
    expect(issues({ default: { level: "yellow", ...local }, rules: [], score: { ...SCORE, thresholds: [{ level: "orange", min: 60, ...local }, { level: "red", min: 30, ...local }] } })).toContainEqual(["SCHEMA", "grading.score.thresholds.1.min"]);
  });
  it("duplicate item ids, and an item with a rule's id", () => {
    const dup = issues({ default: { level: "yellow", ...local }, rules: [{ id: "pa", level: "red", conditions: eq("a", true), ...local }], score: { ...SCORE, points: [...SCORE.points, SCORE.points[1]] } });
    expect(dup).toContainEqual(["DUPLICATE_ID", "grading.score.points.4.id"]);
    expect(dup).toContainEqual(["DUPLICATE_ID", "grading.score.points.0.id"]);
  });
  it("a condition on an undeclared fact, at the item's path", () => {
    expect(issues({ default: { level: "yellow", ...local }, rules: [], score: { ...SCORE, points: [{ ...SCORE.points[0], conditions: eq("zzz", true) }] } })[0]).toEqual(["UNKNOWN_FACT", "grading.score.points.0.conditions.all.0.fact"]);
  });
  it("points without provenance", () => {
    const { local: _l, note: _n, ...bare } = SCORE.points[0]!;
    const r = safeLoadPack(pack({ default: { level: "yellow", ...local }, rules: [], score: { ...SCORE, points: [bare] } }));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.some((i) => i.code === "MISSING_CITE")).toBe(true);
  });
  it("a missing fact the score reads is an error, never false", () => {
    const strict = compileGrading(loadPack({ ...pack({ default: { level: "yellow", ...local }, rules: [], score: SCORE }), facts: [fact("receivedAt", "datetime"), fact("a", "boolean"), fact("b", "boolean", { default: false }), fact("n", "integer", { default: 0 })] }));
    try {
      strict.grade({});
      expect.fail("expected MISSING_FACT");
    } catch (e) {
      expect(isJicengError(e) && e.code).toBe("MISSING_FACT");
    }
  });
});
