// Issue 16: a red item cannot escape the report by extension (§二(三)8); the assigned 办结时限 is held
// to the grade's limit; numbering by 摸排时间 (附件说明1); the readings the text does not settle are
// local and switchable. Lifecycle cases: cases/lifecycle-*.json.
import { describe, expect, it } from "vitest";
import { createEngine, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { catchJicengError, loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
type Case = {
  clause: string;
  description: { zh: string; en: string };
  input: { events: CaseEvent[]; rejected?: CaseEvent; then?: CaseEvent[] };
  expected: { state: string; dueAt?: string; reportedTo?: string[]; assignedDeadline?: string; rejectedCode?: string };
};
const fold = (s: CaseSnapshot, events: readonly CaseEvent[]) => events.reduce((x, e) => engine.transition(x, e), s);

describe("lifecycle cases (cases/lifecycle-*.json)", () => {
  const cases = loadGoldenCases<Case>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("lifecycle-"));
  it("there are lifecycle cases", () => expect(cases.length).toBeGreaterThanOrEqual(2));
  for (const { file, case: c } of cases) {
    it(`${c.clause} ${file}: ${c.description.en.split(":")[0]}`, () => {
      const [intake, ...rest] = c.input.events;
      let s = fold(engine.start(intake as Parameters<typeof engine.start>[0]), rest);
      if (c.input.rejected) {
        const before = JSON.stringify(s);
        expect(catchJicengError(() => engine.transition(s, c.input.rejected!)).issues.map((i) => i.code)).toContain(c.expected.rejectedCode);
        expect(JSON.stringify(s)).toBe(before);
        s = fold(s, c.input.then ?? []);
      }
      expect(s.state).toBe(c.expected.state);
      if (c.expected.dueAt) expect(s.context.dueAt).toBe(c.expected.dueAt);
      if (c.expected.reportedTo) expect(s.context.reportedTo.map((r) => r.body)).toEqual(c.expected.reportedTo);
      if (c.expected.assignedDeadline) expect(engine.listRow(s).responsibility.assignedDeadline).toBe(c.expected.assignedDeadline);
    });
  }
});

const at = "2022-06-20T10:00:00+08:00";
const orange = { type: "intake" as const, at, facts: { receivedAt: at, unitCode: "01", subunitCode: "01", difficulty: "complex" } };
const assign = { type: "assign" as const, at: "2022-06-20T11:00:00+08:00", leadUnit: "派出所", responsiblePerson: "张某", deadline: "2022-06-30" };

describe("§二(三)8 extension and upgrade", () => {
  it("§二(三)8: an orange item may be extended, at most 7 days at a time (local), decided by the branch (local)", () => {
    let s = fold(engine.start(orange), [assign, { type: "tick", at: "2022-07-06T00:00:00+08:00" }, { type: "requestEscalation", at: "2022-07-06T09:00:00+08:00", reason: "当事人外出" }]);
    expect(engine.check(s, { type: "decideEscalation", at: "2022-07-06T10:00:00+08:00", by: "功能型党支部", decision: "extend", days: 8 }).map((i) => i.path.join("."))).toEqual(["event.days"]);
    s = engine.transition(s, { type: "decideEscalation", at: "2022-07-06T10:00:00+08:00", by: "功能型党支部", decision: "extend", days: 7 });
    expect(engine.history(s).at(-1)!.summary.zh).toContain("功能型党支部决定延期 7 天");
  });
  it("§二(三)8: an upgrade restarts the new level's limit from the decision (local); variant upgrade-clock-from-intake counts it from intake", () => {
    const steps: CaseEvent[] = [assign, { type: "tick", at: "2022-07-06T00:00:00+08:00" }, { type: "requestEscalation", at: "2022-07-06T09:00:00+08:00", reason: "难以化解" }, { type: "decideEscalation", at: "2022-07-06T10:00:00+08:00", by: "功能型党支部", decision: "upgrade" }];
    const a = fold(engine.start(orange), steps);
    const v = createEngine<RulePackInput>(pack, { variant: "upgrade-clock-from-intake" });
    const b = steps.reduce((x, e) => v.transition(x, e), v.start(orange));
    expect([a.context.level, b.context.level]).toEqual(["red", "red"]);
    expect(a.context.dueAt).toBe(engine.deadline("red", "2022-07-06T10:00:00+08:00").dueAt);
    expect(b.context.dueAt).toBe(engine.deadline("red", at).dueAt);
  });
  it("variant assigned-deadline-governs: the 办结时限 on the list is the case's limit", () => {
    const v = createEngine<RulePackInput>(pack, { variant: "assigned-deadline-governs" });
    const s = v.transition(v.start(orange), assign);
    expect(s.context.dueAt).toBe("2022-07-01T00:00:00+08:00");
    expect(engine.transition(engine.start(orange), assign).context.dueAt).toBe(engine.deadline("orange", at).dueAt);
  });
});

describe("附件说明1 numbering by the date found; 附件说明2 problem content", () => {
  it("numbers by foundAt, and by the date of receipt when it is missing (local)", () => {
    expect(engine.numberCase({ receivedAt: at, foundAt: "2022-06-18", unitCode: "01", subunitCode: "01" }, 1)).toBe("0618010101");
    expect(engine.numberCase({ receivedAt: at, unitCode: "01", subunitCode: "01" }, 1)).toBe("0620010101");
  });
  it("the problem content and the parties' contact are facts of the problem list", () => {
    const names = pack.facts.map((f) => f.name);
    for (const n of ["content.time", "content.place", "content.people", "content.cause", "content.status", "parties", "partyPhone"]) expect(names).toContain(n);
  });
});

describe("§二(一)1, §二(二)4, §二(三)9: meetings, first handler, village scoring", () => {
  it("周例会、月研判、季考核 name the agenda", () => {
    expect(engine.agenda([], "weekly", at).label.zh).toBe("周例会");
    expect(engine.agenda([], "quarterly", at).label.zh).toBe("季考核");
  });
  it("首办责任制: whoever took the item in is on the responsibility list", () => {
    const s = engine.start({ ...orange, by: "综治中心王某" });
    expect(engine.listRow(s).responsibility.firstReceiver).toBe("综治中心王某");
  });
  it("the branch scores each village: resolved items +2, overdue −1 (points local)", () => {
    const s = fold(engine.start(orange), [assign, { type: "resolve", at: "2022-06-25T10:00:00+08:00" }]);
    const card = engine.score([s], "2022Q2");
    expect(card.persons?.scores.map((p) => [p.person, p.total])).toEqual([["01", 2]]);
  });
  it("定期了解思想动态: a resolved item is due for a return visit 30 days (local) after resolution", () => {
    const s = fold(engine.start(orange), [assign, { type: "resolve", at: "2022-06-25T10:00:00+08:00" }]);
    expect(engine.sweep([s], "2022-07-20T10:00:00+08:00").followUpDue).toEqual([]);
    expect(engine.sweep([s], "2022-07-26T10:00:00+08:00").followUpDue).toEqual([0]);
  });
});
