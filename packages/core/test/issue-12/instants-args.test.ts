import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTemplate, createEngine, formatCaseNumber, type CaseEvent } from "../../src/index.js";
import { csvCell } from "../../src/scoring/csv.js";
import { catchJicengError } from "../../src/testing/index.js";

// Issue 12: "Event times parsed by Date.parse", "Also: raw TypeErrors …", CSV injection, EPIPE.
const root = new URL("../../../../", import.meta.url);
const engine = createEngine(JSON.parse(readFileSync(new URL("packages/rules-guyuan/pack.json", root), "utf8")));
const intake = { type: "intake" as const, at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01" } };
const snap = engine.start(intake);

describe("one strict ISO 8601 parser for every instant", () => {
  for (const at of ["2022-06-31T10:00:00+08:00", "2023-02-29T10:00:00+08:00", "2022-06-21T24:00:00+08:00", "2022-02-30T10:00:00+08:00", "2022-06-21T10:00:60+08:00", "2022-06-21T10:00:00.1234567890+08:00", "2022-06-21T10:00:00+24:00", "2022-06-21T10:00:00"]) {
    it(`event at ${at} is INVALID_EVENT at event.at, and check agrees`, () => {
      const e = { type: "tick", at } as CaseEvent;
      const err = catchJicengError(() => engine.transition(snap, e));
      expect(err.issues.length).toBeGreaterThan(0);
      for (const i of err.issues) expect([i.code, i.path.join(".")]).toEqual(["INVALID_EVENT", "event.at"]);
      expect(engine.check(snap, e)).toEqual(err.issues);
      expect(catchJicengError(() => engine.start({ ...intake, at })).issues[0]!.path).toEqual(["event", "at"]);
      expect(catchJicengError(() => engine.sweep([snap], at)).issues[0]!.path).toEqual(["now"]);
      expect(catchJicengError(() => engine.agenda([snap], "weekly", at)).issues[0]!.path).toEqual(["at"]);
    });
  }
  it('assign.deadline "2022-13-45" is refused', () => {
    const e = { type: "assign", at: "2022-06-20T11:00:00+08:00", leadUnit: "x", responsiblePerson: "y", deadline: "2022-13-45" } as CaseEvent;
    expect(catchJicengError(() => engine.transition(snap, e)).issues.map((i) => i.path.join("."))).toContain("event.deadline");
  });
});

describe("wrong-typed arguments are typed errors", () => {
  const code = (f: () => unknown) => catchJicengError(f).issues.map((i) => [i.code, i.path.join(".")])[0];
  it("replay, sweep, agenda, numbering", () => {
    expect(code(() => engine.replay(null as never))).toEqual(["INVALID_ARGUMENT", "events"]);
    expect(code(() => engine.replay({} as never))).toEqual(["INVALID_ARGUMENT", "events"]);
    expect(code(() => engine.sweep(null as never, "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_ARGUMENT", "snapshots"]);
    expect(code(() => engine.sweep([null] as never, "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_SNAPSHOT", "snapshots.0"]);
    expect(code(() => engine.agenda([snap], "daily" as never, "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_ARGUMENT", "kind"]);
    expect(code(() => compileTemplate(null as never))).toEqual(["INVALID_ARGUMENT", "template"]);
    expect(code(() => formatCaseNumber(compileTemplate("{seq:2}"), null as never))).toEqual(["INVALID_ARGUMENT", "parts"]);
  });
  it("sweep refuses a snapshot of another pack, or without reportedTo, or with a garbage dueAt", () => {
    const other = { ...snap, pack: { id: "xiji", version: "1.0.0" } };
    expect(code(() => engine.sweep([other], "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_SNAPSHOT", "snapshots.0.pack.id"]);
    const { reportedTo: _r, ...ctx } = snap.context;
    expect(code(() => engine.sweep([{ ...snap, context: ctx } as never], "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_SNAPSHOT", "snapshots.0.context.reportedTo"]);
    expect(code(() => engine.sweep([{ ...snap, context: { ...snap.context, dueAt: "garbage" } }], "2022-06-21T10:00:00+08:00"))).toEqual(["INVALID_SNAPSHOT", "snapshots.0.context.dueAt"]);
  });
});

describe("CSV cells never start a formula; numbers stay numbers", () => {
  it("guards = + - @ tab CR with a leading quote", () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const c of ["+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvCell(c).replace(/^"/, "")[0]).toBe("'");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(0.5)).toBe("0.5");
    expect(csvCell("县")).toBe("县");
  });
});

describe("a closed pipe ends the CLI quietly with status 0", () => {
  it("jiceng schema | head -c 1", () => {
    const bin = fileURLToPath(new URL("packages/core/bin/jiceng.js", root));
    const r = spawnSync("sh", ["-c", `node "${bin}" schema | head -c 1; exit \${PIPESTATUS:-0}`], { encoding: "utf8" });
    expect(r.stderr).not.toMatch(/EPIPE|at .+:\d+:\d+/);
    const s = spawnSync("bash", ["-c", `node "${bin}" schema | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(s.stdout.trim()).toBe("0");
    expect(s.stderr).not.toMatch(/EPIPE/);
  });
});
