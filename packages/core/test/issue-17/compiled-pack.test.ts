// Issue 17: packs compiled at build time (jiceng compile) are trusted by loadPack, createEngine and
// the grade-only entry without zod — and only when compiled by this core and unchanged.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePack, compiledPackModule, createEngine, isJicengError, loadPack, type CompiledPack, type CreateEngineInput } from "../../src/index.js";
import { createGrader } from "../../src/grade.js";
import { hash64, packDigest } from "../../src/pack/compiled.js";
import { CORE_VERSION } from "../../src/vocabulary/version.js";
import { main } from "../../src/cli/index.js";

const root = new URL("../../../../", import.meta.url);
const PACKS = ["guyuan", "xiji", "ankang", "lanxi", "three-centers"];
const raw = (dir: string) => JSON.parse(readFileSync(new URL(`packages/rules-${dir}/pack.json`, root), "utf8")) as Record<string, unknown>;
const codeOf = (f: () => unknown) => {
  try {
    f();
    return "ok";
  } catch (e) {
    if (!isJicengError(e)) throw e;
    return e.issues[0]!.code;
  }
};

describe("compiled packs", () => {
  it("CORE_VERSION is package.json's version", () => {
    const meta = JSON.parse(readFileSync(new URL("packages/core/package.json", root), "utf8")) as { version: string };
    expect(CORE_VERSION).toBe(meta.version);
  });

  for (const id of PACKS) {
    it(`${id}: the compiled pack loads to the same pack, and the engines built from both agree`, () => {
      const compiled = compilePack(raw(id));
      expect(compiled.digest).toBe(packDigest(CORE_VERSION, compiled.json));
      expect(loadPack(compiled)).toEqual(loadPack(raw(id)));
      const a = createEngine(raw(id) as CreateEngineInput);
      const b = createEngine(compiled);
      const g = createGrader(compiled);
      const cases = [{}, { receivedAt: "2022-06-20T10:00:00+08:00" }, JSON.parse(readFileSync(new URL(`packages/rules-${id}/pack.json`, root), "utf8")).facts.reduce((o: Record<string, unknown>, f: { name: string; default?: unknown }) => (f.default !== undefined && !f.name.includes(".") ? { ...o, [f.name]: f.default } : o), {})];
      for (const c of cases) {
        const want = (() => { try { return a.grade(c); } catch (e) { return isJicengError(e) ? e.issues : e; } })();
        const got = (() => { try { return b.grade(c); } catch (e) { return isJicengError(e) ? e.issues : e; } })();
        const lean = (() => { try { return g.grade(c); } catch (e) { return isJicengError(e) ? e.issues : e; } })();
        expect(got).toEqual(want);
        expect(lean).toEqual(want);
      }
    });
  }

  it("an edited, truncated or other-version compiled pack is not trusted: loadPack validates it, the grade-only entry refuses it", () => {
    const good = compilePack(raw("guyuan"));
    const edited: CompiledPack = { ...good, json: good.json.replace('"version":"1.0.0"', '"version":"1.0.1"'), source: good.source!.replace('"version":"1.0.0"', '"version":"1.0.1"') };
    expect(edited.json).not.toBe(good.json);
    const other: CompiledPack = { ...good, core: "0.0.1", digest: packDigest("0.0.1", good.json) };
    for (const bad of [edited, other, { ...good, digest: good.digest.slice(0, -1) + (good.digest.endsWith("0") ? "1" : "0") }]) {
      expect(codeOf(() => createGrader(bad))).toBe("INVALID_PACK");
      // The full entry validates the pack inside instead (an edit that keeps it valid is accepted).
      expect(codeOf(() => loadPack(bad))).toBe("ok");
    }
    expect(loadPack(edited).version).toBe("1.0.1");
    // An edit that breaks the pack is reported like any invalid pack.
    expect(codeOf(() => loadPack({ ...good, digest: "h64-0", source: good.source!.replace('"rank":3', '"rank":"x"') }))).toBe("SCHEMA");
    // A pack as written is not accepted by the grade-only entry.
    expect(codeOf(() => createGrader(raw("guyuan") as never))).toBe("INVALID_PACK");
  });

  it("createGrader's options: an object of booleans, else INVALID_ARGUMENT at the option (zh + en), never a raw TypeError", () => {
    const good = compilePack(raw("guyuan"));
    for (const [options, at] of [[null, "options"], [42, "options"], ["strict", "options"], [[], "options"], [{ strict: "yes" }, "options.strict"], [{ generateCode: 0 }, "options.generateCode"], [{ strict: null }, "options.strict"]] as const) {
      let thrown: unknown;
      try {
        createGrader(good, options as never);
      } catch (err) {
        thrown = err;
      }
      expect(isJicengError(thrown), JSON.stringify(options)).toBe(true);
      if (isJicengError(thrown)) {
        expect(thrown.code).toBe("INVALID_ARGUMENT");
        expect(thrown.issues[0]!.path.join(".")).toBe(at);
        expect(thrown.issues[0]!.message.zh).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    for (const options of [undefined, {}, { strict: true }, { generateCode: false, strict: false }]) expect(createGrader(good, options).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", risks: { homicide: true } })).toBe("red");
  });

  it("a digest in the earlier format (h64-, each word in both lanes) is refused with a message naming the current one", () => {
    const good = compilePack(raw("guyuan"));
    expect(good.digest).toMatch(/^h64s-[0-9a-f]{16}$/);
    const old: CompiledPack = { ...good, digest: good.digest.replace("h64s-", "h64-") };
    let message: { zh: string; en: string } | undefined;
    try {
      createGrader(old);
    } catch (e) {
      if (isJicengError(e)) message = e.issues[0]!.message;
    }
    expect(message?.en).toContain("not in this version's format (h64s-…)");
    expect(message?.zh).toContain("jiceng compile");
    expect(loadPack(old)).toEqual(loadPack(good)); // the full entry validates the pack inside instead
  });

  it("a change within one four-byte word always changes the digest", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        // ASCII text, so that one byte is one character and words are whole characters.
        const text = String.fromCharCode(...bytes.map((b) => b & 0x7f));
        const k = at % text.length;
        const changed = text.slice(0, k) + String.fromCharCode((text.charCodeAt(k) ^ flip) & 0x7f) + text.slice(k + 1);
        if (changed !== text) expect(hash64(changed)).not.toBe(hash64(text));
      }),
      { numRuns: 500 },
    );
  });

  it("the digest changes with any one character and equals its byte-by-byte (big-endian) computation", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), (s, i, c) => {
        expect(hash64(s)).toBe(hash64(s, true));
        const k = s.length ? i % s.length : 0;
        const t = s.slice(0, k) + c + s.slice(k + 1);
        if (t !== s) expect(hash64(t)).not.toBe(hash64(s));
      }),
      { numRuns: 200 },
    );
  });

  it("the module jiceng compile writes holds the pack as a string literal (hostile text stays data)", async () => {
    const pack = raw("guyuan");
    (pack["name"] as Record<string, string>)["en"] = '`${globalThis.pwned = 1}` "); globalThis.pwned = 1; ("\u2028*/';
    const c = compilePack(pack);
    const { source: _, ...lean } = c;
    for (const format of ["esm", "cjs"] as const) {
      for (const withSource of [false, true]) {
        const src = compiledPackModule(c, format, { withSource });
        const { code, ...exported } = format === "cjs" ? new Function("module", `${src}; return module.exports;`)({}) : new Function(`${src.replace(/export default compiled;\nexport \{ compiled \};\n$/, "")}; return compiled;`)();
        // Without the pack as written unless asked: the lean module a grading process loads. With
        // the grader's code (test/issue-17/compiled-code.test.ts).
        expect(exported).toEqual(withSource ? c : lean);
        expect(typeof code.level).toBe("function");
        expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
      }
    }
    let stdout = "";
    let stderr = "";
    const code = await main(["compile", "--pack", "guyuan", "--format", "cjs"], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: root.pathname });
    expect(code).toBe(0);
    const { source: _s, ...written } = compilePack(raw("guyuan"));
    const { code: ahead, ...exported } = new Function("module", `${stdout}; return module.exports;`)({});
    expect(exported).toEqual(written);
    expect(createGrader({ ...exported, code: ahead }).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", risks: { homicide: true } })).toBe("red");
    expect(ahead.digest).toMatch(/^h64s-[0-9a-f]{16}$/);
  });

  it("a compiled module without the pack as written: trusted, it loads; not trusted (or a variant asked for), a typed error that says what to pass", () => {
    const { source: _, ...lean } = compilePack(raw("guyuan"));
    expect(loadPack(lean).id).toBe("guyuan");
    expect(codeOf(() => createGrader(lean))).toBe("ok");
    const other = { ...lean, core: "0.0.1", digest: packDigest("0.0.1", lean.json) };
    for (const [bad, options] of [[other, {}], [{ ...lean, digest: "h64-0" }, {}], [lean, { variant: "x" }]] as const) {
      try {
        loadPack(bad, options);
        expect.unreachable("an untrusted compiled pack without its source was loaded");
      } catch (e) {
        if (!isJicengError(e)) throw e;
        expect(e.issues).toHaveLength(1);
        expect(e.issues[0]!.code).toBe("INVALID_PACK");
        expect(e.issues[0]!.message.zh).toContain("规则包原文");
        expect(e.issues[0]!.message.en).toContain("pass the pack as written");
      }
      expect(codeOf(() => createEngine(bad as CreateEngineInput, options))).toBe("INVALID_PACK");
    }
    // The variant is named in the message; another version says which.
    expect(() => loadPack(lean, { variant: "x" })).toThrow(/"x"/);
    expect(() => loadPack(other)).toThrow(/0\.0\.1/);
  });
});
