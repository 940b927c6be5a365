import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { RULE_PACK_SCHEMA_PATH } from "../../pack/schema-path.js";
import { safeLoadPack } from "../../pack/load.js";
import { packSkeleton } from "../../pack/skeleton.js";
import { outFor, parse, str, usage } from "../args.js";
import type { CliIO } from "../io.js";

const SCHEMA_IN_PACKAGE = ["node_modules", "@jiceng", "core", "schema", "rule-pack.schema.json"];

/**
 * The `"$schema"` for a pack.json in `dir`: the schema of the nearest installed `@jiceng/core`
 * (looking up from `dir`, as Node resolves packages), relative to `dir`; when none is installed,
 * the documented `./node_modules/@jiceng/core/schema/rule-pack.schema.json`.
 */
export function schemaRefFor(dir: string): string {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const file = join(at, ...SCHEMA_IN_PACKAGE);
    if (existsSync(file)) {
      const rel = relative(resolve(dir), file).split(sep).join("/");
      return rel.startsWith(".") ? rel : `./${rel}`;
    }
    if (dirname(at) === at) return RULE_PACK_SCHEMA_PATH;
  }
}

/** `jiceng init [dir] [--id <id>] [--force]`: writes a pack skeleton that validates. */
export async function init(args: string[], io: CliIO): Promise<number> {
  const p = parse(args, { id: { type: "string" }, force: { type: "boolean" } });
  const out = outFor(io, p.values);
  if (p.positionals.length > 1) usage(`多余的参数：${p.positionals.slice(1).join(" ")}`, `Unexpected arguments: ${p.positionals.slice(1).join(" ")}`);
  const dir = resolve(io.cwd, p.positionals[0] ?? ".");
  const file = join(dir, "pack.json");
  if (existsSync(file) && p.values["force"] !== true) usage(`${file} 已存在；如要覆盖请加 --force`, `${file} already exists; add --force to overwrite it`);
  const id = str(p.values, "id");
  if (id !== undefined && !/^[a-z][a-z0-9-]{0,63}$/.test(id)) usage(`--id 须为小写字母开头，仅含小写字母、数字、连字符：${id}`, `--id must start with a lowercase letter and hold only lowercase letters, digits and hyphens: ${id}`);
  const pack = packSkeleton({ ...(id !== undefined ? { id } : {}), schema: schemaRefFor(dir) });
  // The skeleton is meant to load as written; a failure here is a defect in core, not user input.
  const check = safeLoadPack(pack);
  if (!check.success) throw new Error(`pack skeleton does not load: ${check.issues.map((i) => i.code).join(", ")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(pack, null, 2) + "\n");
  if (out.json) {
    out.printJson({ file, schema: pack.$schema, id: pack.id });
    return 0;
  }
  out.line(`✓ ${out.t({ zh: "已写入规则包骨架", en: "Wrote a pack skeleton" })}: ${file}`);
  out.rows([
    [out.h("$schema", "$schema"), String(pack.$schema)],
    [out.h("下一步", "Next"), out.t({ zh: "替换标注“请替换”的内容，然后运行 jiceng validate " + relative(io.cwd, file || "."), en: "replace what says “replace”, then run jiceng validate " + relative(io.cwd, file || ".") })],
  ], "  ");
  return 0;
}
