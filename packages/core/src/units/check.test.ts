import { describe, expect, it } from "vitest";
import { isJicengError } from "../errors/index.js";
import { UnitsSchema } from "./schema.js";
import { checkUnits, checkUnitsSection } from "./check.js";

const T = (s: string) => ({ zh: s, en: s });
const LOCAL = { local: true as const, note: T("n") };

const def = UnitsSchema.parse({
  roles: [{ id: "chief", label: T("Chief") }, { id: "deputy", label: T("Deputy") }],
  kinds: [
    { id: "top", label: T("Top"), ...LOCAL },
    { id: "mid", label: T("Mid"), parents: ["top"], head: { label: T("Mid head"), roles: ["chief", "deputy"], preferred: "chief", ...LOCAL }, ...LOCAL },
    { id: "leaf", label: T("Leaf"), parents: ["mid"], measures: [{ name: "households", label: T("households"), min: 20, max: 30, ...LOCAL }, { id: "leaf-cap", name: "people", label: T("people"), max: 120, ...LOCAL }], ...LOCAL },
  ],
});

const rules = (units: unknown) => checkUnits(def, units).violations.map((v) => `${v.unitId} ${v.rule} ${v.severity}`);

describe("checkUnits", () => {
  it("a sound tree has no violations; the list may also come as { units: [...] }", () => {
    const units = [{ id: "t", kind: "top" }, { id: "m", kind: "mid", parent: "t", head: { role: "chief" } }, { id: "l", kind: "leaf", parent: "m", households: 20, people: 120 }];
    expect(checkUnits(def, units)).toEqual({ units: 3, ok: true, violations: [] });
    expect(checkUnits(def, { units }).ok).toBe(true);
  });

  it("sizes: below min, above max, missing or not a number — each with the rule, the values seen and the range", () => {
    const r = checkUnits(def, [{ id: "a", kind: "leaf", parent: "x", households: 19, people: 121 }, { id: "b", kind: "leaf", parent: "x", households: "25" }]);
    const v = r.violations.filter((x) => x.severity === "error");
    expect(v.map((x) => `${x.unitId} ${x.rule}`)).toEqual(["a leaf-households", "a leaf-cap", "b leaf-households", "b leaf-cap"]);
    expect(v[0]).toMatchObject({ actual: { households: 19 }, expected: { min: 20, max: 30 }, path: [0, "households"], local: true });
    expect(v[0]!.message.en).toBe('Leaf "a" has 19 households, below the required 20–30');
    expect(v[1]!.message.en).toBe('Leaf "a" has 121 people, above the required ≤ 120');
    expect(v[2]!.message.en).toContain("no valid households");
    expect(r.ok).toBe(false);
  });

  it("heads: missing, a role not allowed (error), a fallback role (warning)", () => {
    expect(rules([{ id: "t", kind: "top" }, { id: "m1", kind: "mid", parent: "t" }, { id: "m2", kind: "mid", parent: "t", head: { role: "mayor" } }, { id: "m3", kind: "mid", parent: "t", head: { role: "deputy" } }])).toEqual([
      "m1 mid-head error",
      "m2 mid-head error",
      "m3 mid-head warning",
    ]);
  });

  it("parents: missing, of the wrong kind, not in the list (warning), on a top-level kind (warning), in a cycle", () => {
    expect(rules([{ id: "m", kind: "mid", head: { role: "chief" } }])).toEqual(["m mid-parent error"]);
    expect(rules([{ id: "t", kind: "top" }, { id: "l", kind: "leaf", parent: "t", households: 25, people: 80 }])).toEqual(["l leaf-parent error"]);
    expect(rules([{ id: "l", kind: "leaf", parent: "nowhere", households: 25, people: 80 }])).toEqual(["l leaf-parent warning"]);
    expect(rules([{ id: "t", kind: "top", parent: "x" }])).toEqual(["t top-parent warning"]);
    const cyc = UnitsSchema.parse({ kinds: [{ id: "a", label: T("A"), parents: ["a"], ...LOCAL }] });
    expect(checkUnits(cyc, [{ id: "x", kind: "a", parent: "y" }, { id: "y", kind: "a", parent: "x" }]).violations.map((v) => v.rule)).toEqual(["a-parent", "a-parent"]);
  });

  it("ids and kinds: missing id, duplicate id, unknown kind with a suggestion", () => {
    const r = checkUnits(def, [{ kind: "top" }, { id: "t", kind: "top" }, { id: "t", kind: "top" }, { id: "z", kind: "laef" }]);
    expect(r.violations.map((v) => `${v.unitId} ${v.rule}`)).toEqual(["$[0] unit-id", "t unit-id", "z unit-kind"]);
    expect(r.violations[2]!.message.en).toContain('did you mean "leaf"');
  });

  it("a list that is not a list is INVALID_UNITS", () => {
    try {
      checkUnits(def, "units");
      expect.unreachable();
    } catch (e) {
      expect(isJicengError(e) && e.code).toBe("INVALID_UNITS");
    }
  });
});

describe("checkUnitsSection (load time)", () => {
  it("duplicate kinds and roles, undeclared parents and roles, a kind that is its own ancestor", () => {
    const bad = UnitsSchema.parse({
      roles: [{ id: "r", label: T("r") }, { id: "r", label: T("r") }],
      kinds: [
        { id: "a", label: T("a"), parents: ["b"], head: { label: T("h"), roles: ["rr"], ...LOCAL }, ...LOCAL },
        { id: "b", label: T("b"), parents: ["a", "nope"], measures: [{ name: "n", label: T("n"), min: 1, ...LOCAL }, { name: "n", label: T("n"), max: 1, ...LOCAL }], ...LOCAL },
        { id: "b", label: T("b"), ...LOCAL },
      ],
    });
    expect(checkUnitsSection(bad).map((i) => `${i.code} ${i.path.join(".")}`)).toEqual([
      "DUPLICATE_ID units.roles.1.id",
      "DUPLICATE_ID units.kinds.2.id",
      'SCHEMA units.kinds.0.head.roles.0',
      "SCHEMA units.kinds.1.parents.1",
      "DUPLICATE_ID units.kinds.1.measures.1.name",
      "DUPLICATE_ID units.kinds.1.measures.1.id",
      "SCHEMA units.kinds.0.parents",
      "SCHEMA units.kinds.1.parents",
    ]);
  });

  it("the schema refuses an empty or inverted range and a preferred role that is not allowed", () => {
    const r = UnitsSchema.safeParse({ kinds: [{ id: "a", label: T("a"), head: { label: T("h"), roles: ["x"], preferred: "y", ...LOCAL }, measures: [{ name: "n", label: T("n"), ...LOCAL }, { name: "m", label: T("m"), min: 5, max: 1, ...LOCAL }], ...LOCAL }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["kinds.0.head.preferred", "kinds.0.measures.0.min", "kinds.0.measures.1.min"]);
  });
});
