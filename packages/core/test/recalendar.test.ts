// issue 13 part 4: a deadline counted past the last loaded notice is provisional, and is corrected
// (from the original start, with a history entry in zh and en) once an engine has the notice.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type CaseEvent, type CaseSnapshot, type IntakeEvent } from "../src/index.js";
import { caseHistoryArbitrary } from "../src/testing/lifecycle.js";
import { catchJicengError } from "../src/testing/index.js";

const root = new URL("../../", import.meta.url);
const guyuan = JSON.parse(readFileSync(new URL("rules-guyuan/pack.json", root), "utf8"));
// A test fixture: invented dates, labelled "示例/测试 · not an official notice" in its own title.
const fixture2027 = JSON.parse(readFileSync(new URL("./fixtures/holiday-schedule-2027.example.json", import.meta.url), "utf8"));
const before = createEngine(guyuan);
const after = createEngine(guyuan, { calendar: { schedules: [fixture2027] } });

const intake = (at: string, difficulty = "simple"): IntakeEvent => ({ type: "intake", at, facts: { receivedAt: at, unitCode: "01", subunitCode: "01", difficulty }, seq: 1 });
// The 办结时限 is the day of assignment itself: Guyuan refuses one beyond the grade's limit (§二(三)8).
const assign = (at: string): CaseEvent => ({ type: "assign", at, leadUnit: "司法所", responsiblePerson: "王某", deadline: at.slice(0, 10) });

describe("a snapshot taken before the notice was loaded, ticked by an engine that has it", () => {
  // Yellow, 7 days from 2027-02-01: the last day 02-08 is 初三. Provisionally 02-09 and 02-10 make up
  // 初一/初二 (a weekend) → due 02-12. The (fixture) notice puts 02-05…02-12 off → Mon 02-15, due 02-16.
  const snap = before.start(intake("2027-02-01T10:00:00+08:00"));

  it("is marked provisional, on dueAt and warnAt, naming the missing year, and records its schedules", () => {
    expect(snap.context).toMatchObject({ dueAt: "2027-02-12T00:00:00+08:00", warnAt: "2027-02-10T00:00:00+08:00", provisional: { fields: ["dueAt", "warnAt"], years: [2027] }, schedules: [{ year: 2027, provisional: true }] });
    expect(before.status(snap).provisional?.label.zh).toBe("暂行时限：2027年放假安排尚未加载");
    expect(before.sweep([snap], "2027-02-02T00:00:00+08:00").provisional).toEqual([0]);
  });

  it("the next tick recomputes dueAt and warnAt from the original start, clears the mark, and writes the history in zh and en", () => {
    const t = after.transition(snap, { type: "tick", at: "2027-02-02T09:00:00+08:00" });
    expect(t.context.dueAt).toBe("2027-02-16T00:00:00+08:00");
    expect(t.context.warnAt).toBe("2027-02-14T00:00:00+08:00");
    expect(t.context).not.toHaveProperty("provisional");
    expect(t.context.schedules).toEqual([{ year: 2027, notice: "示例-2027-TEST" }]);
    expect(after.history(t).at(-1)).toMatchObject({
      type: "recalendar",
      at: "2027-02-02T09:00:00+08:00",
      summary: {
        zh: "按2027年放假安排重新计算时限：原 2027-02-12T00:00:00+08:00，现 2027-02-16T00:00:00+08:00；预警 原 2027-02-10T00:00:00+08:00，现 2027-02-14T00:00:00+08:00",
        en: "Deadline recomputed on the 2027 holiday schedule: was 2027-02-12T00:00:00+08:00, now 2027-02-16T00:00:00+08:00; warning was 2027-02-10T00:00:00+08:00, now 2027-02-14T00:00:00+08:00",
      },
    });
    expect(after.status(t)).not.toHaveProperty("provisional");
    expect(after.sweep([t], "2027-02-02T10:00:00+08:00").provisional).toEqual([]);
    // Once corrected, further ticks change nothing.
    expect(after.transition(t, { type: "tick", at: "2027-02-03T09:00:00+08:00" })).toBe(t);
  });

  it("an explicit recalendar event does it at once; the engine without the notice leaves the case alone", () => {
    const r = after.transition(snap, { type: "recalendar", at: "2027-02-01T11:00:00+08:00", by: "县综治中心" });
    expect(r.context.dueAt).toBe("2027-02-16T00:00:00+08:00");
    expect(r.context.history.at(-1)).toMatchObject({ type: "recalendar", by: "县综治中心" });
    expect(before.transition(snap, { type: "recalendar", at: "2027-02-01T11:00:00+08:00" })).toBe(snap);
    expect(before.transition(snap, { type: "tick", at: "2027-02-01T11:00:00+08:00" })).toBe(snap);
    expect(catchJicengError(() => after.transition(snap, { type: "recalendar", at: "2027-02-01T11:00:00+08:00", days: 3 } as unknown as CaseEvent)).code).toBe("INVALID_EVENT");
  });

  it("a red case received 2026-12-06: the same due date under the notice, checked, no longer provisional", () => {
    const red = before.start(intake("2026-12-06T10:00:00+08:00", "major"));
    expect(red.context).toMatchObject({ level: "red", dueAt: "2027-01-21T00:00:00+08:00", provisional: { years: [2027] }, schedules: [{ year: 2026, notice: "国务院办公厅关于2026年部分节假日安排的通知" }, { year: 2027, provisional: true }] });
    const t = after.transition(red, { type: "tick", at: "2026-12-20T00:00:00+08:00" });
    expect(t.context).not.toHaveProperty("provisional");
    expect(after.history(t).at(-1)?.summary).toEqual({
      zh: "按2027年放假安排核对时限：不变，仍为 2027-01-21T00:00:00+08:00，不再是暂行时限",
      en: "Deadline checked against the 2027 holiday schedule: unchanged, 2027-01-21T00:00:00+08:00, no longer provisional",
    });
  });
});

describe("what the correction does not do, and when the corrected time is already past", () => {
  it("never moves the deadline of a resolved or closed case", () => {
    let s = before.start(intake("2027-02-01T10:00:00+08:00"));
    s = before.transition(s, assign("2027-02-01T11:00:00+08:00"));
    s = before.transition(s, { type: "resolve", at: "2027-02-03T10:00:00+08:00" });
    for (const e of [{ type: "tick", at: "2027-02-04T10:00:00+08:00" }, { type: "recalendar", at: "2027-02-04T10:00:00+08:00" }] as CaseEvent[]) {
      const t = after.transition(s, e);
      expect(t.context.dueAt).toBe("2027-02-12T00:00:00+08:00");
      expect(t.context.provisional).toEqual({ fields: ["dueAt", "warnAt"], years: [2027] });
      expect(t.context.history.some((h) => h.type === "recalendar")).toBe(false);
    }
  });

  it("a corrected due time already past: the case becomes overdue at that same tick (a recalendar event corrects only; the next tick finds it overdue)", () => {
    // 7 days from Sat 2027-02-13 end on Sat 02-20: provisionally a weekend → Mon 02-22, due 02-23;
    // the (fixture) notice makes 02-20 a working Saturday → due 02-21.
    const s = before.start(intake("2027-02-13T10:00:00+08:00"));
    expect(s.context.dueAt).toBe("2027-02-23T00:00:00+08:00");
    const t = after.transition(s, { type: "tick", at: "2027-02-21T12:00:00+08:00" });
    expect(t.context).toMatchObject({ dueAt: "2027-02-21T00:00:00+08:00", overdue: true });
    expect(t.context.history.map((h) => h.type)).toEqual(["intake", "recalendar", "overdue"]);
    expect(after.history(t).at(-1)?.summary.zh).toBe("已逾期：时限 2027-02-21T00:00:00+08:00");
    const r = after.transition(s, { type: "recalendar", at: "2027-02-21T12:00:00+08:00" });
    expect(r.context).toMatchObject({ dueAt: "2027-02-21T00:00:00+08:00", overdue: false });
    expect(after.transition(r, { type: "tick", at: "2027-02-21T12:00:00+08:00" }).context.overdue).toBe(true);
  });

  it("a case already found overdue on the provisional deadline stays overdue; its deadline is corrected and the history says so", () => {
    let s = before.start(intake("2027-02-01T10:00:00+08:00"));
    s = before.transition(s, { type: "tick", at: "2027-02-12T01:00:00+08:00" });
    expect(s.context.overdue).toBe(true);
    const t = after.transition(s, { type: "tick", at: "2027-02-13T09:00:00+08:00" });
    expect(t.context).toMatchObject({ dueAt: "2027-02-16T00:00:00+08:00", overdue: true });
    expect(after.history(t).at(-1)?.summary.zh).toContain("此前已按暂行时限认定逾期，该认定不变");
  });
});

describe("replay stays deterministic", () => {
  const log: CaseEvent[] = [intake("2026-12-06T10:00:00+08:00", "major"), assign("2026-12-06T11:00:00+08:00"), { type: "tick", at: "2027-01-14T01:00:00+08:00" }, { type: "tick", at: "2027-01-21T01:00:00+08:00" }];

  it("the same log with the same schedules gives the same snapshot, recording the schedules used", () => {
    for (const engine of [before, after, createEngine(guyuan, { calendar: { schedules: [structuredClone(fixture2027)] } })]) {
      const a = engine.replay(log);
      expect(engine.replay(log)).toEqual(a);
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    }
    expect(after.replay(log).context.schedules).toEqual([{ year: 2026, notice: "国务院办公厅关于2026年部分节假日安排的通知" }, { year: 2027, notice: "示例-2027-TEST" }]);
    expect(after.replay(log).context.history.some((h) => h.type === "recalendar")).toBe(false);
    expect(before.replay(log).context.schedules).toEqual([{ year: 2026, notice: "国务院办公厅关于2026年部分节假日安排的通知" }, { year: 2027, provisional: true }]);
  });
});

describe("every pack: the deadline the lifecycle sets can be recounted from its start (so marks and corrections are exact)", () => {
  const packs = readdirSync(root)
    .filter((d) => d.startsWith("rules-") && existsSync(new URL(`${d}/pack.json`, root)))
    .map((d) => JSON.parse(readFileSync(new URL(`${d}/pack.json`, root), "utf8")));
  for (const pack of packs) {
    it(`${pack.id}: every snapshot of random histories records its schedules`, () => {
      const engine = createEngine(pack);
      let checked = 0;
      fc.assert(
        fc.property(caseHistoryArbitrary(engine.pack, { maxEvents: 20 }), ({ intake: first, events }) => {
          let s: CaseSnapshot;
          try {
            s = engine.start(first);
          } catch {
            return;
          }
          const all = [s];
          for (const e of events) {
            try {
              s = engine.transition(s, e);
              all.push(s);
            } catch {
              /* rejected: unchanged */
            }
          }
          for (const x of all) {
            expect(x.context.schedules, JSON.stringify({ first, events })).toBeDefined();
            checked++;
          }
        }),
        { numRuns: 60, seed: 13 },
      );
      expect(checked).toBeGreaterThan(60);
    });
  }
});
