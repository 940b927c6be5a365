import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IssueCode, isJicengError } from "../errors/index.js";
import {
  allocateCaseNumber,
  checkTemplate,
  compileTemplate,
  createMemoryAllocator,
  formatCaseNumber,
  parseCaseNumber,
  scopeKey,
  type CaseNumberParts,
  type DateField,
  type ParsedCaseNumber,
} from "./index.js";

// ── Arbitraries ──────────────────────────────────────────────────────────

type Spec =
  | { kind: "literal"; text: string }
  | { kind: "date"; field: DateField }
  | { kind: "part"; name: string; width: number | null }
  | { kind: "seq"; width: number };

const CODE_CHARS = [..."0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"];
const codeOf = (min: number, max: number) => fc.array(fc.constantFrom(...CODE_CHARS), { minLength: min, maxLength: max }).map((a) => a.join(""));
// Literals may hold digits, letters, CJK and punctuation: fixed widths keep parsing unambiguous.
const literal = fc.array(fc.constantFrom(..."-_/#0A号第 ·"), { minLength: 1, maxLength: 3 }).map((a) => ({ kind: "literal" as const, text: a.join("") }));

/** A random valid template: date fields (one year form at most), named parts (at most one without width), one seq, literals. */
const specArb: fc.Arbitrary<Spec[]> = fc
  .record({
    year: fc.constantFrom<DateField | null>("YYYY", "YY", null),
    month: fc.boolean(),
    day: fc.boolean(),
    names: fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/).filter((n) => n !== "seq" && n !== "date"), { maxLength: 4 }),
    widths: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 4, maxLength: 4 }),
    variableIndex: fc.option(fc.nat(3), { nil: null }),
    seqWidth: fc.integer({ min: 1, max: 12 }),
    literals: fc.array(fc.option(literal, { nil: null }), { minLength: 12, maxLength: 12 }),
    order: fc.array(fc.nat(1_000), { minLength: 8, maxLength: 8 }),
  })
  .map((r) => {
    const fields: Spec[] = [];
    if (r.year) fields.push({ kind: "date", field: r.year });
    if (r.month) fields.push({ kind: "date", field: "MM" });
    if (r.day) fields.push({ kind: "date", field: "DD" });
    r.names.forEach((name, i) => fields.push({ kind: "part", name, width: r.variableIndex === i ? null : r.widths[i]! }));
    fields.push({ kind: "seq", width: r.seqWidth });
    const shuffled = fields.map((f, i) => [r.order[i]!, i, f] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
    const out: Spec[] = [];
    shuffled.forEach((f, i) => {
      const lit = r.literals[i];
      if (lit) out.push(lit);
      out.push(f);
    });
    const tail = r.literals[11];
    if (tail) out.push(tail);
    return out;
  });

const source = (spec: Spec[]) =>
  spec.map((s) => (s.kind === "literal" ? s.text : s.kind === "date" ? `{${s.field}}` : s.kind === "seq" ? `{seq:${s.width}}` : s.width === null ? `{${s.name}}` : `{${s.name}:${s.width}}`)).join("");

const dateArb = fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const pad = (n: number, w: number) => String(n).padStart(w, "0");
const ymdOf = (d: string) => d.split("-").map(Number) as [number, number, number];

/** A template and parts that fit it. */
const caseArb = specArb.chain((spec) => {
  const seqWidth = spec.find((s) => s.kind === "seq")!.width as number;
  const parts: Record<string, fc.Arbitrary<string>> = {};
  for (const s of spec) if (s.kind === "part") parts[s.name] = s.width === null ? codeOf(1, 8) : codeOf(s.width, s.width);
  return fc.record({
    spec: fc.constant(spec),
    date: dateArb,
    seq: fc.integer({ min: 1, max: Math.min(10 ** seqWidth - 1, Number.MAX_SAFE_INTEGER) }),
    codes: fc.record(parts),
  });
});

function expected(spec: Spec[], x: { date: string; seq: number; codes: Record<string, string> }): ParsedCaseNumber {
  const [y, m, d] = ymdOf(x.date);
  const out: ParsedCaseNumber = { seq: x.seq, parts: { ...x.codes } };
  for (const s of spec) {
    if (s.kind !== "date") continue;
    if (s.field === "YYYY") out.year = y;
    if (s.field === "YY") out.yy = y % 100;
    if (s.field === "MM") out.month = m;
    if (s.field === "DD") out.day = d;
  }
  return out;
}

// ── Properties ───────────────────────────────────────────────────────────

describe("numbering properties", () => {
  it("random valid templates compile and pass checkTemplate when their parts are mapped", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const template = source(spec);
        const names = spec.flatMap((s) => (s.kind === "part" ? [s.name] : []));
        const usesDate = spec.some((s) => s.kind === "date");
        const parts = Object.fromEntries(names.map((n) => [n, { fact: n }]));
        expect(checkTemplate(usesDate ? { template, date: { fact: "foundOn" }, parts } : { template, parts }, ["numbering"])).toEqual([]);
        expect(compileTemplate(template).parts).toEqual(names);
      }),
    );
  });

  it("parse(format(x)) = x over random templates and parts", () => {
    fc.assert(
      fc.property(caseArb, (x) => {
        const t = compileTemplate(source(x.spec));
        const parts: CaseNumberParts = { ...x.codes, date: x.date, seq: x.seq };
        const number = formatCaseNumber(t, parts);
        expect(parseCaseNumber(t, number)).toEqual(expected(x.spec, x));
        // The number is the scope with the seq slot filled in.
        const scope = scopeKey(t, parts);
        expect(scope.length).toBe(number.length);
        expect(scope.replace("*".repeat(t.seqWidth), pad(x.seq, t.seqWidth))).toBe(number);
      }),
      { numRuns: 500 },
    );
  });

  it("a seq beyond the width is SEQUENCE_OVERFLOW, never a longer number", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 1000 }), (x, extra) => {
        const t = compileTemplate(source(x.spec));
        const seq = t.maxSeq + extra;
        fc.pre(Number.isSafeInteger(seq));
        try {
          formatCaseNumber(t, { ...x.codes, date: x.date, seq });
          expect.unreachable("expected SEQUENCE_OVERFLOW");
        } catch (e) {
          expect(isJicengError(e) && e.code).toBe(IssueCode.SEQUENCE_OVERFLOW);
        }
      }),
    );
  });

  const guyuan = compileTemplate("{MM}{DD}{unit:2}{subunit:2}{seq:2}");
  const guyuanScope = fc.record({ date: dateArb, unit: codeOf(2, 2), subunit: codeOf(2, 2) });

  it("numbers allocated in one scope are unique, 01 … up to the width, then SEQUENCE_OVERFLOW", () => {
    fc.assert(
      fc.property(guyuanScope, fc.integer({ min: 1, max: 120 }), (scope, count) => {
        const a = createMemoryAllocator();
        const numbers: string[] = [];
        let overflows = 0;
        for (let i = 0; i < count; i++) {
          try {
            numbers.push(allocateCaseNumber(guyuan, scope, a));
          } catch (e) {
            expect(isJicengError(e) && e.code).toBe(IssueCode.SEQUENCE_OVERFLOW);
            overflows++;
          }
        }
        expect(new Set(numbers).size).toBe(numbers.length);
        expect(numbers.length).toBe(Math.min(count, 99));
        expect(overflows).toBe(count - numbers.length);
        expect(numbers.map((n) => parseCaseNumber(guyuan, n).seq)).toEqual(numbers.map((_, i) => i + 1));
        expect(a.current(scopeKey(guyuan, scope))).toBe(numbers.length);
      }),
      { numRuns: 50 },
    );
  });

  it("Guyuan: different scopes (month-day, unit or subunit differ) never collide in number", () => {
    fc.assert(
      fc.property(guyuanScope, guyuanScope, fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), (s1, s2, q1, q2) => {
        const [, m1, d1] = ymdOf(s1.date);
        const [, m2, d2] = ymdOf(s2.date);
        fc.pre(m1 !== m2 || d1 !== d2 || s1.unit !== s2.unit || s1.subunit !== s2.subunit);
        expect(scopeKey(guyuan, s1)).not.toBe(scopeKey(guyuan, s2));
        expect(formatCaseNumber(guyuan, { ...s1, seq: q1 })).not.toBe(formatCaseNumber(guyuan, { ...s2, seq: q2 }));
      }),
      { numRuns: 500 },
    );
  });

  it("Guyuan: one shared allocator over many scopes hands out no number twice", () => {
    fc.assert(
      fc.property(fc.array(guyuanScope, { minLength: 1, maxLength: 200 }), (scopes) => {
        const a = createMemoryAllocator();
        const numbers = scopes.map((s) => allocateCaseNumber(guyuan, s, a));
        expect(new Set(numbers).size).toBe(numbers.length);
      }),
      { numRuns: 100 },
    );
  });
});
