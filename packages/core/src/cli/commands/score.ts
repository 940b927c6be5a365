import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { IssueCode, isJicengError, type Text } from "../../errors/index.js";
import { scorecardCsv } from "../../scoring/csv.js";
import { groupDigits, scorecardHtml, zhDateTime } from "../../scoring/html.js";
import type { Scorecard } from "../../scoring/score.js";
import { PACK, engineFor, onePositional, outFor, parse, str, usage } from "../args.js";
import { displayWidth, padEnd, type CliIO, type Out } from "../io.js";
import { CliFailure } from "../report.js";
import { readJson } from "../source.js";
import { progressFor, readSnapshotLines } from "../snapshots.js";

const fileName = (arg: string) => (arg === "-" ? "stdin" : arg);

/** `kpi=alternative` pairs of `--denominator`. */
function denominators(values: string[] | undefined): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([a-z][a-z0-9-]*)=([a-z][a-z0-9-]*)$/.exec(v);
    if (!m) usage(`--denominator 须写成 指标=口径，如 resolution-rate=should-resolve，而不是 "${v}"`, `--denominator takes kpi=alternative, e.g. resolution-rate=should-resolve, not "${v}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const NUMERIC = /^(—|[-+]?[\d.,]+%?\*?( \([\d,]+\/[\d,]+\))?)$/;

/** A plain-text table: numeric columns right-aligned, text columns left-aligned. */
function table(out: Out, head: string[], rows: string[][], indent = ""): void {
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ""))));
  const right = head.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? "—")));
  const line = (cells: string[]) => out.line((indent + cells.map((c, i) => (right[i] ? " ".repeat(widths[i]! - displayWidth(c)) + c : padEnd(c, widths[i]!))).join("  ")).trimEnd());
  line(head);
  line(widths.map((w) => "─".repeat(w)));
  for (const r of rows) line(r);
}

/** The scorecard as text: KPIs (rows) by unit (columns), targets, goals, the ranking, persons. */
export function printScorecard(out: Out, card: Scorecard): void {
  const tl = (t: Text) => out.t(t);
  out.line(`${tl(card.pack.name)}`);
  out.rows([
    [out.h("考核时段", "Period"), `${tl(card.period.label)}  (${tl(zhDateTime(card.period.firstDay))} – ${tl(zhDateTime(card.period.lastDay))})`],
    [out.h("数据截至", "Data as of"), tl(zhDateTime(card.asOf))],
    [out.h("案件数", "Cases"), `${groupDigits(card.cases)}  (${tl({ zh: "数据中的全部案件，不限时段；各指标只计入其口径内的案件，见下", en: "every case in the data, any period; each KPI counts only its own cases, see below" })})`],
    [out.h("分组", "Grouped by"), `${tl(card.groupBy.label)} (${card.groupBy.field})`],
  ]);
  out.line();
  const units = [card.total, ...card.units];
  const unitName = (u: (typeof units)[number]) => (u.key === "*" ? tl(u.label) : u.label.zh === u.key ? u.key : `${u.key} ${tl(u.label)}`);
  const cell = (u: (typeof units)[number], id: string) => {
    const v = u.kpis[id]!;
    return v.kind === "rate" ? (v.value === null ? "—" : `${v.display} (${groupDigits(v.numerator!)}/${groupDigits(v.denominator!)})`) : /^\d+$/.test(v.display) ? groupDigits(v.display) : v.display;
  };
  const kpiName = (k: Scorecard["kpis"][number]) => tl(k.label) + (k.denominator !== "default" ? ` [${k.denominator}]` : "");
  // A few units: one column each. Many: one row each, so the table stays readable in a terminal.
  if (units.length <= 7) table(out, [out.h("指标", "KPI"), ...units.map(unitName)], card.kpis.map((k) => [kpiName(k), ...units.map((u) => cell(u, k.id))]));
  else table(out, [tl(card.groupBy.label), ...card.kpis.map((k) => (out.lang === "en" ? k.label.en : k.label.zh))], [...card.units, card.total].map((u) => [unitName(u), ...card.kpis.map((k) => cell(u, k.id))]));
  out.line();
  out.line(out.h("各指标计入的案件", "Which cases each KPI counts"));
  out.rows(card.kpis.map((k) => [tl(k.label), `${k.kind === "rate" ? out.h("分母：", "of ") : ""}${tl(k.cohort)}`] as const), "  ");
  const yoy = card.total.change;
  if (yoy && card.previousPeriod && card.baseline === false) {
    out.line();
    out.line(`${out.h("同比", "Year on year")} (${tl(card.previousPeriod.label)}): ${tl({ zh: "无上年数据", en: "no baseline" })}`);
  } else if (yoy && card.previousPeriod) {
    out.line();
    out.line(`${out.h("同比", "Year on year")} (${tl(card.previousPeriod.label)})`);
    out.rows(card.kpis.map((k) => [tl(k.label), `${card.total.previous![k.id]!.display} → ${card.total.kpis[k.id]!.display}  ${tl(yoy[k.id]!.display)}`] as const), "  ");
  }
  if (card.targets.length) {
    out.line();
    out.line(out.h("目标", "Targets"));
    for (const t of card.targets) {
      out.line(`  ${tl(t.label)} ${t.threshold}${t.cite ? `  (${t.cite.clause})` : ""}`);
      out.rows(units.map((u) => {
        const r = u.targets.find((x) => x.target === t.id)!;
        const mark = r.pass === null ? "—" : r.pass ? `✓ ${out.h("达标", "pass")}` : `✗ ${out.h("未达标", "fail")}`;
        return [u.key === "*" ? tl(u.label) : u.key, `${mark}  ${r.value}`] as const;
      }), "    ");
    }
  }
  if (card.trends.length) {
    out.line();
    out.line(out.h("同比目标", "Year-on-year goals"));
    for (const t of card.trends) {
      const r = card.total.trends.find((x) => x.trend === t.id)!;
      out.line(`  ${r.met === null ? "—" : r.met ? "✓" : "✗"} ${tl(r.reason)}`);
    }
  }
  const a = card.assessment;
  if (a) {
    out.line();
    out.line(`${tl(a.label)} — ${a.assessors.map((x) => `${tl(x.label)} ${x.weight * 100}%`).join(" · ")}`);
    table(
      out,
      [out.h("名次", "Rank"), out.h("对象", "Subject"), ...a.assessors.map((x) => tl(x.label)), out.h("综合", "Composite"), out.h("等次", "Band")],
      a.subjects.map((s) => [
        s.rank === null ? "—" : String(s.rank),
        s.label.zh === s.subject ? s.subject : `${s.subject} ${tl(s.label)}`,
        ...s.assessors.map((x) => (x.score === null ? "—" : `${String(Math.round(x.score * 100) / 100)}${x.source === "indicators" ? "*" : ""}`)),
        s.display,
        s.band ? tl(s.band.label) : "",
      ]),
      "  ",
    );
    if (a.subjects.some((s) => s.assessors.some((x) => x.source === "indicators"))) out.line(`  * ${out.t({ zh: "由指标计算（考核文件未给出该项评分）", en: "computed from the indicators (no score given in the assessments file)" })}`);
  }
  if (card.persons) {
    out.line();
    out.line(tl(card.persons.label));
    table(
      out,
      [out.h("名次", "Rank"), out.h("人员", "Person"), out.h("得分", "Points")],
      card.persons.scores.map((p) => [String(p.rank), p.person, p.display + (p.capped ? " (cap)" : "")]),
      "  ",
    );
  }
  for (const team of card.teams ?? []) {
    out.line();
    out.line(tl(team.label));
    table(
      out,
      [out.h("名次", "Rank"), out.h("对象", "Object"), ...(team.roles ? [out.h("成员", "Members")] : []), out.h(team.unit?.zh ?? "得分", team.unit?.en ?? "Points")],
      team.scores.map((s) => [String(s.rank), s.key, ...(team.roles ? [(s.members ?? []).map((m) => m.person).join(", ") + (s.roster?.length ? ` ⚠ ${s.roster.map((r) => out.t(r.message)).join("; ")}` : "")] : []), s.display + (s.capped ? " (cap)" : "")]),
      "  ",
    );
  }
}

/**
 * `jiceng score --pack <p> --period 2022Q3 <snapshots.jsonl> [--assessments f.json] [--json]
 * [--format csv] [--html out.html]`: the scorecard of a period.
 */
export async function score(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, {
    ...PACK,
    period: { type: "string" },
    assessments: { type: "string" },
    format: { type: "string" },
    html: { type: "string" },
    by: { type: "string" },
    denominator: { type: "string", multiple: true },
    "as-of": { type: "string" },
    explain: { type: "boolean" },
  });
  const out = outFor(io, p.values);
  const format = str(p.values, "format") ?? (out.json ? "json" : "text");
  if (format !== "json" && format !== "csv" && format !== "text") usage(`--format 只能是 json、csv 或 text，而不是 "${format}"`, `--format must be json, csv or text, not "${format}"`);
  const file = onePositional(p, { zh: "快照文件（JSON Lines，每行一个案件快照）", en: "the snapshots file (JSON Lines, one case snapshot a line)" });
  const period = str(p.values, "period", { zh: "考核时段，如 2022Q3、2022-07、2022 或 2022-07..2022-09", en: "the period, e.g. 2022Q3, 2022-07, 2022 or 2022-07..2022-09" });
  const { engine } = await engineFor(io, p.values);
  const name = fileName(file);
  const progress = progressFor(out);
  const { snapshots: snaps, lines } = await readSnapshotLines(file, io, engine.pack.id, { progress });
  const assessmentsFile = str(p.values, "assessments");
  const assessments = assessmentsFile === undefined ? undefined : await readJson(assessmentsFile, io, IssueCode.INVALID_ASSESSMENT);
  const dens = denominators(p.values["denominator"] as string[] | undefined);
  const by = str(p.values, "by");
  const asOf = str(p.values, "as-of");
  let card: Scorecard;
  if (snaps.length >= 10_000) progress.note(out.t({ zh: `计分中（${snaps.length.toLocaleString("en-US")} 个快照）…`, en: `scoring ${snaps.length.toLocaleString("en-US")} snapshots…` }));
  try {
    card = engine.score(snaps, period, {
      ...(assessments !== undefined ? { assessments } : {}),
      ...(dens ? { denominators: dens } : {}),
      ...(by !== undefined ? { groupBy: by } : {}),
      ...(asOf !== undefined ? { asOf } : {}),
      explain: p.values["explain"] === true,
    });
  } catch (error) {
    if (!isJicengError(error)) throw error;
    // Point at the file and line the issue came from.
    const first = error.issues[0]?.path;
    if (first?.[0] === "snapshots" && typeof first[1] === "number") {
      const line = lines[first[1]];
      throw new CliFailure({ zh: `${name} 第 ${line} 行的快照无法计分`, en: `The snapshot on line ${line} of ${name} cannot be scored` }, error.issues, { line });
    }
    if (first?.[0] === "assessments" && assessmentsFile !== undefined) throw new CliFailure({ zh: `考核文件 ${assessmentsFile} 有误`, en: `The assessments file ${assessmentsFile} is invalid` }, error.issues);
    throw error;
  } finally {
    progress.done();
  }
  for (const d of card.duplicates ?? []) {
    const dropped = d.dropped.map((i) => lines[i]).join(", ");
    io.stderr.write(
      `${out.h("警告", "warning")} DUPLICATE_CASE: ${out.t({
        zh: `案件 ${d.key} 出现 ${d.dropped.length + 1} 次（第 ${lines[d.kept]} 行；另见第 ${dropped} 行）：只计一次，取最新的快照（第 ${lines[d.kept]} 行）`,
        en: `case ${d.key} appears ${d.dropped.length + 1} times (line ${lines[d.kept]}; also line${d.dropped.length > 1 ? "s" : ""} ${dropped}): counted once, from its newest snapshot (line ${lines[d.kept]})`,
      })}\n`,
    );
  }
  const htmlPath = str(p.values, "html");
  if (htmlPath !== undefined) {
    const target = resolve(io.cwd, htmlPath);
    await writeFile(target, scorecardHtml(card), "utf8");
    io.stderr.write(`${out.t({ zh: `已写入考核报告 ${htmlPath}`, en: `Wrote the report to ${htmlPath}` })}\n`);
  }
  if (format === "json") out.printJson(card);
  else if (format === "csv") io.stdout.write(scorecardCsv(card));
  else printScorecard(out, card);
  return 0;
}
