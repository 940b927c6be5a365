import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/index.js";
import { lintPack } from "../src/cli/lint.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const GUYUAN = join(REPO, "packages/rules-guyuan");
const CASES = join(GUYUAN, "cases");
const guyuanPack = () => JSON.parse(readFileSync(join(GUYUAN, "pack.json"), "utf8")) as Record<string, any>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], opts: { cwd?: string; stdin?: string; stdout?: { write(s: string): unknown } } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: opts.stdout ?? { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: opts.cwd ?? REPO,
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
  });
  return { code, stdout, stderr };
}

const json = (r: Run) => JSON.parse(r.stdout) as Record<string, any>;
/** No raw stack trace ever reaches the user. */
const noStack = (r: Run) => expect(r.stdout + r.stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);

let tmp: string;
const file = (name: string, content: unknown) => {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};

const INTAKE = { type: "intake", at: "2022-06-20T10:00:00+08:00", facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "simple" }, seq: 1 };
const ASSIGN = { type: "assign", at: "2022-06-20T11:00:00+08:00", leadUnit: "司法所", responsiblePerson: "王某", deadline: "2022-06-27" };
const jsonl = (...events: unknown[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "jiceng-cli-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("help and usage", () => {
  it("prints bilingual usage with no arguments, `help` and `--help`", async () => {
    for (const args of [[], ["help"], ["--help"], ["-h"]]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("用法 Usage");
      for (const c of ["validate", "lint", "schema", "grade", "deadline", "number", "replay", "sweep"]) expect(r.stdout).toContain(`jiceng ${c}`);
    }
  });

  it("prints one command's usage for `help grade` and `grade --help`", async () => {
    for (const args of [["help", "grade"], ["grade", "--help"]]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("jiceng grade --pack");
      expect(r.stdout).toContain("--explain");
      expect(r.stdout).not.toContain("jiceng sweep");
    }
  });

  it("rejects an unknown command with a bilingual hint, exit 2 (usage)", async () => {
    const r = await run(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE: 未知命令 "frobnicate"');
    expect(r.stderr).toContain('Unknown command "frobnicate"');
    expect(r.stderr).toContain("运行 jiceng help 查看用法 / Run `jiceng help` for usage");
    expect(r.stdout).toBe("");
  });

  it("prints the version of @jiceng/core for --version, -v and version", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, "packages/core/package.json"), "utf8")) as { version: string };
    for (const args of [["--version"], ["-v"], ["version"]]) {
      const r = await run(args);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, `jiceng ${version}\n`, ""]);
    }
    expect(json(await run(["--version", "--json"]))).toEqual({ name: "@jiceng/core", version });
  });

  it("suggests the nearest command and option for a typo", async () => {
    const r = await run(["valdate", "guyuan"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE: 未知命令 "valdate"；是否为“validate”？ / Unknown command "valdate"; did you mean "validate"?');
    expect((await run(["sweeep"])).stderr).toContain('did you mean "sweep"?');
    expect((await run(["verison"])).stderr).toContain('did you mean "version"?');
    const o = await run(["grade", "--packk", "guyuan", "x.json"]);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain("未知选项 --packk；是否为 --pack？ / Unknown option --packk; did you mean --pack?");
  });

  it("documents the exit codes in --help", async () => {
    const r = await run(["--help"]);
    expect(r.stdout).toMatch(/退出码 Exit codes:\n  0 .*success\n  1 .*input is wrong.*\n  2 .*usage.*\n  3 .*unexpected/);
    expect(r.stdout).toContain("jiceng --version");
  });

  it("rejects an unknown option and a bad --lang", async () => {
    const a = await run(["schema", "--frob"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("USAGE: 未知选项 --frob / Unknown option --frob");
    const b = await run(["schema", "--lang", "fr"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--lang must be zh, en or both");
  });

  it("turns an unexpected error into one line and exit 3, without a stack trace", async () => {
    const r = await run(["schema"], {
      stdout: {
        write() {
          throw new Error("disk full");
        },
      },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("jiceng: 意外错误 / unexpected error: disk full\n");
  });
});

describe("jiceng schema", () => {
  it("prints the draft-07 JSON Schema of a rule pack", async () => {
    const r = await run(["schema"]);
    expect(r.code).toBe(0);
    const s = json(r);
    expect(s["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(s["$ref"]).toBe("#/definitions/RulePack");
    expect(Object.keys(s["definitions"]["RulePack"]["properties"])).toEqual(expect.arrayContaining(["facts", "levels", "grading", "numbering"]));
  });
});

describe("pack resolution", () => {
  it("reads a pack from a pack.json path and from its directory", async () => {
    for (const arg of [join(GUYUAN, "pack.json"), GUYUAN, "packages/rules-guyuan"]) {
      const r = await run(["validate", arg]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("✓ 规则包有效 / The pack is valid: guyuan");
    }
  });

  it("resolves an id to @jiceng/rules-<id> installed where the command runs", async () => {
    const dir = join(tmp, "project");
    const pkg = join(dir, "node_modules/@jiceng/rules-demo");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@jiceng/rules-demo", version: "1.0.0", exports: { "./pack.json": "./pack.json" } }));
    writeFileSync(join(pkg, "pack.json"), JSON.stringify(guyuanPack()));
    const r = await run(["validate", "demo", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ valid: true, file: join(pkg, "pack.json"), pack: { id: "guyuan" } });
    // A directory that merely shares the id's name does not hide the installed pack.
    mkdirSync(join(dir, "demo"));
    const shadowed = await run(["validate", "demo", "--json"], { cwd: dir });
    expect(json(shadowed)).toMatchObject({ valid: true, file: join(pkg, "pack.json") });
  });

  it("resolves `--pack guyuan` to the workspace package @jiceng/rules-guyuan from the repo root", async () => {
    // Needs node_modules/@jiceng/rules-guyuan, which `npm install` links for the workspace.
    const r = await run(["number", "--pack", "guyuan", "--date", "2022-06-20", "--unit", "01", "--subunit", "01", "--seq", "1"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("0620010101\n");
  });

  it("says how to install an unknown pack id: PACK_NOT_FOUND, exit 1", async () => {
    const r = await run(["grade", "--pack", "nosuch", "case.json"], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("PACK_NOT_FOUND");
    expect(r.stderr).toContain("npm install @jiceng/rules-nosuch");
    expect(r.stderr).toContain("找不到规则包");
    noStack(r);
  });

  it("reports a missing pack file and a pack that is not JSON", async () => {
    const a = await run(["validate", "./missing/pack.json"], { cwd: tmp });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("PACK_NOT_FOUND");
    const b = await run(["validate", file("not-json.json", "{ nope")]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^INVALID_PACK: .*not-json\.json 不是有效的 JSON/);
    noStack(b);
  });
});

describe("jiceng validate", () => {
  it("validates the Guyuan pack: exit 0, counts, JSON report", async () => {
    const r = await run(["validate", GUYUAN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/等级 Levels\s+红色（一级问题） \/ Red \(grade 1\)/);
    expect(r.stdout).toContain("0 个错误");
    const j = json(await run(["validate", GUYUAN, "--json"]));
    expect(j).toMatchObject({ valid: true, pack: { id: "guyuan" }, errors: [] });
  });

  it("prints every cross-reference issue with its path: unknown fact, bad operator, enum typo", async () => {
    const p = guyuanPack();
    const rules = p["grading"]["rules"];
    rules[0].conditions = { all: [{ fact: "dificulty", operator: "equal", value: "major" }] };
    rules[1].conditions = { all: [{ fact: "risks.homicide", operator: "equalz", value: true }] };
    rules[3].conditions = { all: [{ fact: "risks.petitionTo", operator: "in", value: ["region", "nationl"] }] };
    const r = await run(["validate", file("broken-refs.json", p)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 规则包无效 / The pack is invalid");
    expect(r.stdout).toMatch(/^UNKNOWN_FACT \$\.grading\.rules\[0\]\.conditions\.all\[0\]\.fact: .*dificulty.* \/ .*dificulty/m);
    expect(r.stdout).toMatch(/^UNKNOWN_OPERATOR \$\.grading\.rules\[1\]\.conditions\.all\[0\]\.operator: .*equalz/m);
    expect(r.stdout).toMatch(/^VALUE_NOT_IN_ENUM \$\.grading\.rules\[3\]\.conditions\.all\[0\]\.value\[1\]: .*nationl/m);
    expect(r.stdout).toContain("3 errors");
    const j = json(await run(["validate", file("broken-refs.json", p), "--json"]));
    expect(j["valid"]).toBe(false);
    expect(j["errors"].map((i: { code: string }) => i.code)).toEqual(["UNKNOWN_FACT", "UNKNOWN_OPERATOR", "VALUE_NOT_IN_ENUM"]);
  });

  it("prints a missing cite with its path", async () => {
    const p = guyuanPack();
    delete p["grading"]["rules"][2].cite;
    const r = await run(["validate", file("no-cite.json", p)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISSING_CITE \$\.grading\.rules\[2\]\.cite: 缺少出处.* \/ Missing citation/m);
  });

  it("prints every issue at once when schema and cross-reference errors are mixed (unknown fact, bad operator, enum typo, missing cite)", async () => {
    // Depends on the pack loader reporting cross-reference issues even when the schema check fails.
    const p = guyuanPack();
    const rules = p["grading"]["rules"];
    rules[0].conditions = { all: [{ fact: "dificulty", operator: "equal", value: "major" }] };
    rules[1].conditions = { all: [{ fact: "risks.homicide", operator: "equalz", value: true }] };
    delete rules[2].cite;
    rules[3].conditions = { all: [{ fact: "risks.petitionTo", operator: "in", value: ["region", "nationl"] }] };
    const r = await run(["validate", file("broken-all.json", p)]);
    expect(r.code).toBe(1);
    for (const line of [
      "UNKNOWN_FACT $.grading.rules[0].conditions.all[0].fact",
      "UNKNOWN_OPERATOR $.grading.rules[1].conditions.all[0].operator",
      "MISSING_CITE $.grading.rules[2].cite",
      "VALUE_NOT_IN_ENUM $.grading.rules[3].conditions.all[0].value[1]",
    ]) expect(r.stdout).toContain(line);
  });

  it("reports an unknown variant", async () => {
    const r = await run(["validate", GUYUAN, "--variant", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^USAGE \$\.variants: .*nope.*appendix-colours/m);
  });
});

describe("jiceng lint", () => {
  it("lists every local value with its JSON path and note, exit 0", async () => {
    const r = await run(["lint", GUYUAN]);
    expect(r.code).toBe(0);
    const expected = lintPack(guyuanPack()).filter((i) => i.code === "LOCAL_VALUE");
    expect(expected.length).toBeGreaterThan(0);
    for (const i of expected) expect(r.stdout).toContain(`警告 warning LOCAL_VALUE ${"$"}${i.path.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("")}: `);
    expect(r.stdout).toContain("LOCAL_VALUE $.levels[0].warn: 本地值");
    expect(r.stdout).toContain(`${expected.length} 个本地值须由当地设定`);
    const j = json(await run(["lint", GUYUAN, "--json"]));
    expect(j["warnings"].filter((i: { code: string }) => i.code === "LOCAL_VALUE")).toHaveLength(expected.length + 1);
    expect(r.stdout).toContain('LOCAL_VALUE $.calendar.beyondSchedule: 本地工程选择（不出自任何文件）：calendar.beyondSchedule = "provisional"（默认）');
  });

  it("lintPack walks the raw JSON: path, note, severity warning", () => {
    const issues = lintPack({ a: [{ x: 1 }, { amount: 3, local: true, note: { zh: "按当地", en: "per locality" } }], b: { local: true } });
    expect(issues.map((i) => [i.code, i.path, i.severity])).toEqual([
      ["LOCAL_VALUE", ["a", 1], "warning"],
      ["LOCAL_VALUE", ["b"], "warning"],
    ]);
    expect(issues[0]!.message.zh).toContain('{"amount":3}');
    expect(issues[0]!.message.zh).toContain("按当地");
    expect(issues[1]!.message.en).toContain("(no note)");
  });

  it("exits 1 with the load errors for an invalid pack", async () => {
    const p = guyuanPack();
    p["grading"]["rules"][0].conditions = { all: [{ fact: "dificulty", operator: "equal", value: "major" }] };
    const r = await run(["lint", file("lint-broken.json", p)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("UNKNOWN_FACT $.grading.rules[0].conditions.all[0].fact");
    expect(r.stdout).toContain("LOCAL_VALUE $.levels[0].warn");
  });
});

describe("jiceng grade", () => {
  it("grades a case: level, due time, reasons with clause and the conditions that held", async () => {
    const r = await run(["grade", "--pack", GUYUAN, join(CASES, "grade-03-red-major-complex.json")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^等级 Level\s+红色（一级问题） \/ Red \(grade 1\)$/m);
    expect(r.stdout).toMatch(/^时限 Due\s+2022-08-05T00:00:00\+08:00/m);
    expect(r.stdout).toContain("1. red-major-complex");
    expect(r.stdout).toContain("固党办〔2022〕49号 §二(三)7");
    expect(r.stdout).toMatch(/成立的条件 Held: .*重大复杂/);
  });

  it("--json: { level, rank, label, dueAt, warnAt, reasons }", async () => {
    const r = await run(["grade", "--pack", GUYUAN, "--json", join(CASES, "grade-03-red-major-complex.json")]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j).toMatchObject({ level: "red", rank: 3, label: { zh: "红色（一级问题）" }, dueAt: "2022-08-05T00:00:00+08:00", receivedAt: "2022-06-20T10:00:00+08:00" });
    expect(typeof j["warnAt"]).toBe("string");
    expect(j["reasons"][0]).toMatchObject({ ruleId: "red-major-complex", cite: { clause: "§二(三)7" } });
    expect(j["rejected"]).toBeUndefined();
  });

  it("--explain adds why each more severe level did not apply", async () => {
    const r = await run(["grade", "--pack", GUYUAN, "--explain", "--json", join(CASES, "grade-01-default-simple.json")]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j["level"]).toBe("yellow");
    expect(j["rejected"].map((l: { level: string }) => l.level)).toEqual(["red", "orange"]);
    const t = await run(["grade", "--pack", GUYUAN, "--explain", "--lang", "en", join(CASES, "grade-01-default-simple.json")]);
    expect(t.stdout).toContain("Higher levels not reached:");
    expect(t.stdout).toMatch(/Failed: Difficulty/);
    expect(t.stdout).toMatch(/^Level\s+Yellow/m);
    expect(t.stdout).not.toContain("依据");
  });

  it("reads facts from stdin, bare or as { facts }", async () => {
    const facts = { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "complex" };
    for (const input of [facts, { facts }]) {
      const r = await run(["grade", "--pack", GUYUAN, "--json", "-"], { stdin: JSON.stringify(input) });
      expect(r.code, r.stderr).toBe(0);
      expect(json(r)["level"]).toBe("orange");
    }
  });

  it("agrees with every golden grading case of the Guyuan pack", async () => {
    const files = readdirSync(CASES).filter((f) => /^(grade|deadline|variant)-.*\.json$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const c = JSON.parse(readFileSync(join(CASES, f), "utf8")) as { variant?: string; expected: { level: string; dueAt?: string; ruleIds?: string[]; colour?: string } };
      const r = await run(["grade", "--pack", GUYUAN, "--json", ...(c.variant ? ["--variant", c.variant] : []), join(CASES, f)]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
      const j = json(r);
      expect(j["level"], f).toBe(c.expected.level);
      if (c.expected.dueAt) expect(j["dueAt"], f).toBe(c.expected.dueAt);
      if (c.expected.ruleIds) expect(j["reasons"].map((x: { ruleId: string }) => x.ruleId), f).toEqual(c.expected.ruleIds);
      if (c.expected.colour) expect(j["colour"], f).toBe(c.expected.colour);
    }
  });

  it("prints every bad fact with its path, exit 1", async () => {
    const r = await run(["grade", "--pack", GUYUAN, file("bad-case.json", { facts: { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "majr", risks: { homicide: "yes" } } })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^INVALID_FACT \$\.facts\.difficulty: .*majr/m);
    expect(r.stderr).toMatch(/^INVALID_FACT \$\.facts\.risks\.homicide: /m);
    expect(r.stdout).toBe("");
    noStack(r);
  });

  it("needs --pack and a case file", async () => {
    const a = await run(["grade", join(CASES, "grade-01-default-simple.json")]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("缺少 --pack");
    const b = await run(["grade", "--pack", GUYUAN]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("Missing the case file");
    const c = await run(["grade", "--pack", GUYUAN, "nope.json"], { cwd: tmp });
    expect(c.code).toBe(1);
    expect(c.stderr).toContain("INVALID_CASE: 无法读取 nope.json：文件不存在 / Cannot read nope.json: no such file");
  });

  it("--json errors are JSON on stderr", async () => {
    const r = await run(["grade", "--pack", GUYUAN, "--json", file("bad-case2.json", { receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", difficulty: "majr" })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr).issues[0]).toMatchObject({ code: "INVALID_FACT", path: ["difficulty"] });
  });
});

describe("jiceng deadline", () => {
  const args = ["deadline", "--pack", GUYUAN, "--level", "yellow", "--from", "2022-06-20T10:00:00+08:00"];

  it("prints dueAt, lastDay, rolledOver, warnAt and the explanation", async () => {
    const r = await run([...args, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j).toMatchObject({ level: "yellow", dueAt: "2022-06-28T00:00:00+08:00", lastDay: "2022-06-27", rolledOver: false });
    expect(typeof j["warnAt"]).toBe("string");
    expect(j["explanation"].zh).toContain("不计入");
    expect(j["dueAtMs"]).toBeUndefined();
    const t = await run(args);
    expect(t.stdout).toMatch(/^时限 Due\s+2022-06-28T00:00:00\+08:00$/m);
    expect(t.stdout).toMatch(/^最后一日 Last day\s+2022-06-27$/m);
    expect(t.stdout).toContain("期限计算 Counting: ");
    const zh = await run([...args, "--lang", "zh"]);
    expect(zh.stdout).toMatch(/^时限\s+2022-06-28T00:00:00\+08:00$/m);
    expect(zh.stdout).not.toMatch(/Due|Counting|counted/);
  });

  it("marks a deadline that rolled over a holiday", async () => {
    const c = JSON.parse(readFileSync(join(CASES, "deadline-05-yellow-national-day.json"), "utf8")) as { input: { receivedAt: string }; expected: { dueAt: string } };
    const j = json(await run(["deadline", "--pack", GUYUAN, "--level", "yellow", "--from", c.input.receivedAt, "--json"]));
    expect(j["dueAt"]).toBe(c.expected.dueAt);
    expect(j["rolledOver"]).toBe(true);
  });

  it("rejects an unknown level, a bad time and a missing --from", async () => {
    const a = await run(["deadline", "--pack", GUYUAN, "--level", "purple", "--from", "2022-06-20T10:00:00+08:00"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^UNKNOWN_LEVEL \$\.level: .*purple/m);
    const b = await run(["deadline", "--pack", GUYUAN, "--level", "yellow", "--from", "yesterday"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^INVALID_DATE/m);
    const c = await run(["deadline", "--pack", GUYUAN, "--level", "yellow"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("USAGE: 缺少 --from");
  });
});

describe("jiceng number", () => {
  const base = ["number", "--pack", GUYUAN, "--date", "2022-06-20", "--unit", "01", "--subunit", "01"];

  it("formats a number from the pack's parts", async () => {
    const r = await run([...base, "--seq", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("0620010101\n");
    expect(json(await run([...base, "--seq", "1", "--json"]))).toEqual({ number: "0620010101", parts: { seq: 1, date: "2022-06-20", unit: "01", subunit: "01" } });
  });

  it("seq 100 does not fit: SEQUENCE_OVERFLOW, exit 1", async () => {
    const r = await run([...base, "--seq", "100"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^SEQUENCE_OVERFLOW \$\.seq: .+ \/ .+/m);
    noStack(r);
  });

  it("names the pack's parts when an option is unknown, and checks --seq", async () => {
    const a = await run([...base, "--seq", "1", "--village", "03"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("未知选项 --village；编号部分：--unit --subunit");
    const b = await run([...base, "--seq", "one"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--seq must be a positive integer");
  });

  it("parses a number back into its parts", async () => {
    const r = await run(["number", "parse", "--pack", GUYUAN, "0620010101", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ number: "0620010101", month: 6, day: 20, seq: 1, parts: { unit: "01", subunit: "01" } });
    const t = await run(["number", "parse", "--pack", GUYUAN, "0620010101"]);
    expect(t.stdout).toMatch(/^unit\s+01  \(乡镇、部门（单位）编号/m);
    expect(t.stdout).toMatch(/^序号 Seq\s+1$/m);
  });

  it("rejects a malformed number, exit 1", async () => {
    const r = await run(["number", "parse", "--pack", GUYUAN, "06200101"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^INVALID_NUMBER/m);
  });
});

describe("jiceng replay", () => {
  it("folds an event log (blank lines skipped) into a summary (--json)", async () => {
    const events = file("events.jsonl", jsonl(INTAKE, ASSIGN) + "\n" + jsonl({ type: "tick", at: "2022-06-29T00:00:00+08:00" }));
    const r = await run(["replay", "--pack", GUYUAN, "--json", events]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j).toMatchObject({ number: "0620010101", level: "yellow", dueAt: "2022-06-28T00:00:00+08:00", overdue: true, escalations: [], reportedTo: [] });
    expect(j["status"]).toEqual({ key: expect.any(String), label: { zh: expect.any(String), en: expect.any(String) } });
    expect(j["history"].map((h: { type: string }) => h.type)).toEqual(expect.arrayContaining(["intake", "assign", "overdue"]));
  });

  it("prints a readable timeline without --json: one line per event, then state, level, due and reports", async () => {
    const log = readFileSync(join(REPO, "examples/guyuan/escalation.jsonl"), "utf8");
    const events = log.trim().split("\n").length;
    const zh = await run(["replay", "--pack", GUYUAN, "--lang", "zh", "-"], { stdin: log });
    expect(zh.code, zh.stderr).toBe(0);
    expect(() => JSON.parse(zh.stdout)).toThrow();
    const timeline = zh.stdout.split("\n").filter((l) => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}/.test(l));
    // Every event is a line; the lifecycle adds its own (overdue, reported) in between.
    expect(timeline.length).toBeGreaterThanOrEqual(events);
    expect(timeline[0]).toBe("  2022-06-20 10:00  受理并定级：黄色（三级问题），时限 2022-06-28T00:00:00+08:00  [综治中心 王某]");
    expect(zh.stdout).toContain("  2022-09-28 09:00  结案  [功能型党支部]");
    expect(zh.stdout).toMatch(/^现状 +已化解 {2}\(closed\)$/m);
    expect(zh.stdout).toMatch(/^等级 +红色（一级问题）$/m);
    expect(zh.stdout).toMatch(/^时限 +2022-08-31 00:00 {2}\(曾逾期\)$/m);
    expect(zh.stdout).toMatch(/^升级 \/ 延期 +2022-06-29 10:00 升级 黄色（三级问题） → 橙色（二级问题）; 2022-07-16 10:00 升级 橙色（二级问题） → 红色（一级问题）$/m);
    expect(zh.stdout).toMatch(/^上报 +乡镇（街道）党委 \(2022-08-31 08:00\); 县（区）党委政法委 \(2022-09-01 10:00\)$/m);
    const en = await run(["replay", "--pack", GUYUAN, "--lang", "en", "-"], { stdin: log });
    expect(en.stdout).toContain("  2022-06-20 14:00  Assigned: 司法所  [功能型党支部]");
    expect(en.stdout).toMatch(/^Status +Resolved {2}\(closed\)$/m);
    expect(en.stdout).not.toMatch(/^(现状|等级|时限|上报) /m);
  });

  it("prints the rejected event's error with its line number, exit 1", async () => {
    const events = file("rejected.jsonl", jsonl(INTAKE, { type: "close", at: "2022-06-20T11:00:00+08:00" }));
    const r = await run(["replay", "--pack", GUYUAN, events]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("rejected.jsonl 第 2 行的事件被拒绝 / The event on line 2 of");
    expect(r.stderr).toMatch(/^ {2}EVENT_NOT_ALLOWED \$\.event\.type: /m);
    const j = await run(["replay", "--pack", GUYUAN, "--json", events]);
    expect(JSON.parse(j.stderr)).toMatchObject({ line: 2, issues: [{ code: "EVENT_NOT_ALLOWED" }] });
  });

  it("rejects a log that does not start with intake, and a line that is not JSON", async () => {
    const a = await run(["replay", "--pack", GUYUAN, file("no-intake.jsonl", jsonl(ASSIGN))]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("第 1 行的事件被拒绝");
    expect(a.stderr).toContain("INVALID_EVENT");
    const b = await run(["replay", "--pack", GUYUAN, file("bad-line.jsonl", jsonl(INTAKE) + "{oops\n")]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^INVALID_EVENT: .*第 2 行不是有效的 JSON/m);
  });

  it("--snapshot prints the full snapshot on one line", async () => {
    const r = await run(["replay", "--pack", GUYUAN, "--snapshot", "-"], { stdin: jsonl(INTAKE, ASSIGN) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(json(r)).toMatchObject({ kind: "jiceng.case", pack: { id: "guyuan" }, state: expect.any(String) });
  });
});

describe("jiceng sweep", () => {
  async function snapshots(): Promise<string> {
    const lines: string[] = [];
    for (const seq of [1, 2]) {
      const r = await run(["replay", "--pack", GUYUAN, "--snapshot", "-"], { stdin: jsonl({ ...INTAKE, seq }, ASSIGN) });
      expect(r.code, r.stderr).toBe(0);
      lines.push(r.stdout.trim());
    }
    return file("snapshots.jsonl", lines.join("\n") + "\n");
  }

  it("lists what is overdue by case number, and the indexes in JSON", async () => {
    const snaps = await snapshots();
    const r = await run(["sweep", "--pack", GUYUAN, "--at", "2022-06-29T00:00:00+08:00", snaps]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("已逾期 / Overdue: 2");
    expect(r.stdout).toMatch(/^ {2}0620010101\s+黄色/m);
    expect(r.stdout).toMatch(/^ {2}0620010102\s+黄色/m);
    const j = json(await run(["sweep", "--pack", GUYUAN, "--at", "2022-06-29T00:00:00+08:00", "--json", snaps]));
    expect(j).toMatchObject({ at: "2022-06-29T00:00:00+08:00", overdue: [0, 1], needsTick: [0, 1], dueSoon: [] });
    expect(j["cases"].map((c: { number: string }) => c.number)).toEqual(["0620010101", "0620010102"]);
  });

  it("rejects lines that are not snapshots of this pack, and a bad time", async () => {
    const r = await run(["sweep", "--pack", GUYUAN, "--at", "2022-06-29T00:00:00+08:00", file("not-snaps.jsonl", jsonl(INTAKE, { kind: "jiceng.case", pack: { id: "xiji" }, state: "graded", context: { dueAt: "x" } }))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^INVALID_SNAPSHOT: .*第 1 行：不是 jiceng 案件快照/m);
    expect(r.stderr).toMatch(/^INVALID_SNAPSHOT: .*line 2: the snapshot belongs to pack "xiji"/m);
    const snaps = await snapshots();
    const b = await run(["sweep", "--pack", GUYUAN, "--at", "tomorrow", snaps]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/^INVALID_DATE/m);
    const c = await run(["sweep", "--pack", GUYUAN, snaps]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("缺少 --at");
  });
});
