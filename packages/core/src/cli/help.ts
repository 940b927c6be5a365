import type { Text } from "../errors/index.js";

/** One command's usage line and what it does. */
export interface CommandHelp {
  usage: string;
  summary: Text;
  options?: ReadonlyArray<readonly [string, Text]>;
}

const PACK_OPT = ["--pack, -p <id|path>", { zh: "规则包：标识（如 guyuan，即 @jiceng/rules-guyuan）、pack.json 路径或其所在目录", en: "the pack: an id (guyuan means @jiceng/rules-guyuan), a pack.json path, or its directory" }] as const;
const VARIANT_OPT = ["--variant <id>", { zh: "选用规则包的变体（如 appendix-colours）", en: "use one of the pack's variants (e.g. appendix-colours)" }] as const;

export const HELP: Record<string, CommandHelp> = {
  validate: {
    usage: "jiceng validate <pack…> [--variant <id>] [--json]",
    summary: { zh: "校验规则包（可给多个文件或通配符，如 'packs/*/pack.json'）：列出每个错误和警告及其 JSON 路径，末行汇总；全部有效时退出码为 0", en: "Validate packs (several files or globs, e.g. 'packs/*/pack.json'): every error and warning with its JSON path, a summary line; exit 0 when all are valid" },
    options: [VARIANT_OPT],
  },
  lint: {
    usage: "jiceng lint <pack…> [--max-combinations <n>] [--json]",
    summary: { zh: "列出须由当地设定的本地值（local: true）及其说明、加载警告，以及决策表的空白与重叠（附实例）", en: "List the local values (local: true) policy staff must set, with their notes, the load warnings, and the gaps and overlaps of decision tables (with examples)" },
    options: [
      ["--pack, -p <id|path>", { zh: "规则包（也可直接写在命令后；可给多个文件或通配符）", en: "the pack (or give packs as arguments: several files or globs)" }],
      ["--max-combinations <n>", { zh: "决策表穷举的组合上限（默认 200000），超出则改用 fast-check 性质搜索", en: "most combinations a table is checked exhaustively over (default 200000); beyond it, a fast-check property search" }],
    ],
  },
  schema: {
    usage: "jiceng schema",
    summary: { zh: "输出规则包的 JSON Schema", en: "Print the JSON Schema of a rule pack" },
  },
  grade: {
    usage: "jiceng grade --pack <pack> [--explain] [--strict] [--json] <case.json | ->",
    summary: { zh: "为案件定级：等级、时限、依据（规则、条款、成立的条件）", en: "Grade a case: level, due time, reasons (rule, clause, conditions that held)" },
    options: [PACK_OPT, VARIANT_OPT, ["--explain", { zh: "同时说明为何未达到更严重的等级", en: "also show why each more severe level did not apply" }], ["--strict", { zh: "拒绝规则包未声明的字段（默认忽略并警告）", en: "refuse fields the pack does not declare (by default they are ignored with a warning)" }]],
  },
  deadline: {
    usage: "jiceng deadline --pack <pack> --level <id> --from <ISO 8601> [--json]",
    summary: { zh: "计算某等级自某时起的化解时限（含节假日顺延）", en: "The time limit of a level counted from an instant (rest days rolled over)" },
    options: [PACK_OPT],
  },
  number: {
    usage: "jiceng number --pack <pack> --date YYYY-MM-DD --<part> <code>… --seq <n> [--json]\n  jiceng number parse --pack <pack> <number> [--json]",
    summary: { zh: "按规则包的模板生成或解析案件编号（编号部分见规则包 numbering.parts，如 --unit 01 --subunit 01）", en: "Format or parse a case number per the pack's template (parts per the pack's numbering.parts, e.g. --unit 01 --subunit 01)" },
    options: [PACK_OPT],
  },
  replay: {
    usage: "jiceng replay --pack <pack> [--json | --snapshot] <events.jsonl | ->",
    summary: { zh: "重放事件记录（每行一个事件，首行为 intake）：逐条列出时间线，再列出案件现状（状态、等级、时限、上报）", en: "Replay an event log (one event a line, intake first): the timeline, one line per event, then where the case stands (state, level, due, reports)" },
    options: [PACK_OPT, ["--json", { zh: "以 JSON 输出案件现状和历史", en: "where the case stands and its history, as JSON" }], ["--snapshot", { zh: "输出完整快照（一行 JSON，可供 sweep、score 使用）", en: "print the full snapshot instead (one JSON line, for sweep and score)" }]],
  },
  sweep: {
    usage: "jiceng sweep --pack <pack> --at <ISO 8601> [--json] <snapshots.jsonl | ->",
    summary: { zh: "巡查案件快照：即将到期、已逾期、待决定、已上报", en: "Sweep case snapshots: due soon, overdue, awaiting a decision, reported" },
    options: [PACK_OPT],
  },
  score: {
    usage: "jiceng score --pack <pack> --period <2022Q3|2022-07|2022|from..to> [--assessments <file.json>] [--json | --format csv] [--html <out.html>] <snapshots.jsonl | ->",
    summary: { zh: "考核评分：按时段统计各单位及合计的指标（化解率、按期化解率、逾期、升级等）、目标达标、同比，以及加权考核和个人计分", en: "Score a period: KPIs per unit and in total (resolution rate, on-time rate, overdue, upgrades…), targets, year-on-year change, the weighted assessment and person scores" },
    options: [
      PACK_OPT,
      ["--period <p>", { zh: "考核时段：2022（年）、2022H1、2022Q3、2022-07、2022-07-01，或 起..止", en: "the period: 2022 (year), 2022H1, 2022Q3, 2022-07, 2022-07-01, or from..to" }],
      ["--assessments <file>", { zh: "考核文件（JSON）：各对象各考核主体的评分，如 [{\"subject\": \"司法所\", \"scores\": {\"township\": 80, \"county-department\": 90}}]", en: "assessments file (JSON): scores per subject and assessor, e.g. [{\"subject\": \"…\", \"scores\": {\"township\": 80, \"county-department\": 90}}]" }],
      ["--format json|csv|text", { zh: "输出格式，默认 text（--json 即 json）", en: "output format, default text (--json means json)" }],
      ["--html <file>", { zh: "另写一份带图表的 HTML 报告（单个文件）", en: "also write an HTML report with charts (one file)" }],
      ["--by <field>", { zh: "改按其他字段分组，如 facts.unitCode", en: "group by another field, e.g. facts.unitCode" }],
      ["--denominator <kpi=alt>", { zh: "选用指标的另一种分母口径，可重复", en: "use another denominator of a KPI; repeatable" }],
      ["--as-of <ISO 8601>", { zh: "数据截至时间（默认为快照中最晚的事件时间）", en: "the data are current as of (default: the latest event in the snapshots)" }],
      ["--explain", { zh: "列出每个指标计入的案件（JSON）", en: "list the cases each KPI counted (JSON)" }],
    ],
  },
  classify: {
    usage: "jiceng classify --pack <pack> --table <id> [--json] <entity.json | ->",
    summary: { zh: "用规则包的决策表分类（如安康农户的绿、黄、红三色）：类别、服务、依据（行、条款、成立的条件）", en: "Classify with one of the pack's decision tables (e.g. Ankang's green / yellow / red households): class, service, reasons (row, clause, conditions that held)" },
    options: [PACK_OPT, ["--table, -t <id>", { zh: "决策表标识，如 households（规则包只有一张表时可省略）", en: "the decision table, e.g. households (optional when the pack has one)" }]],
  },
  calendar: {
    usage: "jiceng calendar check <schedule.json…> | jiceng calendar status [--calendar <file>]… [--override] [--json]",
    summary: {
      zh: "放假安排：check 校验放假安排文件（每个错误附 JSON 路径与中英文说明）；status 列出覆盖的年份、每年的来源（随版本提供或加载的文件）与覆盖到的最后一天。所有运行规则包的命令都读取 JICENG_CALENDAR_DIR 目录中的 *.json 和 --calendar 文件",
      en: "Holiday schedules: check validates schedule files (each error with its JSON path, zh and en); status lists the years covered, where each came from (shipped or a loaded file) and the last day covered. Every command that runs a pack reads the *.json of JICENG_CALENDAR_DIR and each --calendar file",
    },
    options: [
      ["--calendar <file>", { zh: "加载一年的放假安排（可重复；也适用于 grade、deadline、replay、sweep 等）", en: "load one year's holiday schedule (repeatable; also for grade, deadline, replay, sweep…)" }],
      ["--override", { zh: "加载的年份替换随版本提供的同一年", en: "a loaded year replaces the shipped one" }],
      ["--beyond-schedule provisional|refuse", { zh: "超出已加载的放假安排时：暂行计算（默认）或拒绝；覆盖规则包的设定", en: "past the loaded schedules: provisional (default) or refuse; overrides the pack" }],
    ],
  },
  "check-units": {
    usage: "jiceng check-units --pack <pack> [--json] <units.json | ->",
    summary: { zh: "按规则包的 units 规定检查层级单元（如三级网格 20–30 户、70–120 人）：列出违反的单元、规则、条款和实际数值；有违反时退出码为 1", en: "Check hierarchical units against the pack's units rules (e.g. a tier-3 grid holds 20–30 households, 70–120 people): each unit, rule, clause and the values seen; exit 1 on any violation" },
    options: [PACK_OPT],
  },
  init: {
    usage: "jiceng init [dir] [--id <id>] [--force]",
    summary: { zh: "在目录（默认当前目录）写入规则包骨架 pack.json：一个等级、一条附出处的规则、一个事实，$schema 指向 @jiceng/core 的 JSON Schema", en: "Write a pack skeleton pack.json in dir (default: here): one level, one rule with its cite, one fact, and $schema pointing at @jiceng/core's JSON Schema" },
    options: [
      ["--id <id>", { zh: "规则包标识（默认 my-pack）", en: "the pack id (default my-pack)" }],
      ["--force", { zh: "覆盖已有的 pack.json", en: "overwrite an existing pack.json" }],
    ],
  },
  compile: {
    usage: "jiceng compile <pack> [--out pack.compiled.js] [--format esm|cjs] [--variant <id>]",
    summary: { zh: "在构建时校验规则包并写出编译后的模块（已校验的规则包、核心版本与摘要）：createEngine 与 @jiceng/core/grade 直接采用，启动时不再运行校验", en: "Validate a pack at build time and write it compiled (the validated pack, the core version and a digest): createEngine and @jiceng/core/grade take it without validating again at start-up" },
    options: [
      ["--out, -o <file>", { zh: "写入文件（默认输出到标准输出）", en: "write to a file (default: stdout)" }],
      ["--format <esm|cjs>", { zh: "模块格式（默认 esm；输出文件以 .cjs 结尾时为 cjs）", en: "module format (default esm; cjs when the output file ends in .cjs)" }],
      VARIANT_OPT,
    ],
  },
  types: {
    usage: "jiceng types <pack> [--out types.d.ts] [--from <module>]",
    summary: { zh: "生成规则包声明内容的 TypeScript 类型（事实、等级、状态、事件及其必填项），供 createEngine 在编译时检查", en: "Write the TypeScript types of what a pack declares (facts, levels, states, events with their required fields), so createEngine checks them at compile time" },
    options: [
      ["--out, -o <file>", { zh: "写入文件（默认输出到标准输出）", en: "write to a file (default: stdout)" }],
      ["--from <module>", { zh: "从哪个模块导入 jiceng 的类型（默认 @jiceng/core）", en: "the module jiceng's types are imported from (default @jiceng/core)" }],
    ],
  },
  help: {
    usage: "jiceng help [command]",
    summary: { zh: "显示用法", en: "Show usage" },
  },
  version: {
    usage: "jiceng --version | -v | version",
    summary: { zh: "显示版本号", en: "Print the version" },
  },
};

const COMMON_OPTS: ReadonlyArray<readonly [string, Text]> = [
  ["--json", { zh: "输出 JSON（机器可读）", en: "machine-readable JSON output" }],
  ["--lang zh|en|both", { zh: "输出语言，默认 both", en: "output language, default both" }],
  ["--help, -h", { zh: "显示用法", en: "show usage" }],
];

/** The usage text: every command, or one command in detail. */
export function helpText(command?: string): string {
  const lines: string[] = [];
  const one = command !== undefined && Object.hasOwn(HELP, command) ? HELP[command] : undefined;
  if (one) {
    lines.push(`${one.summary.zh}`, `${one.summary.en}`, "", `用法 Usage:`, `  ${one.usage}`);
    const opts = [...(one.options ?? []), ...COMMON_OPTS];
    const width = Math.max(...opts.map(([k]) => k.length));
    lines.push("", "选项 Options:");
    for (const [k, t] of opts) lines.push(`  ${k.padEnd(width)}  ${t.zh} / ${t.en}`);
    return lines.join("\n") + "\n";
  }
  lines.push("jiceng（基层）规则引擎命令行 / the jiceng rules-engine command", "", "用法 Usage:");
  for (const h of Object.values(HELP)) lines.push(`  ${h.usage}`, `      ${h.summary.zh}`, `      ${h.summary.en}`);
  lines.push("", "通用选项 Common options:");
  for (const [k, t] of COMMON_OPTS) lines.push(`  ${k.padEnd(18)}  ${t.zh} / ${t.en}`);
  lines.push(
    "",
    "示例 Examples:",
    "  jiceng init my-pack --id my-county",
    "  jiceng validate guyuan",
    "  jiceng grade --pack guyuan case.json",
    "  jiceng deadline --pack guyuan --level yellow --from 2022-06-20T10:00:00+08:00",
    "  jiceng number --pack guyuan --date 2022-06-20 --unit 01 --subunit 01 --seq 1",
    "  jiceng classify --pack ankang --table households household.json",
    "  jiceng check-units --pack ankang units.json",
    "  jiceng calendar check 2027.json && JICENG_CALENDAR_DIR=. jiceng calendar status",
    "  jiceng lint --pack ankang",
    "  jiceng score --pack guyuan --period 2022Q3 snapshots.jsonl --html report.html",
    "",
    "退出码 Exit codes:",
    "  0  成功 / success",
    "  1  输入有误：规则包、案件、事件或快照 / the input is wrong: pack, case, events or snapshots",
    "  2  用法有误：未知命令或选项、缺少参数 / usage: unknown command or option, missing argument",
    "  3  意外错误（程序或系统） / unexpected error (a bug or the system)",
  );
  return lines.join("\n") + "\n";
}
