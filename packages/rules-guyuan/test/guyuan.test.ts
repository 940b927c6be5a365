// 固党办〔2022〕49号, clause by clause, through the engine; then every golden case in cases/*.json.
import { describe, expect, it } from "vitest";
import { createEngine, isJicengError, loadPack, safeLoadPack, type JicengError, type RulePackInput } from "@jiceng/core";
import { catchJicengError, loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const appendix = createEngine<RulePackInput>(pack, { variant: "appendix-colours" });

const AT = "2022-06-20T10:00:00+08:00"; // a Monday
const CASE = { receivedAt: AT, source: "public", type: "dispute", unitCode: "01", subunitCode: "01" };
const grade = (facts: Record<string, unknown> = {}) => engine.grade({ ...CASE, ...facts });
const ids = (reasons: ReadonlyArray<{ ruleId: string }>) => reasons.map((r) => r.ruleId).sort();

const codesOf = (e: JicengError): string[] => e.issues.map((i) => i.code);

describe("固党办〔2022〕49号: the pack", () => {
  it("passes core's validation with no errors", () => {
    const r = safeLoadPack(pack);
    expect(r.success ? [] : r.issues).toEqual([]);
  });

  it("§二(三)7: three grades, most severe first: 红色（一级）> 橙色（二级）> 黄色（三级）", () => {
    const loaded = loadPack(pack);
    expect([...loaded.levels].sort((a, b) => b.rank - a.rank).map((l) => [l.id, l.label.zh])).toEqual([
      ["red", "红色（一级问题）"],
      ["orange", "橙色（二级问题）"],
      ["yellow", "黄色（三级问题）"],
    ]);
  });
});

describe("§二(三)7 问题清单: 黄、橙、红三色预警", () => {
  it("黄色（三级问题）: an item that is 一般简单 with no listed risk is yellow, by the default", () => {
    const g = grade({ difficulty: "simple" });
    expect(g.level).toBe("yellow");
    expect(g.colour).toBe("yellow");
    expect(g.reasons).toHaveLength(1);
    expect(g.reasons[0]?.ruleId).toBe("default");
    expect(g.reasons[0]?.cite?.clause).toBe("§二(三)7");
  });

  it("an item registered without difficulty or risks is graded on their defaults: yellow", () => {
    expect(engine.grade({ receivedAt: AT, source: "grid-worker", type: "hazard" }).level).toBe("yellow");
  });

  it("红色（一级问题）: 重大复杂 alone is enough", () => {
    const g = grade({ difficulty: "major" });
    expect([g.level, ids(g.reasons)]).toEqual(["red", ["red-major-complex"]]);
  });

  it.each([
    ["可能引发命案", { risks: { homicide: true } }, "red-homicide"],
    ["可能引发群体性事件", { risks: { massIncident: true } }, "red-mass-incident"],
    ["可能赴银上访", { risks: { petitionTo: "region" } }, "red-petition-region-national"],
    ["可能进京访", { risks: { petitionTo: "national" } }, "red-petition-region-national"],
    ["可能引发重大公共安全事故", { risks: { publicSafetyAccident: "major" } }, "red-major-accident"],
  ])("红色: %s is enough, even for an item registered 一般简单", (_risk, facts, ruleId) => {
    const g = grade({ difficulty: "simple", ...facts });
    expect(g.level).toBe("red");
    expect(ids(g.reasons)).toEqual([ruleId]);
  });

  it("橙色（二级问题）: 疑难复杂 alone is enough", () => {
    const g = grade({ difficulty: "complex" });
    expect([g.level, ids(g.reasons)]).toEqual(["orange", ["orange-complex"]]);
  });

  it.each([
    ["可能引发民转刑", { risks: { criminalEscalation: true } }, "orange-criminal-escalation"],
    ["可能到市级上访", { risks: { petitionTo: "city" } }, "orange-petition-city"],
    ["可能引发较大公共安全事故", { risks: { publicSafetyAccident: "large" } }, "orange-large-accident"],
  ])("橙色: %s is enough, even for an item registered 一般简单", (_risk, facts, ruleId) => {
    const g = grade({ difficulty: "simple", ...facts });
    expect(g.level).toBe("orange");
    expect(ids(g.reasons)).toEqual([ruleId]);
  });

  it("到县（区）级上访 is not graded by the document: it does not raise the grade", () => {
    expect(grade({ risks: { petitionTo: "county" } }).level).toBe("yellow");
    expect(grade({ risks: { petitionTo: "county", criminalEscalation: true } }).level).toBe("orange");
  });

  it("the most severe grade wins: 命案 with 民转刑, 到市级上访 and 疑难复杂 is red, for the red reason only", () => {
    const g = grade({ difficulty: "complex", risks: { homicide: true, criminalEscalation: true, petitionTo: "city" } });
    expect(g.level).toBe("red");
    expect(g.rank).toBe(3);
    expect(ids(g.reasons)).toEqual(["red-homicide"]);
  });

  it("an item that is red several times over lists every red reason", () => {
    const g = grade({ difficulty: "major", risks: { massIncident: true, petitionTo: "national" } });
    expect(ids(g.reasons)).toEqual(["red-major-complex", "red-mass-incident", "red-petition-region-national"]);
  });

  it("every reason cites §二(三)7 of 固党办〔2022〕49号 and shows the conditions that held", () => {
    const g = grade({ risks: { homicide: true, massIncident: true } });
    for (const r of g.reasons) {
      expect(r.cite).toMatchObject({ doc: "guyuan-2022-49", clause: "§二(三)7" });
      expect(r.conditions).toBeDefined();
      expect(JSON.stringify(r.conditions)).toContain("risks.");
    }
  });

  it("explain(): a yellow item shows why red and orange did not apply", () => {
    const x = engine.explain({ ...CASE, difficulty: "simple" });
    expect(x.level).toBe("yellow");
    expect(x.rejected.map((l) => l.level)).toEqual(["red", "orange"]);
    expect(x.rejected[0]?.rules.map((r) => r.ruleId).sort()).toEqual(["red-homicide", "red-major-accident", "red-major-complex", "red-mass-incident", "red-petition-region-national"]);
  });

  it("a difficulty the document does not name is rejected, never guessed", () => {
    const e = catchJicengError(() => grade({ difficulty: "very-hard" }));
    expect(isJicengError(e)).toBe(true);
  });
});

describe("§二(三)8 责任清单: 化解时限", () => {
  it("§二(三)8: a yellow item gets 7 days", () => {
    expect(engine.deadline("yellow", AT).dueAt).toBe("2022-06-28T00:00:00+08:00");
  });
  it("§二(三)8: an orange item gets 15 days", () => {
    expect(engine.deadline("orange", AT).dueAt).toBe("2022-07-06T00:00:00+08:00");
  });
  it("§二(三)8: a red item gets 45 days", () => {
    expect(engine.deadline("red", AT).dueAt).toBe("2022-08-05T00:00:00+08:00");
  });

  it("the time limit follows the grade, counted from receivedAt", () => {
    const a = engine.assess({ ...CASE, risks: { petitionTo: "city" } });
    expect([a.level, a.dueAt]).toEqual(["orange", "2022-07-06T00:00:00+08:00"]);
  });

  it("the starting day is not counted; the period ends at 24:00 of its last day", () => {
    for (const at of ["2022-06-20T00:00:00+08:00", "2022-06-20T10:00:00+08:00", "2022-06-20T23:59:59+08:00"]) {
      expect(engine.deadline("yellow", at).dueAt, at).toBe("2022-06-28T00:00:00+08:00");
    }
    expect(engine.deadline("yellow", "2022-06-21T00:00:00+08:00").dueAt).toBe("2022-06-29T00:00:00+08:00");
  });

  it("days are Beijing days: 2022-06-20T16:30Z is already 21 June", () => {
    expect(engine.deadline("yellow", "2022-06-20T16:30:00Z").dueAt).toBe("2022-06-29T00:00:00+08:00");
  });

  it("a last day on a weekend moves to the next working day", () => {
    expect(engine.deadline("yellow", "2022-06-25T15:00:00+08:00").dueAt).toBe("2022-07-05T00:00:00+08:00");
  });

  it("a last day in the National Day holiday 2022 moves to Saturday 10-08, an adjusted working day", () => {
    expect(engine.deadline("yellow", "2022-09-26T09:30:00+08:00").dueAt).toBe("2022-10-09T00:00:00+08:00");
    expect(engine.deadline("red", "2022-08-22T09:00:00+08:00").dueAt).toBe("2022-10-09T00:00:00+08:00");
  });

  it("an adjusted working Saturday is a working day: a last day on it does not move", () => {
    expect(engine.deadline("orange", "2022-04-22T14:00:00+08:00").dueAt).toBe("2022-05-08T00:00:00+08:00");
  });

  it("the warning is a local value, before the due time", () => {
    const a = engine.assess({ ...CASE, risks: { homicide: true } });
    expect(loadPack(pack).levels.every((l) => !l.warn || l.warn.local === true)).toBe(true);
    expect(a.warnAt).toBeDefined();
    expect(Date.parse(a.warnAt!)).toBeLessThan(Date.parse(a.dueAt));
    expect(Date.parse(a.warnAt!)).toBeGreaterThan(Date.parse(AT));
  });
});

describe("§二(三)8 责任清单: assignment, upgrade, reporting", () => {
  const ASSIGN = { type: "assign", at: "2022-06-20T11:00:00+08:00", leadUnit: "司法所", responsiblePerson: "张三", deadline: "2022-06-27" } as const;
  const intake = (facts: Record<string, unknown>, seq: number) => engine.start({ type: "intake", at: AT, facts: { ...CASE, ...facts }, seq });

  it("明确牵头单位、责任人、办结时限: an assignment without them is refused", () => {
    const s = intake({}, 1);
    expect(codesOf(catchJicengError(() => engine.transition(s, { type: "assign", at: "2022-06-20T11:00:00+08:00", responsibleUnit: "司法所" })))).toContain("MISSING_FIELDS");
    expect(engine.transition(s, ASSIGN).state).toBe("resolving");
  });

  it("a yellow item not resolved in 7 days needs an application; the branch may upgrade it to orange, 15 days from its decision", () => {
    let s = engine.transition(intake({}, 1), ASSIGN);
    s = engine.transition(s, { type: "tick", at: "2022-06-28T00:00:00+08:00" });
    expect(s.state).toBe("escalation-pending");
    // 须提出申请，说明原因: no decision before the application
    const decide = { type: "decideEscalation", at: "2022-06-29T09:00:00+08:00", by: "功能型党支部", decision: "upgrade" } as const;
    expect(engine.check(s, decide)).not.toEqual([]);
    s = engine.transition(s, { type: "requestEscalation", at: "2022-06-28T09:00:00+08:00", reason: "双方分歧大，需派出所参与" });
    s = engine.transition(s, decide);
    // Decided 06-29; 15 days: the last day is Thu 07-14, due at its 24:00.
    expect([s.state, s.context.level, s.context.dueAt]).toEqual(["resolving", "orange", "2022-07-15T00:00:00+08:00"]);
    // The application has been decided: a second decision on it is refused.
    expect(engine.check(s, { ...decide, at: "2022-06-30T09:00:00+08:00" })).not.toEqual([]);
  });

  it("an overdue red item is reported to the 乡镇（街道）党委 at once, which decides whether to report on to the 县（区）党委政法委; the chain ends there", () => {
    let s = engine.transition(intake({ risks: { homicide: true } }, 2), { ...ASSIGN, deadline: "2022-08-04" });
    s = engine.transition(s, { type: "tick", at: "2022-08-05T00:00:00+08:00" });
    expect(s.context.reportedTo.map((r) => r.body)).toEqual(["township-party-committee"]);
    s = engine.transition(s, { type: "decideReport", at: "2022-08-06T09:00:00+08:00", by: "镇党委", report: true });
    expect(s.context.reportedTo.map((r) => r.body)).toEqual(["township-party-committee", "county-political-legal-commission"]);
    expect(engine.check(s, { type: "decideReport", at: "2022-08-07T09:00:00+08:00", by: "县委政法委", report: true })).not.toEqual([]);
  });

  it("the township Party committee may keep the item: nothing goes to the county", () => {
    let s = engine.transition(intake({ difficulty: "major" }, 3), { ...ASSIGN, deadline: "2022-08-04" });
    s = engine.transition(s, { type: "tick", at: "2022-08-05T00:00:00+08:00" });
    s = engine.transition(s, { type: "decideReport", at: "2022-08-06T09:00:00+08:00", by: "镇党委", report: false });
    expect(s.context.reportedTo.map((r) => r.body)).toEqual(["township-party-committee"]);
  });
});

describe("附件说明1 问题编号", () => {
  it("0620010101 is problem 01 found on 20 June by township 01, village 01", () => {
    expect(engine.number({ date: "2022-06-20", unit: "01", subunit: "01", seq: 1 })).toBe("0620010101");
    expect(engine.parseNumber("0620010101")).toMatchObject({ month: 6, day: 20, seq: 1, parts: { unit: "01", subunit: "01" } });
  });

  it("a case's number takes month and day from receivedAt, in Beijing time", () => {
    expect(engine.numberCase({ receivedAt: "2022-06-19T16:30:00Z", unitCode: "03", subunitCode: "12" }, 27)).toBe("0620031227");
  });

  it("parse(format(x)) = x", () => {
    for (const [date, unit, subunit, seq] of [["2022-01-01", "01", "01", 1], ["2022-12-31", "99", "99", 99], ["2024-02-29", "07", "30", 42]] as const) {
      const n = engine.number({ date, unit, subunit, seq });
      expect(n).toHaveLength(10);
      expect(engine.parseNumber(n)).toMatchObject({ month: Number(date.slice(5, 7)), day: Number(date.slice(8)), seq, parts: { unit, subunit } });
    }
  });

  it("问题序号赋2位编号: problem 100 of one village on one day does not fit", () => {
    expect(codesOf(catchJicengError(() => engine.number({ date: "2022-06-20", unit: "01", subunit: "01", seq: 100 })))).toContain("SEQUENCE_OVERFLOW");
  });

  it("乡镇、村编号各2位: a one-digit code is rejected, not padded", () => {
    expect(codesOf(catchJicengError(() => engine.number({ date: "2022-06-20", unit: "1", subunit: "01", seq: 1 })))).toContain("INVALID_NUMBER");
  });
});

describe("附件说明4: the appendix colours, variant appendix-colours", () => {
  it("三级 is green, 二级 yellow, 一级 red", () => {
    expect([appendix.grade({ ...CASE }).colour, appendix.grade({ ...CASE, difficulty: "complex" }).colour, appendix.grade({ ...CASE, difficulty: "major" }).colour]).toEqual(["green", "yellow", "red"]);
    expect(appendix.grade({ ...CASE, difficulty: "complex" }).label.zh).toBe("二级（黄色）");
  });

  it("only names and colours change: the same item gets the same level id and the same time limit", () => {
    for (const facts of [{}, { difficulty: "complex" }, { risks: { homicide: true } }]) {
      const a = engine.assess({ ...CASE, ...facts });
      const b = appendix.assess({ ...CASE, ...facts });
      expect([b.level, b.dueAt, ids(b.reasons)]).toEqual([a.level, a.dueAt, ids(a.reasons)]);
    }
  });

  it("the main text stays the default", () => {
    expect(engine.grade({ ...CASE, difficulty: "complex" }).colour).toBe("orange");
  });

  it("a variant the pack does not have is a clear error", () => {
    expect(isJicengError(catchJicengError(() => createEngine<RulePackInput>(pack, { variant: "no-such-variant" })))).toBe(true);
  });
});

// ── Golden cases ────────────────────────────────────────────────────────────

interface Text {
  zh: string;
  en: string;
}
type Golden =
  | {
      clause: string;
      description: Text;
      variant?: string;
      input: Record<string, unknown>;
      expected: { level: string; dueAt: string; ruleIds: string[]; colour?: string; label?: Text };
    }
  | {
      clause: string;
      description: Text;
      input: Record<string, unknown>;
      seq: number;
      expected: { number: string; parsed: Record<string, unknown> } | { error: string };
    };

// Lifecycle cases (lifecycle-*.json) are run by readings.test.ts.
const golden = loadGoldenCases<Golden>(new URL("../cases/", import.meta.url)).filter((g) => !g.file.startsWith("lifecycle-"));

describe("golden cases (cases/*.json)", () => {
  it("there are golden cases", () => {
    expect(golden.length).toBeGreaterThan(0);
  });

  for (const { file, case: c } of golden) {
    it(`${c.clause} ${file.replace(/\.json$/, "")}`, () => {
      if ("seq" in c) {
        if ("error" in c.expected) {
          const code = c.expected.error;
          expect(codesOf(catchJicengError(() => engine.numberCase(c.input, c.seq)))).toContain(code);
          return;
        }
        const n = engine.numberCase(c.input, c.seq);
        expect(n).toBe(c.expected.number);
        expect(engine.parseNumber(n)).toMatchObject(c.expected.parsed);
        return;
      }
      const e = c.variant === undefined ? engine : createEngine<RulePackInput>(pack, { variant: c.variant });
      const a = e.assess(c.input);
      expect(a.level).toBe(c.expected.level);
      expect(a.dueAt).toBe(c.expected.dueAt);
      expect(ids(a.reasons)).toEqual([...c.expected.ruleIds].sort());
      for (const r of a.reasons) expect(r.cite?.clause).toBe("§二(三)7");
      if (c.expected.colour !== undefined) expect(a.colour).toBe(c.expected.colour);
      if (c.expected.label !== undefined) expect(a.label).toEqual(c.expected.label);
      expect(e.deadline(a.level, c.input.receivedAt as string).dueAt).toBe(a.dueAt);
    });
  }
});
