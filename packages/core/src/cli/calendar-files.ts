import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BeyondSchedule, ScheduleSource } from "../calendar/index.js";
import { IssueCode, fail } from "../errors/index.js";
import type { CliIO } from "./io.js";
import { readJson } from "./source.js";

/** Options every command that runs a pack takes to load holiday schedules. */
export const CALENDAR = {
  calendar: { type: "string", multiple: true },
  override: { type: "boolean" },
  "beyond-schedule": { type: "string" },
} as const;

/** The environment variable naming a directory of schedule files every command reads. */
export const CALENDAR_DIR_ENV = "JICENG_CALENDAR_DIR";

/** The engine's calendar options from `--calendar FILE…`, `JICENG_CALENDAR_DIR`, `--override`, `--beyond-schedule`. */
export interface CliCalendar {
  schedules: ScheduleSource[];
  override: boolean;
  beyondSchedule?: BeyondSchedule;
}

/** Reads the schedule files of `JICENG_CALENDAR_DIR` (every `*.json`, by name) and of each `--calendar`. */
export async function calendarFor(io: CliIO, values: Record<string, unknown>): Promise<CliCalendar> {
  const files: Array<{ arg: string; shown: string }> = [];
  const dir = (io.env ?? process.env)[CALENDAR_DIR_ENV];
  if (dir !== undefined && dir !== "") {
    const path = resolve(io.cwd, dir);
    let names: string[];
    try {
      if (!statSync(path).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
      names = readdirSync(path).filter((n) => n.endsWith(".json")).sort();
    } catch (error) {
      const code = (error as { code?: string }).code;
      fail(IssueCode.INVALID_SCHEDULE, [], `${CALENDAR_DIR_ENV}=${dir} 不是可读的目录${code ? `（${code}）` : ""}`, `${CALENDAR_DIR_ENV}=${dir} is not a readable directory${code ? ` (${code})` : ""}`);
    }
    for (const n of names) files.push({ arg: join(path, n), shown: join(dir, n) });
  }
  const given = values["calendar"];
  for (const f of Array.isArray(given) ? given : typeof given === "string" ? [given] : []) files.push({ arg: String(f), shown: String(f) });
  const schedules: ScheduleSource[] = [];
  for (const f of files) schedules.push({ source: f.shown, schedule: await readJson(f.arg, io, IssueCode.INVALID_SCHEDULE) });
  const out: CliCalendar = { schedules, override: values["override"] === true };
  const beyond = values["beyond-schedule"];
  if (beyond !== undefined) {
    if (beyond !== "provisional" && beyond !== "refuse") fail(IssueCode.USAGE, [], `--beyond-schedule 只能是 provisional 或 refuse，而不是 "${String(beyond)}"`, `--beyond-schedule must be provisional or refuse, not "${String(beyond)}"`);
    out.beyondSchedule = beyond;
  }
  return out;
}
