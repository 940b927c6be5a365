import * as z from "zod";
import { d, TextSchema } from "./text.js";

export const CiteSchema = z
  .strictObject({
    doc: z.string().min(1).meta(d("来源文件标识（见 source.documents）", "Source document id (see source.documents)")),
    clause: z.string().min(1).meta(d("条款，如 §二(三)8", "Clause, e.g. §二(三)8")),
    quote: z.string().optional().meta(d("原文摘录", "Quoted text of the clause")),
  })
  .meta({ id: "Cite", ...d("出处：文件与条款", "Citation: document and clause") });
export type Cite = z.infer<typeof CiteSchema>;

/**
 * Every value that is a number or a class list says where it comes from:
 * `cite` (the document says so) or `local: true` with a `note` (the locality must set it).
 */
export const provenanceShape = {
  cite: CiteSchema.optional().meta(d("出处（文件规定的值）", "Citation (a value the document states)")),
  local: z.literal(true).optional().meta(d("本地值：文件未规定，须由当地设定", "Local value: the document does not state it; the locality sets it")),
  note: TextSchema.optional().meta(d("本地值说明", "Why this local value, and what to set")),
  fieldProvenance: z.lazy(() => FieldProvenanceSchema).optional(),
};

/**
 * One field's own provenance, when it differs from its object's: a value under a cited object that
 * the clause does not settle (a reading: `local` with a note quoting the words it interprets), or a
 * value that comes from outside the documents (a cite to an `external` source).
 */
export const FieldSourceSchema = z
  .strictObject({
    cite: CiteSchema.optional().meta(d("出处", "Citation")),
    local: z.literal(true).optional().meta(d("本地值（解读）", "Local value (a reading)")),
    note: TextSchema.optional().meta(d("说明：引述所解读的原文", "Note: quote the words this reading interprets")),
  })
  .superRefine((v, ctx) => checkProvenance(v, ctx))
  .meta({ id: "FieldSource", ...d("单个字段的出处或本地值标记", "The provenance of one field") });

export const FieldProvenanceSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), FieldSourceSchema)
  .meta({ id: "FieldProvenance", ...d("逐字段的出处：键为同一对象中的字段名，优先于对象本身的 cite / local", "Per-field provenance: keys are field names of the same object; each overrides the object's own cite / local for that field") });

/** Refinement that enforces exactly one provenance: cite, or local + note. */
export function checkProvenance(value: { cite?: unknown; local?: true | undefined; note?: unknown; fieldProvenance?: Record<string, unknown> | undefined }, ctx: z.RefinementCtx<any>): void {
  checkFieldProvenance(value, ctx);
  const hasCite = value.cite !== undefined;
  const isLocal = value.local === true;
  if (hasCite && isLocal) {
    ctx.addIssue({ code: "custom", path: ["local"], message: "BOTH_CITE_AND_LOCAL", params: { jiceng: "MISSING_CITE", zh: "一个值不能既有出处又标记为本地值", en: "A value cannot both cite the document and be marked local" } });
  } else if (!hasCite && !isLocal) {
    ctx.addIssue({ code: "custom", path: ["cite"], message: "MISSING_CITE", params: { jiceng: "MISSING_CITE", zh: "缺少出处：请填写 cite（文件与条款），或标记 local: true 并写明 note", en: "Missing citation: give cite (document and clause), or mark local: true with a note" } });
  } else if (isLocal && value.note === undefined) {
    ctx.addIssue({ code: "custom", path: ["note"], message: "MISSING_NOTE", params: { jiceng: "MISSING_CITE", zh: "本地值须写明 note（为何取此值、由谁设定）", en: "A local value needs a note (why this value, who sets it)" } });
  }
}

/** `fieldProvenance` may only name fields its object has (a typo would otherwise hide a reading). */
export function checkFieldProvenance(value: { fieldProvenance?: Record<string, unknown> | undefined }, ctx: z.RefinementCtx<any>): void {
  for (const k of Object.keys(value.fieldProvenance ?? {})) {
    if (!(k in value) || k === "fieldProvenance" || k === "cite" || k === "local" || k === "note") {
      ctx.addIssue({ code: "custom", path: ["fieldProvenance", k], message: "UNKNOWN_FIELD", params: { jiceng: "SCHEMA", zh: `fieldProvenance 中的 "${k}" 不是此对象已写出的字段`, en: `fieldProvenance names "${k}", which is not a field written in this object` } });
    }
  }
}
