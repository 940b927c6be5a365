import { IssueCode, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import type { Cite } from "../vocabulary/index.js";

/** The sections of a pack that carry rules: every value in them says where it comes from. */
export const RULE_SECTIONS = ["calendar", "levels", "grading", "numbering", "lifecycle", "escalation", "scoring", "tables", "units", "routing"] as const;

/** Subtrees that are words, references or structure, not policy values. */
const SKIP_SUBTREES = new Set(["cite", "note", "fieldProvenance", "label", "labels", "description", "definition", "name", "title", "conditions", "when", "appliesWhen", "numerator", "denominator", "count", "$schema"]);
/** Subtrees that declare inputs, not rules: their local values and external cites are listed, nothing more. */
const INPUT_SUBTREES = new Set(["facts", "yearLists"]);
/**
 * Scalars that identify or point, or choose the engine's mechanics rather than a rule. How
 * overlapping rules or rows are settled (`strategy`, `hitPolicy`) is not listed here: the rule and
 * table analyses of `jiceng lint` report every overlap with the note that settles it.
 */
const SKIP_KEYS = new Set(["id", "zh", "en", "doc", "clause", "quote", "fact", "level", "kpi", "assessor", "target", "table", "dataset", "outOfRange", "beyondSchedule", "decimals", "colour", "strategy", "hitPolicy"]);

/** A value of a pack and where it comes from. */
export interface ProvenanceEntry {
  /** JSON path of the value (for an object marked as a whole, the object's path). */
  path: IssuePath;
  /** local: marked `local` with a note; external: cites a source marked `external`; uncovered: neither cited nor local. */
  kind: "local" | "external" | "uncovered";
  value: unknown;
  note?: Text;
  cite?: Cite;
  /** True when the provenance is a `fieldProvenance` entry for this one field. */
  field?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface Prov {
  cite?: Cite;
  local?: boolean;
  note?: Text;
}
const provOf = (n: Record<string, unknown>): Prov | undefined => {
  if (n["local"] === true) return { local: true, ...(isObject(n["note"]) ? { note: n["note"] as unknown as Text } : {}) };
  if (isObject(n["cite"])) return { cite: n["cite"] as unknown as Cite };
  return undefined;
};

function shortValue(node: unknown): unknown {
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => !SKIP_SUBTREES.has(k) && k !== "local"));
}

/**
 * Reads a pack as written (no defaults applied) and lists where each value comes from: every
 * `local` value (a whole object, or one field through `fieldProvenance`), every value citing an
 * `external` source, and every policy value in a rule-bearing section that is neither cited nor
 * local — nor under an object that is.
 *
 * @example
 * provenanceReport(pack).filter((e) => e.kind === "uncovered").map((e) => e.path);
 * // [["lifecycle", "regrade"]] when regrade has no fieldProvenance and lifecycle no cite
 * @see POLICY.md: document values vs local values.
 */
export function provenanceReport(pack: unknown): ProvenanceEntry[] {
  const out: ProvenanceEntry[] = [];
  if (!isObject(pack)) return out;
  const docs = isObject(pack["source"]) && Array.isArray(pack["source"]["documents"]) ? (pack["source"]["documents"] as unknown[]) : [];
  const external = new Set(docs.filter((d) => isObject(d) && d["external"] === true).map((d) => (d as Record<string, unknown>)["id"]));
  const isExternal = (c: Cite | undefined) => c !== undefined && external.has(c.doc);

  const record = (path: IssuePath, p: Prov, value: unknown, field: boolean) => {
    const base = { path, value, ...(field ? { field: true } : {}) };
    if (p.local) out.push({ ...base, kind: "local", ...(p.note ? { note: p.note } : {}) });
    else if (p.cite && isExternal(p.cite)) out.push({ ...base, kind: "external", cite: p.cite });
  };

  const walk = (node: unknown, path: IssuePath, covered: boolean, rules: boolean) => {
    if (Array.isArray(node)) {
      node.forEach((x, i) => walk(x, [...path, i], covered, rules));
      return;
    }
    if (!isObject(node)) return;
    const own = provOf(node);
    if (own) record(path, own, shortValue(node), false);
    const here = covered || own !== undefined;
    const fields = isObject(node["fieldProvenance"]) ? node["fieldProvenance"] : {};
    for (const [k, v] of Object.entries(node)) {
      // scoring.report only chooses charts; escalation.report is the report chain, a rule.
      // scoring.groupBy is the reporting dimension, not a rule (who is assessed is assessment.subject).
      if (SKIP_SUBTREES.has(k) || k === "local" || (path.length === 1 && path[0] === "scoring" && (k === "report" || k === "groupBy"))) continue;
      const fp = isObject(fields[k]) ? provOf(fields[k] as Record<string, unknown>) : undefined;
      if (fp) record([...path, k], fp, v, true);
      if (Array.isArray(v) && v.length === 0) continue;
      const isValue = typeof v === "boolean" || typeof v === "number" || typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
      if (isValue) {
        if (rules && !here && !fp && !SKIP_KEYS.has(k)) out.push({ path: [...path, k], kind: "uncovered", value: v });
      } else if (INPUT_SUBTREES.has(k)) walk(v, [...path, k], true, false);
      else walk(v, [...path, k], here || fp !== undefined, rules);
    }
  };
  for (const [k, v] of Object.entries(pack)) {
    if ((RULE_SECTIONS as readonly string[]).includes(k)) walk(v, [k], false, true);
    // Elsewhere (source, facts, variants, named conditions…) local values and external cites are listed, nothing more.
    else walk(v, [k], true, false);
  }
  return out;
}

/**
 * The rule-bearing values that are neither cited nor local, as errors (`MISSING_CITE`): a reading
 * that passes silently is the one error policy staff cannot see.
 */
export function uncoveredValueIssues(pack: unknown): JicengIssue[] {
  return provenanceReport(pack)
    .filter((e) => e.kind === "uncovered")
    .map((e) =>
      issue(
        IssueCode.MISSING_CITE,
        e.path,
        `此值既无出处也未标记本地值：${JSON.stringify(e.value)}。请在所在对象写 cite，或在 fieldProvenance 中为该字段写 cite（文件或外部来源）或 local + note`,
        `This value is neither cited nor local: ${JSON.stringify(e.value)}. Give its object a cite, or give the field a fieldProvenance entry: a cite (a document or an external source) or local with a note`,
      ),
    );
}
