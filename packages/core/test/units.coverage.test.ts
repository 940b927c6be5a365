// Unified coding and coverage of units without geometry (units.kinds[].code / .coverage): the
// pack-format features behind the three-centers §四(四) grid rules.
import { describe, expect, it } from "vitest";
import { checkUnits, checkUnitsSection, type UnitsDef } from "../src/index.js";

const note = { zh: "测试", en: "test" };
const def: UnitsDef = {
  roles: [],
  kinds: [
    { id: "town", label: { zh: "镇", en: "town" }, code: { digits: 2, parentPrefix: true, local: true, note }, local: true, note },
    { id: "grid", label: { zh: "网格", en: "grid" }, parents: ["town"], code: { digits: 3, parentPrefix: true, local: true, note }, coverage: { of: "place", field: "covers", local: true, note }, local: true, note },
    { id: "block", label: { zh: "片", en: "block" }, code: { digits: 4, parentPrefix: false, local: true, note }, local: true, note },
    { id: "place", label: { zh: "要素", en: "place" }, parents: ["town"], local: true, note },
  ],
} as UnitsDef;
const rules = (units: unknown) => checkUnits(def, units).violations.map((v) => [v.rule, v.unitId, v.severity]);

describe("units code", () => {
  it("a code is the parent's code plus the digits, digits only; without parentPrefix, just the digits", () => {
    expect(rules([{ id: "01", kind: "town" }, { id: "01007", kind: "grid", parent: "01" }, { id: "1234", kind: "block" }])).toEqual([]);
    expect(rules([{ id: "01", kind: "town" }, { id: "0107", kind: "grid", parent: "01" }, { id: "01x07", kind: "grid", parent: "01" }, { id: "02007", kind: "grid", parent: "01" }, { id: "A", kind: "town" }, { id: "12345", kind: "block" }])).toEqual([
      ["grid-code", "0107", "error"], ["grid-code", "01x07", "error"], ["grid-code", "02007", "error"], ["town-code", "A", "error"], ["block-code", "12345", "error"],
    ]);
  });
});

describe("units coverage", () => {
  const towns = [{ id: "01", kind: "town" }, { id: "02", kind: "town" }];
  it("every element in exactly one covering unit of its own parent; gaps, overlaps, strangers and bad lists are named", () => {
    expect(rules([...towns, { id: "p1", kind: "place", parent: "01" }, { id: "01001", kind: "grid", parent: "01", covers: ["p1"] }])).toEqual([]);
    const out = rules([
      ...towns,
      { id: "p1", kind: "place", parent: "01" }, { id: "p2", kind: "place", parent: "01" }, { id: "p3", kind: "place", parent: "02" },
      { id: "01001", kind: "grid", parent: "01", covers: ["p1", "p1", "nope", "01002"] },
      { id: "01002", kind: "grid", parent: "01", covers: ["p1", "p3"] },
      { id: "02001", kind: "grid", parent: "02", covers: "p3" },
    ]);
    expect(out).toEqual([
      ["grid-coverage", "01001", "error"], ["grid-coverage", "01001", "error"], ["grid-coverage", "01002", "error"], ["grid-coverage", "02001", "error"],
      ["grid-coverage-overlap", "p1", "error"], ["grid-coverage-gap", "p2", "error"],
    ]);
  });
  it("a coverage of an undeclared kind is refused at load, with a did-you-mean", () => {
    const bad = { ...def, kinds: def.kinds.map((k) => (k.id === "grid" ? { ...k, coverage: { ...k.coverage!, of: "plaec" } } : k)) } as UnitsDef;
    const issues = checkUnitsSection(bad);
    expect(issues.map((i) => i.path.join("."))).toEqual(["units.kinds.1.coverage.of"]);
    expect(issues[0]!.message.zh).toContain("place");
  });
});
