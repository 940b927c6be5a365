// Where a rule pack finds its JSON Schema: the identifier and the file shipped in the package.
/**
 * The stable identifier of the rule-pack JSON Schema. It names the format, not a release: it
 * changes only with an incompatible format.
 */
export const RULE_PACK_SCHEMA_ID = "urn:jiceng:schema:rule-pack:1";

/**
 * The `"$schema"` a pack outside this repository writes: the schema file shipped in the
 * `@jiceng/core` package, relative to the folder holding `package.json` and `node_modules`.
 */
export const RULE_PACK_SCHEMA_PATH = "./node_modules/@jiceng/core/schema/rule-pack.schema.json";
