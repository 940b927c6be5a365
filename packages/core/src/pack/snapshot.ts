import { loadPack } from "./load.js";
import type { RulePack } from "./schema.js";

type Prov = { cite?: { doc: string; clause: string; quote?: string | undefined } | undefined; local?: true | undefined; note?: { zh: string; en: string } | undefined };

const src = (p: Prov): string => (p.cite ? `${p.cite.clause}` : p.local ? `本地值 local` : "");
const esc = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Every `local: true` value in a pack, with its JSON path and note. */
export function localValues(pack: unknown): Array<{ path: (string | number)[]; note?: { zh: string; en: string } }> {
  const out: Array<{ path: (string | number)[]; note?: { zh: string; en: string } }> = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i]));
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o["local"] === true) {
        const item: { path: (string | number)[]; note?: { zh: string; en: string } } = { path };
        if (o["note"]) item.note = o["note"] as { zh: string; en: string };
        out.push(item);
      }
      for (const [k, v] of Object.entries(o)) if (k !== "note") walk(v, [...path, k]);
    }
  };
  walk(pack, []);
  return out;
}

/**
 * A Markdown summary of a pack — levels, deadlines, grading rules, numbering, escalation and
 * every local value — committed beside each pack as SNAPSHOT.md so a change of policy shows in review.
 */
export function packSnapshotMarkdown(input: unknown): string {
  const pack: RulePack = loadPack(input);
  const lines: string[] = [];
  const doc = pack.source.documents[0];
  lines.push(`# ${pack.name.zh} / ${pack.name.en}`, "");
  lines.push(`<!-- Generated from pack.json by \`npm run snapshots\`. Do not edit by hand; a test fails when it drifts. -->`, "");
  lines.push(`- id: \`${pack.id}\` · version ${pack.version} · timezone ${pack.timezone}`);
  for (const d of pack.source.documents) lines.push(`- 来源 Source: ${d.title.zh}${d.number ? `（${d.number}）` : ""}${d.issuedOn ? `，${d.issuedOn}` : ""} — \`${d.id}\``);
  void doc;
  lines.push("", "## 等级与时限 / Levels and time limits", "");
  lines.push("| id | rank | 名称 / label | colour | 时限 / limit | 预警 / warning | 出处 / source |", "|---|---|---|---|---|---|---|");
  for (const l of [...pack.levels].sort((a, b) => b.rank - a.rank)) {
    const unit = { "calendar-days": "日 days", "working-days": "工作日 working days", hours: "小时 hours" }[l.deadline.unit];
    const warn = l.warn ? (l.warn.before ? `到期前 ${l.warn.before.amount} ${l.warn.before.unit}` : `${Math.round((l.warn.fraction ?? 0) * 100)}%`) + ` (${src(l.warn)})` : "—";
    lines.push(`| \`${l.id}\` | ${l.rank} | ${esc(l.label.zh)} / ${esc(l.label.en)} | ${l.colour} | ${l.deadline.amount} ${unit} | ${warn} | ${src(l.deadline)} |`);
  }
  lines.push("", `## 定级规则 / Grading (${pack.grading.strategy})`, "");
  lines.push("| rule | → level | 说明 / label | 出处 / source |", "|---|---|---|---|");
  for (const r of pack.grading.rules) lines.push(`| \`${r.id}\` | \`${r.level}\` | ${esc(r.label?.zh ?? "")} / ${esc(r.label?.en ?? "")} | ${src(r)} |`);
  lines.push(`| (default) | \`${pack.grading.default.level}\` | 无规则命中时 / when no rule holds | ${src(pack.grading.default)} |`);
  const score = (pack.grading as { score?: { points: Array<{ id: string; points: number; label?: { zh: string; en: string } } & Prov>; thresholds: Array<{ level: string; min: number } & Prov> } }).score;
  if (score) {
    lines.push("", "### 评估赋分 / Points", "", "| item | points | 说明 / label | 出处 / source |", "|---|---|---|---|");
    for (const p of score.points) lines.push(`| \`${p.id}\` | ${p.points} | ${esc(p.label?.zh ?? "")} / ${esc(p.label?.en ?? "")} | ${src(p)} |`);
    lines.push("", "| level | 总分不低于 / total ≥ | 出处 / source |", "|---|---|---|");
    for (const t of score.thresholds) lines.push(`| \`${t.level}\` | ${t.min} | ${src(t)} |`);
  }
  if (pack.numbering) {
    lines.push("", "## 编号 / Numbering", "", `- template \`${pack.numbering.template}\` (${src(pack.numbering)})`);
    for (const [k, v] of Object.entries(pack.numbering.parts)) lines.push(`- \`${k}\` ← fact \`${v.fact}\``);
    if (pack.numbering.date) lines.push(`- date ← fact \`${pack.numbering.date.fact}\``);
  }
  if (pack.escalation) {
    const e = pack.escalation;
    lines.push("", "## 升级与上报 / Escalation and reporting", "");
    lines.push(`- 决定机构 decided by: ${e.decidedBy.label.zh} / ${e.decidedBy.label.en} (${src(e.decidedBy)})`);
    lines.push(`- 须先申请 application required: ${e.requestRequired ? "是 yes" : "否 no"}; 升级后时限 clock after upgrade: ${e.upgrade.clock} (${src(e.upgrade)})`);
    if (e.extend) lines.push(`- 延期 extension: ${e.extend.allowed ? "允许 allowed" : "不允许 not allowed"}${e.extend.maxDays ? `, ≤ ${e.extend.maxDays} days` : ""} (${src(e.extend)})`);
    if (e.report) lines.push(`- 上报链 report chain: ${e.report.chain.map((b) => `${b.label.zh}`).join(" → ")} (${src(e.report)})`);
  }
  const routing = (pack as { routing?: { platforms: Array<{ id: string; label: { zh: string; en: string } }>; table: string; coordinator: { label?: { zh: string; en: string }; id?: string } } }).routing;
  if (routing) {
    lines.push("", "## 分流 / Routing", "");
    lines.push(`- 平台 platforms: ${routing.platforms.map((p) => `${p.label.zh} / ${p.label.en}`).join("; ")}`);
    lines.push(`- 分流表 table: \`${routing.table}\``);
  }
  const tables = (pack as { tables?: Record<string, { label: { zh: string; en: string }; hitPolicy: string; rows: Array<{ id: string } & Prov>; default?: Prov }> }).tables;
  if (tables && Object.keys(tables).length) {
    lines.push("", "## 决策表 / Decision tables", "", "| table | hit policy | rows | default |", "|---|---|---|---|");
    for (const [id, t] of Object.entries(tables)) lines.push(`| \`${id}\` ${esc(t.label.zh)} / ${esc(t.label.en)} | ${t.hitPolicy} | ${t.rows.map((r) => `\`${r.id}\` (${src(r)})`).join(", ")} | ${t.default ? src(t.default) : "—"} |`);
  }
  const scoring = (pack as { scoring?: { kpis?: Array<{ id: string; label: { zh: string; en: string } } & Prov>; targets?: Array<{ kpi: string; op: string; value: number; unit: string } & Prov>; assessment?: { assessors: Array<{ id: string; weight: number; label?: { zh: string; en: string } } & Prov> } } }).scoring;
  if (scoring) {
    lines.push("", "## 考核 / Scoring", "");
    if (scoring.kpis?.length) {
      lines.push("| KPI | 名称 / label | 出处 / source |", "|---|---|---|");
      for (const k of scoring.kpis) lines.push(`| \`${k.id}\` | ${esc(k.label.zh)} / ${esc(k.label.en)} | ${src(k)} |`);
    }
    for (const t of scoring.targets ?? []) lines.push(`- 目标 target: \`${t.kpi}\` ${t.op} ${t.value}${t.unit === "percent" ? "%" : ""} (${src(t)})`);
    for (const a of scoring.assessment?.assessors ?? []) lines.push(`- 考核方 assessor: \`${a.id}\` ${a.label ? `${a.label.zh} / ${a.label.en} ` : ""}weight ${a.weight} (${src(a)})`);
  }
  const locals = localValues(input);
  lines.push("", "## 本地值 / Local values", "");
  if (!locals.length) lines.push("无 / none");
  for (const l of locals) lines.push(`- \`$.${l.path.join(".")}\`: ${esc(l.note?.zh ?? "")} / ${esc(l.note?.en ?? "")}`);
  lines.push("");
  return lines.join("\n");
}
