// The pack against the district "三中心一平台" plan: every cite names a part that exists, every
// quote is in it word for word, and what the plan does not state is `local` with a note.
import { describe, expect, it } from "vitest";
import { loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";
import { withSourceText } from "../../../test/sources.js";

withSourceText("district-three-centers-one-platform.txt", (raw) => {
  const text = raw.replace(/\s+/g, "");

  interface Cite {
    doc: string;
    clause: string;
    quote?: string | undefined;
  }
  type Node = { cite?: Cite; local?: true; note?: { zh: string; en: string } };

  const DOC_ID = "district-3c1p";
  const normalise = (s: string): string => s.replace(/\s+/g, "");

  // The plan is one run of text. Its chapters, in order; sections (一)…(七) inside a chapter;
  // inside §四(七) the items 一是…九是.
  const CHAPTERS = ["一、指导思想", "二、工作原则", "三、工作目标", "四、重点任务", "五、保障措施"];
  const NUM = "一二三四五六七八九";
  function between(s: string, start: string, ends: string[]): string | undefined {
    const i = s.indexOf(start);
    if (i < 0) return undefined;
    const rest = s.slice(i);
    const cut = ends.map((e) => rest.indexOf(e, start.length)).filter((j) => j > 0);
    return cut.length ? rest.slice(0, Math.min(...cut)) : rest;
  }
  function clauseText(clause: string): string | undefined {
    const m = /^§([一二三四五])(?:\(([一二三四五六七])\)([一二三四五六七八九])?)?$/.exec(clause);
    if (!m) return undefined;
    const [, ch, sec, item] = m as unknown as [string, string, string | undefined, string | undefined];
    const c = CHAPTERS.findIndex((h) => h.startsWith(`${ch}、`));
    let body = between(text, CHAPTERS[c]!, CHAPTERS.slice(c + 1));
    if (!body || sec === undefined) return body;
    body = between(body, `(${sec})`, [`(${NUM[NUM.indexOf(sec) + 1]})`]);
    if (!body || item === undefined) return body;
    return between(body, `${item}是`, [`${NUM[NUM.indexOf(item) + 1]}是`]);
  }

  function provenanced(node: unknown, path: string, out: Array<[string, Node]> = []): Array<[string, Node]> {
    if (Array.isArray(node)) node.forEach((x, i) => provenanced(x, `${path}[${i}]`, out));
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n["cite"] !== undefined || n["local"] === true) out.push([path, n as Node]);
      for (const [k, v] of Object.entries(n)) if (k !== "cite" && k !== "note" && k !== "when" && k !== "conditions") provenanced(v, `${path}.${k}`, out);
    }
    return out;
  }
  const all = provenanced(pack, "$");

  describe("the clause finder reads the plan's structure", () => {
    it("finds sections and the numbered mechanisms of §四(七)", () => {
      expect(clauseText("§四(三)")).toContain("综合监督平台");
      expect(clauseText("§四(三)")).not.toContain("全科网格");
      expect(clauseText("§四(七)三")).toContain("问题收集—街道吹哨—部门报到—处理反馈—核实结项—综合评价");
      expect(clauseText("§四(七)三")).not.toContain("统筹协调机制");
      expect(clauseText("§四(七)五")).toContain("重大疑难");
      expect(clauseText("§三")).toContain("四个功能性平台");
    });
    it("finds nothing that is not there", () => {
      expect(clauseText("§四(八)")).toBeUndefined();
      expect(clauseText("§六")).toBeUndefined();
    });
  });

  describe("every cite points into the plan, word for word", () => {
    const EXTERNAL = new Set((pack.source.documents as Array<{ id: string; external?: true }>).filter((d) => d.external).map((d) => d.id));
    const cites = all.filter(([, n]) => n.cite && !EXTERNAL.has(n.cite.doc)).map(([p, n]) => [p, n.cite!] as const);
    it("the pack has one source, the plan (undated, cut off)", () => {
      expect(pack.source.documents.filter((d) => !EXTERNAL.has(d.id)).map((d) => d.id)).toEqual([DOC_ID]);
      expect([...EXTERNAL]).toEqual(["prc-civil-code"]);
      expect(pack.source.documents[0]?.issuedOn).toBeUndefined();
    });
    it.each(cites)("%s", (_where, c) => {
      expect(c.doc).toBe(DOC_ID);
      const t = clauseText(c.clause);
      expect(t, `clause ${c.clause} exists`).toBeDefined();
      expect(normalise(t!)).toContain(normalise(c.quote!));
    });
  });

  describe("what the plan does not state is local, and says so", () => {
    // The scoring section is the scoring issue's; its notes are checked there.
    const locals = all.filter(([p, n]) => n.local && !p.startsWith("$.scoring"));
    it.each(locals)("%s", (_where, n) => {
      expect(n.note?.zh).toMatch(/文件(未|没有|规定)|§四\(三\)未展开|§三列有|只有一个等级|没有分流规则|全部命中行|是文件规定的环节/);
      expect(n.note?.en.length).toBeGreaterThan(10);
    });
    it("no time limit is the plan's: handling and report-in limits are local", () => {
      expect(pack.levels[0]!.deadline.local).toBe(true);
      expect(pack.lifecycle!.acknowledge!.deadline.local).toBe(true);
    });
    it("the loop's steps are the plan's, cited; the evaluation scale and the simple-item list are local", () => {
      expect(pack.lifecycle!.verification!.cite?.clause).toBe("§四(七)三");
      expect(pack.lifecycle!.evaluation!.cite?.clause).toBe("§四(七)三"); // the step is cited; its ratings and its place before closing are local
      expect((pack.lifecycle!.evaluation as { fieldProvenance?: Record<string, { local?: true }> }).fieldProvenance?.["ratings"]?.local).toBe(true);
      expect(pack.lifecycle!.selfClose!.cite?.clause).toBe("§四(四)");
      expect(pack.facts.find((f) => f.name === "simpleItem")!.local).toBe(true);
    });
  });

  describe("each value agrees with the words it quotes", () => {
    it("§四(七)三: the stages follow 问题收集 → 街道吹哨 → 部门报到 → 处理反馈 → 核实结项 → 综合评价", () => {
      const lc = pack.lifecycle!;
      expect([lc.assignment!.label!.zh, lc.acknowledge!.label.zh, lc.verification!.label.zh, lc.evaluation!.label.zh]).toEqual(["街道吹哨", "部门报到", "核实结项", "综合评价"]);
      const loop = lc.stages!.cite!.quote!;
      for (const w of ["问题收集", "街道吹哨", "部门报到", "处理反馈", "核实结项", "综合评价"]) expect(loop).toContain(w);
    });
    it("§三: four platforms, named as the plan names them", () => {
      const q = pack.routing!.platforms[0]!.cite!.quote!;
      expect(pack.routing!.platforms.map((p) => p.label.zh)).toEqual(["综合治理平台", "综合监督（市场监管）平台", "综合执法平台", "便民服务平台"]);
      for (const w of ["综合治理", "综合监督", "综合执法", "便民服务"]) expect(q).toContain(w);
    });
    it("§四(三): every category routed to the governance platform is work the plan gives it", () => {
      const q = normalise(clauseText("§四(三)")!);
      const cat = pack.facts.find((f) => f.name === "category")!;
      const governance = (pack.tables as Record<string, { rows: Array<{ when: { all: Array<{ value: unknown }> }; result: { platform?: string } }> }>)["routing"]!.rows.filter((r) => r.result.platform === "comprehensive-governance").flatMap((r) => r.when.all[0]!.value as string[]);
      for (const v of governance) expect(q).toContain(cat.values!.find((x) => x.value === v)!.label.zh.replace(/（.*）$/, ""));
    });
  });

  describe("the golden cases cover every routing row", () => {
    const cases = loadGoldenCases<{ expected: { ruleIds?: string[] } }>(new URL("../cases/", import.meta.url)).map((g) => g.case);
    it("every row", () => {
      const seen = new Set(cases.flatMap((c) => c.expected.ruleIds ?? []));
      const rows = (pack.tables as Record<string, { rows: Array<{ id: string }> }>)["routing"]!.rows.map((r) => r.id);
      expect(rows.filter((r) => !seen.has(r))).toEqual([]);
    });
  });
});
