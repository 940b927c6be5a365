// Issue 16: 日常督办 is a link every item passes (§四(三)2); the assessments of §四(三)4; the targets
// of §四(二)2 and §四(四)5; 包案销号 and 网格工作每周例会. Golden cases: cases/lifecycle-*.json, cases/score-*.json.
import { describe, expect, it } from "vitest";
import { createEngine, lintPack, safeLoadPack, type CaseEvent, type CaseSnapshot, type RulePackInput } from "@jiceng/core";
import { catchJicengError, loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";

const engine = createEngine<RulePackInput>(pack);
const fold = (s: CaseSnapshot, events: readonly CaseEvent[]) => events.reduce((x, e) => engine.transition(x, e), s);
const stage = (s: CaseSnapshot) => engine.listRow(s).assessment.stage.zh.replace(/（.*）$/, "");

type LifecycleCase = {
  clause: string;
  description: { zh: string; en: string };
  input: { events: CaseEvent[]; rejected?: CaseEvent; then?: CaseEvent[]; sweeps?: Array<{ at: string; due: boolean }>; sweepsAfter?: Array<{ at: string; due: boolean }> };
  expected: { state: string; links?: string[]; supervisions?: number; rejectedCode?: string };
};

describe("lifecycle cases (cases/lifecycle-*.json)", () => {
  const cases = loadGoldenCases<LifecycleCase>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("lifecycle-"));
  it("there are lifecycle cases", () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const { file, case: c } of cases) {
    it(`${c.clause} ${file}: ${c.description.en.split(":")[0]}`, () => {
      const [intake, ...rest] = c.input.events;
      let s = engine.start(intake as Parameters<typeof engine.start>[0]);
      // The links passed: the intake's own entry (信息收集), then the stage after every event.
      const links = [engine.pack.lifecycle.stages![s.context.history[0]!.state as "graded"]!.zh, stage(s)];
      for (const e of rest) {
        s = engine.transition(s, e);
        links.push(stage(s));
      }
      const due = (at: string) => engine.sweep([s], at).supervisionDue.includes(0);
      for (const x of c.input.sweeps ?? []) expect([x.at, due(x.at)]).toEqual([x.at, x.due]);
      if (c.input.rejected) {
        const err = catchJicengError(() => engine.transition(s, c.input.rejected!));
        expect(err.issues.map((i) => i.code)).toContain(c.expected.rejectedCode);
      }
      s = fold(s, c.input.then ?? []);
      for (const x of c.input.sweepsAfter ?? []) expect([x.at, due(x.at)]).toEqual([x.at, x.due]);
      expect(s.state).toBe(c.expected.state);
      if (c.expected.links) expect(links.filter((x, i) => x !== links[i - 1])).toEqual(c.expected.links);
      if (c.expected.supervisions !== undefined) expect(s.context.supervisions ?? []).toHaveLength(c.expected.supervisions);
    });
  }
});

describe("§四(三)2 日常督办: a link every item passes (a reading, switchable)", () => {
  const at = "2022-06-06T09:30:00+08:00";
  const signed = fold(engine.start({ type: "intake", at, by: "网格员 张某", facts: { receivedAt: at, category: "dispute" } }), [{ type: "acknowledge", at: "2022-06-06T14:00:00+08:00" }]);

  it("the refusal says what is missing, in zh and en, and changes nothing", () => {
    const before = JSON.stringify(signed);
    const err = catchJicengError(() => engine.transition(signed, { type: "resolve", at: "2022-06-07T10:00:00+08:00" }));
    expect(err.issues[0]).toMatchObject({ code: "MISSING_FIELDS", path: ["event"] });
    expect(err.issues[0]!.message.zh).toContain("化解前须经日常督办");
    expect(err.issues[0]!.message.en).toContain("daily supervision");
    expect(JSON.stringify(signed)).toBe(before);
    expect(engine.allowedEvents(signed).find((e) => e.type === "resolve")!.needs.map((i) => i.code)).toEqual(["MISSING_FIELDS"]);
    expect(engine.allowedEvents(signed).find((e) => e.type === "supervise")!.label.zh).toBe("日常督办");
  });

  it("supervision is of items being handled: refused before dispatch would be, and after the report back", () => {
    const resolved = fold(signed, [{ type: "supervise", at: "2022-06-07T09:00:00+08:00" }, { type: "resolve", at: "2022-06-07T10:00:00+08:00" }]);
    expect(catchJicengError(() => engine.transition(resolved, { type: "supervise", at: "2022-06-08T10:00:00+08:00" })).issues[0]!.code).toBe("EVENT_NOT_ALLOWED");
  });

  it("the lint lists the reading and the local supervising body and cadence", () => {
    const paths = lintPack(pack).map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["lifecycle.supervision.by", "lifecycle.supervision.interval", "lifecycle.supervision.requiredBeforeResolve"]));
  });

  it("variant supervision-when-needed: an item may be reported back without supervision", () => {
    const v = createEngine<RulePackInput>(pack, { variant: "supervision-when-needed" });
    const events: CaseEvent[] = [{ type: "acknowledge", at: "2022-06-06T14:00:00+08:00" }, { type: "resolve", at: "2022-06-07T10:00:00+08:00" }];
    const s = events.reduce((x, e) => v.transition(x, e), v.start({ type: "intake", at, facts: { receivedAt: at, category: "dispute" } }));
    expect(s.state).toBe("resolved");
  });
});

type ScoreCase = {
  clause: string;
  description: { zh: string; en: string };
  input: { cases: CaseEvent[][]; periods: string[]; assessments?: unknown };
  expected: Record<string, unknown>;
};

/** Reads `a.b.id=x.c` from a scorecard: a segment `k=v` picks the array element whose `k` is `v`. */
function read(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const seg of path.split(".")) {
    if (v === undefined || v === null) return undefined;
    const m = /^([A-Za-z]+)=(.+)$/.exec(seg);
    v = m ? (v as Array<Record<string, unknown>>).find((x) => String(x[m[1]!]) === m[2]) : (v as Record<string, unknown>)[seg];
  }
  return v;
}

describe("scorecard cases (cases/score-*.json)", () => {
  const cases = loadGoldenCases<ScoreCase>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("score-"));
  it("there are scorecard cases", () => expect(cases.length).toBeGreaterThanOrEqual(4));
  for (const { file, case: c } of cases) {
    it(`${c.clause} ${file}: ${c.description.en.split(":")[0]}`, () => {
      const snaps = c.input.cases.map((log) => engine.replay(log));
      for (const period of c.input.periods) {
        const card = engine.score(snaps, period, c.input.assessments === undefined ? {} : { assessments: c.input.assessments });
        for (const [path, want] of Object.entries(c.expected)) expect([period, path, read(card, path) ?? null]).toEqual([period, path, want]);
      }
    });
  }
});

describe("§四(三)4 突出乡镇(街道)考核权重: the township's weight must come first", () => {
  it("a pack that gives the home department the larger weight is refused, citing the clause", () => {
    const bad = structuredClone(pack) as unknown as { scoring: { assessment: { assessors: Array<{ weight: number }> } } };
    bad.scoring.assessment.assessors[0]!.weight = 0.4;
    bad.scoring.assessment.assessors[1]!.weight = 0.6;
    const r = safeLoadPack(bad);
    expect(r.success).toBe(false);
    if (r.success) throw new Error("accepted");
    const i = r.issues.find((x) => x.code === "INVALID_WEIGHTS")!;
    expect(i.path).toEqual(["scoring", "assessment", "assessors", 0, "weight"]);
    expect(i.message.zh).toContain("权重须居首");
    const tie = structuredClone(pack) as typeof bad;
    tie.scoring.assessment.assessors[0]!.weight = 0.5;
    tie.scoring.assessment.assessors[1]!.weight = 0.5;
    expect(safeLoadPack(tie).success).toBe(false);
  });

  it("the assessments file names members by the roles the scheme has, and counts only its input items", () => {
    const err = catchJicengError(() => engine.score([], "2022Q3", { assessments: { teams: [{ team: "grid-bundle", key: "ZG-01", members: [{ role: "part-time", person: "兼职 某" }] }, { team: "no-such", key: "x" }] } }));
    expect(err.issues.map((i) => i.path.join("."))).toEqual(["assessments.teams.0.members.0.role", "assessments.teams.1.team"]);
    expect(err.issues[0]!.message.zh).toContain("未知角色");
  });
});

describe("§四(四)5 包案销号, §四(六)1 网格工作每周例会", () => {
  it("the weekly grid meeting names the weekly agenda", () => {
    expect(engine.agenda([], "weekly", "2022-06-08T09:00:00+08:00").label.zh).toBe("网格工作每周例会");
  });
});
