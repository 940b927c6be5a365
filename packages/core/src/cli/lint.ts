import { IssueCode, JicengError, formatPath, issue, type JicengIssue, type Text } from "../errors/index.js";
import type { RulePack } from "../pack/schema.js";
import { analyzeTable, fastCheckSearch, type AnalyzeOptions, type TableAnalysis, type TableFinding } from "../tables/analyze.js";
import { compilePackTables } from "../tables/classify.js";
import { displayWidth, type Out } from "./io.js";
import { provenanceReport } from "../pack/provenance.js";
import { prescanPack } from "../pack/prescan.js";
import { show } from "../conditions/text.js";


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value in one short line. */
function summarise(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    return show(value);
  }
  return s.length > 120 ? s.slice(0, 117) + "..." : s;
}

/**
 * Lists where a pack's values come from, for policy staff: every value marked `local` (a whole
 * object, or one field through `fieldProvenance`) with its JSON path and note, as warnings with code
 * `LOCAL_VALUE`, and every value citing an `external` source (a law or regulation outside the
 * model's documents) as `EXTERNAL_CITE`. Values that are neither cited nor local are errors of
 * `validate` (see `uncoveredValueIssues`). Reads the pack as written (no defaults applied), so a
 * pack that does not load can still be linted — within `PACK_LIMITS`: a pack beyond them
 * (nested too deep, too many values…) is refused with a {@link JicengError} `LIMIT_EXCEEDED` at the
 * path, as `safeLoadPack` refuses it.
 *
 * @example
 * for (const i of lintPack(JSON.parse(text))) console.log(formatPath(i.path), i.message.zh);
 * // $.levels[0].warn 本地值（文件未规定）：{"before":{"amount":7,"unit":"calendar-days"}}。文件未规定预警时间…
 * @see POLICY.md: document values vs local values.
 */
export function lintPack(pack: unknown): JicengIssue[] {
  // Read as written, but only within the pack limits (the walk below recurses).
  const limits = prescanPack(pack).filter((i) => i.code === IssueCode.LIMIT_EXCEEDED);
  if (limits.length) throw new JicengError(limits);
  const out: JicengIssue[] = [];
  for (const e of provenanceReport(pack)) {
    const value = summarise(e.value);
    if (e.kind === "local") {
      out.push(issue(IssueCode.LOCAL_VALUE, e.path, `本地值（文件未规定，须由当地设定）：${value}。${e.note?.zh ?? "（缺少说明 note）"}`, `Local value (the document does not state it; the locality sets it): ${value}. ${e.note?.en ?? "(no note)"}`, { severity: "warning" }));
    } else if (e.kind === "external") {
      const c = e.cite!;
      out.push(issue(IssueCode.EXTERNAL_CITE, e.path, `外部来源（不是本模式的文件）：${c.doc} ${c.clause}：${value}`, `External source (not one of the model's documents): ${c.doc} ${c.clause}: ${value}`, { severity: "warning" }));
    }
  }
  return out;
}

/**
 * The engineering choices a pack makes (or takes by default) that no document states, as
 * `LOCAL_VALUE` warnings: today `calendar.beyondSchedule` (what to do past the last loaded
 * holiday schedule).
 *
 * @example
 * lintEngineeringChoices(pack)[0].path; // ["calendar", "beyondSchedule"]
 */
export function lintEngineeringChoices(pack: unknown): JicengIssue[] {
  const calendar = isObject(pack) && isObject(pack["calendar"]) ? pack["calendar"] : {};
  const value = calendar["beyondSchedule"] === undefined ? "provisional" : String(calendar["beyondSchedule"]);
  const given = calendar["beyondSchedule"] !== undefined;
  return [
    issue(
      IssueCode.LOCAL_VALUE,
      ["calendar", "beyondSchedule"],
      `本地工程选择（不出自任何文件）：calendar.beyondSchedule = "${value}"${given ? "" : "（默认）"}。晚于最后一份已加载的放假安排时，"provisional" 按法定节假日暂行计算时限并标注“暂行”，通知加载后自动更正；"refuse" 拒绝计算（CALENDAR_OUT_OF_RANGE）`,
      `Local engineering choice (cited to no document): calendar.beyondSchedule = "${value}"${given ? "" : " (default)"}. Past the last loaded holiday schedule, "provisional" counts deadlines on the statutory holidays, marked provisional and corrected once the notice is loaded; "refuse" refuses (CALENDAR_OUT_OF_RANGE)`,
      { severity: "warning" },
    ),
  ];
}

// ── Decision tables: gaps and overlaps ──────────────────────────────────────

/** Options for {@link lintTables}. */
export interface LintTablesOptions {
  /** Largest space tried exhaustively (default 200,000); beyond it, a fast-check property search. */
  maxCombinations?: number;
  /** Inputs the property search tries (default 20,000). */
  runs?: number;
}

/**
 * Analyses every decision table of a loaded pack for gaps and overlaps (see `analyzeTable`),
 * exhaustively when the combinations fit, else by a fast-check property search (loaded only
 * then; a seeded random search when fast-check is not installed).
 *
 * @example
 * const analyses = await lintTables(loadPack(ankang));
 * analyses[0].findings.map((f) => f.kind); // ["gap", "overlap", "overlap"]
 * @see POLICY.md §4: the document leaves some households in no class, and lets some meet several.
 */
export async function lintTables(pack: RulePack, options: LintTablesOptions = {}): Promise<TableAnalysis[]> {
  const tables = compilePackTables(pack);
  const out: TableAnalysis[] = [];
  let search: AnalyzeOptions["search"];
  for (const t of tables.values()) {
    const opts: AnalyzeOptions = {};
    if (options.maxCombinations !== undefined) opts.maxCombinations = options.maxCombinations;
    if (options.runs !== undefined) opts.runs = options.runs;
    const first = analyzeTable(t, { ...opts, maxCombinations: opts.maxCombinations ?? 200_000, runs: 0 });
    if (first.method === "exhaustive" || first.method === "skipped") {
      out.push(first);
      continue;
    }
    search ??= await loadFastCheck();
    out.push(analyzeTable(t, search ? { ...opts, search } : opts));
  }
  return out;
}

async function loadFastCheck(): Promise<AnalyzeOptions["search"]> {
  try {
    const mod = (await import("fast-check")) as unknown as { default?: unknown };
    const fc = (mod.default ?? mod) as Parameters<typeof fastCheckSearch>[0];
    return fastCheckSearch(fc);
  } catch {
    return undefined;
  }
}

const KIND: Record<TableFinding["kind"], [string, string]> = { gap: ["空白", "GAP"], overlap: ["重叠", "OVERLAP"], shadowed: ["被遮蔽", "SHADOWED"], unreachable: ["不可达", "UNREACHABLE"] };

/** A text under a label; with both languages, English on its own line. */
function bilingual(out: Out, indent: string, label: string, text: Text): void {
  if (!text.zh && !text.en) return;
  if (out.lang !== "both" || text.zh === text.en) {
    out.line(`${indent}${label}${out.t(text)}`);
    return;
  }
  out.line(`${indent}${label}${text.zh}`);
  out.line(`${indent}${" ".repeat(displayWidth(label))}${text.en}`);
}

/** Prints the analyses of `jiceng lint`: per table the method, the values tried, and every finding with an example. */
export function printTableAnalyses(out: Out, analyses: readonly TableAnalysis[]): void {
  if (!analyses.length) return;
  out.line("");
  out.line(`${out.h("决策表分析", "Table analysis")}:`);
  for (const a of analyses) {
    const notes = new Set<string>();
    const method =
      a.method === "exhaustive" ? out.t({ zh: `穷举全部 ${a.inputs} 种输入组合`, en: `exhaustive over all ${a.inputs} input combinations` })
      : a.method === "property-search" ? out.t({ zh: `组合共 ${a.space} 种，超出穷举上限，改用性质搜索（${a.searchName}）抽查 ${a.inputs} 种，未发现不等于没有`, en: `${a.space} combinations exceed the exhaustive limit: property search (${a.searchName}) over ${a.inputs} inputs; finding nothing proves nothing` })
      : a.method === "random-sample" ? out.t({ zh: `组合共 ${a.space} 种，超出穷举上限，随机抽查 ${a.inputs} 种（未安装 fast-check）`, en: `${a.space} combinations exceed the exhaustive limit: random sample of ${a.inputs} inputs (fast-check not installed)` })
      : out.t({ zh: "未分析", en: "not analysed" });
    out.line(`  ${a.table}  [${a.hitPolicy}]  ${method}`);
    if (a.skipped) bilingual(out, "    ", "", a.skipped);
    for (const d of a.dimensions) bilingual(out, "    ", `${d.fact}: `, d.tested);
    if (!a.findings.length && a.method !== "skipped") out.line(`    ✓ ${out.t({ zh: "没有空白、重叠或不可达的行", en: "no gaps, overlaps or unreachable rows" })}`);
    for (const f of a.findings) {
      const tag = f.severity === "warning" ? out.h("警告", "warning") : out.h("提示", "info");
      const kind = out.h(...KIND[f.kind]);
      const where = f.kind === "gap" ? formatPath(f.path) : f.rows.map((r) => formatPath(r.path)).join(" + ");
      out.line("");
      out.line(`    ${tag} ${kind} ${where}`);
      bilingual(out, "      ", "", f.message);
      bilingual(out, "      ", `${out.h("各例共同条件", "In every case")}: `, f.common);
      f.cases.forEach((c, i) => {
        bilingual(out, "      ", `${i + 1}. `, c.where.zh || c.where.en ? c.where : { zh: "（同上）", en: "(as above)" });
        out.line(`         ${out.h("例", "e.g.")} ${JSON.stringify(c.example)}`);
      });
      if (f.moreCases) out.line(`      … ${out.t({ zh: `另有 ${f.moreCases} 类（--json 可见全部）`, en: `${f.moreCases} more (see --json)` })}`);
      const s = f.settledBy;
      if (s?.note && notes.has(s.note.en)) out.line(`      ${out.t({ zh: "（说明同上）", en: "(note as above)" })}`);
      else if (s?.note) {
        notes.add(s.note.en);
        const label = s.by === "default" ? out.h("兜底", "Default") : out.h("优先顺序", "Precedence");
        const source = s.local ? out.t({ zh: "本地设定", en: "local" }) : out.t({ zh: "文件规定", en: "document" });
        bilingual(out, "      ", out.lang === "en" ? `${label} (${source}): ` : `${label}（${source}）: `, s.note);
      }
    }
  }
}

/** `3 张决策表：1 处空白（已由默认结果兜底）、2 处重叠` — the closing line's part about tables. */
export function tableSummary(out: Out, analyses: readonly TableAnalysis[]): string {
  if (!analyses.length) return "";
  const all = analyses.flatMap((a) => a.findings);
  const count = (k: TableFinding["kind"]) => all.filter((f) => f.kind === k).length;
  const covered = all.filter((f) => f.kind === "gap" && f.settledBy?.by === "default").length;
  const gaps = count("gap");
  const overlaps = count("overlap");
  const dead = count("shadowed") + count("unreachable");
  return out.t({
    zh: `${analyses.length} 张决策表：${gaps} 处空白${covered ? `（${covered} 处由默认结果兜底）` : ""}、${overlaps} 处重叠、${dead} 行不会生效`,
    en: `${analyses.length} decision table${analyses.length === 1 ? "" : "s"}: ${gaps} gap${gaps === 1 ? "" : "s"}${covered ? ` (${covered} covered by the default)` : ""}, ${overlaps} overlap${overlaps === 1 ? "" : "s"}, ${dead} dead row${dead === 1 ? "" : "s"}`,
  });
}
