/**
 * `@jiceng/core/grade`: grading only, for the processes that start often and grade (serverless
 * functions, CLIs, workers). It takes a pack compiled at build time (`jiceng compile`, or a rules
 * package's `/compiled` export) and loads neither zod nor XState, nor scoring, tables, routing,
 * the lifecycle or HTML: a fresh process grades its first case in a few milliseconds. The grader
 * is the engine's own (`engine.grade`, `gradeLevel`, `explain`, `validateCase`, `checkCase`,
 * `isValidCase`, `level` behave the same). For everything else use `createEngine` from
 * `@jiceng/core`, which takes the same compiled pack.
 *
 * @example
 * import { createGrader } from "@jiceng/core/grade";
 * import compiled from "@jiceng/rules-guyuan/compiled";
 * const grader = createGrader(compiled);
 * grader.gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } }); // "red"
 * @module
 */
import { IssueCode, JicengError, issue } from "./errors/index.js";
import { buildGrader, type Grader, type GraderOptions, type GraderParts } from "./engine/grader.js";
import { isCompiledPack, isLoadedPack, openCompiledPack, type CompiledPack } from "./pack/compiled.js";
import type { RulePack } from "./pack/schema.js";
import type { FactEntry } from "./conditions/facts.js";
import type { ValidCase } from "./engine/cases.js";

/**
 * The grader of a compiled pack (or of a pack `loadPack` returned in this process). A pack as
 * written is refused (INVALID_PACK): validating it needs the schema, which this entry leaves out.
 * A compiled pack from another core version, or changed after compiling, is refused too.
 * @throws JicengError INVALID_PACK; INVALID_ARGUMENT for options that are not an object of booleans
 */
export function createGrader(pack: CompiledPack | RulePack, options: GraderOptions = {}): Grader {
  checkGraderOptions(options);
  if (isCompiledPack(pack)) {
    const opened = openCompiledPack(pack);
    // The module carries the checked level as code (jiceng compile): nothing is parsed, indexed or
    // generated until a case needs more than that function (issue 17's cold start).
    if (opened.level !== undefined && options.strict !== true && options.generateCode !== false) return aheadGrader(opened.parse, opened.level, options);
    return buildGrader(opened.parse(), options);
  }
  if (isLoadedPack(pack)) return buildGrader(pack, options);
  throw new JicengError(
    issue(
      IssueCode.INVALID_PACK,
      [],
      "@jiceng/core/grade 只接受编译后的规则包（jiceng compile，或规则包的 /compiled 导出）；未编译的规则包请用 @jiceng/core 的 createEngine",
      "@jiceng/core/grade takes a compiled pack (jiceng compile, or a rules package's /compiled export); for a pack as written use createEngine from @jiceng/core",
    ),
  );
}

/** `options` is an object whose `strict` and `generateCode` are booleans where given (INVALID_ARGUMENT, nothing made). */
function checkGraderOptions(options: unknown): asserts options is GraderOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, ["options"], `createGrader 的参数 options 须为对象，实际为 ${show(options)}`, `createGrader: options must be an object, got ${show(options)}`));
  }
  for (const k of ["strict", "generateCode"] as const) {
    const v = (options as Record<string, unknown>)[k];
    if (v !== undefined && typeof v !== "boolean") {
      throw new JicengError(issue(IssueCode.INVALID_ARGUMENT, ["options", k], `createGrader 的选项 ${k} 须为 true 或 false，实际为 ${show(v)}`, `createGrader: options.${k} must be true or false, got ${show(v)}`));
    }
  }
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return Array.isArray(v) ? "an array" : v === null ? "null" : typeof v === "object" || typeof v === "function" || typeof v === "symbol" ? typeof v : String(v);
}

/**
 * The grader of a compiled pack whose module carries the checked level as code: `gradeLevel` of a
 * plain, valid case runs that function alone; anything else (another method, an irregular case, an
 * error to report) builds the grader of the pack first — the same grader as buildGrader's, which
 * then uses the module's function as its own checked level.
 */
function aheadGrader(parse: () => RulePack, ahead: (entry: (name: string) => FactEntry) => (facts: unknown) => string | undefined, options: GraderOptions): Grader {
  let full: GraderParts | undefined;
  const get = (): GraderParts => (full ??= buildGrader(parse(), options, level));
  const level = ahead((name) => get().facts.get(name)!);
  return {
    get pack() {
      return get().pack;
    },
    grade: (f, o) => get().grade(f, o),
    gradeLevel: (f, o) => {
      if (full === undefined && o === undefined && typeof f === "object" && f !== null) {
        const l = level(f);
        if (l !== undefined) return l;
      }
      return get().gradeLevel(f, o);
    },
    explain: (f, o) => get().explain(f, o),
    validateCase: (f, o) => get().validateCase(f, o),
    checkCase: (f, o) => get().checkCase(f, o),
    // No ValidCase of this grader exists before it is built (validateCase builds it).
    isValidCase: (f): f is ValidCase => full !== undefined && full.isValidCase(f),
    level: (id) => get().level(id),
  };
}

export { readCompiledPack, isCompiledPack, COMPILED_PACK_FORMAT } from "./pack/compiled.js";
export { JicengError, isJicengError, IssueCode } from "./errors/index.js";
export type { CompiledPack, CompiledCode } from "./pack/compiled.js";
export type { Grader, GraderOptions, GraderFacts } from "./engine/grader.js";
export type { GradeResult, GradeReason, GradeExplanation, ScoreBreakdown, RejectedLevel } from "./grading/grade.js";
export type { CaseOptions, ValidCase } from "./engine/cases.js";
export type { JicengIssue, Text } from "./errors/index.js";
export type { RulePack } from "./pack/schema.js";
