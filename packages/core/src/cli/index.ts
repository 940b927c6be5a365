/**
 * The `jiceng` command: validate and lint rule packs, grade cases, compute deadlines and
 * numbers, replay event logs and sweep snapshots from the shell.
 *
 * @example
 * // bin/jiceng.js
 * const { main } = await import("../dist/cli/index.js");
 * process.exitCode = await main(process.argv.slice(2));
 * @module
 */
import { prescan, usage } from "./usage.js";
import { HELP, helpText } from "./help.js";
import type { CliIO } from "./io.js";
import { ExitCode, reportError } from "./report.js";
import { coreVersion } from "./version.js";
import { didYouMean } from "../conditions/text.js";
import { COMMAND_NAMES } from "./names.js";

export type { CliIO } from "./io.js";
export { ExitCode } from "./report.js";

const isCommand = (name: string): name is (typeof COMMAND_NAMES)[number] => (COMMAND_NAMES as readonly string[]).includes(name);

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to its exit code
 * ({@link ExitCode}): 0 success, 1 invalid input or pack (every issue printed as
 * `CODE $.path: zh / en`), 2 a usage error, 3 an unexpected error. Never throws, never prints a
 * stack trace, never calls `process.exit`.
 *
 * @example
 * const code = await main(["number", "--pack", "guyuan", "--date", "2022-06-20", "--unit", "01", "--subunit", "01", "--seq", "1"]);
 * // prints 0620010101, code === 0
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const full: CliIO = { stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr, cwd: io.cwd ?? process.cwd() };
  if (io.stdin !== undefined) full.stdin = io.stdin;
  if (io.env !== undefined) full.env = io.env;
  const { lang, json } = prescan(argv);
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      full.stdout.write(helpText(rest[0]));
      return ExitCode.OK;
    }
    if (command === "--version" || command === "-v" || command === "version") {
      full.stdout.write(json ? JSON.stringify({ name: "@jiceng/core", version: coreVersion() }) + "\n" : `jiceng ${coreVersion()}\n`);
      return ExitCode.OK;
    }
    // Listed names only: "toString" is not a command.
    if (!isCommand(command)) {
      const names = [...COMMAND_NAMES];
      const hint = didYouMean(command, [...names, "help", "version"]);
      usage(`未知命令 "${command}"${hint.zh || `；可用：${names.join(", ")}`}`, `Unknown command "${command}"${hint.en || `; available: ${names.join(", ")}`}`);
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      full.stdout.write(helpText(Object.hasOwn(HELP, command) ? command : undefined));
      return ExitCode.OK;
    }
    // The commands (and the engine) are loaded only now: `--version` and `help` need neither.
    const { COMMANDS } = await import("./commands/index.js");
    return await COMMANDS[command](rest, full);
  } catch (error) {
    return reportError(error, full, lang, json);
  }
}
