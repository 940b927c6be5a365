import { buildFactIndex, validateCaseFacts } from "../../conditions/facts.js";
import type { LevelDeadline } from "../../engine/engine.js";
import { IssueCode, JicengError, fail, formatPath, type JicengIssue, type Text } from "../../errors/index.js";
import type { GradeReason, RejectedLevel } from "../../grading/grade.js";
import { describeTrace } from "../../grading/describe.js";
import type { RulePack } from "../../pack/schema.js";
import type { Cite } from "../../vocabulary/index.js";
import { PACK, engineFor, noPositionals, onePositional, outFor, parse, str } from "../args.js";
import { displayWidth, type CliIO, type Out } from "../io.js";
import { isObject, readJson } from "../source.js";

/**
 * The facts of a case file: the object itself, or its `facts` (or a golden case's `input`)
 * when the pack declares no fact of that name.
 */
export function caseFacts(raw: unknown, pack: RulePack): { facts: Record<string, unknown>; path: string[] } {
  if (!isObject(raw)) fail(IssueCode.INVALID_CASE, [], "案件文件须为 JSON 对象（事实，或 { \"facts\": {…} }）", 'A case file must be a JSON object (the facts, or { "facts": {…} })');
  const top = new Set(pack.facts.map((f) => f.name.split(".")[0]));
  for (const key of ["facts", "input"]) {
    const v = raw[key];
    if (isObject(v) && !top.has(key)) return { facts: v, path: [key] };
  }
  return { facts: raw, path: [] };
}

/**
 * Every issue of a case's facts at once, at its path in the file; returns the warnings (unknown
 * fields, with the nearest declared name), which `strict` turns into errors.
 */
export function checkFacts(pack: RulePack, facts: Record<string, unknown>, path: string[], strict = false): JicengIssue[] {
  const all = validateCaseFacts(buildFactIndex(pack.facts), facts, path).map((i) => (strict && i.severity === "warning" && i.code === IssueCode.INVALID_CASE ? { ...i, severity: "error" as const } : i));
  const errors = all.filter((i) => i.severity === "error");
  if (errors.length) throw new JicengError(errors);
  return all;
}

/** `固党办〔2022〕49号 §二(三)7`: the document number (or id) and the clause. */
function citeText(pack: RulePack, cite: Cite): string {
  const doc = pack.source.documents.find((d) => d.id === cite.doc);
  return `${doc?.number ?? cite.doc} ${cite.clause}`;
}

/** A bilingual paragraph under a label; with both languages, English goes on its own line. */
function para(out: Out, indent: string, label: string, text: Text): void {
  if (out.lang !== "both" || text.zh === text.en) {
    out.line(`${indent}${label}: ${out.t(text)}`);
    return;
  }
  out.line(`${indent}${label}: ${text.zh}`);
  out.line(`${indent}${" ".repeat(displayWidth(label) + 2)}${text.en}`);
}

function printReason(out: Out, pack: RulePack, r: GradeReason, n: number): void {
  const label = r.label ?? (r.ruleId === "default" ? { zh: "未命中更高等级的规则，取默认等级", en: "No rule for a higher level held: the default level" } : undefined);
  out.line(`  ${n}. ${r.ruleId}${label ? "  " + out.t(label) : ""}`);
  if (r.cite) out.line(`     ${out.h("出处", "Source")}: ${citeText(pack, r.cite)}${r.cite.quote ? `「${r.cite.quote}」` : ""}`);
  else if (r.local) out.line(`     ${out.h("出处", "Source")}: ${out.t({ zh: "本地设定（文件未规定）", en: "local setting (not in the document)" })}`);
  if (r.note) para(out, "     ", out.h("说明", "Note"), r.note);
  if (r.conditions) {
    const held = describeTrace(pack, r.conditions, true);
    if (held.zh || held.en) para(out, "     ", out.h("成立的条件", "Held"), held);
  }
}

function printRejected(out: Out, pack: RulePack, rejected: readonly RejectedLevel[]): void {
  if (!rejected.length) return;
  out.line(`${out.h("未达到的更高等级", "Higher levels not reached")}:`);
  for (const l of rejected) {
    out.line(`  ${out.t(l.label)}`);
    if (!l.rules.length) out.line(`     ${out.t({ zh: "没有定到此等级的规则", en: "no rule grades to this level" })}`);
    for (const r of l.rules) {
      out.line(`     ${r.ruleId}${r.label ? "  " + out.t(r.label) : ""}${r.cite ? `  (${citeText(pack, r.cite)})` : ""}`);
      const failed = describeTrace(pack, r.conditions, false);
      if (failed.zh || failed.en) para(out, "       ", out.h("不成立", "Failed"), failed);
    }
  }
}

/** `【暂行 provisional】` after a provisional due time. */
function provisionalMark(out: Out, d: LevelDeadline): string {
  return d.provisional ? `  【${out.t({ zh: "暂行", en: "provisional" })}】` : "";
}

/** The CALENDAR_PROVISIONAL warning of a provisional deadline, in both languages. */
function printProvisional(out: Out, d: LevelDeadline): void {
  for (const w of d.warnings ?? []) para(out, "", out.h("暂行时限", "Provisional"), w.message);
}

/** The deadline fields worth showing (no epoch milliseconds). */
function deadlineView(d: LevelDeadline) {
  const { dueAtMs: _d, warnAtMs: _w, ...rest } = d;
  return rest;
}

/** `jiceng grade --pack <p> <case.json | ->`: level, due time and reasons of a case. */
export async function grade(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, explain: { type: "boolean" }, strict: { type: "boolean" } });
  const out = outFor(io, p.values);
  const file = onePositional(p, { zh: "案件文件（JSON，或 - 表示标准输入）", en: "the case file (JSON, or - for stdin)" });
  const { engine } = await engineFor(io, p.values);
  const pack = engine.pack;
  const { facts, path } = caseFacts(await readJson(file, io, IssueCode.INVALID_CASE), pack);
  const warnings = checkFacts(pack, facts, path, p.values["strict"] === true);
  // Warnings go to stderr so that stdout stays the result (JSON with --json).
  for (const w of warnings) io.stderr.write(`${out.h("警告", "warning")} ${w.code} ${formatPath(w.path)}: ${out.t(w.message)}\n`);
  const a = engine.assess(facts);
  const rejected = p.values["explain"] === true ? engine.explain(facts).rejected : undefined;

  if (out.json) {
    out.printJson({
      level: a.level,
      rank: a.rank,
      label: a.label,
      colour: a.colour,
      receivedAt: a.receivedAt,
      dueAt: a.dueAt,
      ...(a.warnAt !== undefined ? { warnAt: a.warnAt } : {}),
      ...(a.provisional ? { provisional: true } : {}),
      deadline: deadlineView(a.deadline),
      reasons: a.reasons,
      ...(rejected ? { rejected } : {}),
      ...(warnings.length ? { warnings } : {}),
    });
    return 0;
  }
  out.rows([
    [out.h("等级", "Level"), out.t(a.label)],
    [out.h("受理", "Received"), a.receivedAt],
    [out.h("时限", "Due"), `${a.dueAt}  (${out.h("最后一日", "last day")} ${a.deadline.lastDay}${a.deadline.rolledOver ? ", " + out.t({ zh: "休息日顺延", en: "rolled over a rest day" }) : ""})${provisionalMark(out, a.deadline)}`],
    ...(a.warnAt !== undefined ? [[out.h("预警", "Warn"), a.warnAt + provisionalMark(out, a.deadline)] as const] : []),
  ]);
  printProvisional(out, a.deadline);
  para(out, "", out.h("期限计算", "Counting"), a.deadline.explanation);
  out.line(`${out.h("依据", "Reasons")}:`);
  a.reasons.forEach((r, i) => printReason(out, pack, r, i + 1));
  if (rejected) printRejected(out, pack, rejected);
  return 0;
}

/** `jiceng deadline --pack <p> --level <id> --from <ISO>`: when a level's period ends. */
export async function deadline(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, level: { type: "string" }, from: { type: "string" } });
  const out = outFor(io, p.values);
  noPositionals(p);
  const level = str(p.values, "level", { zh: "等级标识，如 --level yellow", en: "a level id, e.g. --level yellow" });
  const from = str(p.values, "from", { zh: "起算时间（带时区偏移的 ISO 8601），如 --from 2022-06-20T10:00:00+08:00", en: "the start time (ISO 8601 with offset), e.g. --from 2022-06-20T10:00:00+08:00" });
  const { engine } = await engineFor(io, p.values);
  const d = engine.deadline(level, from);
  if (out.json) {
    out.printJson({ from, ...deadlineView(d) });
    return 0;
  }
  out.rows([
    [out.h("等级", "Level"), out.t(engine.level(level).label)],
    [out.h("起算", "From"), from],
    [out.h("起算日", "Start day"), `${d.startDay}  (${out.t({ zh: "不计入", en: "not counted" })})`],
    [out.h("最后一日", "Last day"), `${d.lastDay}${d.rolledOver ? "  (" + out.t({ zh: "休息日顺延", en: "rolled over a rest day" }) + ")" : ""}`],
    [out.h("时限", "Due"), d.dueAt + provisionalMark(out, d)],
    ...(d.warnAt !== undefined ? [[out.h("预警", "Warn"), d.warnAt + provisionalMark(out, d)] as const] : []),
  ]);
  printProvisional(out, d);
  para(out, "", out.h("期限计算", "Counting"), d.explanation);
  return 0;
}
