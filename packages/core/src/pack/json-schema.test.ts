import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLanguageService, TextDocument, type Diagnostic, type LanguageService } from "vscode-json-languageservice";
import { OPERATOR_NAMES } from "../conditions/operators.js";
import { main } from "../cli/index.js";
import { schemaRefFor } from "../cli/commands/init.js";
import { RULE_PACK_SCHEMA_ID, RULE_PACK_SCHEMA_PATH, rulePackJsonSchema } from "./json-schema.js";
import { SNIPPETS } from "./json-schema-docs.js";
import { safeLoadPack } from "./load.js";
import { packSkeleton } from "./skeleton.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "../../../..");
const PACKS = ["guyuan", "ankang", "xiji", "lanxi", "three-centers"];
const packFile = (id: string) => join(repo, "packages", `rules-${id}`, "pack.json");

type Node = Record<string, unknown>;
const schema = rulePackJsonSchema() as Node & { definitions: Record<string, Node> };

/** Every schema node with the place it is at; `if` conditions (not documentation) are skipped. */
function nodes(n: unknown, at = "#", out: Array<[string, Node]> = []): Array<[string, Node]> {
  if (typeof n !== "object" || n === null) return out;
  if (Array.isArray(n)) {
    n.forEach((x, i) => nodes(x, `${at}/${i}`, out));
    return out;
  }
  out.push([at, n as Node]);
  for (const [k, v] of Object.entries(n)) if (k !== "if" && k !== "defaultSnippets" && k !== "default") nodes(v, `${at}/${k}`, out);
  return out;
}
/** The node at a JSON path in the language service's syntax tree. */
function nodeAt(doc: ReturnType<LanguageService["parseJSONDocument"]>, path: ReadonlyArray<string | number>): { offset: number } {
  type Ast = { type: string; offset: number; properties?: Array<{ keyNode: { value: string }; valueNode?: Ast }>; items?: Ast[] };
  let n = (doc as unknown as { root: Ast }).root;
  for (const k of path) {
    const next: Ast | undefined = typeof k === "number" ? n.items?.[k] : n.properties?.find((p) => p.keyNode.value === k)?.valueNode;
    if (!next) throw new Error(`no node at ${path.join(".")}`);
    n = next;
  }
  return n;
}
const BILINGUAL = /[\u4e00-\u9fff].* \/ [A-Za-z]/s;

/** VS Code's JSON language service, reading schemas from disk as VS Code does for a relative `$schema`. */
function languageService(): LanguageService {
  return getLanguageService({
    schemaRequestService: async (uri) => readFileSync(fileURLToPath(uri), "utf8"),
    workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).href },
  });
}
async function diagnose(ls: LanguageService, file: string, text: string): Promise<Diagnostic[]> {
  const doc = TextDocument.create(pathToFileURL(file).href, "json", 1, text);
  return ls.doValidation(doc, ls.parseJSONDocument(doc), { schemaValidation: "error" });
}
/** The 0-based line of the first line containing `needle` after the first line containing `after`. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split("\n");
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  if (start < 0 || i < 0) throw new Error(`no line with ${needle}`);
  return i;
}

describe("rule-pack JSON Schema", () => {
  it("the committed schema/rule-pack.schema.json matches the zod schema (run `npm run schema` after changing it)", () => {
    const committed = JSON.parse(readFileSync(new URL("../../schema/rule-pack.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(rulePackJsonSchema());
  });

  it("is draft-07 with a stable $id", () => {
    expect(schema["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema["$id"]).toBe(RULE_PACK_SCHEMA_ID);
    expect(schema.definitions["Cite"]?.["description"]).toMatch(/出处.* \/ Citation/);
  });

  it("describes every property and every container in Chinese and English", () => {
    const undocumented: string[] = [];
    for (const [at, n] of nodes(schema)) {
      if (typeof n["properties"] === "object") {
        if (!BILINGUAL.test(String(n["description"] ?? ""))) undocumented.push(at);
        for (const [k, p] of Object.entries(n["properties"] as Record<string, Node>)) if (!BILINGUAL.test(String(p["description"] ?? ""))) undocumented.push(`${at}.${k}`);
      }
    }
    expect(undocumented).toEqual([]);
    for (const key of ["facts", "levels", "grading"]) expect((schema.definitions["RulePack"]!["properties"] as Record<string, Node>)[key]!["description"]).toMatch(BILINGUAL);
    expect((schema.definitions["Grading"]!["properties"] as Record<string, Node>)["rules"]!["description"]).toMatch(BILINGUAL);
    expect((schema.definitions["Scoring"]!["properties"] as Record<string, Node>)["kpis"]!["description"]).toMatch(BILINGUAL);
  });

  it("describes every enum value (enumDescriptions, one per value, zh / en)", () => {
    const enums = nodes(schema).filter(([, n]) => Array.isArray(n["enum"]));
    expect(enums.length).toBeGreaterThan(20);
    for (const [at, n] of enums) {
      const values = n["enum"] as unknown[];
      const docs = n["enumDescriptions"] as unknown[] | undefined;
      expect(docs, at).toHaveLength(values.length);
      for (const d of docs!) expect(String(d), at).toMatch(BILINGUAL);
    }
  });

  it("lists the operator names as an enum (so 'equals' is flagged, not passed)", () => {
    const op = (schema.definitions["FactCondition"]!["properties"] as Record<string, Node>)["operator"]!;
    expect(op["enum"]).toEqual([...OPERATOR_NAMES]);
  });

  it("offers a snippet for a new level, fact, grading rule and KPI, each of which loads", () => {
    const fill = (v: unknown): unknown => {
      if (typeof v === "string") {
        const literal = /^\^\$\{\d+:(.*)\}$/.exec(v);
        if (literal) return JSON.parse(literal[1]!);
        return v.replace(/\$\{\d+:([^}]*)\}/g, "$1");
      }
      if (Array.isArray(v)) return v.map(fill);
      if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
      return v;
    };
    expect(Object.keys(SNIPPETS).sort()).toEqual(["Fact", "GradingRule", "Kpi", "Level"]);
    for (const def of Object.keys(SNIPPETS)) expect(schema.definitions[def]!["defaultSnippets"]).toEqual(SNIPPETS[def]);
    const doc = { id: "doc-id", title: { zh: "文件", en: "Document" } };
    for (const s of SNIPPETS["Level"]!) {
      const pack = packSkeleton() as Node & { levels: unknown[]; source: { documents: unknown[] } };
      pack.source.documents.push(doc);
      pack.levels.push({ ...(fill(s.body) as Node), id: "orange", rank: 0 });
      const r = safeLoadPack(pack);
      expect(r.success ? [] : r.issues).toEqual([]);
    }
    for (const s of SNIPPETS["Fact"]!) {
      const pack = packSkeleton() as Node & { facts: unknown[]; source: { documents: unknown[] } };
      pack.source.documents.push(doc);
      pack.facts.push(fill(s.body));
      const r = safeLoadPack(pack);
      expect(r.success ? [] : r.issues).toEqual([]);
    }
    for (const s of SNIPPETS["GradingRule"]!) {
      const pack = packSkeleton() as Node & { facts: unknown[]; source: { documents: unknown[] }; grading: { rules: unknown[] } };
      pack.source.documents.push(doc);
      pack.facts.push({ name: "factName", type: "boolean", label: { zh: "事实", en: "Fact" } });
      pack.grading.rules.push(fill(s.body));
      const r = safeLoadPack(pack);
      expect(r.success ? [] : r.issues).toEqual([]);
    }
    const kpis = SNIPPETS["Kpi"]!.map((s, i) => ({ ...(fill(s.body) as Node), id: `kpi-${i}` }));
    const pack = { ...packSkeleton(), scoring: { groupBy: { field: "level", label: { zh: "等级", en: "Level" } }, kpis } } as Node & { source: { documents: unknown[] } };
    pack.source.documents.push(doc);
    const r = safeLoadPack(pack);
    expect(r.success ? [] : r.issues).toEqual([]);
  });
});

describe("the schema in VS Code's JSON language service (vscode-json-languageservice)", () => {
  const ls = languageService();
  const file = packFile("guyuan");
  const text = readFileSync(file, "utf8");

  it.each(PACKS)("the %s pack, through its relative $schema, gives no diagnostic", async (id) => {
    const diagnostics = await diagnose(ls, packFile(id), readFileSync(packFile(id), "utf8"));
    expect(diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("a rule without its cite gives a diagnostic at that rule", async () => {
    const pack = JSON.parse(text);
    const rule = pack.grading.rules[2];
    delete rule.cite;
    const edited = JSON.stringify(pack, null, 2);
    const diagnostics = await diagnose(ls, file, edited);
    expect(diagnostics.length).toBeGreaterThan(0);
    // The object that lacks the property is flagged where it starts: the line after `"id": "<rule>"`'s `{`.
    const ruleLine = lineOf(edited, `"id": "${rule.id}"`, `"rules": [`) - 1;
    expect(diagnostics.map((d) => d.range.start.line)).toContain(ruleLine);
    expect(String(diagnostics.find((d) => d.range.start.line === ruleLine)!.message)).toMatch(/cite/);
    const zod = safeLoadPack(pack);
    expect(zod.success ? [] : zod.issues.map((i) => i.code)).toContain("MISSING_CITE");
  });

  it("an unknown operator gives a diagnostic at the operator", async () => {
    const pack = JSON.parse(text);
    const c = JSON.stringify(pack.grading.rules[0].conditions);
    const op = /"operator":"(\w+)"/.exec(c)![1]!;
    pack.grading.rules[0].conditions = JSON.parse(c.replace(`"operator":"${op}"`, `"operator":"equals"`));
    const edited = JSON.stringify(pack, null, 2);
    const diagnostics = await diagnose(ls, file, edited);
    const line = lineOf(edited, `"operator": "equals"`);
    expect(diagnostics.map((d) => d.range.start.line)).toContain(line);
    expect(String(diagnostics.find((d) => d.range.start.line === line)!.message)).toMatch(/equal/);
  });

  it("a misspelled key gives a diagnostic at the key", async () => {
    const pack = JSON.parse(text);
    const level = pack.levels[1];
    level.dealine = level.deadline;
    delete level.deadline;
    const edited = JSON.stringify(pack, null, 2);
    const diagnostics = await diagnose(ls, file, edited);
    const line = lineOf(edited, `"dealine"`);
    expect(diagnostics.map((d) => d.range.start.line)).toContain(line);
    expect(String(diagnostics.find((d) => d.range.start.line === line)!.message)).toMatch(/dealine/);
  });

  it("a value both cited and local, or local without a note, is flagged as zod flags it", async () => {
    const pack = JSON.parse(text);
    pack.levels[0].local = true;
    pack.levels[0].note = { zh: "说明", en: "Note" };
    delete pack.levels[1].cite;
    pack.levels[1].local = true;
    const edited = JSON.stringify(pack, null, 2);
    const lines = (await diagnose(ls, file, edited)).map((d) => d.range.start.line);
    const levelsAt = lineOf(edited, `"levels": [`);
    expect(lines).toContain(lineOf(edited, `"id": "${pack.levels[0].id}"`, `"levels": [`) - 1);
    expect(lines).toContain(lineOf(edited, `"id": "${pack.levels[1].id}"`, `"levels": [`) - 1);
    expect(levelsAt).toBeGreaterThan(0);
    const zod = safeLoadPack(pack);
    expect(zod.success ? [] : zod.issues.filter((i) => i.code === "MISSING_CITE").map((i) => i.path.slice(0, 2))).toEqual([["levels", 0], ["levels", 1]]);
  });

  // Differential: wherever a pack states a provenance, taking it away is an error for zod and for
  // the JSON Schema alike (one sample per kind of place, so every kind of provenance is covered).
  it.each(PACKS)("the %s pack: removing any provenance is flagged by both zod and the JSON Schema", async (id) => {
    const raw = JSON.parse(readFileSync(packFile(id), "utf8"));
    const places = new Map<string, Array<string | number>>();
    const walk = (v: unknown, path: Array<string | number>) => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (typeof v === "object" && v !== null) {
        const o = v as Node;
        const kind = path.map((p) => (typeof p === "number" ? "[]" : p)).join(".");
        if (("cite" in o || o["local"] === true) && !places.has(kind)) places.set(kind, path);
        for (const [k, x] of Object.entries(o)) walk(x, [...path, k]);
      }
    };
    walk(raw, []);
    let flagged = 0;
    let checked = 0;
    for (const [kind, path] of places) {
      const pack = JSON.parse(JSON.stringify(raw));
      const target = path.reduce<any>((o, k) => o[k], pack);
      delete target.cite;
      delete target.local;
      delete target.note;
      const zod = safeLoadPack(pack);
      const zodFlags = !zod.success && zod.issues.some((i) => i.code === "MISSING_CITE" && i.path.slice(0, path.length).join(".") === path.join("."));
      const edited = JSON.stringify(pack, null, 2);
      const doc = TextDocument.create(pathToFileURL(packFile(id)).href, "json", 1, edited);
      const line = doc.positionAt(nodeAt(ls.parseJSONDocument(doc), path).offset).line;
      const diagnostics = await diagnose(ls, packFile(id), edited);
      const schemaFlags = diagnostics.some((d) => d.range.start.line === line && /cite|local|note/.test(String(d.message)));
      expect({ kind, schemaFlags }).toEqual({ kind, schemaFlags: zodFlags });
      if (!kind.includes("result")) checked++;
      if (zodFlags) flagged++;
    }
    expect(flagged).toBeGreaterThan(3);
    expect(checked).toBeGreaterThan(0);
  });
});

describe("jiceng init", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "jiceng-init-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], cwd: string) => {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { cwd, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
    return { code, stdout, stderr };
  };

  it("writes a pack skeleton that loads, with one level, one rule with its cite and one case fact", async () => {
    const r = await run(["init", "county-pack", "--id", "my-county"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const pack = JSON.parse(readFileSync(join(dir, "county-pack", "pack.json"), "utf8"));
    expect(pack.$schema).toBe(RULE_PACK_SCHEMA_PATH);
    expect(pack.id).toBe("my-county");
    expect(pack.levels).toHaveLength(1);
    expect(pack.grading.rules).toHaveLength(1);
    expect(pack.grading.rules[0].cite).toMatchObject({ doc: pack.source.documents[0].id });
    expect(pack.facts.filter((f: { name: string }) => f.name !== pack.startFact && f.name !== "receivedAt")).toHaveLength(1);
    const loaded = safeLoadPack(pack);
    expect(loaded.success ? loaded.warnings.filter((w) => w.severity === "error") : loaded.issues).toEqual([]);
    expect(await run(["validate", join(dir, "county-pack", "pack.json")], dir)).toMatchObject({ code: 0 });
  });

  it("refuses to overwrite a pack.json without --force, and changes nothing", async () => {
    const file = join(dir, "county-pack", "pack.json");
    writeFileSync(file, "{}\n");
    const r = await run(["init", "county-pack"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/已存在.*already exists/s);
    expect(readFileSync(file, "utf8")).toBe("{}\n");
    expect((await run(["init", "county-pack", "--force"], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).id).toBe("my-pack");
  });

  it("refuses a bad --id with a bilingual usage error", async () => {
    const r = await run(["init", "x", "--id", "Bad Id"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--id.*--id/s);
  });

  it("inside an app with @jiceng/core installed, $schema points at the installed schema, and VS Code's language service resolves it with no diagnostic", async () => {
    // The repository root has node_modules/@jiceng/core, as an app that installed it does.
    const app = mkdtempSync(join(repo, ".tmp-init-"));
    try {
      const r = await run(["init", "packs/county"], app);
      expect(r.code).toBe(0);
      const file = join(app, "packs", "county", "pack.json");
      const written = readFileSync(file, "utf8");
      const ref = JSON.parse(written).$schema as string;
      expect(ref).toBe(schemaRefFor(join(app, "packs", "county")));
      expect(ref).toMatch(/^\.\.\/\.\.\/\.\.\/node_modules\/@jiceng\/core\/schema\/rule-pack\.schema\.json$/);
      const ls = languageService();
      expect(await diagnose(ls, file, written)).toEqual([]);
      // and the language service really uses it: a misspelled key is flagged at its line.
      const broken = written.replace(`"version"`, `"versoin"`);
      const d = await diagnose(ls, file, broken);
      expect(d.map((x) => x.range.start.line)).toContain(lineOf(broken, `"versoin"`));
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
