// Every command of the CLI, by name. cli/index.ts imports this module when a command runs (one
// dynamic import, so the build keeps one chunk of commands), not when the CLI starts: `jiceng
// --version` and `jiceng help` load none of the engine (issue 17's cold start).
import type { CliIO } from "../io.js";
import type { COMMAND_NAMES } from "../names.js";
import { calendarCommand } from "./calendar.js";
import { replay, sweep } from "./cases.js";
import { classify } from "./classify.js";
import { compile } from "./compile.js";
import { deadline, grade } from "./grade.js";
import { init } from "./init.js";
import { number } from "./number.js";
import { lint, schema, validate } from "./pack.js";
import { score } from "./score.js";
import { types } from "./types.js";
import { checkUnitsCommand } from "./units.js";

export type Command = (args: string[], io: CliIO) => Promise<number>;

export const COMMANDS: Record<(typeof COMMAND_NAMES)[number], Command> = { validate, lint, schema, grade, deadline, number, replay, sweep, score, classify, "check-units": checkUnitsCommand, types, compile, init, calendar: calendarCommand };
