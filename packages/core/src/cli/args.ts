import { parseArgs } from "node:util";
import { createEngine, type Engine, type CreateEngineInput } from "../engine/engine.js";
import { createOut, type CliIO, type Out } from "./io.js";
import { packInput, resolvePack, type PackSource } from "./source.js";
import { nearest } from "../conditions/text.js";
import { CALENDAR, calendarFor } from "./calendar-files.js";
import { usage } from "./usage.js";

export { prescan, usage } from "./usage.js";

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };
export type Options = Record<string, OptionSpec>;

/** Options every command takes. */
export const COMMON = {
  json: { type: "boolean" },
  lang: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/** Options of commands that run a pack. */
export const PACK = {
  pack: { type: "string", short: "p" },
  variant: { type: "string" },
  ...CALENDAR,
} as const satisfies Options;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}


/** `parseArgs`, strict, with its errors turned into bilingual USAGE errors. */
export function parse(args: readonly string[], options: Options, hint?: { zh: string; en: string }): Parsed {
  try {
    const r = parseArgs({ args: [...args], options: { ...COMMON, ...options }, strict: true, allowPositionals: true });
    return { values: r.values as Parsed["values"], positionals: r.positionals };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS")) throw error;
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    const near = unknown !== undefined ? nearest(unknown.replace(/^-+/, ""), Object.keys({ ...COMMON, ...options })) : undefined;
    const [hzh, hen] = near === undefined ? ["", ""] : [`；是否为 --${near}？`, `; did you mean --${near}?`];
    const [zh, en] = unknown !== undefined ? [`未知选项 ${unknown}${hzh}`, `Unknown option ${unknown}${hen}`] : [`参数有误：${message.split(/\.\s|\n/)[0]}`, `Bad arguments: ${message.split(/\.\s|\n/)[0]}`];
    usage(hint ? `${zh}；${hint.zh}` : zh, hint ? `${en}; ${hint.en}` : en);
  }
}

export function outFor(io: CliIO, values: Parsed["values"]): Out {
  const lang = values["lang"] ?? "both";
  if (lang !== "zh" && lang !== "en" && lang !== "both") usage(`--lang 只能是 zh、en 或 both，而不是 "${String(lang)}"`, `--lang must be zh, en or both, not "${String(lang)}"`);
  return createOut(io, lang, values["json"] === true);
}

export function str(values: Parsed["values"], name: string, required: { zh: string; en: string }): string;
export function str(values: Parsed["values"], name: string): string | undefined;
export function str(values: Parsed["values"], name: string, required?: { zh: string; en: string }): string | undefined {
  const v = values[name];
  if (typeof v === "string") return v;
  if (required) usage(`缺少 --${name}（${required.zh}）`, `Missing --${name} (${required.en})`);
  return undefined;
}

/** Exactly one positional argument (a file, or `-` for stdin). */
export function onePositional(p: Parsed, what: { zh: string; en: string }): string {
  if (p.positionals.length === 0) usage(`缺少${what.zh}`, `Missing ${what.en}`);
  if (p.positionals.length > 1) usage(`多余的参数：${p.positionals.slice(1).join(" ")}`, `Unexpected arguments: ${p.positionals.slice(1).join(" ")}`);
  return p.positionals[0]!;
}

/** No positional arguments. */
export function noPositionals(p: Parsed): void {
  if (p.positionals.length) usage(`多余的参数：${p.positionals.join(" ")}`, `Unexpected arguments: ${p.positionals.join(" ")}`);
}

/** Reads `--pack` and builds the engine (throws every issue of an invalid pack). */
export async function engineFor(io: CliIO, values: Parsed["values"]): Promise<{ engine: Engine; source: PackSource }> {
  const arg = str(values, "pack", { zh: "规则包的标识或 pack.json 路径，如 --pack guyuan", en: "a pack id or the path to a pack.json, e.g. --pack guyuan" });
  const source = await resolvePack(arg, io);
  const variant = str(values, "variant");
  const calendar = await calendarFor(io, values);
  const engine = createEngine((await packInput(source, variant)) as CreateEngineInput /* validated by createEngine */, { ...(variant === undefined ? {} : { variant }), calendar });
  for (const w of engine.calendar.warnings) io.stderr.write(`${w.code}: ${w.message.zh} / ${w.message.en}\n`);
  return { engine, source };
}
