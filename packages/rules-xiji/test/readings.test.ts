// Issue 16: the 四定's own 化解时限 decides 超期 (§四¶4, §四¶5); an item that was ever overdue cannot
// close without its 整改 entry; "动态管理" is a switchable reading. Lifecycle cases: cases/lifecycle-*.json.
import { describe, expect, it } from "vitest";
import { createEngine, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { catchJicengError, loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
type Case = {
  clause: string;
  description: { zh: string; en: string };
  input: { events: CaseEvent[]; rejected?: CaseEvent; then?: CaseEvent[] };
  expected: { levelAtIntake?: string; dueAtBeforeAssignment?: string; state: string; dueAt?: string; overdue?: boolean; rectifications?: number; rejectedCode?: string };
};
const fold = (s: CaseSnapshot, events: readonly CaseEvent[]) => events.reduce((x, e) => engine.transition(x, e), s);

describe("lifecycle cases (cases/lifecycle-*.json)", () => {
  const cases = loadGoldenCases<Case>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("lifecycle-"));
  it("there are lifecycle cases", () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const { file, case: c } of cases) {
    it(`${c.clause} ${file}: ${c.description.en.split(":")[0]}`, () => {
      const [intake, ...rest] = c.input.events;
      const first = engine.start(intake as Parameters<typeof engine.start>[0]);
      if (c.expected.levelAtIntake) expect(first.context.level).toBe(c.expected.levelAtIntake);
      if (c.expected.dueAtBeforeAssignment) expect(first.context.dueAt).toBe(c.expected.dueAtBeforeAssignment);
      let s = fold(first, rest);
      if (c.input.rejected) {
        const err = catchJicengError(() => engine.transition(s, c.input.rejected!));
        expect(err.issues.map((i) => i.code)).toContain(c.expected.rejectedCode);
        s = fold(s, c.input.then ?? []);
      }
      expect(s.state).toBe(c.expected.state);
      if (c.expected.dueAt) expect(s.context.dueAt).toBe(c.expected.dueAt);
      if (c.expected.overdue !== undefined) expect(s.context.overdue).toBe(c.expected.overdue);
      if (c.expected.rectifications !== undefined) expect(s.context.rectifications ?? []).toHaveLength(c.expected.rectifications);
    });
  }
});

const intake = { type: "intake" as const, at: "2022-02-25T10:00:00+08:00", facts: { receivedAt: "2022-02-25T10:00:00+08:00", area: "land-requisition", escalating: true } };
const four = { responsibleLeader: "镇政法委员", responsiblePerson: "司法所所长", measures: "联合调解" };

describe("§四¶4 四定: the assigned 化解时限 is the item's time limit", () => {
  it("§四¶4: before assignment the local level limit is a fallback; from assignment the 四定 deadline governs (to 24:00 of that day)", () => {
    const s0 = engine.start(intake);
    expect(s0.context.dueAt).toBe("2022-03-15T00:00:00+08:00"); // day 15 is Sat 03-12: rolled over to Mon 03-14
    const s1 = engine.transition(s0, { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, deadline: "2022-03-20" });
    expect(s1.context.dueAt).toBe("2022-03-21T00:00:00+08:00");
    expect(engine.listRow(s1).responsibility).toMatchObject({ assignedDeadline: "2022-03-20", dueAt: "2022-03-21T00:00:00+08:00" });
  });
  it("§四¶5: 超期 by the 四定 deadline: on 03-06 an item due 03-03 is overdue and `rectify` is accepted", () => {
    const s = engine.transition(engine.start(intake), { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, deadline: "2022-03-03" });
    expect(engine.sweep([s], "2022-03-06T08:00:00+08:00").overdue).toEqual([0]);
    const r = { type: "rectify" as const, at: "2022-03-06T09:00:00+08:00", reason: "r", difficulty: "d", needsCoordination: false, measures: "m" };
    expect(engine.check(s, r)).toEqual([]);
  });
  it("a deadline before the day of assignment, or not a real date, is refused with the path event.deadline", () => {
    const s0 = engine.start(intake);
    for (const deadline of ["2022-02-20", "2022-02-30"]) {
      const issues = engine.check(s0, { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, deadline });
      expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([["INVALID_EVENT", "event.deadline"]]);
    }
  });
  it("variant assigned-within-level-limit (local): a 四定 deadline beyond the level's limit is refused", () => {
    const v = createEngine<RulePackInput>(pack, { variant: "assigned-within-level-limit" });
    const s0 = v.start(intake);
    expect(v.check(s0, { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, deadline: "2022-03-20" }).map((i) => i.code)).toEqual(["INVALID_EVENT"]);
    expect(v.check(s0, { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, deadline: "2022-03-10" })).toEqual([]);
  });
});

describe("§四¶2 “三色预警动态管理”: a reading, switchable", () => {
  const red = { type: "intake" as const, at: "2022-02-25T10:00:00+08:00", facts: { receivedAt: "2022-02-25T10:00:00+08:00", instability: ["mass-incident"] } };
  it("default upgrade-only: a lower score keeps the colour", () => {
    const s = engine.transition(engine.start(red), { type: "update", at: "2022-02-26T10:00:00+08:00", facts: { instability: [] } });
    expect(s.context.level).toBe("red");
  });
  it("variant regrade-both-ways: a lower score lowers the colour, with the rule recorded", () => {
    const v = createEngine<RulePackInput>(pack, { variant: "regrade-both-ways" });
    const s = v.transition(v.start(red), { type: "update", at: "2022-02-26T10:00:00+08:00", facts: { instability: [] } });
    expect(s.context.level).toBe("yellow");
    expect(s.context.escalations.at(-1)).toMatchObject({ decision: "regrade", from: "red", to: "yellow" });
  });
});

describe("§三¶4 the dual assessment assesses the stationed agencies, not the township", () => {
  it("subjects are the responsible units of the items; the township and the home unit score them", () => {
    const s = engine.transition(engine.start(intake), { type: "assign", at: "2022-02-26T09:00:00+08:00", ...four, responsibleUnit: "将台堡派出所", deadline: "2022-03-03" });
    const card = engine.score([s], "2022Q1", { assessments: [{ subject: "将台堡派出所", scores: { township: 80, "home-unit": 90 } }] });
    expect(card.assessment?.subject?.field).toBe("assignment.responsibleUnit");
    expect(card.assessment?.subjects.map((x) => [x.subject, x.composite])).toEqual([["将台堡派出所", 85]]);
  });
});

describe("§一¶6 以案定补 (cases/subsidy-*.json)", () => {
  type Subsidy = { clause: string; description: { en: string }; input: { cases: CaseEvent[][]; period: string }; expected: { persons: Array<[string, number, number]> } };
  const cases = loadGoldenCases<Subsidy>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("subsidy-"));
  it("there is a subsidy case", () => expect(cases.length).toBeGreaterThanOrEqual(1));
  for (const { file, case: c } of cases) {
    it(`${c.clause} ${file}: ${c.description.en.split(":")[0]}`, () => {
      const card = engine.score(c.input.cases.map((log) => engine.replay(log)), c.input.period);
      expect(card.persons!.label.zh).toBe("人民调解以案定补");
      expect(card.persons!.scores.map((p) => [p.person, p.total, p.rank])).toEqual(c.expected.persons);
    });
  }
});
