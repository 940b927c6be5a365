// The pack against its two sources: the Lanxi plan (read through JICENG_SOURCES, checked word for word) and
// the Regulations on Petition Work (信访工作条例, 2022), which is not in the repository — its cites
// are checked for form and for agreeing with the values, and are listed in the README to verify.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";
import { withSourceText } from "../../../test/sources.js";

withSourceText("lanxi-3456-four-platforms.txt", (text) => {

  interface Cite {
    doc: string;
    clause: string;
    quote?: string | undefined;
  }
  type Node = { cite?: Cite; local?: true; note?: { zh: string; en: string } };

  const LANXI = "lanxi-2019";
  const REGULATION = "xinfang-2022";
  const normalise = (s: string): string => s.replace(/[\s\u00a0]+/g, "");
  const lines = text.split("\n").map((l) => l.replace(/^[\s\u00a0]+/, "")).filter((l) => l);
  const NUM = "一二三四五六七八九十";

  /** §四(三)2 = chapter 四、, section (三), item 2 (written "2、" or, once, "3建立…"). §四(三) = the whole section. */
  function clauseText(clause: string): string | undefined {
    const m = /^§([一二三四五六])(?:\(([一二三四五六七])\))?(\d+)?$/.exec(clause);
    if (!m) return undefined;
    const [, ch, sec, item] = m as unknown as [string, string, string | undefined, string | undefined];
    const chStart = lines.findIndex((l) => l.startsWith(`${ch}、`));
    if (chStart < 0) return undefined;
    let chEnd = lines.findIndex((l, i) => i > chStart && new RegExp(`^[${NUM}]、`).test(l));
    if (chEnd < 0) chEnd = lines.length;
    let body = lines.slice(chStart, chEnd);
    if (sec !== undefined) {
      const s = body.findIndex((l) => l.startsWith(`(${sec})`));
      if (s < 0) return undefined;
      const e = body.findIndex((l, i) => i > s && /^\([一二三四五六七八九十]\)/.test(l));
      body = body.slice(s, e < 0 ? undefined : e);
    }
    if (item !== undefined) {
      const s = body.findIndex((l) => new RegExp(`^${item}(、|[^\\d、])`).test(l));
      return s < 0 ? undefined : body[s];
    }
    return body.join("\n");
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
  const cites = all.filter(([, n]) => n.cite).map(([p, n]) => [p, n.cite!] as const);

  describe("the clause finder reads the plan's structure", () => {
    it("finds items, including the one written without 、 (§四(五)3)", () => {
      expect(clauseText("§四(三)2")).toContain("闭环管理机制");
      expect(clauseText("§四(三)3")).toContain("派驻机构属地管理");
      expect(clauseText("§四(五)3")).toContain("矛盾纠纷下降幅度达10%以上");
      expect(clauseText("§四(二)2")).toContain("化解率达到95%以上");
      expect(clauseText("§四(四)5")).toContain("三级终结");
    });
    it("keeps items apart and finds nothing that is not there", () => {
      expect(clauseText("§四(三)2")).not.toContain("派驻机构属地管理各项制度");
      expect(clauseText("§四(三)9")).toBeUndefined();
      expect(clauseText("§七(一)1")).toBeUndefined();
    });
  });

  describe("every cite of the Lanxi plan is in its clause, word for word", () => {
    const lanxi = cites.filter(([, c]) => c.doc === LANXI);
    it("most cites are to the plan", () => expect(lanxi.length).toBeGreaterThan(20));
    it.each(lanxi)("%s", (_where, c) => {
      const t = clauseText(c.clause);
      expect(t, `clause ${c.clause} exists`).toBeDefined();
      expect(normalise(t!)).toContain(normalise(c.quote!));
    });
  });

  describe("信访工作条例 (not in the repository): cites have the form of its articles and agree with the values", () => {
    const doc = pack.source.documents.find((d) => d.id === REGULATION)!;
    const reg = cites.filter(([, c]) => c.doc === REGULATION);
    it("is declared with its official title and issuers, and no file (its text is not among the source texts)", () => {
      expect(doc.title.zh).toBe("信访工作条例");
      expect(doc.issuer?.zh).toBe("中共中央、国务院");
      expect(doc.file).toBeUndefined();
    });
    it.each(reg)("%s names an article", (_where, c) => expect(c.clause).toMatch(/^第[一二三四五六七八九十]+条$/));
    it("受理后60日内办结, 延期不超过30日 (第三十四条), 复查、复核各30日 (第三十五条、第三十六条)", () => {
      const limit = pack.lifecycle!.timeLimits![0]!;
      expect([limit.deadline.amount, limit.deadline.cite?.clause]).toEqual([60, "第三十四条"]);
      expect(limit.deadline.cite?.quote).toContain("60日");
      expect([limit.extension!.maxDays, limit.extension!.cite?.quote]).toEqual([30, "延长期限不得超过30日"]);
      const rv = pack.lifecycle!.reviews!;
      expect(rv.stages.map((s) => [s.label.zh, s.deadline.amount, s.deadline.cite?.clause])).toEqual([["复查", 30, "第三十五条"], ["复核", 30, "第三十六条"]]);
      for (const s of rv.stages) expect(s.deadline.cite?.quote).toContain(`${s.label.zh}意见`);
      expect([rv.requestWithin?.amount, rv.requestWithin?.cite?.clause]).toEqual([30, "第三十五条"]);
    });
    it("the README lists every article cited, to be verified against the official text", () => {
      const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
      for (const [, c] of reg) expect(readme).toContain(c.clause);
      expect(readme).toContain("核对");
    });
  });

  describe("what the documents do not state is local, and says so", () => {
    const locals = all.filter(([p, n]) => n.local && !p.startsWith("$.scoring"));
    it.each(locals)("%s", (_where, n) => {
      expect(n.note?.zh).toMatch(/文件(未|只|没有|规定|要求)|只有一个等级|没有分流规则|全部命中行/);
      expect(n.note?.en.length).toBeGreaterThan(10);
    });
    it("the four platforms are local: the plan names “基层治理四平台” but does not list them", () => {
      for (const p of pack.routing!.platforms) expect(p.local).toBe(true);
    });
    it("sign-for is the plan's (及时签收); its 24 hours are local", () => {
      expect(pack.lifecycle!.acknowledge!.cite?.quote).toContain("及时签收");
      expect(pack.lifecycle!.acknowledge!.deadline.local).toBe(true);
    });
  });

  describe("each value agrees with the words it quotes", () => {
    it("§四(三)2: the six stages of the closed loop, in order", () => {
      const st = pack.lifecycle!.stages!;
      const loop = normalise(st.cite!.quote!);
      const names = ["graded", "assigned", "resolving", "escalation-pending", "resolved", "closed"].map((k) => (st as Record<string, { zh: string }>)[k]!.zh.replace(/（.*）$/, ""));
      expect(names).toEqual(["信息收集", "分流交办", "执行处置", "日常督办", "信息反馈", "督查考核"]);
      let from = 0;
      for (const n of names) {
        const i = loop.indexOf(n, from);
        expect(i, n).toBeGreaterThanOrEqual(0);
        from = i;
      }
    });
    it("§四(三)3: every stationed agency of the routing is one the clause names", () => {
      const q = normalise(clauseText("§四(三)3")!);
      const words: Record<string, string> = { "comprehensive-governance-office": "综治", "petitions-office": "信访", "police-station": "公安", "justice-office": "司法", "emergency-office": "应急", "market-regulation-office": "市场监管", "law-enforcement-squad": "行政执法", "land-office": "国土", "planning-office": "城乡规划", "health-office": "卫健" };
      for (const d of pack.routing!.departments!) if (d.cite?.clause === "§四(三)3") expect(q).toContain(words[d.id]);
    });
    it("§四(二)2 and §四(五)3: the targets are 95% and 10%", () => {
      const s = pack.scoring as { targets: Array<{ value: number; cite: Cite }>; trends: Array<{ by: { percent: number }; cite: Cite }> };
      expect(s.targets[0]!.value).toBe(95);
      expect(s.targets[0]!.cite.quote).toContain("95%");
      expect(s.trends[0]!.by.percent).toBe(10);
      expect(s.trends[0]!.cite.quote).toContain("10%");
    });
  });

  describe("the golden cases cover every routing row and the petition limit", () => {
    const cases = loadGoldenCases<{ expected: { ruleIds?: string[]; timeLimit?: string } }>(new URL("../cases/", import.meta.url)).map((g) => g.case);
    it("routing rows seen in cases", () => {
      const seen = new Set(cases.flatMap((c) => c.expected.ruleIds ?? []));
      const rows = (pack.tables as Record<string, { rows: Array<{ id: string }> }>)["routing"]!.rows.map((r) => r.id);
      expect(rows.filter((r) => !seen.has(r))).toEqual([]);
    });
    it("the petition time limit", () => expect(cases.some((c) => c.expected.timeLimit === "petition")).toBe(true));
  });
});
