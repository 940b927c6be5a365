// The pack against the text of the Xiji "1133" article: every cite names a paragraph that exists,
// every quote is in that paragraph word for word, and every value the article does not state is
// `local` with a note that says so. Needs no engine: it reads pack.json, the cases and the article.
import { describe, expect, it } from "vitest";
import { loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";
import { withSourceText } from "../../../test/sources.js";

withSourceText("xiji-1133.txt", (article) => {

  interface Cite {
    doc: string;
    clause: string;
    quote?: string | undefined;
  }
  type Node = { cite?: Cite; local?: true; note?: { zh: string; en: string } };

  const DOC_ID = "xiji-1133";
  const normalise = (s: string): string => s.replace(/\s+/g, "");

  // The article has four parts, each under a two-line heading; §一 … §四 in order, ¶n the n-th
  // paragraph under the heading.
  const HEADINGS = ["建强1个功能型党组织", "用好1个综治指挥平台", "健全3项工作机制", "建立3张管理清单"];
  const PART = "一二三四";
  const lines = article.split("\n");

  function clauseText(clause: string): string | undefined {
    const m = /^§([一二三四])¶(\d+)$/.exec(clause);
    if (!m) return undefined;
    const part = PART.indexOf(m[1]!);
    const start = lines.findIndex((l) => l.trim() === HEADINGS[part]);
    if (start < 0) return undefined;
    const next = part + 1 < HEADINGS.length ? lines.findIndex((l) => l.trim() === HEADINGS[part + 1]) : lines.length;
    const paragraphs = lines.slice(start + 2, next).filter((l) => l.trim());
    return paragraphs[Number(m[2]) - 1];
  }

  /** Every node of the pack that carries a provenance, with its path. */
  function provenanced(node: unknown, path: string, out: Array<[string, Node]> = []): Array<[string, Node]> {
    if (Array.isArray(node)) node.forEach((x, i) => provenanced(x, `${path}[${i}]`, out));
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n["cite"] !== undefined || n["local"] === true) out.push([path, n as Node]);
      for (const [k, v] of Object.entries(n)) if (k !== "cite" && k !== "note" && k !== "conditions") provenanced(v, `${path}.${k}`, out);
    }
    return out;
  }
  const all = provenanced(pack, "$");
  const EXTERNAL = new Set((pack.source.documents as Array<{ id: string; external?: true }>).filter((d) => d.external).map((d) => d.id));
  const cited = all.filter(([, n]) => n.cite && !EXTERNAL.has(n.cite.doc)).map(([p, n]) => [p, n.cite!] as const);
  // The scoring section (dual assessment, KPIs) is the scoring issue's; its notes are checked there.
  const locals = all.filter(([p, n]) => n.local && !p.startsWith("$.scoring"));

  describe("the clause finder reads the article's structure", () => {
    it("finds §四¶2 (the problem list) and §四¶5 (the rectification list) as separate paragraphs", () => {
      expect(clauseText("§四¶2")).toContain("评估赋分");
      expect(clauseText("§四¶2")).not.toContain("不放过");
      expect(clauseText("§四¶5")).toContain("不放过");
      expect(clauseText("§四¶4")).toContain("四定三包");
      expect(clauseText("§一¶3")).toContain("周碰头");
    });
    it("finds no paragraph the article does not have", () => {
      expect(clauseText("§四¶9")).toBeUndefined();
      expect(clauseText("§五¶1")).toBeUndefined();
    });
  });

  describe("every cite points into the article, word for word", () => {
    it("the pack has one source, the article", () => {
      expect(pack.source.documents.filter((d) => !EXTERNAL.has(d.id)).map((d) => d.id)).toEqual([DOC_ID]);
      expect([...EXTERNAL]).toEqual(["prc-civil-code"]);
      expect(pack.source.documents[0]?.file).toBe("xiji-1133.txt");
    });
    it.each(cited)("%s", (_where, cite) => {
      expect(cite.doc).toBe(DOC_ID);
      const text = clauseText(cite.clause);
      expect(text, `paragraph ${cite.clause} exists`).toBeDefined();
      expect(cite.quote, "a quote").toBeTruthy();
      expect(normalise(text!), `the quote is inside ${cite.clause}`).toContain(normalise(cite.quote!));
    });
  });

  describe("what the article does not state is local, and says so", () => {
    it("评估赋分: every point and every threshold is local (the article publishes none)", () => {
      for (const p of pack.grading.score!.points) expect(p.local, p.id).toBe(true);
      for (const t of pack.grading.score!.thresholds) expect(t.local, t.level).toBe(true);
    });
    it("the time limits are local (the article gives none; the defaults come from the Guyuan city plan)", () => {
      for (const l of pack.levels) {
        expect(l.deadline.local).toBe(true);
        expect(l.deadline.note?.zh).toContain("固党办〔2022〕49号");
      }
    });
    it.each(locals)("%s: its note says the article does not state it", (_where, node) => {
      expect(node.note?.zh).toMatch(/文件(未|只|没有)|未达/);
      expect(node.note?.en.length).toBeGreaterThan(20);
    });
    it("the three colours, 四定三包, 五不放过 and the rectification fields are cited, not local", () => {
      const local = new Set(locals.map(([p]) => p));
      for (const p of ["$.levels[0]", "$.lifecycle.assignment", "$.lifecycle.checklists[0]", "$.lifecycle.rectification", "$.lifecycle.meetings", "$.grading.score"]) expect(local.has(p), p).toBe(false);
    });
  });

  describe("each value agrees with the words it quotes", () => {
    const text = (c: Cite) => normalise(c.quote ?? "");
    it("§四¶4 四定: the four fields required are the four the quote fixes", () => {
      const a = pack.lifecycle!.assignment!;
      expect(a.required).toEqual(["responsibleLeader", "responsiblePerson", "measures", "deadline"]);
      for (const f of a.required!) expect(text(a.cite!)).toContain(normalise((a.fieldLabels as Record<string, { zh: string }>)[f]!.zh));
      for (const d of a.duties!) expect(text(a.cite!)).toContain(d.label.zh.replace(/^包/, ""));
    });
    it("§四¶5 五不放过: one item for each of the five, in order", () => {
      const c = pack.lifecycle!.checklists![0]!;
      expect(c.before).toBe("close");
      expect(c.items).toHaveLength(5);
      const quote = text(c.cite!);
      const words = ["问题", "隐患", "责任", "整改", "群众"];
      c.items.forEach((item, i) => expect(item.label.zh.startsWith(words[i]!) && quote.includes(`${words[i]}`)).toBe(true));
    });
    it("§四¶5 整改清单: the four fields of a record are the ones the quote describes", () => {
      const quote = text(pack.lifecycle!.rectification!.cite!);
      for (const w of ["未办结原因", "主要困难", "是否需要上级部门协调", "整改措施"]) expect(quote).toContain(w);
      expect(pack.lifecycle!.rectification!.required).toEqual(["reason", "difficulty", "needsCoordination", "measures"]);
    });
    it("§一¶3: the meetings are named 周碰头, 月研判, 季考核", () => {
      const m = pack.lifecycle!.meetings!;
      expect([m.weekly!.zh, m.monthly!.zh, m.quarterly!.zh]).toEqual(["周碰头", "月研判", "季考核"]);
      for (const w of ["周碰头", "月研判", "季考核"]) expect(text(m.cite!)).toContain(w);
    });
    it("§四¶2: the focus areas and instability factors are the ones the quote lists", () => {
      const quote = text(pack.facts.find((f) => f.name === "area")!.cite!);
      for (const v of pack.facts.find((f) => f.name === "area")!.values!) if (v.value !== "other") expect(quote).toContain(normalise(v.label.zh));
      for (const v of pack.facts.find((f) => f.name === "instability")!.values!) expect(quote).toContain(v.label.zh);
    });
  });

  describe("the golden cases cover every score item and every level", () => {
    const cases = loadGoldenCases<{ expected: { level: string; pointIds: string[] } }>(new URL("../cases/", import.meta.url)).filter((g) => g.file.startsWith("score-")).map((g) => g.case);
    it("every level", () => expect(new Set(cases.map((c) => c.expected.level))).toEqual(new Set(pack.levels.map((l) => l.id))));
    it("every score item", () => {
      const seen = new Set(cases.flatMap((c) => c.expected.pointIds));
      expect(pack.grading.score!.points.map((p) => p.id).filter((id) => !seen.has(id))).toEqual([]);
    });
  });
});
