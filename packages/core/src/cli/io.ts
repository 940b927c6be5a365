import type { Text } from "../errors/index.js";

/** Where the CLI reads and writes. Defaults to the process's own streams and directory. */
export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** The directory relative paths (and installed packs) are resolved from. */
  cwd: string;
  /** Environment variables (`JICENG_CALENDAR_DIR`); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Read by `-` in place of a file: a string (tests) or a stream (the process's stdin). */
  stdin?: string | AsyncIterable<string | Uint8Array>;
}

export type Lang = "zh" | "en" | "both";

/** Bilingual text rendering and aligned key/value output for one command run. */
export interface Out {
  io: CliIO;
  lang: Lang;
  json: boolean;
  /** `中文 / English`, or one of them per `--lang`. */
  t(text: Text): string;
  /** Heading pair such as `等级 Level`, per `--lang`. */
  h(zh: string, en: string): string;
  line(s?: string): void;
  /** Key/value rows, keys padded to the widest (CJK counts double). */
  rows(rows: ReadonlyArray<readonly [string, string]>, indent?: string): void;
  printJson(value: unknown): void;
}

const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Columns a string takes in a terminal: CJK and full-width characters count two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

export function padEnd(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
}

export function createOut(io: CliIO, lang: Lang, json: boolean): Out {
  const write = (s: string) => io.stdout.write(s);
  const out: Out = {
    io,
    lang,
    json,
    t: (text) => (lang === "zh" ? text.zh : lang === "en" ? text.en : text.zh === text.en ? text.zh : `${text.zh} / ${text.en}`),
    h: (zh, en) => (lang === "zh" ? zh : lang === "en" ? en : `${zh} ${en}`),
    line: (s = "") => write(s + "\n"),
    rows(rows, indent = "") {
      const width = Math.max(0, ...rows.map(([k]) => displayWidth(k)));
      for (const [k, v] of rows) write(`${indent}${padEnd(k, width)}  ${v}`.trimEnd() + "\n");
    },
    printJson: (value) => write(JSON.stringify(value, null, 2) + "\n"),
  };
  return out;
}

/** Reads all of stdin (or the string given in its place). */
export async function readStdin(io: CliIO): Promise<string> {
  const src = io.stdin ?? process.stdin;
  if (typeof src === "string") return src;
  const chunks: Buffer[] = [];
  for await (const c of src) chunks.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
}
