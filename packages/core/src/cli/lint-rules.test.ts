import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPack } from "../pack/load.js";
import { main } from "./index.js";
import { findUnreachableRules } from "./lint-rules.js";

const local = { local: true, note: { zh: "本地设定，测试用", en: "local, for the test" } } as const;
const L = (zh: string, en = zh) => ({ zh, en });
const eq = (fact: string, value: unknown) => ({ fact, operator: "equal", value });

function pack(grading: object, lifecycle: object = {}, facts: object[] = []) {
  return {
    id: "lint-test",
    version: "1.0.0",
    name: L("检查"),
    source: { documents: [{ id: "doc", title: L("文件") }] },
    facts: [
      { name: "receivedAt", type: "datetime", label: L("受理时间") },
      { name: "kind", type: "enum", label: L("类别"), values: ["a", "b", "c"].map((v) => ({ value: v, label: L(v) })), default: "a", ...local },
      { name: "n", type: "integer", label: L("人数"), default: 1, min: 0 },
      { name: "flag", type: "boolean", label: L("标记"), default: false },
      ...facts,
    ],
    levels: [
      { id: "red", rank: 3, label: L("红"), colour: "red", deadline: { amount: 30, ...local }, ...local },
      { id: "orange", rank: 2, label: L("橙"), colour: "orange", deadline: { amount: 15, ...local }, ...local },
      { id: "yellow", rank: 1, label: L("黄"), colour: "yellow", deadline: { amount: 7, ...local }, ...local },
    ],
    grading: { default: { level: "yellow", ...local }, rules: [], ...grading },
    lifecycle,
  };
}
const rule = (id: string, level: string, all: object[], extra: object = {}) => ({ id, level, conditions: { all }, ...local, ...extra });
const found = (p: object) => findUnreachableRules(loadPack(p)).map((i) => [i.path.join("."), i.code, i.message.zh]);

describe("rules that can never fire, each proved, with its path", () => {
  it("a sound pack has none", () => {
    expect(found(pack({ rules: [rule("r", "red", [eq("kind", "c")]), rule("o", "orange", [eq("kind", "b")])] }))).toEqual([]);
  });

  it("a condition that holds for no case: a fact equal to two values; a number both above and below", () => {
    expect(found(pack({ rules: [rule("twice", "red", [eq("kind", "a"), eq("kind", "b")]), rule("range", "orange", [{ fact: "n", operator: "greaterThan", value: 10 }, { fact: "n", operator: "lessThan", value: 5 }])] }))).toEqual([
      ["grading.rules.0", "UNREACHABLE_RULE", "定级规则 twice 的条件对任何案件都不成立，永远不会命中"],
      ["grading.rules.1", "UNREACHABLE_RULE", "定级规则 range 的条件对任何案件都不成立，永远不会命中"],
    ]);
  });

  it("most-severe: a rule that only ever holds together with a more severe one never decides a level", () => {
    const p = pack({ rules: [rule("red-many", "red", [{ fact: "n", operator: "greaterThanInclusive", value: 5 }]), rule("orange-more", "orange", [{ fact: "n", operator: "greaterThan", value: 20 }]), rule("orange-flag", "orange", [eq("flag", true)])] });
    expect(found(p)).toEqual([["grading.rules.1", "UNREACHABLE_RULE", "定级规则 orange-more 永远不会决定等级：凡它成立时，更严重的规则（red-many）也成立"]]);
  });

  it("first-hit: a rule every case of which an earlier-priority rule takes first", () => {
    const p = pack({ strategy: "first-hit", rules: [rule("early", "yellow", [eq("flag", true)], { priority: 10 }), rule("late", "red", [eq("flag", true), eq("kind", "b")], { priority: 1 })] });
    expect(found(p)).toEqual([["grading.rules.1", "UNREACHABLE_RULE", "定级规则 late 永远不会命中：凡它成立时，优先的规则（early）已先命中"]]);
  });

  it("score: an item that can never be awarded, and a threshold beyond every item that can", () => {
    const p = pack({
      score: {
        points: [
          { id: "never", label: L("不可能"), points: 50, conditions: { all: [eq("flag", true), eq("flag", false)] }, ...local },
          { id: "ok", label: L("可以"), points: 10, conditions: { all: [eq("flag", true)] }, ...local },
          { id: "minus", label: L("减分"), points: -5, conditions: { all: [eq("kind", "c")] }, ...local },
        ],
        thresholds: [{ level: "orange", min: 10, ...local }, { level: "red", min: 40, ...local }],
        ...local,
      },
    });
    expect(found(p)).toEqual([
      ["grading.score.points.0", "UNREACHABLE_RULE", "赋分项 never 的条件对任何案件都不成立，永远不会计分"],
      ["grading.score.thresholds.1", "UNREACHABLE_RULE", "分数线 red（40）永远达不到：全部可能计分的项目加起来最多 10 分"],
    ]);
  });

  it("a self-close permission and a review condition that hold for no item", () => {
    const never = { all: [eq("kind", "a"), eq("kind", "b")] };
    const p = pack({}, {
      selfClose: { roles: ["grid-worker"], label: L("自行办结"), conditions: never, ...local },
      reviews: { label: L("复查"), appliesWhen: never, stages: [{ id: "r", label: L("复查"), deadline: { amount: 30, ...local }, ...local }], terminal: { label: L("终结"), ...local }, ...local },
    });
    expect(found(p).map((x) => x[0])).toEqual(["lifecycle.selfClose.conditions", "lifecycle.reviews.appliesWhen"]);
  });

  it("nothing is reported for a rule it cannot prove (a date fact it does not analyse)", () => {
    const p = pack({ rules: [rule("dated", "red", [{ fact: "since", operator: "after", value: "2022-01-01" }, { fact: "since", operator: "before", value: "2021-01-01" }])] }, {}, [{ name: "since", type: "date", label: L("日期") }]);
    expect(found(p)).toEqual([]);
  });
});

describe("jiceng lint shows them beside the local values", () => {
  it("prints each with its path and counts it as a warning; --json lists them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jiceng-lint-"));
    try {
      const path = join(dir, "pack.json");
      writeFileSync(path, JSON.stringify(pack({ rules: [rule("twice", "red", [eq("kind", "a"), eq("kind", "b")])] })));
      let out = "";
      const code = await main(["lint", path], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: dir });
      expect(code).toBe(0);
      expect(out).toContain("UNREACHABLE_RULE $.grading.rules[0]: 定级规则 twice 的条件对任何案件都不成立");
      let j = "";
      await main(["lint", path, "--json"], { stdout: { write: (s: string) => (j += s) }, stderr: { write: () => true }, cwd: dir });
      expect((JSON.parse(j) as { warnings: Array<{ code: string; ruleId?: string }> }).warnings.filter((w) => w.code === "UNREACHABLE_RULE").map((w) => w.ruleId)).toEqual(["twice"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
