import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findJsonSyntaxError } from "./json-error.js";

const valid = (t: string) => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

/** JSON texts with one random edit: an insertion, a deletion or a replacement, often breaking them. */
const mutated = fc
  .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom("insert", "delete", "replace"), fc.constantFrom(",", "}", "]", "{", "[", '"', ":", "x", "\n", "0", "-", "\\", " ", "1e", "'", "\u0001", "tru"))
  .map(([json, at, op, ch]) => {
    const i = json.length ? at % json.length : 0;
    return op === "insert" ? json.slice(0, i) + ch + json.slice(i) : op === "delete" ? json.slice(0, i) + json.slice(i + 1) : json.slice(0, i) + ch + json.slice(i + 1);
  });

describe("findJsonSyntaxError agrees with JSON.parse", () => {
  it("finds an error exactly when JSON.parse throws (valid JSON, edited JSON, any string)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
        expect(findJsonSyntaxError(text) === undefined).toBe(valid(text));
      }),
      { numRuns: 3000 },
    );
  });

  it("the error's offset is where JSON.parse gives up when it says (V8 'at position N')", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        try {
          JSON.parse(text);
        } catch (error) {
          const m = /at position (\d+)/.exec((error as Error).message);
          if (m) expect(findJsonSyntaxError(text)!.offset).toBe(Number(m[1]));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("line and column are 1-based and point at the offending character", () => {
    const e = findJsonSyntaxError('{\n  "a": 1,\n  "b" 2\n}')!;
    expect([e.line, e.column]).toEqual([3, 7]);
    expect(e.message.en).toBe('expected ":" after the key, not "2"');
    expect(e.excerpt).toBe('3 |   "b" 2\n  |       ^');
    const t = findJsonSyntaxError('{"a": [1, 2,]}')!;
    expect([t.line, t.column, t.message.en]).toEqual([1, 13, 'expected a value, not "]" (a trailing comma?)']);
    expect(findJsonSyntaxError('{"名称": "黄" x}')!.excerpt).toBe('1 | {"名称": "黄" x}\n  |               ^');
    expect(findJsonSyntaxError("[".repeat(100_000))!.message.en).toBe('unexpected end of JSON: missing "]"');
  });
});
