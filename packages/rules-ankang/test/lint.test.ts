// POLICY.md §4: "The document leaves households that meet none (or several) of these undefined:
// the pack must decide and lint must show the gaps and overlaps." This holds the analysis to the
// document's own rows: exactly two gaps (covered by the local default) and two overlaps (settled by
// the local precedence), each with an example that really is one.
import { describe, expect, it } from "vitest";
import { analyzeTables, createEngine, loadPack, type TableFinding } from "@jiceng/core";
import pack from "../src/index.js";

const engine = createEngine(pack);
const analyses = analyzeTables(loadPack(pack));
const households = analyses.find((a) => a.table === "households")!;
const kinds = (fs: TableFinding[]) => fs.map((f) => `${f.kind}:${f.severity}:${f.rows.map((r) => r.id).join(">")}`);

describe("jiceng lint: the gaps and overlaps of §三(三)2", () => {
  it("is exhaustive over every enum, every left-behind combination, income below / at / above the average, and the safe-family years that matter", () => {
    expect(households.method).toBe("exhaustive");
    expect(households.inputs).toBe(8 * 3 * 3 * 2 * 3 * 16);
    expect(households.dimensions.map((d) => d.fact).sort()).toEqual(["disabledMembers", "income", "leftBehind", "povertyMonitoring", "prisonRecord", "safeFamilyYears", "villageAverageIncome", "year"]);
  });

  it("finds one gap (two kinds of household) covered by the local default, and the red/green and red/yellow overlaps settled by the local precedence", () => {
    expect(kinds(households.findings)).toEqual(["gap:info:red>green>yellow", "overlap:info:red>green", "overlap:info:red>yellow"]);
    const gap = households.findings[0]!;
    expect(gap.settledBy).toMatchObject({ by: "default", local: true, result: { class: "yellow" } });
    expect(households.findings[1]!.settledBy).toMatchObject({ by: "order", rowId: "red", local: true });
  });

  it("the two kinds of gap are the document's: at/above average without three years running; below average with a recent title", () => {
    const gap = households.findings[0]!;
    expect(gap.cases.map((c) => c.where.en)).toEqual([
      "Household income < Village average income; Safe-family titles in the year assessed and the year before ≠ 0",
      "Household income ≥ Village average income; Years in a row named a safe family, up to the year assessed < 3",
    ]);
    expect(gap.common.zh).toContain("家中残疾人数 ≤ 0");
    for (const c of gap.cases) {
      const r = engine.classify("households", c.example);
      expect([r.usedDefault, r.class]).toEqual([true, "yellow"]);
    }
  });

  it("each overlap lists every red condition that can meet the other class, with an example that is red and overridden", () => {
    for (const f of households.findings.slice(1)) {
      expect(f.cases).toHaveLength(6);
      for (const c of f.cases) {
        const r = engine.classify("households", c.example);
        expect(r.class).toBe("red");
        expect(r.overridden.map((o) => o.rowId)).toEqual([f.rows[1]!.id]);
      }
    }
  });

  it("the other tables (one row per value of an enum) have no gaps and no overlaps", () => {
    expect(analyses.filter((a) => a !== households).map((a) => [a.table, a.method, a.findings.length])).toEqual([
      ["visits", "exhaustive", 0],
      ["three-lines", "exhaustive", 0],
      ["party-member-points", "exhaustive", 0],
      ["household-head-pay", "exhaustive", 0],
    ]);
  });
});
