// 安发〔2021〕10号, §三(二) and §三(三) clause by clause, through the engine; then every golden
// case in cases/*.json.
import { describe, expect, it } from "vitest";
import { createEngine, describeTableTrace, safeLoadPack, type Classification, type JicengError } from "@jiceng/core";
import { catchJicengError, loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine(pack);

/** A household that meets no condition of the document: income at the average, never a safe family, no red condition. */
const PLAIN = { income: 12000, villageAverageIncome: 12000, year: 2021, safeFamilyYears: [] as number[], leftBehind: [] as string[], disabledMembers: 0, povertyMonitoring: "none", prisonRecord: "none" };
const household = (facts: Partial<typeof PLAIN> = {}) => engine.classify("households", { ...PLAIN, ...facts });
const ids = (c: Classification) => c.reasons.map((r) => r.rowId);
const held = (c: Classification) => {
  const facts = new Map(); // describeTableTrace only needs labels for the words; the fact names are enough here
  return c.reasons.flatMap((r) => (r.conditions ? [describeTableTrace(r.conditions, facts).en] : []));
};

const codesOf = (e: JicengError) => e.issues.map((i) => `${i.code} ${i.path.join(".")}`);

describe("安发〔2021〕10号: the pack", () => {
  it("passes core's validation with no errors or warnings", () => {
    const r = safeLoadPack(pack);
    expect(r.success ? r.warnings : r.issues).toEqual([]);
  });

  it("is not a case-grading model: one local level, no grading rules, no escalation", () => {
    const p = engine.pack;
    expect(p.levels.map((l) => [l.id, l.local])).toEqual([["grid-item", true]]);
    expect(p.grading.rules).toEqual([]);
    expect(p.grading.default).toMatchObject({ level: "grid-item", local: true });
    expect(p.escalation).toBeUndefined();
    expect(engine.grade({ receivedAt: "2021-09-01T09:00:00+08:00", category: "dispute", grid: "g3-01" }).level).toBe("grid-item");
  });

  it("§三(三)1: disputes, sanitation, emergencies and errands all belong to a grid (the case categories)", () => {
    const category = engine.pack.facts.find((f) => f.name === "category")!;
    expect(category.values!.map((v) => v.label.zh)).toEqual(["矛盾纠纷", "环境卫生", "应急管理", "代办事项", "其他（原文“等”）"]);
    expect(category.cite?.clause).toBe("§三(三)1");
  });
});

describe("§三(三)2 推行精细化服务: 放心户（绿）、关心户（黄）、连心户（红）", () => {
  describe("连心户 (red): “三留守”人员、残疾人、脱贫边缘户风险户、有服刑或刑满释放人员的家庭", () => {
    it.each([
      ["留守儿童", { leftBehind: ["children"] }],
      ["留守妇女", { leftBehind: ["women"] }],
      ["留守老人", { leftBehind: ["elderly"] }],
      ["残疾人", { disabledMembers: 1 }],
      ["脱贫边缘户", { povertyMonitoring: "edge" }],
      ["风险户", { povertyMonitoring: "risk" }],
      ["有服刑人员", { prisonRecord: "serving" }],
      ["有刑满释放人员", { prisonRecord: "released" }],
    ])("%s alone makes a heart-linked household", (_what, facts) => {
      const c = household(facts);
      expect(c.class).toBe("red");
      expect(c.label?.zh).toBe("连心户");
      expect(ids(c)).toEqual(["red"]);
      expect(c.reasons[0]?.cite?.clause).toBe("§三(三)2");
      expect(c.usedDefault).toBe(false);
    });

    it("several red conditions at once: one class, and every condition that held is in the reasons", () => {
      const c = household({ leftBehind: ["children", "elderly"], disabledMembers: 2, povertyMonitoring: "risk", prisonRecord: "released" });
      expect(c.class).toBe("red");
      expect(ids(c)).toEqual(["red"]);
      const text = held(c)[0]!;
      for (const words of ["leftBehind contains children", "leftBehind contains elderly", "disabledMembers > 0 (seen: 2)", "povertyMonitoring is one of", "prisonRecord is one of"]) expect(text).toContain(words);
      expect(text).not.toContain("contains women");
    });

    it("service: one-to-one or one-to-many pairing, hotline contact (一连一或一连多, 热线联系)", () => {
      const c = household({ disabledMembers: 1 });
      expect((c.service as { zh: string }).zh).toBe("开展“一连一或一连多”帮扶，时刻保持“热线联系”");
      expect((c.result as { motto: { zh: string } }).motto.zh).toBe("红色门前要上心");
    });

    it("no red condition: zero disabled members, no left-behind member, not monitored, no prison record", () => {
      expect(household({ income: 9000 }).class).toBe("yellow");
      expect(household({ income: 9000 }).reasons[0]?.rowId).toBe("yellow");
    });
  });

  describe("放心户 (green): 家庭经济收入持平和超过全村平均水平 且 连续三年被评为平安家庭", () => {
    it("income above the average and a safe family 2019, 2020, 2021", () => {
      const c = household({ income: 15000, safeFamilyYears: [2019, 2020, 2021] });
      expect([c.class, c.label?.zh, ids(c)]).toEqual(["green", "放心户", ["green"]]);
      expect((c.service as { zh: string }).zh).toContain("等候“在线”服务");
    });

    it("boundary: income exactly at the average is 持平, so green", () => {
      const c = household({ income: 12000, villageAverageIncome: 12000, safeFamilyYears: [2019, 2020, 2021] });
      expect(c.class).toBe("green");
      expect(held(c)[0]).toContain("income ≥ villageAverageIncome (seen: 12000 vs 12000)");
    });

    it("boundary: one fen below the average is not 持平 — not green", () => {
      expect(household({ income: 11999.99, safeFamilyYears: [2019, 2020, 2021] }).class).not.toBe("green");
    });

    it("boundary: safe-family years that are not consecutive (2019, 2021) are not three years running", () => {
      const c = household({ income: 15000, safeFamilyYears: [2019, 2021] });
      expect(c.class).toBe("yellow");
      expect(c.usedDefault).toBe(true);
      const green = c.rejected?.find((r) => r.rowId === "green");
      expect(describeTableTrace(green!.conditions!, new Map(), false).en).toContain("safeFamilyStreak ≥ 3 (seen: 1)");
    });

    it("boundary: two years running is not three; four and five years running are", () => {
      expect(household({ income: 15000, safeFamilyYears: [2020, 2021] }).usedDefault).toBe(true);
      expect(household({ income: 15000, safeFamilyYears: [2018, 2019, 2020, 2021] }).class).toBe("green");
      expect(household({ income: 15000, safeFamilyYears: [2021, 2017, 2019, 2018, 2020] }).class).toBe("green");
    });

    it("the three years end with the year assessed (local reading): 2018–2020 as of 2021 is not green, as of 2020 it is", () => {
      expect(household({ income: 15000, safeFamilyYears: [2018, 2019, 2020] }).class).toBe("yellow");
      expect(household({ income: 15000, safeFamilyYears: [2018, 2019, 2020], year: 2020 }).class).toBe("green");
    });
  });

  describe("关心户 (yellow): 家庭经济收入低于全村平均水平 且 近两年未被评为平安家庭", () => {
    it("income below the average, never a safe family", () => {
      const c = household({ income: 9000 });
      expect([c.class, c.label?.zh, ids(c), c.usedDefault]).toEqual(["yellow", "关心户", ["yellow"], false]);
      expect((c.service as { zh: string }).zh).toBe("居住在附近的党员、人大代表、中心户长“三线”人员定期到户开展针对性服务");
    });

    it("boundary: one yuan below the average is below", () => {
      expect(household({ income: 11999 }).reasons[0]?.rowId).toBe("yellow");
    });

    it("boundary: income at the average is not below it — not yellow by the document", () => {
      expect(household({ income: 12000 }).usedDefault).toBe(true);
    });

    it("“近两年” is the year assessed and the year before: a title in 2019 only still counts as not recent", () => {
      expect(household({ income: 9000, safeFamilyYears: [2019] }).reasons[0]?.rowId).toBe("yellow");
      expect(household({ income: 9000, safeFamilyYears: [2020] }).usedDefault).toBe(true);
      expect(household({ income: 9000, safeFamilyYears: [2021] }).usedDefault).toBe(true);
    });
  });

  describe("what the document leaves open, decided locally", () => {
    it("precedence: a household both green and red is red; the green row is listed as overridden, with the local note", () => {
      const c = household({ income: 15000, safeFamilyYears: [2019, 2020, 2021], leftBehind: ["elderly"] });
      expect(c.class).toBe("red");
      expect(c.overridden.map((r) => [r.rowId, (r.result as { class: string }).class])).toEqual([["green", "green"]]);
      expect(engine.pack.tables?.["households"]?.precedence).toMatchObject({ local: true });
    });

    it("precedence: a household both yellow and red is red", () => {
      const c = household({ income: 9000, disabledMembers: 1 });
      expect([c.class, c.overridden.map((r) => r.rowId)]).toEqual(["red", ["yellow"]]);
    });

    it("green and yellow never overlap: income is either at/above or below the average", () => {
      for (const income of [11999, 12000, 12001]) {
        for (const years of [[], [2021], [2019, 2020, 2021]]) {
          const c = household({ income, safeFamilyYears: years });
          expect(c.reasons.length + c.overridden.length).toBeLessThanOrEqual(1);
        }
      }
    });

    it("fallback: a household in no class is managed as yellow, and the reason is the local default with its note", () => {
      const c = household({ income: 15000, safeFamilyYears: [2020, 2021] });
      expect([c.class, c.usedDefault, ids(c)]).toEqual(["yellow", true, ["default"]]);
      expect(c.reasons[0]).toMatchObject({ local: true, path: ["tables", "households", "default"] });
      expect(c.reasons[0]?.note?.zh).toContain("逐户摸底、精准分类");
      expect(c.rejected?.map((r) => [r.rowId, r.conditions?.result])).toEqual([["red", false], ["green", false], ["yellow", false]]);
    });
  });

  describe("坚持逐户摸底: a household with missing or wrong facts is an error, never a class", () => {
    it("a missing fact is MISSING_FACT; a missing list of safe-family years too", () => {
      const { disabledMembers: _d, ...noDisabled } = PLAIN;
      expect(codesOf(catchJicengError(() => engine.classify("households", noDisabled)))).toEqual(["MISSING_FACT facts.disabledMembers"]);
      const { safeFamilyYears: _s, ...noYears } = PLAIN;
      expect(codesOf(catchJicengError(() => engine.classify("households", { ...noYears, income: 9000 })))).toEqual(["MISSING_FACT facts.safeFamilyYears"]);
    });

    it("every wrong value at once, with its path", () => {
      const e = catchJicengError(() => household({ leftBehind: ["grandparents"], povertyMonitoring: "poor", income: -1, safeFamilyYears: ["2020"] as unknown as number[] }));
      expect(codesOf(e)).toEqual(["INVALID_FACT facts.income", "INVALID_FACT facts.leftBehind", "INVALID_FACT facts.povertyMonitoring", "INVALID_FACT facts.safeFamilyYears"]);
    });
  });
});

describe("§三(三)2: how the three lines serve each class (visits)", () => {
  it.each([
    ["green", "村（社区）", null],
    ["yellow", "居住在附近的党员、人大代表、中心户长（“三线”人员）", "month"],
    ["red", "“三线”人员及包联干部结对", "week"],
  ])("%s", (cls, who, unit) => {
    const c = engine.classify("visits", { class: cls });
    const r = c.result as { who: { zh: string }; visits: null | { unit: string; local: true } };
    expect(r.who.zh).toBe(who);
    expect(r.visits?.unit ?? null).toBe(unit);
    if (r.visits) expect(r.visits.local).toBe(true);
    expect(c.reasons[0]?.cite?.clause).toBe("§三(三)2");
  });

  it("the class a household gets leads to its visits", () => {
    const cls = household({ income: 9000 }).class!;
    expect((engine.classify("visits", { class: cls }).result as { lines: string[] }).lines).toEqual(["party-member", "deputy", "household-head"]);
  });
});

describe("§三(二) 建立“三线”联系机制", () => {
  const line = (id: string) => engine.classify("three-lines", { line: id });

  it("1. 党员联系群众: branch → party member → residents, by receiving, appointments and visits", () => {
    const c = line("party-member");
    const r = c.result as { links: { to: { zh: string } }; forms: { zh: string }[]; review: { zh: string } };
    expect(r.links.to.zh).toBe("群众");
    expect(r.forms.map((f) => f.zh)).toEqual(["接待", "约见", "走访"]);
    expect(r.review.zh).toContain("承诺、践诺、积分、评议");
    expect(c.reasons[0]?.cite?.clause).toBe("§三(二)1");
  });

  it("1. party-member points (承诺、践诺、积分、评议): every point value is local", () => {
    for (const activity of ["commitment-kept", "contact", "difficulty-solved"]) {
      const c = engine.classify("party-member-points", { activity });
      const points = (c.result as { points: { amount: number; local: true; note: { zh: string } } }).points;
      expect(points.local).toBe(true);
      expect(points.note.zh).toContain("分类积分管理办法");
      expect(points.amount).toBeGreaterThan(0);
      expect(c.reasons[0]?.cite?.clause).toBe("§三(二)1");
    }
  });

  it("2. 人大代表联系选民: voters review their deputy at year end", () => {
    const c = line("deputy");
    expect((c.result as { review: unknown }).review).toMatchObject({ by: "voters", when: "year-end" });
    expect(c.reasons[0]?.cite).toMatchObject({ clause: "§三(二)2" });
    expect(c.reasons[0]?.cite?.quote).toContain("年终由选民对代表履职情况进行评议");
  });

  it("3. 中心户长联系村民: elected by villagers; information, mediation, joint patrols; reviewed by residents", () => {
    const r = line("household-head").result as { chosenBy: { zh: string }; duties: { zh: string }[]; review: { zh: string } };
    expect(r.chosenBy.zh).toContain("村民推选");
    expect(r.duties.map((d) => d.zh)).toEqual(["信息收集", "纠纷调解", "治安联防"]);
    expect(r.review.zh).toBe("群众评议、动态调整");
  });

  it("3. household heads are paid per case (以案定补) and per task (以事奖补); the amounts are local", () => {
    const perCase = engine.classify("household-head-pay", { work: "case" }).result as { basis: { zh: string }; amount: { yuan: number; local: true } };
    const perTask = engine.classify("household-head-pay", { work: "task" }).result as { basis: { zh: string }; amount: { yuan: number; local: true } };
    expect([perCase.basis.zh, perTask.basis.zh]).toEqual(["以案定补", "以事奖补"]);
    expect([perCase.amount.local, perTask.amount.local]).toEqual([true, true]);
  });
});

describe("§三(三)1 实行网格化管理: three tiers of grids", () => {
  const TREE = [
    { id: "v", kind: "village" },
    { id: "g1", kind: "grid-1", parent: "v", head: { role: "village-committee-member" } },
    { id: "g2", kind: "grid-2", parent: "g1", head: { role: "group-leader" } },
  ];
  const g3 = (households: number, people: number, role = "household-head") => ({ id: "g3", kind: "grid-3", parent: "g2", households, people, head: { role } });
  const check = (...extra: object[]) => engine.checkUnits([...TREE, ...extra]);

  it("tier 1 is headed by village committee or supervision committee members; tier 2 by the villager group leader", () => {
    expect(check().violations).toEqual([]);
    expect(engine.checkUnits([TREE[0], { ...TREE[1], head: { role: "supervision-committee-member" } }]).violations).toEqual([]);
    expect(engine.checkUnits([...TREE.slice(0, 2), { ...TREE[2], head: { role: "household-head" } }]).violations.map((v) => v.rule)).toEqual(["grid-2-head"]);
  });

  it("a tier-3 grid of 35 households is flagged with the clause and the values seen", () => {
    const r = check(g3(35, 110));
    expect(r.ok).toBe(false);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ unitId: "g3", kind: "grid-3", rule: "grid-3-households", severity: "error", actual: { households: 35 }, expected: { min: 20, max: 30 }, cite: { clause: "§三(三)1" } });
    expect(r.violations[0]?.message.zh).toBe("三级网格“g3”户数为 35，多于规定的 20–30");
  });

  it("a tier-3 grid of 60 people is flagged too", () => {
    expect(check(g3(25, 60)).violations.map((v) => [v.rule, v.actual])).toEqual([["grid-3-people", { people: 60 }]]);
  });

  it.each([
    [20, 70, []],
    [30, 120, []],
    [19, 90, ["grid-3-households"]],
    [31, 90, ["grid-3-households"]],
    [25, 69, ["grid-3-people"]],
    [25, 121, ["grid-3-people"]],
  ])("boundaries: %i households, %i people → %j", (households, people, rules) => {
    expect(check(g3(households, people)).violations.map((v) => v.rule)).toEqual(rules);
  });

  it("中心户长 heads a tier-3 grid; a party member or deputy only when household heads are short (a warning); anyone else is an error", () => {
    expect(check(g3(25, 90, "party-member")).violations.map((v) => [v.rule, v.severity])).toEqual([["grid-3-head", "warning"]]);
    expect(check(g3(25, 90, "deputy")).ok).toBe(true);
    expect(check(g3(25, 90, "group-leader")).violations.map((v) => [v.rule, v.severity])).toEqual([["grid-3-head", "error"]]);
  });
});

describe("golden cases (cases/*.json)", () => {
  /** A household case (`table`, `input`) or a grid-units case (`units`). */
  type Golden = { clause: string; description: { en: string }; table?: string; input?: unknown; units?: unknown; expected: { class?: string; usedDefault?: boolean; ruleIds?: string[]; overridden?: string[]; ok?: boolean; violations?: unknown[] } };
  const golden = loadGoldenCases<Golden>(new URL("../cases/", import.meta.url));
  it("finds the cases", () => expect(golden.length).toBeGreaterThanOrEqual(30));
  for (const { file, case: c } of golden) {
    it(`${file}: ${c.clause} ${c.description.en}`, () => {
      if (c.table) {
        const r = engine.classify(c.table, c.input);
        expect(r.class).toBe(c.expected.class);
        expect(r.usedDefault).toBe(c.expected.usedDefault);
        expect(ids(r)).toEqual(c.expected.ruleIds);
        if (c.expected.overridden) expect(r.overridden.map((x) => x.rowId)).toEqual(c.expected.overridden);
      } else {
        const r = engine.checkUnits(c.units);
        expect(r.ok).toBe(c.expected.ok);
        expect(r.violations.map((v) => ({ unitId: v.unitId, rule: v.rule, severity: v.severity }))).toEqual(c.expected.violations);
      }
    });
  }
});
