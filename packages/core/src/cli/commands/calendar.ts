import { createCalendar, formatLocalDate, safeParseSchedule, type Calendar } from "../../calendar/index.js";
import { IssueCode, issue, type JicengIssue } from "../../errors/index.js";
import { COMMON, parse, usage, outFor, type Options } from "../args.js";
import { CALENDAR, CALENDAR_DIR_ENV, calendarFor } from "../calendar-files.js";
import type { CliIO, Out } from "../io.js";
import { issueLine } from "../report.js";
import { readJson } from "../source.js";

const STATUS = { ...CALENDAR } as const satisfies Options;

/** `jiceng calendar check FILE…` / `jiceng calendar status`: holiday schedule files and what the calendar covers. */
export async function calendarCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "check") return check(rest, io);
  if (sub === "status") return status(rest, io);
  usage(`calendar 的子命令须为 check 或 status，而不是 "${sub ?? ""}"`, `calendar needs a subcommand, check or status, not "${sub ?? ""}"`);
}

/** `jiceng calendar check FILE…`: validates schedule files; exit 1 on any error. */
async function check(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...COMMON });
  const out = outFor(io, p.values);
  if (p.positionals.length === 0) usage("缺少放假安排文件（JSON）", "Missing the schedule file(s) (JSON)");
  const results: Array<{ file: string; valid: boolean; year?: number; errors: JicengIssue[]; warnings: JicengIssue[] }> = [];
  for (const file of p.positionals) {
    let raw: unknown;
    try {
      raw = await readJson(file, io, IssueCode.INVALID_SCHEDULE);
    } catch (error) {
      const issues = (error as { issues?: JicengIssue[] }).issues ?? [issue(IssueCode.INVALID_SCHEDULE, [], String(error), String(error))];
      results.push({ file, valid: false, errors: issues, warnings: [] });
      if (!out.json) {
        out.line(`✗ ${file}: ${out.t({ zh: "放假安排无效", en: "not a valid holiday schedule" })}`);
        for (const i of issues) out.line("  " + issueLine(i, out.t, out.h("警告", "warning")));
      }
      continue;
    }
    const r = safeParseSchedule(raw);
    results.push(r.success ? { file, valid: true, year: r.data.year, errors: [], warnings: r.warnings } : { file, valid: false, errors: r.issues, warnings: [] });
    if (r.success && !out.json) {
      const s = r.data;
      out.line(`✓ ${file}: ${out.t({ zh: `${s.year}年放假安排有效`, en: `a valid ${s.year} holiday schedule` })}`);
      out.rows(
        [
          [out.h("通知", "Notice"), s.notice.title],
          [out.h("文号", "Number"), s.notice.number ?? out.t({ zh: "（未写明）", en: "(not given)" })],
          [out.h("发布日期", "Published"), s.notice.date ?? out.t({ zh: "（未写明）", en: "(not given)" })],
          [out.h("放假", "Holidays"), s.holidays.map((h) => `${h.name?.zh ?? h.festival} ${h.from}${h.to !== h.from ? "…" + h.to.slice(5) : ""}`).join("，")],
          [out.h("调休上班", "Working days"), s.workdays.map((w) => w.date).join("，") || "—"],
        ],
        "  ",
      );
    }
    if (!out.json) {
      if (!r.success) out.line(`✗ ${file}: ${out.t({ zh: "放假安排无效", en: "not a valid holiday schedule" })}`);
      for (const i of r.success ? r.warnings : r.issues) out.line("  " + issueLine(i, out.t, out.h("警告", "warning")));
    }
  }
  if (out.json) out.printJson({ files: results });
  return results.every((r) => r.valid) ? 0 : 1;
}

function describeYears(out: Out, cal: Calendar): void {
  for (const y of cal.years) {
    const where = y.source === "shipped" ? out.t({ zh: "随版本提供", en: "shipped" }) : `${out.t({ zh: "已加载", en: "loaded" })} ${y.file ?? ""}`.trimEnd();
    const over = y.overridesShipped ? `  (${out.t({ zh: "替换随版本提供的数据（--override）", en: "replaces the shipped data (--override)" })})` : "";
    out.line(`  ${y.year}  ${where}  ${y.notice.number ?? y.notice.title}${over}`);
  }
}

/** `jiceng calendar status [--calendar FILE]… [--override]`: years covered, where each came from, the last day. */
async function status(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, STATUS);
  const out = outFor(io, p.values);
  if (p.positionals.length) usage(`多余的参数：${p.positionals.join(" ")}`, `Unexpected arguments: ${p.positionals.join(" ")}`);
  const c = await calendarFor(io, p.values);
  const cal = createCalendar({ schedules: c.schedules, override: c.override, beyondSchedule: c.beyondSchedule ?? "provisional" });
  const last = formatLocalDate(cal.officialLastDay);
  const next = cal.officialLastYear + 1;
  if (out.json) {
    out.printJson({
      dataset: cal.dataset,
      version: cal.version,
      years: cal.years,
      firstDay: formatLocalDate(cal.firstDay),
      lastDay: last,
      beyondSchedule: cal.beyondSchedule,
      ...(cal.beyondSchedule === "provisional" ? { provisionalThrough: formatLocalDate(cal.lastDay) } : {}),
      warnings: cal.warnings,
    });
    return 0;
  }
  out.line(`${out.h("放假安排", "Holiday schedules")}: ${cal.years[0]!.year}–${cal.officialLastYear} (${cal.dataset}, ${cal.version})`);
  describeYears(out, cal);
  out.rows([
    [out.h("覆盖至", "Covered to"), last],
    [
      out.h("之后", "After that"),
      cal.beyondSchedule === "provisional"
        ? out.t({ zh: `按法定节假日暂行计算（至 ${formatLocalDate(cal.lastDay)}），结果标注“暂行”；${next}年放假安排发布后请加载`, en: `provisional, on the statutory holidays (to ${formatLocalDate(cal.lastDay)}), results marked; load the ${next} schedule when it is published` })
        : out.t({ zh: "拒绝计算（CALENDAR_OUT_OF_RANGE）", en: "refused (CALENDAR_OUT_OF_RANGE)" }),
    ],
    [out.h("加载目录", "Directory"), (io.env ?? process.env)[CALENDAR_DIR_ENV] ?? out.t({ zh: `（未设置 ${CALENDAR_DIR_ENV}）`, en: `(${CALENDAR_DIR_ENV} not set)` })],
  ]);
  for (const w of cal.warnings) out.line(issueLine(w, out.t, out.h("警告", "warning")));
  return 0;
}
