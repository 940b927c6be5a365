// issue 13, from the shell: a red case received 2026-12-06 gets a provisional due date; a 2027
// schedule file (given by --calendar or JICENG_CALENDAR_DIR) makes it official.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const FIXTURE_2027 = fileURLToPath(new URL("./fixtures/holiday-schedule-2027.example.json", import.meta.url));
const SAMPLE_2025 = fileURLToPath(new URL("../schema/examples/holiday-schedule-2025.json", import.meta.url));
const RED = { receivedAt: "2026-12-06T10:00:00+08:00", source: "public", type: "dispute", unitCode: "01", subunitCode: "01", difficulty: "major" };

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: tmp, env });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jiceng-calendar-"));
  writeFileSync(join(tmp, "case.json"), JSON.stringify(RED));
  const pack = JSON.parse(readFileSync(join(REPO, "packages/rules-guyuan/pack.json"), "utf8"));
  delete pack.$schema;
  pack.calendar.beyondSchedule = "refuse";
  writeFileSync(join(tmp, "guyuan-refuse.json"), JSON.stringify(pack));
  mkdirSync(join(tmp, "notices"));
  copyFileSync(FIXTURE_2027, join(tmp, "notices", "2027.json"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("jiceng grade past the last notice", () => {
  it("prints the due date of a red case received 2026-12-06, marked provisional in both languages, exit 0", async () => {
    const r = await run(["grade", "--pack", "guyuan", "case.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/时限 Due\s+2027-01-21T00:00:00\+08:00 .*【暂行 \/ provisional】/);
    expect(r.stdout).toContain("2027年放假安排尚未加载，时限按法定节假日暂行计算");
    expect(r.stdout).toContain("The 2027 holiday schedule (State Council notice) is not loaded");
    const j = JSON.parse((await run(["grade", "--pack", "guyuan", "case.json", "--json"])).stdout);
    expect(j).toMatchObject({ level: "red", dueAt: "2027-01-21T00:00:00+08:00", provisional: true, deadline: { provisional: true, warnings: [{ code: "CALENDAR_PROVISIONAL", severity: "warning" }] } });
  });

  it('under beyondSchedule: "refuse" (pack or --beyond-schedule) it exits 1 with CALENDAR_OUT_OF_RANGE', async () => {
    for (const args of [["grade", "--pack", "guyuan-refuse.json", "case.json"], ["grade", "--pack", "guyuan", "--beyond-schedule", "refuse", "case.json"]]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("CALENDAR_OUT_OF_RANGE");
      expect(r.stderr).toContain("2027年放假安排尚未加载");
    }
    // The engine option overrides the pack: provisional again.
    expect((await run(["grade", "--pack", "guyuan-refuse.json", "--beyond-schedule", "provisional", "case.json"])).code).toBe(0);
  });

  it("with a 2027 schedule from --calendar or JICENG_CALENDAR_DIR, prints the official due date and no provisional mark", async () => {
    for (const [args, env] of [
      [["grade", "--pack", "guyuan", "--calendar", FIXTURE_2027, "case.json"], {}],
      [["grade", "--pack", "guyuan", "case.json"], { JICENG_CALENDAR_DIR: "notices" }],
    ] as const) {
      const r = await run([...args], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/时限 Due\s+2027-01-21T00:00:00\+08:00/);
      expect(r.stdout).not.toMatch(/暂行|provisional/i);
    }
    // 7 days from 2027-02-01 end on 02-08: provisionally 初三 (statutory), then 02-09 and 02-10 make up 初一 and 初二 (a weekend) → 02-11;
    // in the file's 春节 period (02-05…02-12), then a weekend → Mon 02-15.
    const provisional = JSON.parse((await run(["deadline", "--pack", "guyuan", "--level", "yellow", "--from", "2027-02-01T10:00:00+08:00", "--json"])).stdout);
    const official = JSON.parse((await run(["deadline", "--pack", "guyuan", "--level", "yellow", "--from", "2027-02-01T10:00:00+08:00", "--json", "--calendar", FIXTURE_2027])).stdout);
    expect(provisional).toMatchObject({ lastDay: "2027-02-11", rolledOver: true, provisional: true });
    expect(official).toMatchObject({ lastDay: "2027-02-15", rolledOver: true });
    expect(official).not.toHaveProperty("provisional");
  });
});

describe("jiceng calendar", () => {
  it("check: a valid file exits 0 and shows the notice; the sample for 2025 is valid", async () => {
    const r = await run(["calendar", "check", FIXTURE_2027, SAMPLE_2025]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2027年放假安排有效 / a valid 2027 holiday schedule");
    expect(r.stdout).toContain("示例/测试 · not an official notice");
    expect(r.stdout).toContain("国办发明电〔2024〕12号");
  });

  it("check: every error with its JSON path in zh and en, exit 1", async () => {
    const bad = JSON.parse(readFileSync(FIXTURE_2027, "utf8"));
    bad.workdays[0].date = "2027-02-19";
    bad.holidays[1].to = "2027-02-30";
    writeFileSync(join(tmp, "bad.json"), JSON.stringify(bad));
    writeFileSync(join(tmp, "broken.json"), "{ not json");
    const r = await run(["calendar", "check", "bad.json", "broken.json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("INVALID_SCHEDULE $.holidays[1].to: 2027年放假安排：2027-02-30 不是真实存在的日期 / 2027 holiday schedule: 2027-02-30 is not a real date");
    expect(r.stdout).toContain("INVALID_SCHEDULE $.workdays[0].date: 2027年放假安排：调休上班日 2027-02-19 不是周六或周日");
    expect(r.stdout).toContain("✗ broken.json");
    expect(JSON.parse((await run(["calendar", "check", "bad.json", "--json"])).stdout).files[0]).toMatchObject({ valid: false });
  });

  it("status: years covered, where each came from, the last day; a loaded shipped year is used only with --override", async () => {
    const plain = await run(["calendar", "status"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/覆盖至 Covered to\s+2026-12-31/);
    expect(plain.stdout).toContain("2026  随版本提供 / shipped");
    const loaded = await run(["calendar", "status"], { JICENG_CALENDAR_DIR: "notices" });
    expect(loaded.stdout).toMatch(/2027 {2}已加载 \/ loaded notices\/2027\.json {2}示例-2027-TEST/);
    expect(loaded.stdout).toMatch(/覆盖至 Covered to\s+2027-12-31/);
    const ignored = await run(["calendar", "status", "--calendar", SAMPLE_2025]);
    expect(ignored.stdout).toContain("2025  随版本提供 / shipped");
    expect(ignored.stdout).toContain("use --override");
    const over = JSON.parse((await run(["calendar", "status", "--calendar", SAMPLE_2025, "--override", "--json"])).stdout);
    expect(over.years.find((y: { year: number }) => y.year === 2025)).toMatchObject({ source: "loaded", overridesShipped: true, notice: { number: "国办发明电〔2024〕12号" } });
    expect(over).toMatchObject({ lastDay: "2026-12-31", beyondSchedule: "provisional", provisionalThrough: "2100-12-31" });
  });

  it("a bad JICENG_CALENDAR_DIR or schedule file is an error naming it, exit 1", async () => {
    const r = await run(["grade", "--pack", "guyuan", "case.json"], { JICENG_CALENDAR_DIR: "nowhere" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("JICENG_CALENDAR_DIR=nowhere");
    const twice = await run(["grade", "--pack", "guyuan", "--calendar", FIXTURE_2027, "case.json"], { JICENG_CALENDAR_DIR: "notices" });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("2027年的放假安排加载了两次");
  });
});
