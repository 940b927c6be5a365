// The test helpers of @jiceng/core/testing, on the Guyuan pack and its example event log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine, JicengError, type CaseEvent, type CaseSnapshot, type Engine, type IntakeEvent } from "../src/index.js";
import { catchJicengError, expectRejected, loadGoldenCases, parseEventLog, replaySteps, summarizeIssues } from "../src/testing/index.js";

const pack = JSON.parse(readFileSync(new URL("../../rules-guyuan/pack.json", import.meta.url), "utf8"));
const engine = createEngine(pack);
const AT = "2022-06-20T10:00:00+08:00";
const intake: IntakeEvent = { type: "intake", at: AT, facts: { receivedAt: AT, unitCode: "01", subunitCode: "01", difficulty: "simple" } };
const s0 = engine.start(intake);
const logText = readFileSync(new URL("../../../examples/guyuan/escalation.jsonl", import.meta.url), "utf8");

describe("catchJicengError", () => {
  it("returns the JicengError the function throws", () => {
    const e = catchJicengError(() => engine.grade({ receivedAt: AT, difficulty: "very-hard" }));
    expect(e).toBeInstanceOf(JicengError);
    expect(e.code).toBe("INVALID_FACT");
    expect(e.issues[0]?.path).toEqual(["facts", "difficulty"]);
  });
  it("throws if the function returns, saying what it returned", () => {
    expect(() => catchJicengError(() => 42)).toThrow("expected a JicengError, but the function returned 42");
  });
  it("rethrows any other error unchanged", () => {
    const boom = new TypeError("boom");
    expect(() => catchJicengError(() => { throw boom; })).toThrow(boom);
  });
});

describe("summarizeIssues", () => {
  it("lists every issue's code and dotted path, and joins the messages one a line", () => {
    const e = new JicengError([
      { code: "MISSING_FIELDS", path: ["event", "measures"], message: { zh: "甲", en: "a" }, severity: "error" },
      { code: "INVALID_EVENT", path: ["event", "at"], message: { zh: "乙", en: "b" }, severity: "error" },
    ]);
    expect(summarizeIssues(e)).toEqual({ codes: ["MISSING_FIELDS", "INVALID_EVENT"], paths: ["event.measures", "event.at"], zh: "甲\n乙", en: "a\nb" });
  });
});

describe("expectRejected", () => {
  it("returns the rejection of a refused event, and the snapshot is unchanged", () => {
    const before = JSON.stringify(s0);
    const e = expectRejected(engine, s0, { type: "resolve", at: "2022-06-21T10:00:00+08:00" });
    expect(e.code).toBe("EVENT_NOT_ALLOWED");
    expect(JSON.stringify(s0)).toBe(before);
  });
  it("throws if the event is accepted", () => {
    expect(() => expectRejected(engine, s0, { type: "tick", at: "2022-06-21T10:00:00+08:00" })).toThrow(/to be rejected, but it was accepted \(graded → graded\)/);
  });
  it("throws if a rejection changed the snapshot", () => {
    const mutating = { transition(snap: CaseSnapshot) {
      (snap.context as { level: string }).level = "red";
      throw new JicengError({ code: "EVENT_NOT_ALLOWED", path: [], message: { zh: "否", en: "no" }, severity: "error" });
    } } as unknown as Engine;
    expect(() => expectRejected(mutating, JSON.parse(JSON.stringify(s0)), { type: "tick", at: AT })).toThrow("changed the snapshot it was given");
  });
  it("rethrows an error that is not a JicengError", () => {
    const broken = { transition() { throw new RangeError("bug"); } } as unknown as Engine;
    expect(() => expectRejected(broken, s0, { type: "tick", at: AT })).toThrow(RangeError);
  });
});

describe("parseEventLog", () => {
  it("reads one event a line, skipping blank lines (and CRLF line ends)", () => {
    expect(parseEventLog(`{"type":"intake","at":"${AT}","facts":{}}\r\n\r\n  \n{"type":"tick","at":"${AT}"}\n`)).toEqual([{ type: "intake", at: AT, facts: {} }, { type: "tick", at: AT }]);
  });
  it("accepts a JSON array, as `jiceng replay` does", () => {
    expect(parseEventLog(`[{"type":"tick","at":"${AT}"}]`)).toEqual([{ type: "tick", at: AT }]);
  });
  it("a line that is not JSON is an INVALID_EVENT naming its line number, every bad line at once", () => {
    const e = catchJicengError(() => parseEventLog(`{"type":"tick","at":"${AT}"}\n\nnot json\n{"type":\n`, { name: "story.jsonl" }));
    expect(e.issues.map((i) => i.code)).toEqual(["INVALID_EVENT", "INVALID_EVENT"]);
    expect(e.issues[0]!.message.en).toMatch(/^story\.jsonl line 3 is not valid JSON/);
    expect(e.issues[1]!.message.zh).toMatch(/^story\.jsonl 第 4 行不是有效的 JSON/);
  });
});

describe("replaySteps", () => {
  const events = parseEventLog(logText);
  it("gives the snapshot after each event, ending where engine.replay ends", () => {
    const steps = replaySteps(engine, events);
    expect(steps).toHaveLength(events.length);
    expect(steps[0]).toEqual(engine.start(events[0] as IntakeEvent));
    for (let i = 1; i < events.length; i++) expect(steps[i]).toEqual(engine.transition(steps[i - 1]!, events[i]!));
    expect(JSON.stringify(steps.at(-1))).toBe(JSON.stringify(engine.replay(events)));
  });
  it("a log must start with intake", () => {
    expect(catchJicengError(() => replaySteps(engine, []))).toMatchObject({ code: "INVALID_EVENT", issues: [{ path: ["events", 0, "type"] }] });
    expect(catchJicengError(() => replaySteps(engine, events.slice(1)))).toMatchObject({ code: "INVALID_EVENT", issues: [{ path: ["events", 0, "type"] }] });
  });
  it("a rejected event throws its error with the paths under events[i]", () => {
    const back: CaseEvent = { type: "tick", at: "2022-06-19T10:00:00+08:00" };
    const e = catchJicengError(() => replaySteps(engine, [intake, { type: "tick", at: "2022-06-21T10:00:00+08:00" }, back]));
    expect(e.code).toBe("EVENT_NOT_ALLOWED");
    expect(e.issues[0]!.path.slice(0, 2)).toEqual(["events", 2]);
  });
});

describe("loadGoldenCases", () => {
  const dir = mkdtempSync(join(tmpdir(), "jiceng-golden-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "b.json"), '{"n":2}');
  writeFileSync(join(dir, "a.json"), '{"n":1}');
  writeFileSync(join(dir, "README.md"), "not a case");

  it("reads every .json file, sorted by name, from a folder given as a path or a URL (with or without the last slash)", () => {
    const want = [{ file: "a.json", case: { n: 1 } }, { file: "b.json", case: { n: 2 } }];
    expect(loadGoldenCases(dir)).toEqual(want);
    expect(loadGoldenCases(pathToFileURL(dir))).toEqual(want);
    expect(loadGoldenCases(pathToFileURL(`${dir}/`))).toEqual(want);
  });
  it("a file that is not JSON is an INVALID_CASE naming the file", () => {
    writeFileSync(join(dir, "c.json"), "{");
    const e = catchJicengError(() => loadGoldenCases(dir));
    expect(e.code).toBe("INVALID_CASE");
    expect(e.issues[0]!.message.en).toMatch(/^c\.json is not valid JSON/);
  });
});
