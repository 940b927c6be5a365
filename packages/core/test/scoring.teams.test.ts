// Scoring per object (scoring.teams) and an assessor whose weight must come first
// (assessment.foremost): the pack-format features behind Lanxi §四(三)4 and three-centers §四(六).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, safeLoadPack, type CaseSnapshot, type CreateEngineInput } from "../src/index.js";
import { catchJicengError } from "../src/testing/index.js";

const lanxi = JSON.parse(readFileSync(new URL("../../rules-lanxi/pack.json", import.meta.url), "utf8")) as Record<string, any>;
const at = (d: number, h = 9) => `2022-07-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:00:00+08:00`;

function packWith(edit: (p: Record<string, any>) => void): Record<string, any> {
  const p = structuredClone(lanxi);
  edit(p);
  return p;
}

describe("assessment.foremost", () => {
  it("refuses a pack whose named assessor does not weigh strictly most, or is unknown", () => {
    expect(safeLoadPack(lanxi).success).toBe(true);
    const unknown = safeLoadPack(packWith((p) => (p.scoring.assessment.foremost.assessor = "county")));
    expect(unknown.success ? [] : unknown.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["SCHEMA", "scoring.assessment.foremost.assessor"]]);
    const three = safeLoadPack(packWith((p) => {
      p.scoring.assessment.assessors = [
        { ...p.scoring.assessment.assessors[0], weight: 0.4 },
        { ...p.scoring.assessment.assessors[1], weight: 0.3 },
        { id: "county", label: { zh: "县", en: "County" }, weight: 0.3, local: true, note: { zh: "测试", en: "test" } },
      ];
    }));
    expect(three.success).toBe(true);
    const tie = safeLoadPack(packWith((p) => {
      p.scoring.assessment.assessors = [
        { ...p.scoring.assessment.assessors[0], weight: 0.4 },
        { ...p.scoring.assessment.assessors[1], weight: 0.2 },
        { id: "county", label: { zh: "县", en: "County" }, weight: 0.4, local: true, note: { zh: "测试", en: "test" } },
      ];
    }));
    expect(tie.success ? [] : tie.issues.map((i) => [i.code, i.path.join("."), i.message.en])).toEqual([["INVALID_WEIGHTS", "scoring.assessment.assessors.0.weight", 'The weight of "township" must come first: 0.4 is not above county 0.4']]);
  });
});

describe("scoring.teams", () => {
  // A small scheme: per grid, 10 points an item, capped at 25, −7 per overdue item (capped at 10 off), visits from the file.
  const pack = packWith((p) => {
    p.scoring.teams = [
      {
        id: "t",
        label: { zh: "测试", en: "test" },
        field: "facts.grid",
        items: [
          { id: "items", label: { zh: "事项", en: "items" }, source: "cases", when: { event: "received" }, points: 10, local: true, note: { zh: "测试", en: "test" } },
          { id: "overdue", label: { zh: "逾期", en: "overdue" }, source: "cases", when: { event: "overdue" }, points: -7, max: 10, local: true, note: { zh: "测试", en: "test" } },
          { id: "visits", label: { zh: "走访", en: "visits" }, source: "input", points: 0.5, local: true, note: { zh: "测试", en: "test" } },
        ],
        cap: { max: 25, local: true, note: { zh: "测试", en: "test" } },
        roles: [
          { id: "head", label: { zh: "网格长", en: "head" }, min: 1, max: 1, local: true, note: { zh: "测试", en: "test" } },
          { id: "helper", label: { zh: "协助", en: "helper" }, min: 2, local: true, note: { zh: "测试", en: "test" } },
        ],
        local: true,
        note: { zh: "测试", en: "test" },
      },
    ];
  });
  const engine = createEngine(pack as CreateEngineInput);
  const item = (grid: string, d: number, overdueTick = false): CaseSnapshot => {
    let s = engine.start({ type: "intake", at: at(d), id: `${grid || "none"}-${d}`, facts: { receivedAt: at(d), grid, category: "dispute" } });
    if (overdueTick) s = engine.transition(s, { type: "tick", at: at(d + 20) });
    return s;
  };
  const snaps = [item("A", 1), item("A", 2), item("A", 3), item("A", 4), item("B", 1, true), item("B", 2, true), item("", 3)];

  it("counts per object, caps items and totals, adds input counts, ranks with ties, lists roster problems", () => {
    const card = engine.score(snaps, "2022Q3", {
      assessments: {
        teams: [
          { team: "t", key: "B", counts: { visits: 4 }, members: [{ role: "head", person: "b1" }, { role: "head", person: "b2" }, { role: "helper", person: "b3" }] },
          { team: "t", key: "C", members: [{ role: "head", person: "c1" }, { role: "helper", person: "c2" }, { role: "helper", person: "c3" }] },
        ],
      },
    });
    const t = card.teams![0]!;
    // Every item is past its 15 days by the data's end (B's ticks on 07-21/22), so overdue too.
    // A: 4 × 10 − min(28, 10) = 30 → capped 25. B: 2 × 10 − min(14, 10) + 4 × 0.5 = 12. C: named only in the file, 0. The case without a grid counts nowhere.
    expect(t.scores.map((s) => [s.key, s.total, s.capped, s.rank])).toEqual([["A", 25, true, 1], ["B", 12, false, 2], ["C", 0, false, 3]]);
    expect(t.scores.find((s) => s.key === "B")!.items.map((i) => [i.item, i.count, i.points])).toEqual([["items", 2, 20], ["overdue", 2, -10], ["visits", 4, 2]]);
    expect(t.scores.find((s) => s.key === "B")!.roster!.map((r) => r.message.zh)).toEqual(["网格长须 1 人，现 2 人", "协助须 至少 2 人，现 1 人"]);
    expect(t.scores.find((s) => s.key === "C")!.roster).toBeUndefined();
    expect(t.scores.find((s) => s.key === "A")!.roster!.map((r) => r.role)).toEqual(["head", "helper"]);
    expect(t.members!.filter((m) => m.key === "B").map((m) => [m.person, m.role, m.total])).toEqual([["b1", "head", 12], ["b2", "head", 12], ["b3", "helper", 12]]);
  });

  it("refuses input for items that are not input items, and unknown schemes, at their paths", () => {
    const err = catchJicengError(() => engine.score(snaps, "2022Q3", { assessments: { teams: [{ team: "t", key: "A", counts: { items: 3 } }, { team: "x", key: "A" }] } }));
    expect(err.issues.map((i) => [i.code, i.path.join(".")])).toEqual([["INVALID_ASSESSMENT", "assessments.teams.0.counts.items"], ["INVALID_ASSESSMENT", "assessments.teams.1.team"]]);
  });

  it("a role whose max is below its min, or a field that is not a case field, is refused at load", () => {
    const bad = safeLoadPack(packWith((p) => {
      p.scoring.teams = [{ ...structuredClone(pack.scoring.teams[0]), field: "facts.grid", roles: [{ id: "h", label: { zh: "长", en: "h" }, min: 2, max: 1, local: true, note: { zh: "测试", en: "test" } }] }];
    }));
    expect(bad.success ? [] : bad.issues.map((i) => i.path.join("."))).toEqual(["scoring.teams.0.roles.0.max"]);
    const field = safeLoadPack(packWith((p) => (p.scoring.teams = [{ ...structuredClone(pack.scoring.teams[0]), field: "grid" }])));
    expect(field.success ? [] : field.issues.map((i) => i.path.join("."))).toEqual(["scoring.teams.0.field"]);
  });
});
