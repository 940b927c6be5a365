import * as z from "zod";
import { OPERATOR_NAMES, OPERATORS } from "../conditions/operators.js";
import { ENUM_DOCS, PROPERTY_DOCS, SNIPPETS } from "./json-schema-docs.js";
import { RulePackSchema } from "./schema.js";
import { RULE_PACK_SCHEMA_ID } from "./schema-path.js";

export { RULE_PACK_SCHEMA_ID, RULE_PACK_SCHEMA_PATH } from "./schema-path.js";

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);
const both = ([zh, en]: readonly [string, string]) => `${zh} / ${en}`;

/**
 * The JSON Schema (draft-07) of a rule pack, generated from the zod schema, with what zod's
 * generation cannot say added for editors (VS Code and the playground share it):
 * - "cite, or local with a note" as an `anyOf` on every value that needs a provenance (on an
 *   enum fact, through `if` / `then`),
 * - the operator names as an `enum`,
 * - a zh / en description on every property and container, `enumDescriptions` on every enum,
 * - `defaultSnippets` for a new level, fact, grading rule and KPI.
 *
 * Build-time only (`npm run schema` writes `schema/rule-pack.schema.json`, which the package ships
 * and `jiceng schema` prints): the docs it adds would otherwise ship twice more, in each build.
 *
 * @example
 * fs.writeFileSync("rule-pack.schema.json", JSON.stringify(rulePackJsonSchema(), null, 2));
 */
export function rulePackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RulePackSchema, { io: "input", target: "draft-07", unrepresentable: "any" }) as Node;
  const defs = schema["definitions"] as Record<string, Node>;
  for (const [name, def] of Object.entries(defs)) {
    if (typeof def["description"] !== "string") {
      const text = docFor(name, "");
      if (text === undefined) throw new Error(`json-schema-docs: no description for the definition ${name}`);
      def["description"] = text;
    }
    decorate(def, name, defs);
  }

  const op = (defs["FactCondition"]!["properties"] as Record<string, Node>)["operator"]!;
  delete op["minLength"];
  op["enum"] = [...OPERATOR_NAMES];
  op["enumDescriptions"] = OPERATOR_NAMES.map((n) => {
    const o = OPERATORS[n];
    return `${o.summary.zh} / ${o.summary.en}（${o.factTypes.join(", ")}）`;
  });

  for (const [def, snippets] of Object.entries(SNIPPETS)) {
    const target = defs[def];
    if (!target) throw new Error(`json-schema-docs: no definition ${def} for its snippets`);
    target["defaultSnippets"] = snippets;
  }
  return { $schema: "http://json-schema.org/draft-07/schema#", $id: RULE_PACK_SCHEMA_ID, ...schema };
}

/** The definition a `$ref` or `allOf: [{ $ref }]` property points at. */
function referenced(n: Node, defs: Record<string, Node>): Node | undefined {
  const ref = typeof n["$ref"] === "string" ? n["$ref"] : Array.isArray(n["allOf"]) && n["allOf"].length === 1 && isNode(n["allOf"][0]) ? n["allOf"][0]["$ref"] : undefined;
  return typeof ref === "string" ? defs[ref.replace("#/definitions/", "")] : undefined;
}

function docFor(place: string, prop: string): string | undefined {
  const d = PROPERTY_DOCS[place] ?? PROPERTY_DOCS[prop];
  return d ? both(d) : undefined;
}

/** Adds provenance, descriptions and enum descriptions to one schema node and everything under it. */
function decorate(n: Node, place: string, defs: Record<string, Node>): void {
  if (Array.isArray(n["enum"]) && !n["enumDescriptions"]) {
    const docs = ENUM_DOCS[place];
    if (docs) n["enumDescriptions"] = (n["enum"] as string[]).map((v) => (docs[v] ? both(docs[v]) : v));
  }
  const props = isNode(n["properties"]) ? (n["properties"] as Record<string, Node>) : undefined;
  if (props) {
    // Objects whose provenance zod leaves optional say so with x-provenance (the marker is not kept).
    const optional = n["x-provenance"] === "optional";
    delete n["x-provenance"];
    if ("cite" in props && "local" in props && "note" in props && !optional) addProvenance(n, place);
    for (const [key, p] of Object.entries(props)) {
      const at = `${place}.${key}`;
      if (typeof p["description"] !== "string") {
        const text = docFor(at, key) ?? (referenced(p, defs)?.["description"] as string | undefined);
        if (text === undefined) throw new Error(`json-schema-docs: no description for ${at}`);
        if (typeof p["$ref"] === "string") {
          props[key] = { allOf: [{ $ref: p["$ref"] }], description: text };
        } else p["description"] = text;
      }
      decorate(props[key]!, at, defs);
    }
  }
  if (isNode(n["items"])) {
    const items = n["items"];
    if (isNode(items["properties"]) && typeof items["description"] !== "string") {
      const text = docFor(`${place}[]`, "");
      if (text !== undefined) items["description"] = text;
      else if (typeof n["description"] === "string") items["description"] = n["description"];
    }
    decorate(items, `${place}[]`, defs);
  }
  if (isNode(n["additionalProperties"])) {
    const values = n["additionalProperties"];
    if (isNode(values["properties"]) && typeof values["description"] !== "string") {
      const text = docFor(`${place}{}`, "") ?? (n["description"] as string | undefined);
      if (text !== undefined) values["description"] = text;
    }
    decorate(values, `${place}{}`, defs);
  }
  if (isNode(n["propertyNames"])) decorate(n["propertyNames"], `${place}[]`, defs);
  for (const k of ["anyOf", "oneOf", "allOf"] as const) {
    const list = n[k];
    if (!Array.isArray(list)) continue;
    for (const branch of list as Node[]) {
      if (!isNode(branch)) continue;
      // A union branch is named by the property that tells it apart (all / any / event / ...).
      const bp = isNode(branch["properties"]) ? (branch["properties"] as Record<string, Node>) : undefined;
      if (bp && typeof branch["description"] !== "string") {
        const key = Array.isArray(branch["required"]) ? (branch["required"] as string[])[0] : undefined;
        const first = key ? bp[key] : undefined;
        const text = first && typeof first["description"] === "string" ? first["description"] : key ? docFor(`${place}.${key}`, key) : undefined;
        if (text !== undefined) branch["description"] = text;
      }
      decorate(branch, place, defs);
    }
  }
}

/**
 * "cite, or local: true with a note, never both" — what `checkProvenance` enforces in zod.
 * A fact needs it only when it carries a class list (enum / enum-list).
 */
function addProvenance(n: Node, place: string): void {
  const rule = {
    anyOf: [
      { required: ["cite"], not: { required: ["local"] }, description: "出处 / Citation" },
      { required: ["local", "note"], not: { required: ["cite"] }, description: "本地值及说明 / Local value with a note" },
    ],
  };
  if (n["anyOf"] !== undefined || n["if"] !== undefined) throw new Error(`json-schema: ${place} already has anyOf / if`);
  if (place === "Fact") {
    n["if"] = { properties: { type: { enum: ["enum", "enum-list"] } }, required: ["type"] };
    n["then"] = rule;
  } else Object.assign(n, rule);
}
