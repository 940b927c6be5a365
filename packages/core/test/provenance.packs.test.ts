// Issue 16, "a check that keeps it so": in every pack each rule-bearing value is cited or local;
// lint lists every local value and every cite to an external source; validate refuses a value that is neither.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { provenanceReport, uncoveredValueIssues } from "../src/pack/provenance.js";
import { safeLoadPack } from "../src/pack/load.js";
import { lintPack } from "../src/cli/lint.js";

const PACKS = ["guyuan", "xiji", "lanxi", "three-centers", "ankang"] as const;
const packOf = (id: string) => JSON.parse(readFileSync(new URL(`../../rules-${id}/pack.json`, import.meta.url), "utf8")) as Record<string, any>;

describe.each(PACKS)("rules-%s", (id) => {
  const pack = packOf(id);
  it("has no rule-bearing value that is neither cited nor local", () => {
    expect(uncoveredValueIssues(pack)).toEqual([]);
  });
  it("cites the Civil Code for rolling a time limit over rest days, as an external source, and lint lists it", () => {
    const ext = lintPack(pack).filter((i) => i.code === "EXTERNAL_CITE").map((i) => i.path.join("."));
    expect(ext).toContain("calendar.rollOverRestDays");
    expect(pack.source.documents.find((d: { id: string }) => d.id === "prc-civil-code")?.external).toBe(true);
  });
  it("validate refuses the pack once a policy value loses its provenance (MISSING_CITE with the value's path)", () => {
    const broken = structuredClone(pack);
    delete broken.calendar.fieldProvenance;
    const r = safeLoadPack(broken);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.filter((i) => i.code === "MISSING_CITE").map((i) => i.path.join("."))).toEqual(["calendar.rollOverRestDays"]);
  });
  it("every variant loads, and every local value has a note", () => {
    const r = safeLoadPack(pack);
    expect(r.success).toBe(true);
    for (const v of pack.variants ?? []) expect(safeLoadPack(pack, { variant: v.id }).success).toBe(true);
    for (const e of provenanceReport(pack).filter((x) => x.kind === "local")) expect(e.note?.zh, JSON.stringify(e.path)).toBeTruthy();
  });
});

describe("the readings issue 16 names are local, each with the words it interprets", () => {
  const local = (id: string) => new Map(provenanceReport(packOf(id)).filter((e) => e.kind === "local").map((e) => [e.path.join("."), e.note!.zh]));
  it.each([
    ["xiji", "lifecycle.regrade", "动态管理"],
    ["xiji", "lifecycle.assignment.assignedDeadline.beyondLimit", "化解时限"],
    ["xiji", "scoring.assessment.subject.field", "派出机构"],
    ["guyuan", "escalation.upgrade.clock", "可分别升级为橙色等级和红色等级"],
    ["guyuan", "escalation.extend.maxDays", "延期"],
    ["guyuan", "escalation.extend.decidedBy", "延期化解"],
    ["guyuan", "lifecycle.followUp", "定期了解思想动态"],
    ["guyuan", "lifecycle.assignment.assignedDeadline.governs", "在规定时限内不能化解"],
    ["guyuan", "numbering.date.fallback", "按照摸排时间"],
    ["lanxi", "escalation.decidedBy", "中枢"],
    ["lanxi", "escalation.requestRequired", "申请"],
    ["lanxi", "tables.routing.rows.0", "统一指挥协调"],
    ["lanxi", "escalation.report.chain.0", "日常督办"],
    ["three-centers", "escalation.decidedBy", "流转督办"],
    ["three-centers", "lifecycle.evaluation.required", "核实结项—综合评价"],
    ["ankang", "units.kinds.2.parents", "以村民小组为单位设立二级网格"],
    ["ankang", "tables.households.facts.5.values", "脱贫边缘户风险户"],
    ["lanxi", "lifecycle.supervision.requiredBeforeResolve", "信息收集——分流交办——执行处置——日常督办——信息反馈——督查考核"],
    ["lanxi", "lifecycle.supervision.by", "督查督办"],
    ["lanxi", "lifecycle.supervision.interval", "日常督办"],
    ["lanxi", "scoring.teams.0.field", "1+1+1+X"],
    ["lanxi", "scoring.teams.1.items.0", "以奖代补"],
    ["three-centers", "routing.oversight.platforms", "执法监管问题"],
    ["three-centers", "lifecycle.supervision.requiredBeforeResolve", "统一督办"],
    ["three-centers", "units.kinds.1.code.digits", "统一编码"],
    ["three-centers", "units.kinds.2.parents", "不留空白区域，不得交叉重叠"],
  ])("%s %s quotes “%s”", (id, path, words) => {
    const notes = local(id);
    expect(notes.has(path), `${path} is local`).toBe(true);
    expect(notes.get(path)).toContain(words);
  });
  it("Lanxi's cites to 《信访工作条例》 are external, with a note on 第三十一条第六项 and the dates", () => {
    const p = packOf("lanxi");
    const ext = lintPack(p).filter((i) => i.code === "EXTERNAL_CITE");
    expect(ext.filter((i) => i.message.en.includes("xinfang-2022")).length).toBeGreaterThanOrEqual(8);
    const doc = p.source.documents.find((d: { id: string }) => d.id === "xinfang-2022");
    expect(doc.external).toBe(true);
    expect(doc.note.zh).toContain("第三十一条第六项");
    expect(doc.note.zh).toContain("晚于方案");
  });
});

describe("provenanceReport", () => {
  const base = { calendar: { rollOverRestDays: true }, lifecycle: { regrade: "never", checklists: [] }, escalation: { requestRequired: true, decidedBy: { id: "b", label: { zh: "支部", en: "branch" }, cite: { doc: "d", clause: "§1" } } } };
  it("finds values with no provenance on themselves or any object above them, and skips empty lists", () => {
    expect(provenanceReport(base).filter((e) => e.kind === "uncovered").map((e) => e.path.join("."))).toEqual(["calendar.rollOverRestDays", "lifecycle.regrade", "escalation.requestRequired"]);
  });
  it("a fieldProvenance entry covers its field, and is listed as local or external", () => {
    const p = structuredClone(base) as Record<string, any>;
    p.source = { documents: [{ id: "law", external: true }] };
    p.calendar.fieldProvenance = { rollOverRestDays: { cite: { doc: "law", clause: "第二百零三条" } } };
    p.lifecycle.fieldProvenance = { regrade: { local: true, note: { zh: "解读", en: "a reading" } } };
    p.escalation.fieldProvenance = { requestRequired: { cite: { doc: "d", clause: "§2" } } };
    const r = provenanceReport(p);
    expect(r.filter((e) => e.kind === "uncovered")).toEqual([]);
    expect(r.filter((e) => e.kind !== "uncovered").map((e) => [e.kind, e.path.join("."), e.field])).toEqual([["external", "calendar.rollOverRestDays", true], ["local", "lifecycle.regrade", true]]);
  });
  it("fieldProvenance may only name fields its object has", () => {
    const p = structuredClone(packOf("xiji"));
    p.lifecycle.fieldProvenance.regrad = p.lifecycle.fieldProvenance.regrade;
    const r = safeLoadPack(p);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.map((i) => i.path.join("."))).toContain("lifecycle.fieldProvenance.regrad");
  });
  it("a variant that sets a path the pack does not have is refused at load", () => {
    const p = structuredClone(packOf("xiji"));
    p.variants[0].set = [{ path: "lifecycle.nothing.here", value: 1 }];
    const r = safeLoadPack(p);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.issues.map((i) => i.path.join("."))).toContain("variants.0.set.0.path");
  });
});

describe.each(PACKS)("rules-%s README", (id) => {
  const readme = readFileSync(new URL(`../../rules-${id}/README.md`, import.meta.url), "utf8");
  const table = readme.slice(readme.indexOf("## 解读一览 · Readings"));
  it("has a readings table that names every variant switching a reading, and the Civil Code roll-over", () => {
    expect(readme).toContain("## 解读一览 · Readings");
    for (const v of packOf(id).variants ?? []) expect(table, v.id).toContain(`\`${v.id}\``);
    expect(table).toContain("`calendar.rollOverRestDays`");
  });
});
