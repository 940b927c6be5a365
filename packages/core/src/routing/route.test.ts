import { describe, expect, it } from "vitest";
import { createEngine } from "../engine/engine.js";
import { isJicengError } from "../errors/index.js";
import { safeLoadPack } from "../pack/load.js";

const local = { local: true, note: { zh: "本地设定，测试用", en: "local, for the test" } } as const;
const L = (zh: string, en = zh) => ({ zh, en });
const catIs = (v: string) => ({ all: [{ fact: "category", operator: "equal", value: v }] });

function pack(table: object, routing: object = {}) {
  return {
    id: "routing-test",
    version: "1.0.0",
    name: L("分流", "routing"),
    source: { documents: [{ id: "doc", title: L("文件", "doc") }] },
    facts: [
      { name: "receivedAt", type: "datetime", label: L("受理时间") },
      { name: "category", type: "enum", label: L("类别"), values: ["food", "noise", "fight", "other"].map((v) => ({ value: v, label: L(v) })), default: "other", ...local },
      { name: "several", type: "boolean", label: L("多部门"), default: false },
      { name: "major", type: "boolean", label: L("重大"), default: false },
    ],
    levels: [{ id: "general", rank: 1, label: L("一般"), colour: "blue", deadline: { amount: 10, ...local }, ...local }],
    grading: { default: { level: "general", ...local }, rules: [] },
    routing: {
      platforms: [{ id: "market", label: L("市场监管平台"), ...local }, { id: "governance", label: L("综治平台"), ...local }],
      departments: [{ id: "market-office", label: L("市场监管所"), platform: "market", ...local }, { id: "police", label: L("派出所"), platform: "governance", ...local }, { id: "enforcement", label: L("执法队"), platform: "governance", ...local }],
      table: "routing",
      coordinator: { id: "township", label: L("乡镇指挥室"), ...local },
      coordinators: [{ id: "district", label: L("区指挥中心"), ...local }],
      ...routing,
    },
    tables: { routing: table },
  };
}
const rows = [
  { id: "major", when: { all: [{ fact: "major", operator: "equal", value: true }] }, result: { coordinate: "district" }, ...local },
  { id: "several", when: { all: [{ fact: "several", operator: "equal", value: true }] }, result: { coordinate: true }, ...local },
  { id: "food", when: catIs("food"), result: { platform: "market", lead: "market-office" }, ...local },
  { id: "noise", when: catIs("noise"), result: { lead: "enforcement", cooperating: ["police"] }, ...local },
  { id: "fight", when: catIs("fight"), result: { platform: "governance", lead: "police" }, ...local },
];
const AT = "2023-03-06T09:00:00+08:00";
const collect = createEngine(pack({ label: L("分流"), hitPolicy: "collect", rows }));

describe("route(): facts → platform and lead department, with reasons", () => {
  it("one row: its platform and lead; the platform of a lead's department when the row names none", () => {
    expect(collect.route({ receivedAt: AT, category: "food" })).toMatchObject({ platform: "market", platformLabel: { zh: "市场监管平台" }, lead: "market-office", leadLabel: { zh: "市场监管所" }, coordinated: false, cooperating: [] });
    expect(collect.route({ receivedAt: AT, category: "noise" })).toMatchObject({ platform: "governance", lead: "enforcement", cooperating: ["police"] });
  });
  it("several departments: the coordinator leads and the departments cooperate", () => {
    const r = collect.route({ receivedAt: AT, category: "food", several: true });
    expect(r).toMatchObject({ platform: "market", lead: "township", cooperating: ["market-office"], coordinated: true });
    expect(r.reasons.map((x) => x.ruleId)).toEqual(["several", "food", "coordinator"]);
    expect(r.reasons.at(-1)!.label?.zh).toBe("须统筹协调，由乡镇指挥室统筹协调");
  });
  it("a row may name another coordinator, which then leads", () => {
    expect(collect.route({ receivedAt: AT, category: "fight", major: true, several: true })).toMatchObject({ lead: "district", cooperating: ["police"] });
  });
  it("no row and no default: the coordinator routes it by hand", () => {
    const r = collect.route({ receivedAt: AT, category: "other" });
    expect(r).toMatchObject({ lead: "township", coordinated: true, platforms: [] });
    expect(r.platform).toBeUndefined();
    expect(r.reasons[0]!.label?.en).toContain("no routing rule held");
  });
  it("a first table with two leads holding would pick one; a collect table with two leads coordinates", () => {
    const two = createEngine(pack({ label: L("分流"), hitPolicy: "collect", rows: [...rows, { id: "food-police", when: catIs("food"), result: { lead: "police" }, ...local }] }));
    expect(two.route({ receivedAt: AT, category: "food" })).toMatchObject({ lead: "township", cooperating: ["market-office", "police"], coordinated: true });
    const first = createEngine(pack({ label: L("分流"), hitPolicy: "first", rows: [...rows, { id: "food-police", when: catIs("food"), result: { lead: "police" }, ...local }] }));
    expect(first.route({ receivedAt: AT, category: "food" })).toMatchObject({ lead: "market-office", coordinated: false });
  });
  it("a unique table whose rows overlap is an error, not a guess", () => {
    const u = createEngine(pack({ label: L("分流"), hitPolicy: "unique", rows }));
    try {
      u.route({ receivedAt: AT, category: "food", several: true });
      expect.fail("expected TABLE_OVERLAP");
    } catch (e) {
      expect(isJicengError(e) && e.code).toBe("TABLE_OVERLAP");
    }
  });
  it("the route is kept on the case at intake; with autoDispatch the case is assigned to the lead", () => {
    expect(collect.start({ type: "intake", at: AT, facts: { receivedAt: AT, category: "food" } }).context.route?.lead).toBe("market-office");
    const auto = createEngine(pack({ label: L("分流"), hitPolicy: "collect", rows }, { autoDispatch: { ...local } }));
    const s = auto.start({ type: "intake", at: AT, by: "网格员", facts: { receivedAt: AT, category: "fight" } });
    expect([s.state, s.context.assignment?.leadUnit, s.context.assignment?.by]).toEqual(["resolving", "police", "auto-dispatch"]);
  });
  it("a pack without routing says so", () => {
    const { routing: _r, tables: _t, ...bare } = pack({ label: L("分流"), hitPolicy: "first", rows });
    try {
      createEngine(bare).route({ receivedAt: AT });
      expect.fail("expected USAGE");
    } catch (e) {
      expect(isJicengError(e) && e.code).toBe("USAGE");
    }
  });
});

describe("routing cross-checks at load, each with its path", () => {
  const issues = (p: object) => {
    const r = safeLoadPack(p);
    return r.success ? [] : r.issues.map((i) => [i.code, i.path.join(".")]);
  };
  it("an undeclared table", () => {
    expect(issues(pack({ label: L("分流"), hitPolicy: "first", rows }, { table: "nope" }))).toContainEqual(["UNKNOWN_TABLE", "routing.table"]);
  });
  it("results naming undeclared platforms, leads, cooperating departments or coordinators, and unknown keys", () => {
    const bad = issues(pack({ label: L("分流"), hitPolicy: "first", rows: [{ id: "x", when: catIs("food"), result: { platform: "mars", lead: "nobody", cooperating: ["ghost"], coordinate: "moon", colour: "red" }, ...local }] }));
    expect(bad).toEqual(expect.arrayContaining([
      ["UNKNOWN_FACT", "tables.routing.rows.0.result.platform"],
      ["UNKNOWN_FACT", "tables.routing.rows.0.result.lead"],
      ["UNKNOWN_FACT", "tables.routing.rows.0.result.cooperating.0"],
      ["SCHEMA", "tables.routing.rows.0.result.coordinate"],
      ["SCHEMA", "tables.routing.rows.0.result.colour"],
    ]));
  });
  it("a department on an undeclared platform; a coordinator with a department's id", () => {
    const bad = issues(pack({ label: L("分流"), hitPolicy: "first", rows }, { departments: [{ id: "township", label: L("x"), platform: "sea", ...local }] }));
    expect(bad).toContainEqual(["UNKNOWN_FACT", "routing.departments.0.platform"]);
    expect(bad).toContainEqual(["DUPLICATE_ID", "routing.coordinator.id"]);
  });
});
