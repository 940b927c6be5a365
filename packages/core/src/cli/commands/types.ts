import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadPack } from "../../pack/load.js";
import { packTypeDeclarations } from "../../pack/types.js";
import { PACK, onePositional, outFor, parse, str } from "../args.js";
import { ExitCode } from "../report.js";
import type { CliIO } from "../io.js";
import { resolvePack } from "../source.js";

/**
 * `jiceng types <pack> [--out types.d.ts]`: the TypeScript declarations of what a pack declares
 * (facts, level ids, states, events with their required fields), the same the rules packages ship.
 */
export async function types(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { ...PACK, out: { type: "string", short: "o" }, from: { type: "string" } });
  const out = outFor(io, p.values);
  const arg = str(p.values, "pack") ?? onePositional(p, { zh: "规则包（标识或 pack.json 路径）", en: "the pack (an id or the path to a pack.json)" });
  const source = await resolvePack(arg, io);
  const pack = loadPack(source.raw);
  const from = str(p.values, "from");
  const text = packTypeDeclarations(pack, { source: arg, ...(from !== undefined ? { from } : {}) });
  const target = str(p.values, "out");
  if (target === undefined) {
    io.stdout.write(text);
    return ExitCode.OK;
  }
  await writeFile(resolve(io.cwd, target), text, "utf8");
  io.stderr.write(`${out.t({ zh: `已写入 ${target}`, en: `Wrote ${target}` })}\n`);
  return ExitCode.OK;
}
