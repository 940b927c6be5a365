// The pack against the text of 固党办〔2022〕49号: every cite names a clause that exists, every
// quote is in that clause word for word, and every value the document does not state is `local`.
// Needs no engine: it reads pack.json, the cases and the document only.
import { describe, expect, it } from "vitest";
import { loadGoldenCases } from "@jiceng/core/testing";
import pack from "../src/index.js";
import { withSourceText } from "../../../test/sources.js";

withSourceText("guyuan-1+1+3.txt", (documentText) => {

  interface Cite {
    doc: string;
    clause: string;
    quote?: string | undefined;
  }

  const DOC_ID = "guyuan-2022-49";

  /** The text's ** bold markup and its line and page breaks are not part of the words. */
  const normalise = (s: string): string => s.replace(/\*\*/g, "").replace(/\s+/g, "");

  const NUMERALS = "一二三四五六七八九十";
  const nextNumeral = (n: string): string => NUMERALS[NUMERALS.indexOf(n) + 1] ?? "十一";

  /** From the first line matching `start` up to (not including) the next line matching `end`. */
  function slice(text: string, start: RegExp, end: RegExp | null): string | undefined {
    const s = start.exec(text);
    if (!s) return undefined;
    const rest = text.slice(s.index);
    if (!end) return rest;
    const e = end.exec(rest.slice(1));
    return e ? rest.slice(0, e.index + 1) : rest;
  }

  /**
   * The text of a clause: `§二(三)8` is chapter 二、, section （三）, item 8.; `附件说明4` is note 4
   * under the appendix table. Undefined if the document has no such clause.
   */
  function clauseText(clause: string): string | undefined {
    const main = /^§([一二三四五六七八九十])\(([一二三四五六七八九十])\)(\d+)?$/.exec(clause);
    if (main) {
      const [, ch, sec, item] = main as unknown as [string, string, string, string | undefined];
      const chapter = slice(documentText, new RegExp(`^${ch}、`, "m"), new RegExp(`^(${nextNumeral(ch)}、|附件：)`, "m"));
      const section = chapter && slice(chapter, new RegExp(`^[（(]\\s*${sec}\\s*[）)]`, "m"), new RegExp(`^[（(]\\s*${nextNumeral(sec)}\\s*[）)]`, "m"));
      if (!section || item === undefined) return section;
      return slice(section, new RegExp(`^${item}\\.`, "m"), new RegExp(`^${Number(item) + 1}\\.`, "m"));
    }
    if (clause === "附件") return slice(documentText, /^附件：/m, null);
    const note = /^附件说明(\d+)$/.exec(clause);
    if (note) {
      const appendix = slice(documentText, /^附件：/m, null);
      return appendix?.split("\n").find((line) => new RegExp(`^-\\s*(说明：)?${note[1]}\\.`).test(line));
    }
    return undefined;
  }

  /** Every cite in the pack, with where it is. */
  function cites(): Array<[string, Cite | undefined]> {
    const out: Array<[string, Cite | undefined]> = [];
    pack.levels.forEach((l) => {
      out.push([`levels.${l.id}`, l.cite]);
      out.push([`levels.${l.id}.deadline`, l.deadline.cite]);
    });
    out.push(["grading.default", pack.grading.default.cite]);
    pack.grading.rules.forEach((r) => out.push([`grading.rules.${r.id}`, r.cite]));
    pack.facts.forEach((f) => {
      if (f.values || f.cite) out.push([`facts.${f.name}`, f.cite]);
    });
    out.push(["numbering", pack.numbering?.cite]);
    (pack.variants ?? []).forEach((v) => { if (!v.local) out.push([`variants.${v.id}`, v.cite]); }); // local variants switch a reading
    const lc = pack.lifecycle;
    if (lc?.assignment) out.push(["lifecycle.assignment", lc.assignment.cite]);
    if (lc?.followUp && !lc.followUp.local) out.push(["lifecycle.followUp", lc.followUp.cite]);
    if (lc?.assignment?.assignedDeadline) out.push(["lifecycle.assignment.assignedDeadline", lc.assignment.assignedDeadline.cite]);
    if (lc?.firstReceiver) out.push(["lifecycle.firstReceiver", lc.firstReceiver.cite]);
    if (lc?.meetings) out.push(["lifecycle.meetings", lc.meetings.cite]);
    if (lc?.statusLabels) out.push(["lifecycle.statusLabels", lc.statusLabels.cite]);
    const esc = pack.escalation;
    if (esc) {
      out.push(["escalation.decidedBy", esc.decidedBy.cite]);
      out.push(["escalation.upgrade", esc.upgrade?.cite]);
      if (esc.extend) out.push(["escalation.extend", esc.extend.cite]);
      if (esc.report) {
        out.push(["escalation.report", esc.report.cite]);
        esc.report.chain.forEach((b) => out.push([`escalation.report.chain.${b.id}`, b.cite]));
      }
    }
    return out;
  }

  const COLOUR_ZH: Record<string, string> = { red: "红色", orange: "橙色", yellow: "黄色", green: "绿色" };
  const GRADE_ZH: Record<number, string> = { 3: "一级", 2: "二级", 1: "三级" };

  describe("the clause finder reads the document's structure", () => {
    it("finds §二(三)7 and §二(三)8 as separate items", () => {
      const seven = normalise(clauseText("§二(三)7") ?? "");
      const eight = normalise(clauseText("§二(三)8") ?? "");
      expect(seven).toContain("实行“黄、橙、红”三色预警");
      expect(seven).not.toContain("化解时限不超过7天");
      expect(eight).toContain("红色等级化解时限不超过45天");
      expect(eight).not.toContain("三色预警");
    });
    it("finds the appendix notes one by one", () => {
      expect(normalise(clauseText("附件说明1") ?? "")).toContain("如0620010101");
      expect(normalise(clauseText("附件说明4") ?? "")).toContain("三级（绿色）");
      expect(normalise(clauseText("附件说明4") ?? "")).not.toContain("问题编号");
    });
    it("finds no clause the document does not have", () => {
      expect(clauseText("§二(三)10")).toBeUndefined();
      expect(clauseText("§二(四)1")).toBeUndefined();
      expect(clauseText("附件说明6")).toBeUndefined();
    });
  });

  describe("every cite points into 固党办〔2022〕49号, word for word", () => {
    it("the source document is 固党办〔2022〕49号 of 2022-08-22", () => {
      const doc = pack.source.documents.find((d) => d.id === DOC_ID);
      expect(doc?.number).toBe("固党办〔2022〕49号");
      expect(doc?.issuedOn).toBe("2022-08-22");
      expect(normalise(documentText)).toContain("固党办〔2022〕49号");
      expect(normalise(documentText)).toContain("2022年8月22日");
    });

    it.each(cites())("%s", (_where, cite) => {
      expect(cite, "a cite").toBeDefined();
      const { doc, clause, quote } = cite!;
      expect(doc).toBe(DOC_ID);
      const text = clauseText(clause);
      expect(text, `clause ${clause} exists in the document`).toBeDefined();
      expect(quote, "a quote").toBeTruthy();
      expect(normalise(documentText)).toContain(normalise(quote!));
      expect(normalise(text!), `the quote is inside ${clause}`).toContain(normalise(quote!));
    });
  });

  describe("each value agrees with the words it quotes", () => {
    it.each(pack.levels.map((l) => [l.id, l] as const))("§二(三)8: level %s's time limit is the number of days its quote states", (_id, level) => {
      expect(level.deadline.cite?.clause).toBe("§二(三)8");
      expect(level.deadline.unit ?? "calendar-days").toBe("calendar-days");
      expect(normalise(level.deadline.cite?.quote ?? "")).toBe(`${COLOUR_ZH[level.colour]}等级化解时限不超过${level.deadline.amount}天`);
    });

    it("§二(三)8: yellow 7, orange 15, red 45 days", () => {
      expect(Object.fromEntries(pack.levels.map((l) => [l.id, l.deadline.amount]))).toEqual({ yellow: 7, orange: 15, red: 45 });
    });

    it.each(pack.levels.map((l) => [l.id, l] as const))("§二(三)7: level %s is the colour and grade its quote names", (_id, level) => {
      const quote = normalise(level.cite?.quote ?? "");
      expect(level.cite?.clause).toBe("§二(三)7");
      expect(quote.startsWith(`${COLOUR_ZH[level.colour]}（${GRADE_ZH[level.rank]}问题）`)).toBe(true);
      expect(level.label.zh).toBe(`${COLOUR_ZH[level.colour]}（${GRADE_ZH[level.rank]}问题）`);
    });

    it.each(pack.grading.rules.map((r) => [r.id, r] as const))("§二(三)7: rule %s quotes the definition of its own level", (_id, rule) => {
      const level = pack.levels.find((l) => l.id === rule.level)!;
      expect(rule.cite?.clause).toBe("§二(三)7");
      expect(normalise(rule.cite?.quote ?? "").startsWith(`${COLOUR_ZH[level.colour]}（${GRADE_ZH[level.rank]}问题）`)).toBe(true);
    });

    it("§二(三)7: the default is yellow, the grade of 一般简单", () => {
      expect(pack.grading.default.level).toBe("yellow");
      expect(normalise(pack.grading.default.cite?.quote ?? "")).toContain("黄色（三级问题）指一般简单");
    });

    // Values named "none" are the absence of a risk; county-level petitions are the document's gap (see README).
    const NOT_DOCUMENT_WORDS = new Set(["risks.petitionTo=none", "risks.petitionTo=county", "risks.publicSafetyAccident=none"]);
    const enumValues = pack.facts.flatMap((f) => (f.values ?? []).map((v) => [`${f.name}=${v.value}`, f, v.label.zh] as const));
    it.each(enumValues.filter(([key]) => !NOT_DOCUMENT_WORDS.has(key)))("%s: its label is the document's own words", (_key, fact, zh) => {
      const words = zh.replace(/（[^（）]*）$/, "");
      expect(normalise(clauseText(fact.cite!.clause) ?? "")).toContain(words);
    });

    it("附件说明1: the template has 4 + 2 + 2 + 2 digits, as long as the document's example 0620010101", () => {
      expect(pack.numbering?.template).toBe("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
      const example = /如(\d+)/.exec(normalise(pack.numbering?.cite?.quote ?? ""))?.[1];
      expect(example).toBe("0620010101");
      expect(pack.numbering?.date).toMatchObject({ fact: "foundAt", fallback: "receivedAt" });
      expect(Object.fromEntries(Object.entries(pack.numbering?.parts ?? {}).map(([k, v]) => [k, v.fact]))).toEqual({ unit: "unitCode", subunit: "subunitCode" });
    });

    it("附件说明4: the variant gives 一级 red, 二级 yellow, 三级 green, in the appendix's own words", () => {
      const variant = pack.variants?.find((v) => v.id === "appendix-colours");
      expect(variant?.cite?.clause).toBe("附件说明4");
      const quote = normalise(variant?.cite?.quote ?? "");
      for (const level of pack.levels) {
        const patch = variant?.levels[level.id];
        expect(patch?.label?.zh).toBe(`${GRADE_ZH[level.rank]}（${COLOUR_ZH[patch?.colour ?? ""]}）`);
        expect(quote).toContain(patch!.label!.zh);
      }
      expect(Object.fromEntries(Object.entries(variant?.levels ?? {}).map(([k, v]) => [k, v.colour]))).toEqual({ red: "red", orange: "yellow", yellow: "green" });
    });
  });

  describe("values the document does not state are local, and say so", () => {
    it("every warning time is local: the document sets none", () => {
      for (const level of pack.levels) {
        if (!level.warn) continue;
        expect(level.warn.local).toBe(true);
        expect(level.warn.cite).toBeUndefined();
        expect(level.warn.note?.zh).toContain("文件未规定");
        expect(level.warn.note?.en).toContain("not the document's");
        expect(normalise(clauseText("§二(三)8") ?? "")).not.toMatch(/预警时间|到期前/);
      }
    });
  });

  describe("the golden cases cover the document", () => {
    type Golden = { clause: string; variant?: string; input: Record<string, unknown>; expected: { level?: string; ruleIds?: string[]; number?: string; error?: string } };
    const cases = loadGoldenCases<Golden>(new URL("../cases/", import.meta.url)).filter((g) => !g.file.startsWith("lifecycle-")).map((g) => g.case);

    it("every grading rule and the default is the reason of at least one case", () => {
      const used = new Set(cases.flatMap((c) => c.expected.ruleIds ?? []));
      for (const rule of pack.grading.rules) expect(used, rule.id).toContain(rule.id);
      expect(used).toContain("default");
    });
    it("every level is expected by at least one case, with and without the variant", () => {
      for (const level of pack.levels) {
        expect(cases.some((c) => c.expected.level === level.id && !c.variant), level.id).toBe(true);
        expect(cases.some((c) => c.expected.level === level.id && c.variant === "appendix-colours"), level.id).toBe(true);
      }
    });
    it("the document's own example number 0620010101 is a case", () => {
      expect(cases.some((c) => c.expected.number === "0620010101")).toBe(true);
    });
    it("every case cites a clause that exists", () => {
      for (const c of cases) expect(clauseText(c.clause), c.clause).toBeDefined();
    });
  });
});
