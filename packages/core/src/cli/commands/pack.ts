import type { JicengIssue } from "../../errors/index.js";
import { rulePackJsonSchema } from "../../pack/json-schema.js";
import { safeLoadPack } from "../../pack/load.js";
import type { RulePack } from "../../pack/schema.js";
import { PACK, noPositionals, onePositional, outFor, parse, str, usage, type Parsed } from "../args.js";
import type { CliIO, Out } from "../io.js";
import { lintPack, lintTables, printTableAnalyses, tableSummary } from "../lint.js";
import { findUnreachableRules } from "../lint-rules.js";
import { issueLine } from "../report.js";
import { resolvePack } from "../source.js";

/** The pack argument of validate / lint: a positional, or `--pack`. */
function packArg(p: Parsed): string {
  const v = str(p.values, "pack");
  return v !== undefined && p.positionals.length === 0 ? v : onePositional(p, { zh: "规则包（标识或 pack.json 路径）", en: "the pack (an id or the path to a pack.json)" });
}

function printIssues(out: Out, issues: readonly JicengIssue[]): void {
  const warning = out.h("警告", "warning");
  for (const i of issues) out.line(issueLine(i, out.t, warning));
}

function summary(out: Out, errors: number, warnings: number): string {
  return out.t({ zh: `${errors} 个错误，${warnings} 个警告`, en: `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` });
}

const packTitle = (out: Out, pack: RulePack) => `${pack.id} ${pack.version}  ${out.t(pack.name)}`;

/** `jiceng validate <pack>`: every issue with its path; exit 0 when the pack loads. */
export async function validate(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, PACK);
  const out = outFor(io, p.values);
  const source = await resolvePack(packArg(p), io);
  const variant = str(p.values, "variant");
  const r = safeLoadPack(source.raw, variant === undefined ? {} : { variant });
  const all = r.success ? r.warnings : r.issues;
  const errors = all.filter((i) => i.severity === "error");
  const warnings = all.filter((i) => i.severity === "warning");
  if (out.json) {
    out.printJson({ valid: r.success, file: source.file, ...(r.success ? { pack: { id: r.data.id, version: r.data.version } } : {}), errors, warnings });
    return r.success ? 0 : 1;
  }
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
  out.line(summary(out, errors.length, warnings.length));
  return r.success ? 0 : 1;
}

/** `jiceng schema`: the JSON Schema of a rule pack. */
export async function schema(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, {});
  const out = outFor(io, p.values);
  noPositionals(p);
  out.printJson(rulePackJsonSchema());
  return 0;
}

/** `jiceng lint <pack>`: every `local` value with its path and note, and the load warnings. */
export async function lint(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, "max-combinations": { type: "string" } });
  const out = outFor(io, p.values);
  const source = await resolvePack(packArg(p), io);
  const variant = str(p.values, "variant");
  const r = safeLoadPack(source.raw, variant === undefined ? {} : { variant });
  const locals = lintPack(source.raw);
  const loadIssues = r.success ? r.warnings : r.issues;
  const errors = loadIssues.filter((i) => i.severity === "error");
  const neverFire = r.success ? findUnreachableRules(r.data) : [];
  const warnings = [...locals, ...neverFire, ...loadIssues.filter((i) => i.severity === "warning")];
  const limit = str(p.values, "max-combinations");
  if (limit !== undefined && !/^\d+$/.test(limit)) usage(`--max-combinations 须为非负整数，而不是 "${limit}"`, `--max-combinations must be a non-negative integer, not "${limit}"`);
  const tables = r.success ? await lintTables(r.data, limit === undefined ? {} : { maxCombinations: Number(limit) }) : [];
  if (out.json) {
    out.printJson({ valid: r.success, file: source.file, errors, warnings, tables });
    return r.success ? 0 : 1;
  }
  if (r.success) out.line(`${out.t({ zh: "规则包", en: "Pack" })}: ${packTitle(out, r.data)}`);
  else out.line(`✗ ${out.t({ zh: "规则包无效", en: "The pack is invalid" })}: ${source.file}`);
  printIssues(out, [...errors, ...warnings]);
  printTableAnalyses(out, tables);
  if (tables.length) out.line("");
  out.line(out.t({ zh: `${locals.length} 个本地值须由当地设定`, en: `${locals.length} local value${locals.length === 1 ? "" : "s"} to set locally` }) + "; " + summary(out, errors.length, warnings.length) + (tables.length ? "; " + tableSummary(out, tables) : ""));
  return r.success ? 0 : 1;
}
