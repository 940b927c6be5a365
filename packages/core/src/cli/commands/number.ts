import { parseArgs } from "node:util";
import type { CaseNumberParts } from "../../numbering/index.js";
import { COMMON, PACK, engineFor, noPositionals, onePositional, outFor, parse, str, usage, type Options } from "../args.js";
import type { CliIO } from "../io.js";

const FORMAT = { ...PACK, date: { type: "string" }, seq: { type: "string" } } as const satisfies Options;

/** `--pack` and `--variant`, read before the pack says which `--<part>` options exist. */
function packOptions(args: readonly string[]) {
  const { values } = parseArgs({ args: [...args], options: { ...COMMON, ...FORMAT }, strict: false, allowPositionals: true });
  return values as Record<string, string | boolean | undefined>;
}

/**
 * `jiceng number --pack <p> --date YYYY-MM-DD --<part> <code>… --seq <n>` formats a number;
 * `jiceng number parse --pack <p> <number>` reads one back.
 */
export async function number(args: string[], io: CliIO): Promise<number> {
  if (args[0] === "parse") return parseNumber(args.slice(1), io);
  const { engine } = await engineFor(io, packOptions(args));
  const partNames = Object.keys(engine.pack.numbering?.parts ?? {}).filter((n) => !Object.hasOwn(FORMAT, n) && !Object.hasOwn(COMMON, n));
  const hint = { zh: `编号部分：${partNames.map((n) => "--" + n).join(" ") || "无"}`, en: `number parts: ${partNames.map((n) => "--" + n).join(" ") || "none"}` };
  const p = parse(args, { ...FORMAT, ...Object.fromEntries(partNames.map((n) => [n, { type: "string" }] as const)) }, hint);
  const out = outFor(io, p.values);
  noPositionals(p);
  const seqText = str(p.values, "seq", { zh: "序号，如 --seq 1", en: "the sequence number, e.g. --seq 1" });
  if (!/^\d{1,15}$/.test(seqText)) usage(`--seq 须为正整数，而不是 "${seqText}"`, `--seq must be a positive integer, not "${seqText}"`);
  const parts: CaseNumberParts = { seq: Number(seqText) };
  const date = str(p.values, "date");
  if (date !== undefined) parts.date = date;
  for (const n of partNames) {
    const v = str(p.values, n);
    if (v !== undefined) parts[n] = v;
  }
  const text = engine.number(parts);
  if (out.json) out.printJson({ number: text, parts });
  else out.line(text);
  return 0;
}

async function parseNumber(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, PACK);
  const out = outFor(io, p.values);
  const text = onePositional(p, { zh: "要解析的编号", en: "the number to parse" });
  const { engine } = await engineFor(io, p.values);
  const parsed = engine.parseNumber(text);
  if (out.json) {
    out.printJson({ number: text, ...parsed });
    return 0;
  }
  const labels = engine.pack.numbering?.parts ?? {};
  const rows: Array<readonly [string, string]> = [[out.h("编号", "Number"), text]];
  if (parsed.year !== undefined) rows.push([out.h("年", "Year"), String(parsed.year)]);
  if (parsed.yy !== undefined) rows.push([out.h("年（两位）", "Year (2 digits)"), String(parsed.yy).padStart(2, "0")]);
  if (parsed.month !== undefined) rows.push([out.h("月", "Month"), String(parsed.month)]);
  if (parsed.day !== undefined) rows.push([out.h("日", "Day"), String(parsed.day)]);
  for (const [name, code] of Object.entries(parsed.parts)) {
    const label = Object.hasOwn(labels, name) ? labels[name]?.label : undefined;
    rows.push([name, label ? `${code}  (${out.t(label)})` : code]);
  }
  rows.push([out.h("序号", "Seq"), String(parsed.seq)]);
  out.rows(rows);
  return 0;
}
