// The CLI of issue 5: `jiceng classify`, `jiceng check-units`, and the table analysis in `jiceng lint`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/index.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

async function run(args: string[], stdin?: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: REPO, ...(stdin !== undefined ? { stdin } : {}) });
  return { code, stdout, stderr };
}

let tmp: string;
const file = (name: string, content: unknown) => {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jiceng-tables-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HOUSEHOLD = { income: 12000, villageAverageIncome: 12000, year: 2021, safeFamilyYears: [2019, 2020, 2021], leftBehind: ["elderly"], disabledMembers: 1, povertyMonitoring: "none", prisonRecord: "none" };
const TREE = [
  { id: "v", kind: "village" },
  { id: "g1", kind: "grid-1", parent: "v", head: { role: "village-committee-member" } },
  { id: "g2", kind: "grid-2", parent: "g1", head: { role: "group-leader" } },
];

describe("jiceng classify", () => {
  it("--json prints { class, label, service, reasons } with the clause and the conditions that held", async () => {
    const r = await run(["classify", "--pack", "ankang", "--table", "households", "--json", file("h.json", HOUSEHOLD)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.class).toBe("red");
    expect(out.label).toEqual({ zh: "连心户", en: "Heart-linked household" });
    expect(out.service.zh).toContain("一连一或一连多");
    expect(out.reasons[0]).toMatchObject({ rowId: "red", cite: { clause: "§三(三)2" } });
    expect(out.reasons[0].held.zh).toContain("家中残疾人数 > 0（实际：1）");
    expect(out.overridden.map((x: { rowId: string }) => x.rowId)).toEqual(["green"]);
  });

  it("prints the class, the service and the reasons in both languages; reads stdin and a golden case's input", async () => {
    const r = await run(["classify", "-p", "ankang", "-t", "households", "-"], JSON.stringify({ input: { ...HOUSEHOLD, leftBehind: [], disabledMembers: 0, safeFamilyYears: [2019, 2021] } }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("类别 Class    yellow  关心户 / Cared-for household");
    expect(r.stdout).toContain("表中没有任何一行成立，取默认结果 / No row of the table holds: the default applies");
    expect(r.stdout).toContain("截至评定年份连续获评平安家庭的年数 ≥ 3（实际：1）");
    expect(r.stdout).toContain("本地设定（文件未规定）");
  });

  it("an unknown table, a missing --table and a bad household are clear errors, exit 1", async () => {
    const unknown = await run(["classify", "--pack", "ankang", "--table", "household", file("h.json", HOUSEHOLD)]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("UNKNOWN_TABLE $.tables.household: 规则包没有名为“household”的决策表；是否为“households”？");
    expect(unknown.stderr).toContain('did you mean "households"?');
    const missing = await run(["classify", "--pack", "ankang", file("h.json", HOUSEHOLD)]);
    expect(missing.stderr).toContain("缺少 --table");
    const bad = await run(["classify", "--pack", "ankang", "--table", "households", file("bad.json", { ...HOUSEHOLD, disabledMembers: -1, prisonRecord: "jail" })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("INVALID_FACT $.facts.disabledMembers");
    expect(bad.stderr).toContain("INVALID_FACT $.facts.prisonRecord");
  });
});

describe("jiceng check-units", () => {
  it("flags a tier-3 grid of 35 households with the clause, exit 1", async () => {
    const r = await run(["check-units", "--pack", "ankang", file("u.json", [...TREE, { id: "g3", kind: "grid-3", parent: "g2", households: 35, people: 100, head: { role: "household-head" } }])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 4 个单元中有 1 处违反规定 / 1 violation in 4 units");
    expect(r.stdout).toContain("g3  三级网格 / Tier-3 grid  grid-3-households");
    expect(r.stdout).toContain("安发〔2021〕10号 §三(三)1「按 20 至 30 户、70 至 120 人的规模，划分设立若干三级网格」");
    expect(r.stdout).toContain("households 35");
  });

  it("flags a tier-3 grid of 60 people; --json gives the violations", async () => {
    const r = await run(["check-units", "--pack", "ankang", "--json", file("u.json", { units: [...TREE, { id: "g3", kind: "grid-3", parent: "g2", households: 25, people: 60, head: { role: "household-head" } }] })]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.violations).toHaveLength(1);
    expect(out.violations[0]).toMatchObject({ unitId: "g3", rule: "grid-3-people", actual: { people: 60 }, expected: { min: 70, max: 120 }, cite: { clause: "§三(三)1" } });
  });

  it("sound units exit 0; warnings alone exit 0; a pack without units is a usage error", async () => {
    const ok = await run(["check-units", "--pack", "ankang", "--lang", "en", file("u.json", [...TREE, { id: "g3", kind: "grid-3", parent: "g2", households: 25, people: 90, head: { role: "deputy" } }])]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("✓ 4 units meet the rules (1 warning)");
    const none = await run(["check-units", "--pack", "guyuan", file("u.json", [])]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("This pack defines no units");
  });
});

describe("jiceng lint: table analysis", () => {
  it("--pack ankang shows the document's gaps (with the local fallback) and overlaps (with the local precedence), with examples", async () => {
    const r = await run(["lint", "--pack", "ankang"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("决策表分析 Table analysis:");
    expect(r.stdout).toContain("households  [first]  穷举全部 6912 种输入组合 / exhaustive over all 6912 input combinations");
    expect(r.stdout).toContain("提示 info 空白 GAP $.tables.households.rows");
    expect(r.stdout).toContain("2 kinds of input match no row (a gap in the rows themselves); the default yellow (Cared-for household) covers them (a local choice)");
    expect(r.stdout).toContain("提示 info 重叠 OVERLAP $.tables.households.rows[0] + $.tables.households.rows[1]");
    expect(r.stdout).toContain("red（连心户） 与 green（放心户） 同时命中；按行序取 red（优先顺序为本地设定）");
    expect(r.stdout).toContain('例 e.g. {"leftBehind":[],"povertyMonitoring":"none","prisonRecord":"none","disabledMembers":0,"income":1000,"villageAverageIncome":1000,"year":2021,"safeFamilyYears":[]}');
    expect(r.stdout).toContain("兜底 Default（本地设定 / local）: 文件的三类条件没有覆盖所有户");
    expect(r.stdout).toContain("5 张决策表：1 处空白（1 处由默认结果兜底）、2 处重叠、0 行不会生效");
    expect(r.stdout).toContain("LOCAL_VALUE $.tables.households.precedence");
  });

  it("the same by path, and --json carries the analyses", async () => {
    const r = await run(["lint", "packages/rules-ankang/pack.json", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tables.map((a: { table: string; method: string }) => `${a.table}:${a.method}`)).toEqual(["households:exhaustive", "visits:exhaustive", "three-lines:exhaustive", "party-member-points:exhaustive", "household-head-pay:exhaustive"]);
    expect(out.tables[0].findings.map((f: { kind: string }) => f.kind)).toEqual(["gap", "overlap", "overlap"]);
  });

  it("--max-combinations below the space switches to the fast-check property search, and says so", async () => {
    const r = await run(["lint", "--pack", "ankang", "--max-combinations", "100", "--lang", "en"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("households  [first]  6912 combinations exceed the exhaustive limit: property search (fast-check) over");
    expect(r.stdout).toContain("finding nothing proves nothing");
    expect(r.stdout).toMatch(/GAP \$\.tables\.households\.rows\n\s+\d+ kinds of input match no row \(among \d+ sampled inputs\)/);
    const bad = await run(["lint", "--pack", "ankang", "--max-combinations", "lots"]);
    expect(bad.code).toBe(2);
  });

  it("a pack without tables prints no table section", async () => {
    const r = await run(["lint", "--pack", "guyuan"]);
    expect(r.stdout).not.toContain("Table analysis");
  });
});

describe("help", () => {
  it("lists classify and check-units", async () => {
    const r = await run(["help"]);
    expect(r.stdout).toContain("jiceng classify --pack <pack> --table <id>");
    expect(r.stdout).toContain("jiceng check-units --pack <pack>");
    const one = await run(["help", "lint"]);
    expect(one.stdout).toContain("--max-combinations");
  });
});
