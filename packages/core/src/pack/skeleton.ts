import type { RulePackInput } from "./schema.js";
import { RULE_PACK_SCHEMA_PATH } from "./schema-path.js";

/** Options of {@link packSkeleton}. */
export interface PackSkeletonOptions {
  /** The pack id (lowercase letters, digits, hyphens). Default `my-pack`. */
  id?: string;
  /** The `"$schema"` to write. Default {@link RULE_PACK_SCHEMA_PATH}. */
  schema?: string;
}

/**
 * A new rule pack to start from, as `jiceng init` writes it: one source document, the start
 * fact and one case fact, one level with its time limit, one grading rule with its `cite` in
 * place, and `"$schema"` pointing at the schema shipped in `@jiceng/core`. It loads as is; every
 * placeholder says in Chinese and English what to replace.
 *
 * @example
 * const r = safeLoadPack(packSkeleton({ id: "my-county" }));
 * r.success; // true
 * @see RULE_PACK_SCHEMA_PATH
 */
export function packSkeleton(options: PackSkeletonOptions = {}): RulePackInput {
  const doc = "source-doc";
  return {
    $schema: options.schema ?? RULE_PACK_SCHEMA_PATH,
    id: options.id ?? "my-pack",
    version: "0.1.0",
    name: { zh: "规则包名称（请替换）", en: "Pack name (replace)" },
    source: {
      documents: [{ id: doc, title: { zh: "来源文件标题（请替换）", en: "Title of the source document (replace)" }, number: "文号（请替换）" }],
    },
    facts: [
      { name: "receivedAt", type: "datetime", label: { zh: "登记时间", en: "Received at" } },
      { name: "involvesSafety", type: "boolean", label: { zh: "涉及人身安全", en: "Involves personal safety" }, description: { zh: "请按来源文件的表述修改", en: "Reword as the source document puts it" } },
    ],
    levels: [
      {
        id: "red",
        rank: 1,
        label: { zh: "红色", en: "Red" },
        colour: "red",
        deadline: { amount: 7, unit: "calendar-days", cite: { doc, clause: "§一（请替换）", quote: "原文摘录（请替换）" } },
        cite: { doc, clause: "§一（请替换）", quote: "原文摘录（请替换）" },
      },
    ],
    grading: {
      default: { level: "red", local: true, note: { zh: "无规则命中时的等级：请按当地规定设定", en: "The level when no rule holds: set it as the locality decides" } },
      rules: [
        {
          id: "safety-red",
          level: "red",
          label: { zh: "涉及人身安全的为红色", en: "Cases involving personal safety are red" },
          conditions: { all: [{ fact: "involvesSafety", operator: "equal", value: true }] },
          cite: { doc, clause: "§一（请替换）", quote: "原文摘录（请替换）" },
        },
      ],
    },
  };
}
