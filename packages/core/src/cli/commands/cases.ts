import type { Engine } from "../../engine/engine.js";
import { IssueCode, JicengError, isJicengError, issue, type Text } from "../../errors/index.js";
import type { CaseEvent, IntakeEvent } from "../../lifecycle/events.js";
import type { CaseSnapshot } from "../../lifecycle/lifecycle.js";
import type { SweepResult } from "../../lifecycle/views.js";
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
    history: c.history.map(({ reasons: _reasons, ...h }) => h),
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
  else out.printJson(caseSummary(engine, snap));
  return 0;
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
