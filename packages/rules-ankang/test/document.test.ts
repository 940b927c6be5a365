// The pack against the text of 安发〔2021〕10号: every cite names a clause that exists, every
// quote is in that clause word for word, and every number the document does not state is `local`.
// Needs no engine: it reads pack.json and the document only.
import { describe, expect, it } from "vitest";
import raw from "../pack.json" with { type: "json" };
import { withSourceText } from "../../../test/sources.js";

withSourceText("ankang-321.txt", (documentText) => {

  interface Cite {
    doc: string;
    clause: string;
    quote?: string;
  }

  const DOC_ID = "ankang-2021-10";
  const pack = raw as unknown as Record<string, unknown> & { source: { documents: Array<{ id: string; number?: string; issuedOn?: string }> } };

  /** Line and page breaks (and the spaces around numbers) are not part of the words. */
  const normalise = (s: string): string => s.replace(/\s+/g, "");

  const NUMERALS = "一二三四五六七八九十";
  const nextNumeral = (n: string): string => NUMERALS[NUMERALS.indexOf(n) + 1] ?? "十一";

  function slice(text: string, start: RegExp, end: RegExp | null): string | undefined {
    const s = start.exec(text);
    if (!s) return undefined;
    const rest = text.slice(s.index);
    if (!end) return rest;
    const e = end.exec(rest.slice(1));
    return e ? rest.slice(0, e.index + 1) : rest;
  }

  /** `§三(三)2` is chapter 三、, section （三）, item 2.; `§三(二)` the whole section. */
  function clauseText(clause: string): string | undefined {
    const m = /^§([一二三四五六七八九十])\(([一二三四五六七八九十])\)(\d+)?$/.exec(clause);
    if (!m) return undefined;
    const [, ch, sec, item] = m as unknown as [string, string, string, string | undefined];
    const chapter = slice(documentText, new RegExp(`^${ch}、`, "m"), new RegExp(`^(${nextNumeral(ch)}、|主送：)`, "m"));
    const section = chapter && slice(chapter, new RegExp(`^[（(]\\s*${sec}\\s*[）)]`, "m"), new RegExp(`^[（(]\\s*${nextNumeral(sec)}\\s*[）)]`, "m"));
    if (!section || item === undefined) return section;
    return slice(section, new RegExp(`^${item}\\.`, "m"), new RegExp(`^${Number(item) + 1}\\.`, "m"));
  }

  /** Every `cite` in the pack, with its JSON path. */
  function cites(): Array<[string, Cite]> {
    const out: Array<[string, Cite]> = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) {
          if (k === "cite") { if ((v as Cite).doc !== "prc-civil-code") out.push([path, v as Cite]); } // external sources: lint lists them
          else walk(v, `${path}.${k}`);
        }
      }
    };
    walk(pack, "$");
    return out;
  }

  /** Numbers with no `cite` or `local` on themselves or any enclosing object, except structural ones. */
  function unprovenancedNumbers(): string[] {
    const out: string[] = [];
    const STRUCTURAL = [/\.rank$/, /\.facts\[\d+\]\.(min|max)$/, /\.yearLists\[\d+\]\.(min|max)$/];
    const walk = (node: unknown, path: string, covered: boolean) => {
      if (typeof node === "number") {
        if (!covered && !STRUCTURAL.some((r) => r.test(path))) out.push(path);
        return;
      }
      if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${path}[${i}]`, covered));
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        const here = covered || o["cite"] !== undefined || o["local"] === true;
        for (const [k, v] of Object.entries(o)) if (k !== "cite" && k !== "note") walk(v, `${path}.${k}`, here);
      }
    };
    walk(pack, "$", false);
    return out;
  }

  describe("the clause finder reads the document's structure", () => {
    it("finds §三(二)1–3, §三(三)1–2 as separate items", () => {
      expect(normalise(clauseText("§三(二)1") ?? "")).toContain("党员联系群众");
      expect(normalise(clauseText("§三(二)1") ?? "")).not.toContain("人大代表联系选民。");
      expect(normalise(clauseText("§三(二)2") ?? "")).toContain("年终由选民对代表履职情况进行评议");
      expect(normalise(clauseText("§三(二)3") ?? "")).toContain("以案定补、以事奖补");
      expect(normalise(clauseText("§三(三)1") ?? "")).toContain("按20至30户、70至120人的规模");
      expect(normalise(clauseText("§三(三)1") ?? "")).not.toContain("放心户");
      expect(normalise(clauseText("§三(三)2") ?? "")).toContain("连心户");
    });
    it("finds no clause the document does not have", () => {
      expect(clauseText("§三(二)4")).toBeUndefined();
      expect(clauseText("§三(五)1")).toBeUndefined();
      expect(clauseText("§九(一)")).toBeUndefined();
    });
  });

  describe("every cite points into 安发〔2021〕10号, word for word", () => {
    it("the source document is 安发〔2021〕10号 of 2021-08-15", () => {
      const doc = pack.source.documents.find((d) => d.id === DOC_ID);
      expect(doc?.number).toBe("安发〔2021〕10号");
      expect(doc?.issuedOn).toBe("2021-08-15");
      expect(normalise(documentText)).toContain("安发〔2021〕10号");
      expect(normalise(documentText)).toContain("(2021年8月15日)");
    });

    it("finds the cites", () => expect(cites().length).toBeGreaterThan(20));

    it.each(cites())("%s", (_where, cite) => {
      expect(cite.doc).toBe(DOC_ID);
      const text = clauseText(cite.clause);
      expect(text, `clause ${cite.clause} exists in the document`).toBeDefined();
      expect(cite.quote, "a quote").toBeTruthy();
      expect(normalise(text!), `the quote is inside ${cite.clause}`).toContain(normalise(cite.quote!));
    });
  });

  describe("each value agrees with the words it quotes", () => {
    const units = pack["units"] as { kinds: Array<{ id: string; measures?: Array<{ name: string; min: number; max: number; cite: Cite }> }> };
    it("§三(三)1: a tier-3 grid holds 20–30 households and 70–120 people, the numbers of its quote", () => {
      const g3 = units.kinds.find((k) => k.id === "grid-3")!;
      const m = Object.fromEntries(g3.measures!.map((x) => [x.name, [x.min, x.max]]));
      expect(m).toEqual({ households: [20, 30], people: [70, 120] });
      for (const x of g3.measures!) expect(normalise(x.cite.quote!)).toContain(`按${m["households"]![0]}至${m["households"]![1]}户、${m["people"]![0]}至${m["people"]![1]}人`);
    });

    it("§三(三)2: each household row quotes the sentence that names its own class", () => {
      const rows = (pack["tables"] as Record<string, { rows: Array<{ id: string; cite: Cite; result: { label: { zh: string } } }> }>)["households"]!.rows;
      expect(rows.map((r) => [r.id, r.result.label.zh])).toEqual([["red", "连心户"], ["green", "放心户"], ["yellow", "关心户"]]);
      for (const r of rows) expect(normalise(r.cite.quote!)).toContain(`列为“${r.result.label.zh}”`);
    });
  });

  describe("values the document does not state are local, and say so", () => {
    it("every number is cited or local (ranks and input bounds aside)", () => {
      expect(unprovenancedNumbers()).toEqual([]);
    });

    it("the precedence, the fallback and the readings of “三年” and “近两年” are local with notes in both languages", () => {
      const h = (pack["tables"] as Record<string, Record<string, any>>)["households"]!;
      for (const x of [h["precedence"], h["default"], ...h["derive"]]) {
        expect(x.local).toBe(true);
        expect(x.cite).toBeUndefined();
        expect(x.note.zh.length).toBeGreaterThan(20);
        expect(x.note.en.length).toBeGreaterThan(20);
      }
    });

    it("the case section says the document sets no grades or time limits", () => {
      const levels = pack["levels"] as Array<Record<string, any>>;
      expect(levels).toHaveLength(1);
      expect(levels[0]!["local"]).toBe(true);
      expect(levels[0]!["deadline"]["local"]).toBe(true);
      expect(levels[0]!["note"]["zh"]).toContain("不是案件分级文件");
      expect(normalise(documentText)).not.toMatch(/化解时限|办结时限|红色等级|黄色等级/);
    });
  });
});
