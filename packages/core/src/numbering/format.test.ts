import { describe, expect, it } from "vitest";
import { IssueCode, type JicengIssue } from "../errors/index.js";
import { catchJicengError } from "../testing/helpers.js";
import {
  allocateCaseNumber,
  checkTemplate,
  compileTemplate,
  createMemoryAllocator,
  formatCaseNumber,
  isValidCaseNumber,
  parseCaseNumber,
  scopeKey,
  type SequenceAllocator,
} from "./index.js";

const GUYUAN = "{MM}{DD}{unit:2}{subunit:2}{seq:2}";
const t = compileTemplate(GUYUAN);

const codes = (issues: readonly JicengIssue[]) => issues.map((i) => i.code);
const hasBothLanguages = (issues: readonly JicengIssue[]) => issues.every((i) => i.message.zh.length > 0 && i.message.en.length > 0 && i.message.zh !== i.message.en);

describe("Guyuan appendix note 1 (附件说明1: 问题编号)", () => {
  it("附件说明1: 0620010101 is problem 01 found on June 20 by township 01, village 01", () => {
    expect(formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 1 })).toBe("0620010101");
    expect(parseCaseNumber(t, "0620010101")).toEqual({ month: 6, day: 20, seq: 1, parts: { unit: "01", subunit: "01" } });
  });

  it("附件说明1: 月与日4位 + 乡镇2位 + 村2位 + 序号2位 = 10 digits", () => {
    expect(t.fixedLength).toBe(10);
    expect(t.parts).toEqual(["unit", "subunit"]);
    expect(t.seqWidth).toBe(2);
    expect(t.maxSeq).toBe(99);
    expect(t.usesDate).toBe(true);
  });

  it("附件说明1: the sequence counts within one day, township and village", () => {
    expect(scopeKey(t, { date: "2022-06-20", unit: "01", subunit: "01" })).toBe("06200101**");
    expect(scopeKey(t, { date: "2022-06-20", unit: "01", subunit: "02" })).toBe("06200102**");
    expect(scopeKey(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 5 })).toBe("06200101**");
  });

  it("附件说明1: 序号赋2位编号 — seq 99 is the last, seq 100 is SEQUENCE_OVERFLOW, never 11 digits", () => {
    expect(formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 99 })).toBe("0620010199");
    const e = catchJicengError(() => formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq: 100 }));
    expect(e.code).toBe(IssueCode.SEQUENCE_OVERFLOW);
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toEqual(["seq"]);
    expect(hasBothLanguages(e.issues)).toBe(true);
  });

  it("各乡镇、村编号由县政法委确定: a code is used as given, never padded or truncated", () => {
    for (const unit of ["1", "001", 1]) {
      const e = catchJicengError(() => formatCaseNumber(t, { date: "2022-06-20", unit, subunit: "01", seq: 1 }));
      expect(e.code).toBe(IssueCode.INVALID_NUMBER);
      expect(e.issues[0]!.path).toEqual(["unit"]);
    }
    expect(formatCaseNumber(t, { date: "2022-06-20", unit: 12, subunit: "0A", seq: 3 })).toBe("062012" + "0A03");
  });

  it("the year is not in Guyuan's number, so the same day in another year shares the scope", () => {
    expect(scopeKey(t, { date: "2023-06-20", unit: "01", subunit: "01" })).toBe(scopeKey(t, { date: "2022-06-20", unit: "01", subunit: "01" }));
  });
});

describe("formatCaseNumber: bad parts", () => {
  it("reports every bad part at once", () => {
    const e = catchJicengError(() => formatCaseNumber(t, { date: "2022-02-30", unit: "1", subunit: "0-", seq: 0, extra: "x" }));
    expect(codes(e.issues).sort()).toEqual([IssueCode.INVALID_DATE, IssueCode.INVALID_NUMBER, IssueCode.INVALID_NUMBER, IssueCode.INVALID_NUMBER, IssueCode.INVALID_NUMBER].sort());
    expect(e.issues.map((i) => i.path[0]).sort()).toEqual(["date", "extra", "seq", "subunit", "unit"]);
    expect(hasBothLanguages(e.issues)).toBe(true);
  });

  it("needs the date when the template has date fields, and a real one", () => {
    expect(catchJicengError(() => formatCaseNumber(t, { unit: "01", subunit: "01", seq: 1 })).issues[0]!.path).toEqual(["date"]);
    for (const date of ["2022-13-01", "2022-06-31", "2023-02-29", "20220620", "2022-6-20"]) {
      expect(catchJicengError(() => formatCaseNumber(t, { date, unit: "01", subunit: "01", seq: 1 })).code).toBe(IssueCode.INVALID_DATE);
    }
    expect(formatCaseNumber(t, { date: "2024-02-29", unit: "01", subunit: "01", seq: 1 })).toBe("0229010101");
  });

  it("rejects seq that is not an integer ≥ 1", () => {
    for (const seq of [0, -1, 1.5, Number.NaN]) {
      const e = catchJicengError(() => formatCaseNumber(t, { date: "2022-06-20", unit: "01", subunit: "01", seq }));
      expect(e.code).toBe(IssueCode.INVALID_NUMBER);
      expect(e.issues[0]!.path).toEqual(["seq"]);
    }
  });

  it("lists input errors before an overflow", () => {
    const e = catchJicengError(() => formatCaseNumber(t, { date: "2022-06-20", unit: "1", subunit: "01", seq: 100 }));
    expect(codes(e.issues)).toEqual([IssueCode.INVALID_NUMBER, IssueCode.SEQUENCE_OVERFLOW]);
  });
});

describe("parseCaseNumber: bad numbers", () => {
  it.each([
    ["062001010", "too short", [[]]],
    ["06200101011", "too long", [[]]],
    ["1320010101", "month 13", [["month"]]],
    ["0632010101", "day 32", [["day"]]],
    ["0230010101", "30 February", [["day"]]],
    ["0431010101", "31 April", [["day"]]],
    ["0000010101", "month 00 and day 00", [["month"], ["day"]]],
    ["06A0010101", "a letter in the day", [["day"]]],
    ["06200101AB", "letters in the seq", [["seq"]]],
    ["0620010100", "seq 00", [["seq"]]],
    ["06200-0101", "a dash in the unit", [["parts", "unit"]]],
    ["13320-01AB", "everything wrong at once", [["month"], ["day"], ["parts", "unit"], ["seq"]]],
  ])("%s (%s) is INVALID_NUMBER", (text, _why, paths) => {
    const e = catchJicengError(() => parseCaseNumber(t, text));
    expect(e.code).toBe(IssueCode.INVALID_NUMBER);
    expect(new Set(codes(e.issues))).toEqual(new Set([IssueCode.INVALID_NUMBER]));
    expect(e.issues.map((i) => i.path)).toEqual(paths);
    expect(isValidCaseNumber(t, text)).toBe(false);
  });

  it("accepts 29 February without a year (it may be a leap day), and checks it with one", () => {
    expect(parseCaseNumber(t, "0229010101").day).toBe(29);
    const y = compileTemplate("{YYYY}{MM}{DD}-{seq:3}");
    expect(parseCaseNumber(y, "20240229-001")).toEqual({ year: 2024, month: 2, day: 29, seq: 1, parts: {} });
    expect(isValidCaseNumber(y, "20230229-001")).toBe(false);
    expect(isValidCaseNumber(y, "20230228_001")).toBe(false);
  });

  it("reads a template with literals, YY and a variable-width part", () => {
    const v = compileTemplate("GY{YY}-{county}-{seq:4}");
    const n = formatCaseNumber(v, { date: "2022-08-22", county: "XJ12", seq: 7 });
    expect(n).toBe("GY22-XJ12-0007");
    expect(parseCaseNumber(v, n)).toEqual({ yy: 22, seq: 7, parts: { county: "XJ12" } });
    expect(isValidCaseNumber(v, "GY22--0007")).toBe(false);
    expect(isValidCaseNumber(v, "GX22-A-0007")).toBe(false);
  });
});

describe("compileTemplate / checkTemplate: bad templates", () => {
  const bad = (template: string) => checkTemplate({ template, parts: {} }, ["numbering"]).filter((i) => i.path[1] === "template");

  it.each([
    ["{MM}{DD}{unit:2}{subunit:2}", "missing seq"],
    ["{seq:2}{seq:3}", "duplicate seq"],
    ["{seq}", "seq without width"],
    ["{seq:0}", "width 0"],
    ["{seq:13}", "width 13"],
    ["{seq:x}", "width not a number"],
    ["{HH}{seq:2}", "unknown token"],
    ["{Unit:2}{seq:2}", "unknown token (capital)"],
    ["{unit-code:2}{seq:2}", "unknown token (dash)"],
    ["{MM:3}{seq:2}", "width on a date field"],
    ["{YYYY}{YY}{seq:2}", "two years"],
    ["{MM}{MM}{seq:2}", "duplicate date field"],
    ["{unit:2}{unit:2}{seq:2}", "duplicate part"],
    ["{a}{b}{seq:2}", "two variable-width parts: ambiguous"],
    ["{date:8}{seq:2}", "reserved name date"],
    ["{MM{seq:2}", "unclosed brace"],
    ["MM}{seq:2}", "unmatched brace"],
  ])("%s: %s", (template, _why) => {
    const issues = bad(template);
    expect(issues).toHaveLength(1);
    expect(issues[0]!).toMatchObject({ code: IssueCode.INVALID_TEMPLATE, path: ["numbering", "template"], severity: "error" });
    expect(hasBothLanguages(issues)).toBe(true);
    expect(() => compileTemplate(template)).toThrow(/INVALID_TEMPLATE/);
  });

  it("gives every issue of a template, each with its path", () => {
    const issues = checkTemplate({ template: "{MM:2}{HH}{unit:0}{a}{b}{seq:2}{seq:2}", date: { fact: "foundOn" }, parts: { b: { fact: "x" }, gone: { fact: "y" } } }, ["numbering"]);
    const summary = issues.map((i) => [i.path.join("."), i.severity]);
    expect(summary).toEqual([
      ["numbering.template", "error"], // {MM:2} width on a date field
      ["numbering.template", "error"], // {HH} unknown
      ["numbering.template", "error"], // {unit:0}
      ["numbering.template", "error"], // two seq
      ["numbering.template", "error"], // {a}{b} ambiguous
      ["numbering.parts", "error"], // {a} not mapped
      ["numbering.parts.gone", "warning"], // gone not used
      ["numbering.date", "warning"], // date mapped, no date field left
    ]);
    expect(hasBothLanguages(issues)).toBe(true);
    const e = catchJicengError(() => compileTemplate("{MM:2}{HH}{unit:0}{a}{b}{seq:2}{seq:2}", ["numbering", "template"]));
    expect(e.issues).toHaveLength(5);
    expect(e.issues.every((i) => i.path.join(".") === "numbering.template")).toBe(true);
  });

  it("a part used but not mapped, and date fields without date, are errors", () => {
    const issues = checkTemplate({ template: GUYUAN, parts: { unit: { fact: "township" } } }, ["numbering"]);
    expect(issues.map((i) => [i.path.join("."), i.severity])).toEqual([
      ["numbering.parts", "error"],
      ["numbering.date", "error"],
    ]);
    expect(issues[0]!.message.en).toContain("{subunit}");
  });

  it("Guyuan's numbering block is clean", () => {
    expect(checkTemplate({ template: GUYUAN, date: { fact: "foundOn" }, parts: { unit: { fact: "township" }, subunit: { fact: "village" } } }, ["numbering"])).toEqual([]);
  });
});

describe("allocateCaseNumber", () => {
  const found = { date: "2022-06-20", unit: "01", subunit: "01" };

  it("附件说明1: numbers problems 01, 02 … per day, township and village", () => {
    const a = createMemoryAllocator();
    expect(allocateCaseNumber(t, found, a)).toBe("0620010101");
    expect(allocateCaseNumber(t, found, a)).toBe("0620010102");
    expect(allocateCaseNumber(t, { ...found, subunit: "02" }, a)).toBe("0620010201");
    expect(allocateCaseNumber(t, { ...found, date: "2022-06-21" }, a)).toBe("0621010101");
  });

  it("throws SEQUENCE_OVERFLOW after 99 and does not consume past the width", () => {
    const a = createMemoryAllocator({ "06200101**": 98 });
    expect(allocateCaseNumber(t, found, a)).toBe("0620010199");
    for (let i = 0; i < 3; i++) expect(catchJicengError(() => allocateCaseNumber(t, found, a)).code).toBe(IssueCode.SEQUENCE_OVERFLOW);
    expect(a.current("06200101**")).toBe(99);
  });

  it("does not use up a sequence for bad parts", () => {
    const a = createMemoryAllocator();
    expect(catchJicengError(() => allocateCaseNumber(t, { ...found, unit: "1" }, a)).code).toBe(IssueCode.INVALID_NUMBER);
    expect(a.current("06200101**")).toBe(0);
    expect(a.current("0620 101**")).toBe(0);
  });

  it("refuses an over-wide seq from an allocator that ignores the limit", () => {
    const careless: SequenceAllocator = { next: () => 100 };
    expect(catchJicengError(() => allocateCaseNumber(t, found, careless)).code).toBe(IssueCode.SEQUENCE_OVERFLOW);
  });

  it("rejects a bad initial counter", () => {
    expect(catchJicengError(() => createMemoryAllocator({ x: -1 })).code).toBe(IssueCode.INVALID_NUMBER);
    expect(createMemoryAllocator(new Map([["x", 4]])).next("x")).toBe(5);
  });
});

describe("JSDoc examples", () => {
  it("run as documented", () => {
    expect(compileTemplate(GUYUAN).parts).toEqual(["unit", "subunit"]);
    expect(isValidCaseNumber(t, "0620010101")).toBe(true);
    expect(isValidCaseNumber(t, "1320010101")).toBe(false);
    const a = createMemoryAllocator({ "06200101**": 7 });
    expect(a.next("06200101**")).toBe(8);
    expect(a.current("06200101**")).toBe(8);
    const issues = checkTemplate({ template: "{MM}{DD}{unit:2}{seq:2}", parts: {} }, ["numbering"]);
    expect(issues.map((i) => i.path)).toEqual([["numbering", "parts"], ["numbering", "date"]]);
  });
});
