// A pack compiled at build time (`jiceng compile pack.json`): the pack as loadPack returned it
// (validated, defaults applied), as JSON text, with the core version that validated it and a
// digest of both. loadPack and the grade-only entry trust it without running zod again when the
// version is theirs and the digest matches. The digest guards against edits and mix-ups (a module
// changed by hand, a pack compiled by another version), not against someone who means harm and
// can recompute it: that person can change the code you install as easily. No zod, no I/O here.
import { IssueCode, JicengError, issue } from "../errors/index.js";
import type { RulePack } from "./schema.js";
import { CORE_VERSION } from "../vocabulary/version.js";
import { hasLoadedMark, markLoaded } from "../vocabulary/loaded.js";

/** The `format` of a compiled pack. */
export const COMPILED_PACK_FORMAT = "jiceng.compiled-pack/1";

/** A pack compiled by `jiceng compile` (or {@link compilePack}), as its module exports it. */
export interface CompiledPack {
  readonly format: typeof COMPILED_PACK_FORMAT;
  /** The pack's id and version (for messages; the JSON is what counts). */
  readonly id: string;
  readonly version: string;
  /** The variant applied when it was compiled, if any. */
  readonly variant?: string;
  /** The @jiceng/core version that validated it. */
  readonly core: string;
  /** The `packDigest` of `core` and `json`: guards against edits and mix-ups (see the module comment). */
  readonly digest: string;
  /** The loaded pack as JSON text. */
  readonly json: string;
  /**
   * The pack as written, as JSON text: what the full entry validates instead when the compiled
   * pack is not trusted (another core version, an edit) or a variant is asked for. {@link compilePack}
   * returns it; the modules {@link compiledPackModule} writes leave it out unless asked (a process
   * that grades from the module never needs it: the rules packages' `/compiled` export is lean, and
   * their default export is the pack as written).
   */
  readonly source?: string;
}


/** True if `value` came out of {@link loadPack} (so it need not be validated again). */
export function isLoadedPack(value: unknown): value is RulePack {
  return hasLoadedMark(value);
}

/** True for an object in the compiled-pack format (trusted or not). */
export function isCompiledPack(value: unknown): value is CompiledPack {
  return typeof value === "object" && value !== null && (value as { format?: unknown }).format === COMPILED_PACK_FORMAT;
}

// A 64-bit digest of the UTF-8 bytes, read four at a time as little-endian words: two 32-bit
// multiply-xor lanes (cyrb53's constants and final mixing), the even words into one lane and the odd
// words into the other. Plain JavaScript, so the grade-only entry needs neither node:crypto (~4 ms to
// load) nor WebCrypto (async). Each word enters one lane, not both, and four words a turn: a fresh
// process hashes Guyuan's 57 kB in ≈ 0.8 ms of CPU instead of 1.3–2.5 ms (the loop ends before V8
// tiers it up; issue 17's cold start). A change within one word always changes the digest: xoring a
// different word and multiplying by an odd constant are one-to-one, and so is the final mixing.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const K1 = 2654435761;
const K2 = 1597334677;
/** @internal `portable`: read the words byte by byte (the big-endian path), for the test that holds both paths equal. */
export function hash64(text: string, portable = false): string {
  const bytes = new TextEncoder().encode(text);
  const len = bytes.length;
  const n = len >>> 2;
  let h1 = 0xdeadbeef ^ len;
  let h2 = 0x41c6ce57 ^ len;
  if (LITTLE_ENDIAN && !portable && bytes.byteOffset % 4 === 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset, n);
    const m = n & ~3;
    let i = 0;
    for (; i < m; i += 4) {
      h1 = Math.imul(h1 ^ w[i]!, K1);
      h2 = Math.imul(h2 ^ w[i + 1]!, K2);
      h1 = Math.imul(h1 ^ w[i + 2]!, K1);
      h2 = Math.imul(h2 ^ w[i + 3]!, K2);
    }
    for (; i < n; i++) {
      if (i & 1) h2 = Math.imul(h2 ^ w[i]!, K2);
      else h1 = Math.imul(h1 ^ w[i]!, K1);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = i << 2;
      const w = (bytes[k]! | (bytes[k + 1]! << 8) | (bytes[k + 2]! << 16) | (bytes[k + 3]! << 24)) >>> 0;
      if (i & 1) h2 = Math.imul(h2 ^ w, K2);
      else h1 = Math.imul(h1 ^ w, K1);
    }
  }
  for (let i = n << 2; i < len; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, K1);
    h2 = Math.imul(h2 ^ bytes[i]!, K2);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

/** The prefix of a digest made by {@link hash64} (`h64-` was its earlier form, each word in both lanes). */
const DIGEST_PREFIX = "h64s-";

/** The digest of a compiled pack: of the core version and the pack's JSON text. */
export function packDigest(core: string, json: string): string {
  return `${DIGEST_PREFIX}${hash64(`${core}\n${json}`)}`;
}

/**
 * Why a compiled pack is not trusted by this core, or undefined when it is.
 * @internal
 */
export function compiledPackProblem(c: CompiledPack): JicengError | undefined {
  const at = (zh: string, en: string) => new JicengError(issue(IssueCode.INVALID_PACK, [], zh, en));
  if (!isCompiledPack(c)) return at("不是编译后的规则包（须为 jiceng compile 的输出）", "Not a compiled pack (expected the output of jiceng compile)");
  if (typeof c.json !== "string" || typeof c.digest !== "string" || typeof c.core !== "string") return at("编译后的规则包格式不对：缺少 json、digest 或 core", "The compiled pack is malformed: json, digest or core is missing");
  if (c.core !== CORE_VERSION) return at(`规则包“${String(c.id)}”由 @jiceng/core ${c.core} 编译，当前为 ${CORE_VERSION}：请用当前版本重新运行 jiceng compile`, `The pack "${String(c.id)}" was compiled by @jiceng/core ${c.core}, this is ${CORE_VERSION}: run jiceng compile again with this version`);
  if (!c.digest.startsWith(DIGEST_PREFIX)) return at(`编译后的规则包“${String(c.id)}”的摘要不是当前格式（${DIGEST_PREFIX}…），可能由较早的构建编译：请用当前版本重新运行 jiceng compile`, `The digest of the compiled pack "${String(c.id)}" is not in this version's format (${DIGEST_PREFIX}…), perhaps from an earlier build: run jiceng compile again with this version`);
  if (packDigest(c.core, c.json) !== c.digest) return at(`编译后的规则包“${String(c.id)}”的摘要不符：编译后被改动过。请修改 pack.json 并重新运行 jiceng compile`, `The digest of the compiled pack "${String(c.id)}" does not match: it was changed after compiling. Edit pack.json and run jiceng compile again`);
  return undefined;
}

/**
 * The pack inside a compiled pack this core trusts (same core version, matching digest), without
 * validating it again; throws INVALID_PACK (zh + en) otherwise.
 *
 * @example
 * import compiled from "@jiceng/rules-guyuan/compiled";
 * const pack = readCompiledPack(compiled); // no zod at run time
 */
export function readCompiledPack(c: CompiledPack): RulePack {
  const problem = compiledPackProblem(c);
  if (problem) throw problem;
  const pack = JSON.parse(c.json) as RulePack;
  markLoaded(pack);
  return pack;
}
