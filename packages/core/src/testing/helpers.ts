import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseJson, parseJsonLines } from "../cli/source.js";
import type { Engine } from "../engine/engine.js";
import { IssueCode, JicengError, fail, isJicengError } from "../errors/index.js";
import type { CaseEvent } from "../lifecycle/events.js";
import type { CaseSnapshot } from "../lifecycle/lifecycle.js";

// These helpers throw plain Errors for a failed expectation, so they work under any test runner.

/** Short, one-line JSON of a value for a failure message. */
function preview(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

/**
 * Runs `fn` and returns the {@link JicengError} it throws.
 *
 * Throws an `Error` if `fn` returns normally; any other error `fn` throws is rethrown unchanged, so
 * a `TypeError` fails the test as itself instead of passing as a "rejection".
 *
 * @example
 * import { catchJicengError } from "@jiceng/core/testing";
 * const error = catchJicengError(() => engine.grade({ difficulty: "very-hard" }));
 * expect(error.code).toBe("INVALID_FACT");
 * expect(error.issues[0]?.path).toEqual(["facts", "difficulty"]);
 */
export function catchJicengError(fn: () => unknown): JicengError {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    if (isJicengError(error)) return error;
    throw error;
  }
  throw new Error(`expected a JicengError, but the function returned ${preview(value)}`);
}

/** The issues of a {@link JicengError} flattened for assertions; see {@link summarizeIssues}. */
export interface IssueSummary {
  /** Every issue's code, in order. */
  codes: IssueCode[];
  /** Every issue's JSON path joined with dots (`event.measures`), in order. */
  paths: string[];
  /** Every issue's Chinese message, one a line. */
  zh: string;
  /** Every issue's English message, one a line. */
  en: string;
}

/**
 * Flattens a {@link JicengError}'s issues into codes, dotted paths and the zh / en messages.
 *
 * @example
 * import { catchJicengError, summarizeIssues } from "@jiceng/core/testing";
 * const e = summarizeIssues(catchJicengError(() => engine.assess({})));
 * expect(e.codes).toContain("MISSING_FACT");
 * expect(e.zh).toContain("缺少");
 */
export function summarizeIssues(error: JicengError): IssueSummary {
  return {
    codes: error.issues.map((i) => i.code),
    paths: error.issues.map((i) => i.path.join(".")),
    zh: error.issues.map((i) => i.message.zh).join("\n"),
    en: error.issues.map((i) => i.message.en).join("\n"),
  };
}

/**
 * Asserts that `engine` rejects `event` on `snapshot` with a {@link JicengError} and leaves the
 * snapshot byte-for-byte as it was (its JSON is compared before and after); returns the error.
 *
 * Throws an `Error` if the event is accepted or the snapshot changed; any other error the
 * transition throws is rethrown unchanged.
 *
 * @example
 * import { expectRejected } from "@jiceng/core/testing";
 * const s0 = engine.start({ type: "intake", at: "2022-06-20T10:00:00+08:00", facts });
 * const error = expectRejected(engine, s0, { type: "resolve", at: "2022-06-21T10:00:00+08:00" });
 * expect(error.code).toBe("EVENT_NOT_ALLOWED");
 * @see DESIGN.md: a rejected event is typed and changes nothing.
 */
export function expectRejected(engine: Engine, snapshot: CaseSnapshot, event: CaseEvent): JicengError {
  const before = JSON.stringify(snapshot);
  let next: CaseSnapshot;
  try {
    next = engine.transition(snapshot, event);
  } catch (error) {
    if (!isJicengError(error)) throw error;
    if (JSON.stringify(snapshot) !== before) throw new Error(`the rejected event ${preview(event)} changed the snapshot it was given`);
    return error;
  }
  throw new Error(`expected the event ${preview(event)} to be rejected, but it was accepted (${snapshot.state} → ${next.state})`);
}

/** Options for {@link parseEventLog}. */
export interface ParseEventLogOptions {
  /** What to call the text in error messages, e.g. its file name. Default `"event log"`. */
  name?: string;
}

/**
 * Parses an event log in JSON Lines, one event a line (blank lines skipped), the format
 * `jiceng replay` reads; a JSON array of events is accepted too.
 *
 * Each line is only parsed here; the engine validates the events when they are replayed. Lines
 * that are not JSON throw one {@link JicengError} (`INVALID_EVENT`) naming each line's number.
 *
 * @example
 * import { readFileSync } from "node:fs";
 * import { parseEventLog, replaySteps } from "@jiceng/core/testing";
 * const events = parseEventLog(readFileSync("examples/guyuan/escalation.jsonl", "utf8"), { name: "escalation.jsonl" });
 * const steps = replaySteps(engine, events);
 */
export function parseEventLog(text: string, options: ParseEventLogOptions = {}): CaseEvent[] {
  return parseJsonLines(text, options.name ?? "event log", IssueCode.INVALID_EVENT).map((l) => l.value as CaseEvent);
}

/**
 * Replays an event log step by step: the snapshot after each event, so `steps[i]` is the case
 * right after `events[i]` (`steps[0]` after the intake). `steps.at(-1)` equals `engine.replay(events)`.
 *
 * The log must start with an intake event. A rejected event throws its {@link JicengError}, with
 * the paths of its issues under `events[i]` as `engine.replay` reports them.
 *
 * @example
 * import { replaySteps } from "@jiceng/core/testing";
 * const steps = replaySteps(engine, [
 *   { type: "intake", at: "2022-06-20T10:00:00+08:00", facts },
 *   { type: "tick", at: "2022-06-28T10:00:00+08:00" },
 * ]);
 * expect(steps[1]!.context.overdue).toBe(true);
 */
export function replaySteps(engine: Engine, events: readonly CaseEvent[]): CaseSnapshot[] {
  const [first, ...rest] = events;
  if (first?.type !== "intake") fail(IssueCode.INVALID_EVENT, ["events", 0, "type"], "事件记录须以 intake（受理）开始", "An event log must start with intake");
  const steps = [engine.start(first)];
  rest.forEach((event, i) => {
    try {
      steps.push(engine.transition(steps[i]!, event));
    } catch (error) {
      if (!isJicengError(error)) throw error;
      throw new JicengError(error.issues.map((x) => ({ ...x, path: ["events", i + 1, ...x.path.slice(x.path[0] === "event" ? 1 : 0)] })));
    }
  });
  return steps;
}

/** One golden case file read by {@link loadGoldenCases}. */
export interface GoldenCase<T = unknown> {
  /** The file name within the folder, e.g. `grade-01-default-simple.json`. */
  file: string;
  /** The parsed JSON of the file. */
  case: T;
}

/**
 * Reads every `*.json` file in a folder of golden cases (a pack's `cases/`), sorted by file name.
 *
 * A file that is not valid JSON throws a {@link JicengError} (`INVALID_CASE`) naming it. The
 * contents are not checked: state their shape with the type parameter.
 *
 * @example
 * import { loadGoldenCases } from "@jiceng/core/testing";
 * type Golden = { clause: string; input: Record<string, unknown>; expected: { level: string } };
 * for (const { file, case: c } of loadGoldenCases<Golden>(new URL("../cases/", import.meta.url))) {
 *   it(`${c.clause} ${file}`, () => expect(engine.assess(c.input).level).toBe(c.expected.level));
 * }
 */
export function loadGoldenCases<T = unknown>(dir: URL | string): Array<GoldenCase<T>> {
  const href = typeof dir === "string" ? pathToFileURL(dir).href : dir.href;
  const base = new URL(href.endsWith("/") ? href : `${href}/`);
  return readdirSync(base)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ file, case: parseJson(readFileSync(new URL(file, base), "utf8"), file, IssueCode.INVALID_CASE) as T }));
}
