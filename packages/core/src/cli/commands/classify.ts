import { IssueCode, fail, type Text } from "../../errors/index.js";
import type { RulePack } from "../../pack/schema.js";
import type { Cite } from "../../vocabulary/index.js";
import { compilePackTables, type TableReason } from "../../tables/classify.js";
import { describeTableTrace, resultText } from "../../tables/describe.js";
import { PACK, engineFor, onePositional, outFor, parse, str } from "../args.js";
import { displayWidth, type CliIO, type Out } from "../io.js";
import { isObject, readJson } from "../source.js";

/** `安发〔2021〕10号 §三(三)2`: the document number (or id) and the clause. */
export function citeText(pack: RulePack, cite: Cite): string {
  const doc = pack.source.documents.find((d) => d.id === cite.doc);
  return `${doc?.number ?? cite.doc} ${cite.clause}`;
}

/** A text under a label; with both languages, English on its own line under the Chinese. */
export function labelled(out: Out, indent: string, label: string, text: Text): void {
  if (out.lang !== "both" || text.zh === text.en) {
    out.line(`${indent}${label}${out.t(text)}`);
    return;
  }
  out.line(`${indent}${label}${text.zh}`);
  out.line(`${indent}${" ".repeat(displayWidth(label))}${text.en}`);
}

const isText = (v: unknown): v is Text => isObject(v) && typeof v["zh"] === "string" && typeof v["en"] === "string";

/** The entity's facts in a file: the object itself, or its `facts` / `input` (a golden case) when the table has no such fact. */
function entityFacts(raw: unknown, factNames: readonly string[]): unknown {
  if (!isObject(raw)) fail(IssueCode.INVALID_CASE, [], "输入文件须为 JSON 对象（事实，或 { \"facts\": {…} }）", 'The input file must be a JSON object (the facts, or { "facts": {…} })');
  const top = new Set(factNames.map((f) => f.split(".")[0]));
  for (const key of ["facts", "input"]) {
    const v = raw[key];
    if (isObject(v) && !top.has(key)) return v;
  }
  return raw;
}

function printReason(out: Out, pack: RulePack, facts: Parameters<typeof describeTableTrace>[1], r: TableReason, head: string, failed = false): void {
  out.line(`${head}${r.rowId}${r.label ? "  " + out.t(r.label) : ""}`);
  const pad = " ".repeat(displayWidth(head));
  if (r.cite) out.line(`${pad}${out.h("出处", "Source")}: ${citeText(pack, r.cite)}${r.cite.quote ? `「${r.cite.quote}」` : ""}`);
  else if (r.local) out.line(`${pad}${out.h("出处", "Source")}: ${out.t({ zh: "本地设定（文件未规定）", en: "local setting (not in the document)" })}`);
  if (r.note) labelled(out, pad, `${out.h("说明", "Note")}: `, r.note);
  if (r.conditions) {
    const words = describeTableTrace(r.conditions, facts, !failed);
    labelled(out, pad, `${failed ? out.h("不成立", "Failed") : out.h("成立的条件", "Held")}: `, words);
  }
}

/**
 * `jiceng classify --pack <p> --table <id> <entity.json | ->`: the class of an entity (e.g. a
 * household), its service, and the rows (with clauses and the conditions seen) that decided it.
 */
export async function classify(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, table: { type: "string", short: "t" } });
  const out = outFor(io, p.values);
  const file = onePositional(p, { zh: "输入文件（JSON，或 - 表示标准输入）", en: "the input file (JSON, or - for stdin)" });
  const { engine } = await engineFor(io, p.values);
  const pack = engine.pack;
  const tables = Object.keys(pack.tables ?? {});
  const tableId = str(p.values, "table") ?? (tables.length === 1 ? tables[0]! : undefined);
  if (tableId === undefined) {
    fail(IssueCode.USAGE, [], `缺少 --table（决策表标识；此规则包有：${tables.join(", ") || "无"}）`, `Missing --table (a decision table id; this pack has: ${tables.join(", ") || "none"})`);
  }
  const declared = (pack.tables && Object.hasOwn(pack.tables, tableId) ? pack.tables[tableId] : undefined)?.facts?.map((f) => f.name) ?? pack.facts.map((f) => f.name);
  const facts = entityFacts(await readJson(file, io, IssueCode.INVALID_CASE), declared);
  const c = engine.classify(tableId, facts);
  const index = compilePackTables(pack).get(tableId)!.facts;
  const held = (r: TableReason, failed = false) => (r.conditions ? describeTableTrace(r.conditions, index, !failed) : undefined);

  if (out.json) {
    out.printJson({
      table: c.table,
      class: c.class ?? null,
      label: c.label ?? null,
      service: c.service ?? null,
      result: c.result,
      usedDefault: c.usedDefault,
      reasons: c.reasons.map((r) => ({ ...r, ...(r.conditions ? { held: held(r) } : {}) })),
      overridden: c.overridden.map((r) => ({ ...r, ...(r.conditions ? { held: held(r) } : {}) })),
      ...(c.rejected ? { rejected: c.rejected.map((r) => ({ ...r, ...(r.conditions ? { failed: held(r, true) } : {}) })) } : {}),
    });
    return 0;
  }
  const rows: Array<[string, string]> = [[out.h("决策表", "Table"), `${tableId}  ${out.t(pack.tables![tableId]!.label)}`]];
  if (c.class !== undefined) rows.push([out.h("类别", "Class"), `${c.class}${c.label ? "  " + out.t(c.label) : ""}`]);
  else rows.push([out.h("结果", "Result"), Array.isArray(c.result) ? c.result.map((x) => out.t(resultText(x))).join("; ") : out.t(resultText(c.result))]);
  out.rows(rows);
  if (isText(c.service)) labelled(out, "", `${out.h("服务", "Service")}: `, c.service);
  if (c.usedDefault) out.line(out.t({ zh: "表中没有任何一行成立，取默认结果", en: "No row of the table holds: the default applies" }));
  out.line(`${out.h("依据", "Reasons")}:`);
  c.reasons.forEach((r, i) => printReason(out, pack, index, r, `  ${i + 1}. `));
  if (c.overridden.length) {
    out.line(`${out.h("也成立、但按优先顺序未采用", "Also held, but lost by row order")}:`);
    const precedence = pack.tables![tableId]!.precedence;
    for (const r of c.overridden) printReason(out, pack, index, { ...r, ...(r.result ? { label: r.label ?? resultText(r.result) } : {}) }, "  - ");
    if (precedence?.note) labelled(out, "  ", `${precedence.local ? out.h("优先顺序（本地设定）", "Precedence (local)") : out.h("优先顺序", "Precedence")}: `, precedence.note);
  }
  if (c.rejected?.length) {
    out.line(`${out.h("未成立的行", "Rows that did not hold")}:`);
    for (const r of c.rejected) printReason(out, pack, index, r, "  - ", true);
  }
  return 0;
}
