import { IssueCode, JicengError, issue, type JicengIssue } from "../errors/index.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";
import type { CliIO, Out } from "./io.js";
import { isObject, readJsonLines } from "./source.js";

/** Progress on stderr for long reads: only on a terminal, never with `--json`. */
export interface Progress {
  tick(line: number): void;
  note(text: string): void;
  done(): void;
}

const EVERY = 10_000;

export function progressFor(out: Out): Progress {
  const stderr = out.io.stderr as { write(s: string): unknown; isTTY?: boolean };
  if (out.json || stderr.isTTY !== true) return { tick() {}, note() {}, done() {} };
  let shown = false;
  return {
    tick(line) {
      if (line % EVERY !== 0) return;
      stderr.write(`\r\x1b[K${out.t({ zh: `已读 ${line.toLocaleString("en-US")} 行…`, en: `read ${line.toLocaleString("en-US")} lines…` })}`);
      shown = true;
    },
    note(text) {
      stderr.write(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}

/** Snapshots read from JSON Lines, with the line each came from. */
export interface SnapshotLines {
  snapshots: CaseSnapshot[];
  lines: number[];
}

/**
 * Streams snapshots of pack `packId` from a JSON Lines file (or stdin), one line at a time; every
 * line that is not a snapshot of this pack is reported (up to 20, then a count) with its number.
 */
export async function readSnapshotLines(file: string, io: CliIO, packId: string, options: { requireDueAt?: boolean; progress?: Progress } = {}): Promise<SnapshotLines> {
  const name = file === "-" ? "stdin" : file;
  const snapshots: CaseSnapshot[] = [];
  const lines: number[] = [];
  const bad: JicengIssue[] = [];
  let badCount = 0;
  for await (const l of readJsonLines(file, io, IssueCode.INVALID_SNAPSHOT)) {
    options.progress?.tick(l.line);
    const s = l.value;
    const at = { zh: `${name} 第 ${l.line} 行`, en: `${name} line ${l.line}` };
    let problem: JicengIssue | undefined;
    if (!isObject(s) || s["kind"] !== "jiceng.case" || !isObject(s["context"]) || (options.requireDueAt === true && typeof s["context"]["dueAt"] !== "string")) {
      problem = issue(IssueCode.INVALID_SNAPSHOT, [], `${at.zh}：不是 jiceng 案件快照（可用 jiceng replay --snapshot 生成）`, `${at.en}: not a jiceng case snapshot (jiceng replay --snapshot makes one)`);
    } else {
      const other = String(isObject(s["pack"]) ? s["pack"]["id"] : undefined);
      if (other !== packId) problem = issue(IssueCode.INVALID_SNAPSHOT, [], `${at.zh}：快照属于规则包 "${other}"，而非 "${packId}"`, `${at.en}: the snapshot belongs to pack "${other}", not "${packId}"`);
    }
    if (problem) {
      badCount++;
      if (bad.length < 20) bad.push(problem);
      continue;
    }
    if (badCount === 0) {
      snapshots.push(s as unknown as CaseSnapshot);
      lines.push(l.line);
    }
  }
  options.progress?.done();
  if (badCount > bad.length) bad.push(issue(IssueCode.INVALID_SNAPSHOT, [], `另有 ${badCount - bad.length} 行不是本规则包的案件快照`, `${badCount - bad.length} more lines are not snapshots of this pack`));
  if (bad.length) throw new JicengError(bad);
  return { snapshots, lines };
}
