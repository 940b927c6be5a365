import { IssueCode, formatPath, isJicengError, type JicengIssue, type Text } from "../errors/index.js";
import { createOut, type CliIO, type Lang } from "./io.js";

/** An error the CLI adds context to: a heading (e.g. which line of a file) over the engine's issues. */
export class CliFailure extends Error {
  constructor(
    readonly heading: Text,
    readonly issues: readonly JicengIssue[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(heading.en);
    this.name = "CliFailure";
  }
}

/** `CODE $.path: zh / en`, with warnings marked. */
export function issueLine(i: JicengIssue, t: (x: Text) => string, warningTag: string): string {
  const where = i.path.length ? ` ${formatPath(i.path)}` : "";
  return `${i.severity === "warning" ? warningTag + " " : ""}${i.code}${where}: ${t(i.message)}`;
}

/**
 * The exit codes of `jiceng`, documented in `jiceng --help`: 0 success; 1 the input (pack, case,
 * events, snapshots) is wrong; 2 the command line is wrong (unknown command or option, missing
 * argument); 3 an unexpected error (a bug or the system: disk full, broken pipe…).
 */
export const ExitCode = { OK: 0, INPUT: 1, USAGE: 2, UNEXPECTED: 3 } as const;

/** Prints an error to stderr and returns its {@link ExitCode}. */
export function reportError(error: unknown, io: CliIO, lang: Lang, json: boolean): number {
  const out = createOut({ ...io, stdout: io.stderr }, lang, json);
  const warning = out.h("警告", "warning");
  if (error instanceof CliFailure || isJicengError(error)) {
    const heading = error instanceof CliFailure ? error.heading : undefined;
    const isUsage = error.issues.some((i) => i.code === IssueCode.USAGE);
    const code = isUsage ? ExitCode.USAGE : ExitCode.INPUT;
    if (json) {
      out.printJson({ error: heading ?? { zh: "错误", en: "error" }, ...(error instanceof CliFailure ? error.extra : {}), issues: error.issues });
      return code;
    }
    if (heading) out.line(out.t(heading));
    for (const i of error.issues) out.line((heading ? "  " : "") + issueLine(i, out.t, warning));
    const excerpt = (error as { excerpt?: unknown }).excerpt;
    if (typeof excerpt === "string") for (const l of excerpt.split("\n")) out.line(`    ${l}`);
    if (isUsage) out.line(out.t({ zh: "运行 jiceng help 查看用法", en: "Run `jiceng help` for usage" }));
    return code;
  }
  const message = String((error as Error | undefined)?.message ?? error).split("\n")[0];
  if (json) out.printJson({ error: { zh: "意外错误", en: "unexpected error" }, message });
  else out.line(`jiceng: ${out.t({ zh: "意外错误", en: "unexpected error" })}: ${message}`);
  return ExitCode.UNEXPECTED;
}
