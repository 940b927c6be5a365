import type { CreateEngineInput } from "@jiceng/core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/index.js";
import { lintPack } from "../src/cli/lint.js";
import { createEngine, safeLoadPack, scorecardCsv, scorecardHtml, type CaseEvent, type CaseSnapshot, type IntakeEvent } from "../src/index.js";
import { guyuanEngine, guyuanPack, guyuanStories, rng } from "./scoring-fixtures.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/** 2021 Q3 and 2022 Q3 (with the weeks around them), five stationed agencies. */
function sample(): CaseSnapshot[] {
  const engine = guyuanEngine();
  return [
    ...guyuanStories(engine, { from: "2021-07-01T00:00:00+08:00", to: "2021-09-30T00:00:00+08:00", count: 80, seed: 7 }),
    ...guyuanStories(engine, { from: "2022-06-15T00:00:00+08:00", to: "2022-09-30T00:00:00+08:00", count: 90, seed: 11, skill: { 司法所: 0.92, 派出所: 0.8, 人民法庭: 0.7, 综合执法办公室: 0.85, 妇联: 0.6 } }),
  ];
}

describe("Guyuan's scoring section (固党办〔2022〕49号 §二(三)9, the 考核清单)", () => {
  const engine = guyuanEngine();

  it("loads, and every KPI, weight and point says where it comes from", () => {
    const r = safeLoadPack(guyuanPack);
    expect(r.success).toBe(true);
    const scoring = engine.pack.scoring!;
    for (const k of scoring.kpis) expect(k.cite !== undefined || (k.local === true && k.note !== undefined)).toBe(true);
    expect(scoring.assessment!.assessors.map((a) => [a.id, a.weight, a.cite?.clause])).toEqual([
      ["township", 0.6, "§二(三)9"],
      ["county-department", 0.4, "§二(三)9"],
    ]);
    expect(scoring.assessment!.assessors[0]!.cite!.quote).toContain("乡镇(街道)占60%、县直部门(单位)占40%");
  });

  it("lint lists the scoring values the county must set itself (formulas, points, bands)", () => {
    const paths = lintPack(guyuanPack).map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["scoring.onTime", "scoring.kpis.2", "scoring.kpis.2.alternatives.0", "scoring.assessment.scale", "scoring.assessment.indicators.0", "scoring.assessment.bands.0"]));
    // The 60/40 weights are the document's, not local.
    expect(paths.some((p) => p.startsWith("scoring.assessment.assessors"))).toBe(false);
  });

  it("§二(三)9: a subject scored 80 by the township and 90 by the county department has composite 84", () => {
    const card = engine.score([], "2022Q3", { assessments: [{ subject: "司法所", scores: { township: 80, "county-department": 90 } }] });
    expect(card.assessment!.subjects[0]).toMatchObject({ subject: "司法所", composite: 84, display: "84", rank: 1, band: { id: "good" } });
  });

  it("§二(三)8, replayed from examples/guyuan/escalation.jsonl: what 2022 Q3 counts of the story", () => {
    const events = readFileSync(join(REPO, "examples/guyuan/escalation.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as CaseEvent);
    let snap = engine.start(events[0] as IntakeEvent);
    for (const e of events.slice(1)) snap = engine.transition(snap, e);
    const q2 = engine.score([snap], "2022Q2").total.kpis;
    const q3 = engine.score([snap], "2022Q3").total.kpis;
    expect(q2["found"]).toMatchObject({ value: 1, byLevel: { yellow: 0, orange: 1, red: 0 } }); // orange by 30 June
    expect(q2["escalations"]!.value).toBe(1); // 06-29 yellow → orange
    expect(q3["found"]!.value).toBe(0);
    expect(q3["escalations"]).toMatchObject({ value: 1, byLevel: { red: 1 } }); // 07-16 orange → red
    expect(q3["overdue"]!.value).toBe(1); // overdue on 07-15 and again on 08-31: one case
    expect(q3["reported"]!.value).toBe(1);
    // Resolved 09-20, after the red time limit (08-31): not on time; the return visit found the agreement kept.
    expect(q3["on-time-rate"]).toMatchObject({ numerator: 0, denominator: 1, display: "0.0%" });
    expect(q3["return-visit-rate"]).toMatchObject({ numerator: 1, denominator: 1 });
    expect(q3["rework-rate"]).toMatchObject({ numerator: 0, denominator: 1 });
    // The township's indicator score: 0 (resolution: no items received) … is computed, the county's is missing.
    const s = engine.score([snap], "2022Q3").assessment!.subjects[0]!;
    expect(s).toMatchObject({ subject: "司法所", composite: null, missing: ["county-department"] });
    expect(s.assessors[0]!.items.map((i) => [i.indicator, i.points])).toEqual([["resolution", 50], ["on-time", 0], ["return-visit", 20], ["reported-deduction", -5]]);
  });

  it("the same cases in any order give the same scorecard", () => {
    const snaps = sample();
    const r = rng(3);
    const shuffled = snaps.map((s) => [r(), s] as const).sort((a, b) => a[0] - b[0]).map(([, s]) => s);
    const assessments = [{ subject: "司法所", scores: { township: 80, "county-department": 90 } }];
    expect(engine.score(shuffled, "2022Q3", { assessments, explain: true })).toEqual(engine.score(snaps, "2022Q3", { assessments, explain: true }));
  });

  it("renders CSV (BOM, bilingual headers, one row per unit and the total) and one self-contained HTML page", () => {
    const card = engine.score(sample(), "2022Q3", { assessments: [{ subject: "司法所", scores: { township: 80, "county-department": 90 } }] });
    const csv = scorecardCsv(card);
    const lines = csv.trimEnd().split("\r\n");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toContain("化解率 Resolution rate [resolution-rate] display");
    expect(lines).toHaveLength(1 + card.units.length + 1);
    expect(lines.at(-1)!.startsWith("*,合计 / Total,")).toBe(true);
    const html = scorecardHtml(card);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:/);
    expect(html).toContain("各单位综合得分");
    expect(html).toContain("§二(三)9");
  });

  it("escapes names from the data in HTML", () => {
    const e = createEngine(guyuanPack as CreateEngineInput);
    let s = e.start({ type: "intake", at: "2022-07-05T10:00:00+08:00", seq: 1, facts: { receivedAt: "2022-07-05T10:00:00+08:00", unitCode: "01", subunitCode: "01" } });
    s = e.transition(s, { type: "assign", at: "2022-07-05T11:00:00+08:00", leadUnit: "<img src=x onerror=alert(1)>", responsibleUnit: "<img src=x onerror=alert(1)>", responsiblePerson: "x", deadline: "2022-07-12" });
    const html = scorecardHtml(e.score([s], "2022Q3"));
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});

describe("jiceng score", () => {
  let tmp: string;
  let file: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "jiceng-score-"));
    file = join(tmp, "snapshots.jsonl");
    writeFileSync(file, sample().map((s) => JSON.stringify(s)).join("\n") + "\n");
    writeFileSync(join(tmp, "assessments.json"), JSON.stringify([{ subject: "司法所", scores: { township: 80, "county-department": 90 } }]));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function run(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: REPO });
    return { code, stdout, stderr };
  }

  it("prints the scorecard: KPIs by unit, year on year, the ranking", async () => {
    const r = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--assessments", join(tmp, "assessments.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2022年第三季度 / 2022 Q3");
    expect(r.stdout).toMatch(/化解率 \/ Resolution rate\s+\d+\.\d% \(\d+\/\d+\)/);
    expect(r.stdout).toContain("同比 Year on year (2021年第三季度 / 2021 Q3)");
    expect(r.stdout).toMatch(/司法所\s+80\s+90\s+84\s+良好 \/ Good/);
  });

  it("--json, --format csv, --html", async () => {
    const j = await run(["score", "--pack", "guyuan", "--period", "2022-07..2022-09", file, "--json"]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: "jiceng.scorecard", period: { id: "2022-07..2022-09" } });
    const c = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--format", "csv"]);
    expect(c.stdout.startsWith("\uFEFFunit,")).toBe(true);
    const out = join(tmp, "report.html");
    const h = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--html", out, "--lang", "en"]);
    expect(h.code).toBe(0);
    expect(h.stderr).toContain("Wrote the report to");
    expect(readFileSync(out, "utf8")).toContain("<svg ");
  });

  it("--by and --denominator", async () => {
    const r = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--json", "--by", "facts.unitCode", "--denominator", "resolution-rate=should-resolve"]);
    const card = JSON.parse(r.stdout);
    expect(card.groupBy.field).toBe("facts.unitCode");
    expect(card.units.map((u: { key: string }) => u.key)).toEqual(["01", "02", "03"]);
    expect(card.kpis.find((k: { id: string }) => k.id === "resolution-rate").denominator).toBe("should-resolve");
  });

  it("bad input: a typed error with its place, exit 1", async () => {
    const p = await run(["score", "--pack", "guyuan", "--period", "2022Q5", file]);
    expect([p.code, p.stderr]).toEqual([1, expect.stringContaining("INVALID_PERIOD")]);
    const missing = await run(["score", "--pack", "guyuan", file]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("--period")]);
    writeFileSync(join(tmp, "bad.json"), JSON.stringify([{ subject: "司法所", scores: { township: 80, county: 90 } }]));
    const a = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--assessments", join(tmp, "bad.json"), "--json"]);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stderr).issues[0]).toMatchObject({ code: "INVALID_ASSESSMENT", path: ["assessments", 0, "scores", "county"] });
    const other = join(tmp, "other.jsonl");
    const lines = readFileSync(file, "utf8").split("\n");
    lines[2] = lines[2]!.replace('"id":"guyuan"', '"id":"xiji"');
    writeFileSync(other, lines.join("\n"));
    const o = await run(["score", "--pack", "guyuan", "--period", "2022Q3", other]);
    expect([o.code, o.stderr]).toEqual([1, expect.stringContaining("line 3")]);
    const f = await run(["score", "--pack", "guyuan", "--period", "2022Q3", file, "--format", "xml"]);
    expect([f.code, f.stderr]).toEqual([2, expect.stringContaining("USAGE")]);
  });

  it("is in the help", async () => {
    const r = await run(["help"]);
    expect(r.stdout).toContain("jiceng score --pack <pack> --period");
    const one = await run(["score", "--help"]);
    expect(one.stdout).toContain("--assessments <file>");
  });
});
