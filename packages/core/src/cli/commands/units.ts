import { IssueCode } from "../../errors/index.js";
import type { UnitViolation } from "../../units/check.js";
import { PACK, engineFor, onePositional, outFor, parse } from "../args.js";
import type { CliIO } from "../io.js";
import { readJson } from "../source.js";
import { citeText, labelled } from "./classify.js";

const show = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ");

/**
 * `jiceng check-units --pack <p> <units.json | ->`: every unit that breaks the pack's structure
 * rules (kind, parent, head, size), with the rule, its clause and the values seen. Exit 1 when
 * any violation is an error.
 */
export async function checkUnitsCommand(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, PACK);
  const out = outFor(io, p.values);
  const file = onePositional(p, { zh: "单元文件（JSON 数组，或 - 表示标准输入）", en: "the units file (a JSON array, or - for stdin)" });
  const { engine } = await engineFor(io, p.values);
  const report = engine.checkUnits(await readJson(file, io, IssueCode.INVALID_UNITS));
  if (out.json) {
    out.printJson(report);
    return report.ok ? 0 : 1;
  }
  const errors = report.violations.filter((v) => v.severity === "error").length;
  const warnings = report.violations.length - errors;
  const head = report.ok
    ? { zh: `${report.units} 个单元符合规定${warnings ? `（${warnings} 个警告）` : ""}`, en: `${report.units} unit${report.units === 1 ? "" : "s"} meet the rules${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}` }
    : { zh: `${report.units} 个单元中有 ${errors} 处违反规定${warnings ? `、${warnings} 个警告` : ""}`, en: `${errors} violation${errors === 1 ? "" : "s"} in ${report.units} unit${report.units === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}` };
  out.line(`${report.ok ? "✓" : "✗"} ${out.t(head)}`);
  for (const v of report.violations) print(v);
  return report.ok ? 0 : 1;

  function print(v: UnitViolation): void {
    const tag = v.severity === "warning" ? `${out.h("警告", "warning")} ` : "";
    const kind = v.kind ? engine.pack.units?.kinds.find((k) => k.id === v.kind)?.label : undefined;
    out.line("");
    out.line(`${tag}${v.unitId}${kind ? `  ${out.t(kind)}` : ""}  ${v.rule}`);
    labelled(out, "  ", "", v.message);
    if (v.cite) out.line(`  ${out.h("出处", "Source")}: ${citeText(engine.pack, v.cite)}${v.cite.quote ? `「${v.cite.quote}」` : ""}`);
    else if (v.local) out.line(`  ${out.h("出处", "Source")}: ${out.t({ zh: "本地设定（文件未规定）", en: "local setting (not in the document)" })}`);
    if (v.note) labelled(out, "  ", `${out.h("说明", "Note")}: `, v.note);
    out.line(`  ${out.h("实际", "Actual")}: ${show(v.actual)}${v.expected ? `   ${out.h("规定", "Expected")}: ${show(v.expected)}` : ""}`);
  }
}
