import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { IssueCode, fail, isJicengError, type JicengIssue } from "../../errors/index.js";
import { safeLoadPack } from "../../pack/load.js";
import type { RulePack } from "../../pack/schema.js";
import { PACK, noPositionals, onePositional, outFor, parse, str, usage, type Parsed } from "../args.js";
import { expandGlob, isGlob } from "../glob.js";
import type { CliIO, Out } from "../io.js";
import { lintEngineeringChoices, lintPack, lintTables, printTableAnalyses, tableSummary } from "../lint.js";
import { findUnreachableRules } from "../lint-rules.js";
import { ExitCode, issueLine } from "../report.js";
import { resolvePack, type PackSource } from "../source.js";
import { corePackageDir } from "../version.js";

/**
 * The packs of validate / lint: the positionals (ids, paths, directories or globs such as
 * 'packs/*\/pack.json', expanded here so CI needs no shell loop), or `--pack`.
 */
function packArgs(p: Parsed, io: CliIO): string[] {
  const v = str(p.values, "pack");
  const args = v !== undefined ? [v, ...p.positionals] : p.positionals;
  if (args.length === 0) onePositional(p, { zh: "规则包（标识、pack.json 路径或通配符）", en: "the pack (an id, the path to a pack.json, or a glob)" });
  const out: string[] = [];
  for (const a of args) {
    if (!isGlob(a) || existsSync(resolve(io.cwd, a))) {
      out.push(a);
      continue;
    }
    const files = expandGlob(a, io.cwd);
    if (!files.length) fail(IssueCode.PACK_NOT_FOUND, [], `没有与 ${a} 匹配的文件`, `No file matches ${a}`);
    out.push(...files);
  }
  return [...new Set(out)];
}

/** A pack that could not even be read (not found, not JSON): its issues, as if it were invalid. */
async function readPackOrIssues(arg: string, io: CliIO, alone: boolean): Promise<{ source: PackSource } | { file: string; issues: readonly JicengIssue[]; excerpt?: string }> {
  try {
    return { source: await resolvePack(arg, io) };
  } catch (error) {
    // One pack alone: its error goes to stderr as any other command's would.
    if (!isJicengError(error) || alone) throw error;
    const excerpt = (error as { excerpt?: unknown }).excerpt;
    return { file: arg, issues: error.issues, ...(typeof excerpt === "string" ? { excerpt } : {}) };
  }
}

/** The last line of a run over several packs. */
function filesSummary(out: Out, valid: number, invalid: number, errors: number, warnings: number): string {
  const n = valid + invalid;
  return out.t({
    zh: `共 ${n} 个规则包：${valid} 个有效，${invalid} 个无效；${errors} 个错误，${warnings} 个警告`,
    en: `${n} pack${n === 1 ? "" : "s"}: ${valid} valid, ${invalid} invalid; ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
  });
}

function printIssues(out: Out, issues: readonly JicengIssue[]): void {
  const warning = out.h("警告", "warning");
  for (const i of issues) out.line(issueLine(i, out.t, warning));
}

function summary(out: Out, errors: number, warnings: number): string {
  return out.t({ zh: `${errors} 个错误，${warnings} 个警告`, en: `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` });
}

const packTitle = (out: Out, pack: RulePack) => `${pack.id} ${pack.version}  ${out.t(pack.name)}`;

/** What one command makes of one readable pack: its counts, its JSON result and its text block. */
interface PackReport {
  valid: boolean;
  errors: readonly JicengIssue[];
  warnings: readonly JicengIssue[];
  json: Record<string, unknown>;
  print(): void;
}

/**
 * The loop `validate` and `lint` share: read each target, report an unreadable one the same way,
 * let the command judge a readable one, then print the JSON document or the totals.
 */
async function eachPack(
  targets: readonly string[],
  io: CliIO,
  out: Out,
  unreadableJson: Record<string, unknown>,
  judge: (source: PackSource) => Promise<PackReport> | PackReport,
): Promise<number> {
  const results: Array<Record<string, unknown>> = [];
  let valid = 0;
  let errorCount = 0;
  let warningCount = 0;
  for (const [n, target] of targets.entries()) {
    if (!out.json && n > 0) out.line();
    const read = await readPackOrIssues(target, io, targets.length === 1);
    if (!("source" in read)) {
      errorCount += read.issues.length;
      if (out.json) results.push({ valid: false, file: read.file, errors: read.issues, warnings: [], ...unreadableJson });
      else {
        out.line(`✗ ${out.t({ zh: "规则包无效", en: "The pack is invalid" })}: ${read.file}`);
        printIssues(out, read.issues);
        if (read.excerpt !== undefined) for (const l of read.excerpt.split("\n")) out.line(`    ${l}`);
      }
      continue;
    }
    const report = await judge(read.source);
    if (report.valid) valid++;
    errorCount += report.errors.length;
    warningCount += report.warnings.length;
    if (out.json) results.push(report.json);
    else report.print();
  }
  const invalid = targets.length - valid;
  if (out.json) out.printJson(targets.length === 1 ? results[0] : { results, summary: { packs: targets.length, valid, invalid, errors: errorCount, warnings: warningCount } });
  else if (targets.length > 1) {
    out.line();
    out.line(filesSummary(out, valid, invalid, errorCount, warningCount));
  }
  return invalid === 0 ? ExitCode.OK : ExitCode.INPUT;
}

/** `jiceng validate <pack…>`: every issue with its path; exit 0 when every pack loads. */
export async function validate(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, PACK);
  const out = outFor(io, p.values);
  const targets = packArgs(p, io);
  const variant = str(p.values, "variant");
  return eachPack(targets, io, out, {}, (source) => {
    const r = safeLoadPack(source.raw, variant === undefined ? {} : { variant });
    const all = r.success ? r.warnings : r.issues;
    const errors = all.filter((i) => i.severity === "error");
    const warnings = all.filter((i) => i.severity === "warning");
    return {
      valid: r.success,
      errors,
      warnings,
      json: { valid: r.success, file: source.file, ...(r.success ? { pack: { id: r.data.id, version: r.data.version } } : {}), errors, warnings },
      print() {
        if (r.success) {
          const pack = r.data;
          out.line(`✓ ${out.t({ zh: "规则包有效", en: "The pack is valid" })}: ${packTitle(out, pack)}`);
          out.rows([
            [out.h("文件", "File"), source.file],
            [out.h("事实", "Facts"), String(pack.facts.length)],
            [out.h("等级", "Levels"), pack.levels.map((l) => out.t(l.label)).join(", ")],
            [out.h("定级规则", "Rules"), String(pack.grading.rules.length)],
          ], "  ");
        } else out.line(`✗ ${out.t({ zh: "规则包无效", en: "The pack is invalid" })}: ${source.file}`);
        printIssues(out, [...errors, ...warnings]);
        if (targets.length === 1) out.line(summary(out, errors.length, warnings.length));
      },
    };
  });
}

/** `jiceng schema`: the JSON Schema of a rule pack. */
export async function schema(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, {});
  const out = outFor(io, p.values);
  noPositionals(p);
  // The file the package ships (generated from the zod schema by `npm run schema`, held to it by a test).
  const dir = corePackageDir();
  const file = dir === undefined ? undefined : join(dir, "schema", "rule-pack.schema.json");
  if (file === undefined || !existsSync(file)) fail(IssueCode.INTERNAL, [], "找不到 @jiceng/core 附带的 schema/rule-pack.schema.json", "schema/rule-pack.schema.json of @jiceng/core was not found");
  out.printJson(JSON.parse(readFileSync(file, "utf8")) as unknown);
  return 0;
}

/** lintPack's list; a pack beyond the pack limits has none (the load reports LIMIT_EXCEEDED). */
function localValues(raw: unknown): JicengIssue[] {
  try {
    return lintPack(raw);
  } catch (error) {
    if (isJicengError(error) && error.issues.every((i) => i.code === IssueCode.LIMIT_EXCEEDED)) return [];
    throw error;
  }
}

/** `jiceng lint <pack…>`: every `local` value with its path and note, the load warnings, table gaps and overlaps. */
export async function lint(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, "max-combinations": { type: "string" } });
  const out = outFor(io, p.values);
  const limit = str(p.values, "max-combinations");
  if (limit !== undefined && !/^\d+$/.test(limit)) usage(`--max-combinations 须为非负整数，而不是 "${limit}"`, `--max-combinations must be a non-negative integer, not "${limit}"`);
  const targets = packArgs(p, io);
  const variant = str(p.values, "variant");
  return eachPack(targets, io, out, { tables: [] }, async (source) => {
    const r = safeLoadPack(source.raw, variant === undefined ? {} : { variant });
    const locals = localValues(source.raw);
    const loadIssues = r.success ? r.warnings : r.issues;
    const errors = loadIssues.filter((i) => i.severity === "error");
    const neverFire = r.success ? findUnreachableRules(r.data) : [];
    const warnings = [...locals, ...lintEngineeringChoices(source.raw), ...neverFire, ...loadIssues.filter((i) => i.severity === "warning")];
    const tables = r.success ? await lintTables(r.data, limit === undefined ? {} : { maxCombinations: Number(limit) }) : [];
    return {
      valid: r.success,
      errors,
      warnings,
      json: { valid: r.success, file: source.file, errors, warnings, tables },
      print() {
        if (r.success) out.line(`${out.t({ zh: "规则包", en: "Pack" })}: ${packTitle(out, r.data)}`);
        else out.line(`✗ ${out.t({ zh: "规则包无效", en: "The pack is invalid" })}: ${source.file}`);
        printIssues(out, [...errors, ...warnings]);
        printTableAnalyses(out, tables);
        if (tables.length) out.line("");
        const nLocal = locals.filter((i) => i.code === "LOCAL_VALUE").length;
        const nExternal = locals.length - nLocal;
        const nUncovered = errors.filter((i) => i.code === "MISSING_CITE").length;
        out.line(out.t({ zh: `${nLocal} 个本地值须由当地设定，${nExternal} 处引用外部来源，${nUncovered} 个值既无出处也非本地值`, en: `${nLocal} local value${nLocal === 1 ? "" : "s"} to set locally, ${nExternal} external cite${nExternal === 1 ? "" : "s"}, ${nUncovered} value${nUncovered === 1 ? "" : "s"} neither cited nor local` }) + "; " + summary(out, errors.length, warnings.length) + (tables.length ? "; " + tableSummary(out, tables) : ""));
      },
    };
  });
}
