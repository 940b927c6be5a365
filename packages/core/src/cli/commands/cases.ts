import type { Engine } from "../../engine/engine.js";
import { IssueCode, JicengError, isJicengError, issue, type Text } from "../../errors/index.js";
import type { CaseEvent, IntakeEvent } from "../../lifecycle/events.js";
import type { CaseSnapshot } from "../../lifecycle/lifecycle.js";
import type { SweepResult } from "../../lifecycle/views.js";
import { formatInstant, parseInstant } from "../../calendar/timezone.js";
import { PACK, engineFor, onePositional, outFor, parse, str } from "../args.js";
import type { CliIO, Out } from "../io.js";
import { CliFailure } from "../report.js";
import { parseJsonLines, readText, type Line } from "../source.js";
import { progressFor, readSnapshotLines } from "../snapshots.js";

const fileName = (arg: string) => (arg === "-" ? "stdin" : arg);

/** What `replay` prints: where the case stands, without the full context. */
export function caseSummary(engine: Engine, snap: CaseSnapshot) {
  const c = snap.context;
  const level = engine.level(c.level);
  return {
    ...(c.id !== undefined ? { id: c.id } : {}),
    ...(c.number !== undefined ? { number: c.number } : {}),
    state: snap.state,
    status: engine.status(snap),
    level: c.level,
    levelLabel: level.label,
    receivedAt: c.receivedAt,
    dueAt: c.dueAt,
    ...(c.warnAt !== undefined ? { warnAt: c.warnAt } : {}),
    overdue: c.overdue,
    escalations: c.escalations,
    reportedTo: c.reportedTo,
    history: engine.history(snap).map(({ reasons: _reasons, ...h }) => h),
  };
}

/** `jiceng replay --pack <p> <events.jsonl | ->`: folds an event log, first line the intake. */
export async function replay(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, snapshot: { type: "boolean" } });
  const out = outFor(io, p.values);
  const file = onePositional(p, { zh: "事件文件（JSON Lines，每行一个事件，首行为受理 intake）", en: "the events file (JSON Lines, one event a line, intake first)" });
  const { engine } = await engineFor(io, p.values);
  const name = fileName(file);
  const lines = parseJsonLines(await readText(file, io, IssueCode.INVALID_EVENT), name, IssueCode.INVALID_EVENT);
  const [first, ...rest] = lines;
  if (!first) throw new JicengError(issue(IssueCode.INVALID_EVENT, [], `${name} 中没有事件`, `${name} holds no events`));
  function rejected(l: Line, error: unknown): never {
    if (!isJicengError(error)) throw error;
    throw new CliFailure({ zh: `${name} 第 ${l.line} 行的事件被拒绝`, en: `The event on line ${l.line} of ${name} was rejected` }, error.issues, { line: l.line });
  }
  const intake = first.value as { type?: unknown };
  if (intake?.type !== "intake") {
    rejected(first, new JicengError(issue(IssueCode.INVALID_EVENT, ["event", "type"], "事件记录须以 intake（受理）开始", "An event log must start with intake")));
  }
  let snap: CaseSnapshot;
  try {
    snap = engine.start(first.value as IntakeEvent);
  } catch (error) {
    rejected(first, error);
  }
  for (const l of rest) {
    try {
      snap = engine.transition(snap, l.value as CaseEvent);
    } catch (error) {
      rejected(l, error);
    }
  }
  if (p.values["snapshot"] === true) out.io.stdout.write(JSON.stringify(snap) + "\n");
  else if (out.json) out.printJson(caseSummary(engine, snap));
  else printTimeline(out, engine, snap);
  return 0;
}

const DECISIONS: Record<string, Text> = {
  upgrade: { zh: "升级", en: "upgrade" },
  extend: { zh: "延期", en: "extension" },
  reject: { zh: "驳回", en: "rejected" },
  regrade: { zh: "重新定级", en: "regrade" },
};

/** `2022-06-20 10:00`: an instant in the pack's time zone, to the minute. */
const localTime = (iso: string, timeZone: string) => formatInstant(parseInstant(iso), timeZone).slice(0, 16).replace("T", " ");

/**
 * The human view of a replayed case: a heading, one line per event (time, who, what happened —
 * the lifecycle's own zh / en summary — and any note), then where the case stands: state,
 * level, due, overdue, escalations and reports.
 */
export function printTimeline(out: Out, engine: Engine, snap: CaseSnapshot): void {
  const c = snap.context;
  const tz = engine.pack.timezone;
  const name = c.number ?? c.id;
  out.line(`${out.h("案件", "Case")}${name !== undefined ? ` ${name}` : ""}  ${out.t(engine.pack.name)}`);
  out.line();
  const rows = engine.history(snap).map((h) => {
    const who = h.by !== undefined ? `  [${h.by}]` : "";
    const text = out.t(h.summary);
    const note = h.note !== undefined && !text.includes(h.note) ? `  — ${h.note}` : "";
    return [localTime(h.at, tz), `${text}${who}${note}`] as const;
  });
  out.rows(rows, "  ");
  out.line();
  const level = engine.level(c.level);
  const status = engine.status(snap);
  const due = `${localTime(c.dueAt, tz)}${c.overdue ? `  (${out.t({ zh: "曾逾期", en: "was overdue" })})` : ""}`;
  out.rows([
    [out.h("现状", "Status"), `${out.t(status.label)}  (${snap.state})`],
    [out.h("等级", "Level"), out.t(level.label)],
    [out.h("受理", "Received"), localTime(c.receivedAt, tz)],
    [out.h("时限", "Due"), due],
    ...(c.warnAt !== undefined ? [[out.h("预警", "Warn"), localTime(c.warnAt, tz)] as const] : []),
    ...(c.escalations.length ? [[out.h("升级 / 延期", "Escalations"), c.escalations.map((e) => `${localTime(e.at, tz)} ${out.t(DECISIONS[e.decision] ?? { zh: e.decision, en: e.decision })} ${e.from === e.to ? out.t(engine.level(e.to).label) : `${out.t(engine.level(e.from).label)} → ${out.t(engine.level(e.to).label)}`}${e.days !== undefined ? ` +${e.days}${out.h("天", "d")}` : ""}`).join("; ")] as const] : []),
    [out.h("上报", "Reported to"), c.reportedTo.length ? c.reportedTo.map((r) => `${out.t(r.label)} (${localTime(r.at, tz)})`).join("; ") : out.t({ zh: "无", en: "none" })],
  ]);
}

const LISTS: ReadonlyArray<readonly [Exclude<keyof SweepResult, "at">, Text]> = [
  ["overdue", { zh: "已逾期", en: "Overdue" }],
  ["dueSoon", { zh: "即将到期", en: "Due soon" }],
  ["awaitingDecision", { zh: "待研究决定（升级或延期）", en: "Awaiting a decision (upgrade or extension)" }],
  ["reported", { zh: "已上报", en: "Reported up the chain" }],
  ["awaitingReportDecision", { zh: "待决定是否继续上报", en: "Awaiting a decision to report further" }],
  ["needsTick", { zh: "须发送 tick 事件", en: "Need a tick event" }],
];

function printSweep(out: Out, engine: Engine, result: SweepResult, snaps: readonly CaseSnapshot[], lines: readonly number[]): void {
  out.rows([[out.h("巡查时间", "At"), result.at], [out.h("案件数", "Cases"), String(snaps.length)]]);
  for (const [key, title] of LISTS) {
    const list = result[key];
    out.line(`${out.t(title)}: ${list.length}`);
    out.rows(
      list.map((i) => {
        const c = snaps[i]!.context;
        const name = c.number ?? c.id ?? out.h(`第 ${lines[i]!} 行`, `line ${lines[i]!}`);
        return [name, `${out.t(engine.level(c.level).label)}  ${out.h("时限", "due")} ${c.dueAt}`] as const;
      }),
      "  ",
    );
  }
}

/** `jiceng sweep --pack <p> --at <ISO> <snapshots.jsonl | ->`: what is due, overdue, waiting. */
export async function sweep(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, at: { type: "string" } });
  const out = outFor(io, p.values);
  const file = onePositional(p, { zh: "快照文件（JSON Lines，每行一个案件快照）", en: "the snapshots file (JSON Lines, one case snapshot a line)" });
  const at = str(p.values, "at", { zh: "巡查时间（带时区偏移的 ISO 8601）", en: "the time of the sweep (ISO 8601 with offset)" });
  const { engine } = await engineFor(io, p.values);
  const { snapshots: snaps, lines } = await readSnapshotLines(file, io, engine.pack.id, { requireDueAt: true, progress: progressFor(out) });
  const result = engine.sweep(snaps, at);
  if (out.json) {
    const cases = snaps.map((s, index) => ({ index, line: lines[index]!, ...(s.context.number !== undefined ? { number: s.context.number } : {}), ...(s.context.id !== undefined ? { id: s.context.id } : {}), level: s.context.level, dueAt: s.context.dueAt }));
    out.printJson({ ...result, cases });
    return 0;
  }
  printSweep(out, engine, result, snaps, lines);
  return 0;
}
