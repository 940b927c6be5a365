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
  const locals = localValues(input);
  lines.push("", "## 本地值 / Local values", "");
  if (!locals.length) lines.push("无 / none");
  for (const l of locals) lines.push(`- \`$.${l.path.join(".")}\`: ${esc(l.note?.zh ?? "")} / ${esc(l.note?.en ?? "")}`);
  lines.push("");
  return lines.join("\n");
}
