import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { compilePack, compiledPackModule } from "../../pack/compile-pack.js";
import { onePositional, outFor, parse, str, usage, PACK } from "../args.js";
import { ExitCode } from "../report.js";
import type { CliIO } from "../io.js";
import { resolvePack } from "../source.js";

/**
 * `jiceng compile <pack> [--out pack.compiled.js] [--format esm|cjs] [--variant <id>]`: validate a
 * pack once, at build time, and write a module exporting it compiled (the loaded pack as JSON, this
 * core's version, a digest). `createEngine`, `loadPack` and `@jiceng/core/grade` take it without
 * running the schema again: the start-up of a process that grades drops to a few milliseconds.
 */
export async function compile(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, out: { type: "string", short: "o" }, format: { type: "string" } });
  const out = outFor(io, p.values);
  const arg = str(p.values, "pack") ?? onePositional(p, { zh: "规则包（标识或 pack.json 路径）", en: "the pack (an id or the path to a pack.json)" });
  const target = str(p.values, "out");
  const format = str(p.values, "format") ?? (target?.endsWith(".cjs") ? "cjs" : "esm");
  if (format !== "esm" && format !== "cjs") usage(`--format 须为 esm 或 cjs，实际为 "${format}"`, `--format must be esm or cjs, got "${format}"`);
  const variant = str(p.values, "variant");
  const source = await resolvePack(arg, io);
  const compiled = compilePack(source.raw, variant === undefined ? {} : { variant });
  const text = compiledPackModule(compiled, format);
  if (target === undefined) {
    io.stdout.write(text);
    return ExitCode.OK;
  }
  await writeFile(resolve(io.cwd, target), text, "utf8");
  io.stderr.write(`${out.t({ zh: `已写入 ${target}（${compiled.id} ${compiled.version}，摘要 ${compiled.digest}）`, en: `Wrote ${target} (${compiled.id} ${compiled.version}, digest ${compiled.digest})` })}\n`);
  return ExitCode.OK;
}
