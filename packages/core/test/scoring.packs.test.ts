import type { CreateEngineInput } from "@jiceng/core";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, lintPack, type CaseSnapshot, type Engine } from "../src/index.js";

const packOf = (dir: string) => JSON.parse(readFileSync(new URL(`../../${dir}/pack.json`, import.meta.url), "utf8")) as Record<string, unknown>;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

describe("Xiji pack: the scoring section reproduces the article's figures (§四¶5)", () => {
  const engine = createEngine(<CreateEngineInput>packOf("rules-xiji"));

  /** `n` disputes in `township` from 2022-01-01 on, two hours apart; the first `open` stay open. */
  function disputes(township: string, n: number, open: number, start = Date.parse("2022-01-01T08:00:00+08:00")): CaseSnapshot[] {
    return Array.from({ length: n }, (_, i) => {
      const at = start + i * 2 * HOUR;
      let s = engine.start({ type: "intake", at: iso(at), facts: { receivedAt: iso(at), township, instability: i % 10 === 9 ? ["petition"] : [] } });
      s = engine.transition(s, { type: "assign", at: iso(at + HOUR), responsibleLeader: "分管领导", responsiblePerson: "调解员", measures: "调解", deadline: iso(at + 5 * 24 * HOUR).slice(0, 10) });
      if (i >= open) s = engine.transition(s, { type: "resolve", at: iso(at + 3 * 24 * HOUR) });
      return s;
    });
  }
  // 截至9月底: 2953 found across three townships, 2942 resolved.
  const snaps = [...disputes("将台堡镇", 1200, 5), ...disputes("硝河乡", 1000, 4), ...disputes("西滩乡", 753, 2)];
  const card = engine.score(snaps, "2022-01..2022-09");

  it("排查矛盾纠纷2953件，化解2942件，化解率为99.6%", () => {
    expect(card.total.kpis["found"]!.value).toBe(2953);
    expect(card.total.kpis["resolved"]!.value).toBe(2942);
    expect(card.total.kpis["resolution-rate"]).toMatchObject({ numerator: 2942, denominator: 2953, display: "99.6%", value: 2942 / 2953 });
    expect(card.kpis.find((k) => k.id === "resolution-rate")!.cite).toMatchObject({ doc: "xiji-1133", clause: "§四¶5" });
  });

  it("全县初信初访办结率达100%: every petition item received is completed", () => {
    expect(card.total.kpis["first-petition-rate"]).toMatchObject({ numerator: 295, denominator: 295, display: "100.0%" });
  });

  it("per township, grouped by facts.township", () => {
    expect(card.units.map((u) => [u.key, u.kpis["resolution-rate"]!.display])).toEqual([["将台堡镇", "99.6%"], ["硝河乡", "99.6%"], ["西滩乡", "99.7%"]]);
  });

  it("the dual assessment's weights are marked local (the article publishes none)", () => {
    const paths = lintPack(packOf("rules-xiji")).map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["scoring.assessment.assessors.0", "scoring.assessment.assessors.1"]));
    const s = engine.score([], "2022Q3", { assessments: [{ subject: "硝河乡司法所", scores: { township: 80, "home-unit": 90 } }] }).assessment!.subjects[0]!;
    expect(s.composite).toBe(85);
  });
});

describe("Lanxi pack: resolution rate ≥ 95% (§四(二)2) and grid-worker scoring (§四(三)4)", () => {
  const engine: Engine = createEngine(<CreateEngineInput>packOf("rules-lanxi"));

  function disputes(township: string, n: number, resolved: number, by = "网格员"): CaseSnapshot[] {
    const t0 = Date.parse("2022-07-01T08:00:00+08:00");
    return Array.from({ length: n }, (_, i) => {
      const at = t0 + (i % 1500) * HOUR;
      let s = engine.start({ type: "intake", at: iso(at), by, facts: { receivedAt: iso(at), township, source: "grid-worker", category: "dispute" } });
      if (i < resolved) {
        s = engine.transition(s, { type: "acknowledge", at: iso(at + HOUR) });
        s = engine.transition(s, { type: "supervise", at: iso(at + 24 * HOUR) });
        s = engine.transition(s, { type: "resolve", at: iso(at + 48 * HOUR) });
      }
      return s;
    });
  }
  const snaps = [...disputes("云山街道", 1000, 949, "网格员张三"), ...disputes("兰江街道", 1000, 950, "网格员李四")];
  const card = engine.score(snaps, "2022Q3", { groupBy: "facts.township", assessments: { persons: [{ person: "网格员李四", counts: { visits: 100 } }] } });
  const unit = (k: string) => card.units.find((u) => u.key === k)!;

  it("a township at 94.9% fails the 95% target; one at 95.0% passes", () => {
    expect(unit("云山街道").kpis["dispute-resolution-rate"]!.display).toBe("94.9%");
    expect(unit("云山街道").targets[0]).toMatchObject({ target: "dispute-resolution-95", pass: false, cite: { clause: "§四(二)2" } });
    expect(unit("兰江街道").kpis["dispute-resolution-rate"]!.display).toBe("95.0%");
    expect(unit("兰江街道").targets[0]!.pass).toBe(true);
  });

  it("grid workers score from the disputes they reported, and visits from the assessments file (points are local)", () => {
    const p = card.persons!.scores;
    // 李四: 1000 disputes × 3 + min(100 × 0.5, 30) → capped at 100. 张三: likewise capped.
    expect(p.map((x) => [x.person, x.total, x.capped])).toEqual([["网格员张三", 100, true], ["网格员李四", 100, true]].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    expect(p.find((x) => x.person === "网格员李四")!.items.find((i) => i.item === "visits")).toMatchObject({ count: 100, points: 30 });
    const paths = lintPack(packOf("rules-lanxi")).map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["scoring.persons.items.0.points", "scoring.persons.items.2.points", "scoring.persons.cap"]));
  });
});

describe("three-centers pack: the loop's own measures (§四(七)三) and township-first assessment (§四(六))", () => {
  const engine = createEngine(<CreateEngineInput>packOf("rules-three-centers"));
  const at = "2022-07-04T09:00:00+08:00";

  it("rework is a failed verification, satisfaction comes from the overall evaluation, grid workers' on-the-spot closing counts", () => {
    let s = engine.start({ type: "intake", at, by: "网格员王五", facts: { receivedAt: at, source: "grid", category: "food-drug" } });
    s = engine.transition(s, { type: "assign", at: "2022-07-04T09:30:00+08:00", leadUnit: "市场监管所" });
    s = engine.transition(s, { type: "acknowledge", at: "2022-07-04T10:00:00+08:00" });
    s = engine.transition(s, { type: "resolve", at: "2022-07-05T10:00:00+08:00" });
    s = engine.transition(s, { type: "verify", at: "2022-07-05T11:00:00+08:00", passed: false });
    s = engine.transition(s, { type: "resolve", at: "2022-07-06T10:00:00+08:00" });
    s = engine.transition(s, { type: "verify", at: "2022-07-06T11:00:00+08:00", passed: true });
    s = engine.transition(s, { type: "evaluate", at: "2022-07-06T12:00:00+08:00", rating: "basically-satisfied" });
    let t = engine.start({ type: "intake", at, by: "网格员王五", facts: { receivedAt: at, source: "grid", simpleItem: "small-ads" } });
    t = engine.transition(t, { type: "selfClose", at: "2022-07-04T09:30:00+08:00", role: "grid-worker", by: "网格员王五" });
    const card = engine.score([s, t], "2022Q3", { assessments: [{ subject: "市场监管所", scores: { department: 70 } }] });
    const k = card.total.kpis;
    expect(k["closure-rate"]).toMatchObject({ numerator: 2, denominator: 2 });
    expect(k["rework-rate"]).toMatchObject({ numerator: 1, denominator: 1 });
    expect(k["satisfaction-rate"]).toMatchObject({ numerator: 1, denominator: 1 });
    expect(k["self-closed"]!.value).toBe(1);
    expect(card.persons!.scores[0]).toMatchObject({ person: "网格员王五", total: 4 });
    // Township: 30 + 40 + 30 from the indicators; composite 0.6 × 100 + 0.4 × 70 = 88.
    expect(card.assessment!.subjects.find((x) => x.subject === "市场监管所")).toMatchObject({ composite: 88 });
  });
});
