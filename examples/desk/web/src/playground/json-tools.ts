// The editor's JSON tools: core's safeLoadPack as the linter (each issue at its JSON range), and
// hover / completion from the rule-pack JSON Schema through vscode-json-languageservice — the
// package VS Code's own JSON support is built on, so the playground and VS Code say the same.
import { RULE_PACK_SCHEMA_ID, safeLoadPack, type JicengIssue } from "@jiceng/core";
import schema from "@jiceng/core/schema/rule-pack.schema.json";
import { getLanguageService, TextDocument, type ASTNode, type Diagnostic, type JSONDocument } from "vscode-json-languageservice";

export const ls = getLanguageService({
  // Whatever "$schema" a pack names (../core/schema/…, ./node_modules/@jiceng/core/schema/…), the
  // playground answers with the schema bundled in the page: no fetch, no network.
  schemaRequestService: async () => JSON.stringify(schema),
  workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).href },
});
ls.configure({ validate: true, allowComments: false, schemas: [{ uri: RULE_PACK_SCHEMA_ID, fileMatch: ["*.json"], schema: schema as never }] });

export const docOf = (text: string, version = 1) => TextDocument.create("inmemory://playground/pack.json", "json", version, text);

/** The syntax node at a JSON path, or the deepest one on the way there. */
export function nodeAtPath(doc: JSONDocument, path: ReadonlyArray<string | number>): ASTNode | undefined {
  let n = doc.root;
  for (const k of path) {
    if (!n) return undefined;
    let next: ASTNode | undefined;
    if (n.type === "array" && typeof k === "number") next = n.items[k];
    else if (n.type === "object") {
      const prop = n.properties.find((p) => p.keyNode.value === String(k));
      next = prop ? (prop.valueNode ?? prop) : undefined;
    }
    if (!next) return n;
    n = next;
  }
  return n;
}

export interface RangedIssue {
  from: number;
  to: number;
  line: number;
  issue: JicengIssue;
}

export interface Linted {
  /** The parsed JSON, when it parses. */
  json?: unknown;
  /** Core's verdict: errors (and warnings) with their ranges. */
  issues: RangedIssue[];
  valid: boolean;
}

/** Parse and validate with core; every issue placed at its JSON range (syntax errors included). */
export function lintText(text: string): Linted {
  const td = docOf(text);
  const jdoc = ls.parseJSONDocument(td);
  // The parsed document carries its syntax errors (typed as opaque in the public API).
  const syntax = (jdoc as unknown as { syntaxErrors?: Diagnostic[] }).syntaxErrors ?? [];
  if (syntax.length) {
    return {
      valid: false,
      issues: syntax.map((d) => {
        const from = td.offsetAt(d.range.start);
        return { from, to: Math.max(from + 1, td.offsetAt(d.range.end)), line: d.range.start.line + 1, issue: { code: "SCHEMA", path: [], severity: "error", message: { zh: `JSON 语法错误：${d.message}`, en: `JSON syntax error: ${d.message}` } } as JicengIssue };
      }),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { valid: false, issues: [{ from: 0, to: 1, line: 1, issue: { code: "SCHEMA", path: [], severity: "error", message: { zh: `JSON 语法错误：${String(e)}`, en: `JSON syntax error: ${String(e)}` } } as JicengIssue }] };
  }
  const r = safeLoadPack(json);
  const list = r.success ? r.warnings : r.issues;
  const issues = list.map((issue) => {
    const n = nodeAtPath(jdoc, issue.path);
    // A property's key is where the eye looks; a missing key is flagged on its parent's first line.
    const at = n && n.parent?.type === "property" && n.parent.valueNode === n ? n.parent : n;
    const from = at?.offset ?? 0;
    const to = at ? from + (at.type === "property" ? (at.keyNode.length ?? 1) : Math.min(at.length, 200)) : 1;
    return { from, to: Math.max(to, from + 1), line: td.positionAt(from).line + 1, issue };
  });
  return { json, issues, valid: r.success };
}
