// What the CLI needs before it knows the command (cli/index.ts): no engine below this module, so
// `jiceng --version` and `jiceng help` start without loading it (issue 17's cold start).
import { IssueCode, fail } from "../errors/index.js";
import type { Lang } from "./io.js";

/** Throws a USAGE error: the caller prints it with a hint to `jiceng help`. */
export function usage(zh: string, en: string): never {
  fail(IssueCode.USAGE, [], zh, en);
}

/** The `--lang` and `--json` of a raw argument list, read leniently (for printing errors). */
export function prescan(argv: readonly string[]): { lang: Lang; json: boolean } {
  let lang: Lang = "both";
  let json = false;
  argv.forEach((a, i) => {
    if (a === "--json") json = true;
    const v = a === "--lang" ? argv[i + 1] : a.startsWith("--lang=") ? a.slice(7) : undefined;
    if (v === "zh" || v === "en" || v === "both") lang = v;
  });
  return { lang, json };
}
