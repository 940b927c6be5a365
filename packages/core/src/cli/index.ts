/**
 * The `jiceng` command: validate and lint rule packs, grade cases, compute deadlines and
 * numbers, replay event logs and sweep snapshots from the shell.
 *
 * @example
 * // bin/jiceng.cjs
 * require("@jiceng/core/dist/cli/index.cjs").main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
 * @module
 */
import { prescan, usage } from "./args.js";
import { deadline, grade } from "./commands/grade.js";
import { number } from "./commands/number.js";
import { lint, schema, validate } from "./commands/pack.js";
import { replay, sweep } from "./commands/cases.js";
import { score } from "./commands/score.js";
import { classify } from "./commands/classify.js";
import { checkUnitsCommand } from "./commands/units.js";
import { HELP, helpText } from "./help.js";
import type { CliIO } from "./io.js";
import { reportError } from "./report.js";

export type { CliIO } from "./io.js";
export { lintPack } from "./lint.js";

const COMMANDS: Record<string, (args: string[], io: CliIO) => Promise<number>> = { validate, lint, schema, grade, deadline, number, replay, sweep, score, classify, "check-units": checkUnitsCommand };

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to its exit code:
 * 0 success, 1 invalid input or pack (every issue printed as `CODE $.path: zh / en`), 2 an
 * unexpected error. Never throws, never prints a stack trace, never calls `process.exit`.
 *
 * @example
 * const code = await main(["number", "--pack", "guyuan", "--date", "2022-06-20", "--unit", "01", "--subunit", "01", "--seq", "1"]);
 * // prints 0620010101, code === 0
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = { stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr, cwd: io.cwd ?? process.cwd() };
  if (io.stdin !== undefined) full.stdin = io.stdin;
  const { lang, json } = prescan(argv);
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      full.stdout.write(helpText(rest[0]));
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) usage(`未知命令 "${command}"；可用：${Object.keys(COMMANDS).join(", ")}`, `Unknown command "${command}"; available: ${Object.keys(COMMANDS).join(", ")}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      full.stdout.write(helpText(command in HELP ? command : undefined));
      return 0;
    }
    return await run(rest, full);
  } catch (error) {
    return reportError(error, full, lang, json);
  }
}
