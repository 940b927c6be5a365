import type { Text } from "../errors/index.js";
import type { KpiInfo, KpiValue, Provenance, Scorecard, UnitScore } from "./score.js";

// One self-contained page: inline CSS and SVG, no scripts, no fonts or images to fetch.

const esc = (s: unknown): string =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const COLOURS: Record<string, string> = { red: "#d4380d", orange: "#f08c2e", yellow: "#e0b000", green: "#389e0d", blue: "#2f6fd6", grey: "#8c8c8c" };
const colour = (c: string | undefined, fallback = "#2f6fd6") => (c === undefined ? fallback : c.startsWith("#") ? c : (COLOURS[c] ?? fallback));
const PASS = "#389e0d";
const FAIL = "#d4380d";
const INK = "#1f2329";
const MUTED = "#646a73";
const GRID = "#e5e6eb";
const SERIES = ["#2f6fd6", "#13a8a8", "#9254de"];

/** `中文 English` on one line, or one of them when both are the same. */
const bi = (t: Text) => (t.zh === t.en ? esc(t.zh) : `${esc(t.zh)} <span class="en">${esc(t.en)}</span>`);
/** For SVG text: `中文 · English` (no markup). */
const biPlain = (t: Text) => (t.zh === t.en ? t.zh : `${t.zh} · ${t.en}`);

/** `100,000`: an integer (or the integer part of a decimal) with thousands separators. */
export function groupDigits(n: number | string): string {
  const [int, frac] = String(n).split(".");
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? `.${frac}` : "");
}
/** A KPI display with separators in its counts (`100000` → `100,000`; `99.6%` stays). */
const showValue = (v: KpiValue) => (v.kind === "count" && /^-?\d+$/.test(v.display) ? groupDigits(v.display) : v.display);

/**
 * `2022年9月28日 09:00` and `2022-09-28 09:00 (UTC+08:00)` for an ISO instant or `YYYY-MM-DD`
 * date as the scorecard holds it (already in the pack's time zone). The JSON keeps the ISO.
 */
export function zhDateTime(iso: string): Text {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(iso);
  if (!m) return { zh: iso, en: iso };
  const [, y, mo, d, hh, mm, off] = m;
  const date = `${y}年${Number(mo)}月${Number(d)}日`;
  if (hh === undefined) return { zh: date, en: `${y}-${mo}-${d}` };
  return { zh: `${date} ${hh}:${mm}`, en: `${y}-${mo}-${d} ${hh}:${mm}${off ? ` (UTC${off === "Z" ? "" : off})` : ""}` };
}

/** Integer ticks for counts: a step of 1, 2, 5 × 10ⁿ and a maximum that is a whole number of steps. */
export function countScale(v: number): { max: number; step: number } {
  const raw = Math.max(1, Math.ceil(v));
  const target = raw / 5;
  let step = 1;
  if (target > 1) {
    const p = 10 ** Math.floor(Math.log10(target));
    step = [1, 2, 5, 10].map((m) => m * p).find((x) => x >= target) ?? 10 * p;
  }
  return { max: Math.ceil(raw / step) * step, step };
}

/** Display width of a label in SVG user units at `size` px (CJK is about one em wide). */
function textWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += /[\u2E80-\uFFEF]/.test(ch) ? size : size * 0.56;
  return w;
}

function clip(s: string, size: number, max: number): string {
  if (textWidth(s, size) <= max) return s;
  let out = "";
  for (const ch of s) {
    if (textWidth(out + ch + "…", size) > max) break;
    out += ch;
  }
  return out + "…";
}

/** Tick values: counts step by whole numbers (never 0.2); rates and points in fifths of the axis. */
function tickValues(opts: { max: number; unit: string; step?: number }): number[] {
  if (opts.unit === "count") {
    const step = opts.step ?? countScale(opts.max).step;
    const out: number[] = [];
    for (let v = 0; v <= opts.max + 1e-9; v += step) out.push(v);
    return out;
  }
  return [0, 1, 2, 3, 4, 5].map((i) => (opts.max / 5) * i);
}
const tickText = (v: number, unit: string) => (unit === "percent" ? `${Math.round(v * 100)}%` : unit === "count" ? groupDigits(Math.round(v)) : String(Math.round(v * 10) / 10));

interface Bar {
  label: string;
  value: number | null;
  text: string;
  fill: string;
}

/** Horizontal bars: one row per item, value label at the end of the bar. */
function hbars(bars: readonly Bar[], opts: { max: number; unit: "percent" | "points" | "count"; step?: number; refLine?: { value: number; label: string } | undefined }): string {
  const W = 760;
  const row = 30;
  const top = 24;
  const left = Math.min(260, Math.max(90, ...bars.map((b) => textWidth(b.label, 13) + 16)));
  const right = Math.min(220, Math.max(60, ...bars.map((b) => textWidth(b.text, 12) + 16)));
  const H = top + bars.length * row + 28;
  const plot = W - left - right;
  const x = (v: number) => left + (Math.max(0, Math.min(v, opts.max)) / opts.max) * plot;
  const parts: string[] = [];
  for (const v of tickValues(opts)) {
    const tx = x(v);
    parts.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${H - 24}" stroke="${GRID}"/>`);
    parts.push(`<text x="${tx}" y="${H - 8}" text-anchor="middle" class="tick">${esc(tickText(v, opts.unit))}</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * row;
    parts.push(`<text x="${left - 10}" y="${y + row / 2 + 4}" text-anchor="end" class="lbl">${esc(clip(b.label, 13, left - 16))}</text>`);
    if (b.value === null) {
      parts.push(`<text x="${left + 6}" y="${y + row / 2 + 4}" class="val muted">${esc(b.text)}</text>`);
      return;
    }
    const w = Math.max(2, x(b.value) - left);
    parts.push(`<rect x="${left}" y="${y + 5}" width="${w.toFixed(1)}" height="${row - 10}" rx="3" fill="${b.fill}"/>`);
    parts.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + row / 2 + 4}" class="val">${esc(b.text)}</text>`);
  });
  if (opts.refLine) {
    const rx = x(opts.refLine.value);
    parts.push(`<line x1="${rx}" y1="${top - 10}" x2="${rx}" y2="${H - 24}" stroke="${FAIL}" stroke-width="1.5" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${rx}" y="${top - 12}" text-anchor="middle" class="ref">${esc(opts.refLine.label)}</text>`);
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">${parts.join("")}</svg>`;
}

interface Group {
  label: string;
  /** A second, muted line under the label (the English). */
  sub?: string;
  values: Array<{ value: number | null; text: string; fill: string }>;
}

/** Vertical bars, grouped: one group per x label, one bar per series. */
function vbars(groups: readonly Group[], opts: { max: number; unit: "percent" | "count"; step?: number; legend?: Array<{ label: string; fill: string }>; refLine?: { value: number; label: string } | undefined }): string {
  const W = 760;
  const H = 260;
  const left = 52;
  const right = 16;
  const top = opts.legend ? 52 : 28;
  const bottom = groups.some((g) => g.sub) ? 56 : 40;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const y = (v: number) => top + plotH - (Math.max(0, Math.min(v, opts.max)) / opts.max) * plotH;
  const parts: string[] = [];
  for (const v of tickValues(opts)) {
    const ty = y(v);
    parts.push(`<line x1="${left}" y1="${ty}" x2="${W - right}" y2="${ty}" stroke="${GRID}"/>`);
    parts.push(`<text x="${left - 8}" y="${ty + 4}" text-anchor="end" class="tick">${esc(tickText(v, opts.unit))}</text>`);
  }
  const slot = plotW / Math.max(1, groups.length);
  const n = Math.max(1, ...groups.map((g) => g.values.length));
  const barW = Math.min(56, (slot * 0.7) / n);
  groups.forEach((g, i) => {
    const cx = left + slot * i + slot / 2;
    const start = cx - (barW * g.values.length) / 2;
    g.values.forEach((b, j) => {
      const bx = start + j * barW;
      if (b.value === null) {
        parts.push(`<text x="${bx + barW / 2}" y="${y(0) - 6}" text-anchor="middle" class="val muted">${esc(b.text)}</text>`);
        return;
      }
      const by = y(b.value);
      parts.push(`<rect x="${(bx + 2).toFixed(1)}" y="${by.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${Math.max(0, y(0) - by).toFixed(1)}" rx="3" fill="${b.fill}"/>`);
      parts.push(`<text x="${(bx + barW / 2).toFixed(1)}" y="${(by - 6).toFixed(1)}" text-anchor="middle" class="val">${esc(b.text)}</text>`);
    });
    parts.push(`<text x="${cx}" y="${H - bottom + 20}" text-anchor="middle" class="lbl">${esc(clip(g.label, 13, slot - 6))}</text>`);
    if (g.sub) parts.push(`<text x="${cx}" y="${H - bottom + 37}" text-anchor="middle" class="tick">${esc(clip(g.sub, 11, slot - 6))}</text>`);
  });
  parts.push(`<line x1="${left}" y1="${y(0)}" x2="${W - right}" y2="${y(0)}" stroke="${MUTED}"/>`);
  if (opts.refLine) {
    const ry = y(opts.refLine.value);
    parts.push(`<line x1="${left}" y1="${ry}" x2="${W - right}" y2="${ry}" stroke="${FAIL}" stroke-width="1.5" stroke-dasharray="5 4"/>`);
    parts.push(`<text x="${W - right}" y="${ry - 6}" text-anchor="end" class="ref">${esc(opts.refLine.label)}</text>`);
  }
  if (opts.legend) {
    let lx = left;
    for (const l of opts.legend) {
      parts.push(`<rect x="${lx}" y="8" width="12" height="12" rx="2" fill="${l.fill}"/><text x="${lx + 18}" y="18" class="lbl">${esc(l.label)}</text>`);
      lx += 36 + textWidth(l.label, 13);
    }
  }
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">${parts.join("")}</svg>`;
}

function provenance(p: Provenance, docs: ReadonlyMap<string, string>): string {
  if (p.cite) return `<span class="cite">${esc(docs.get(p.cite.doc) ?? p.cite.doc)} ${esc(p.cite.clause)}</span>${p.cite.quote ? ` <q>${esc(p.cite.quote)}</q>` : ""}`;
  if (p.local) return `<span class="local">本地值 local</span> ${p.note ? `${esc(p.note.zh)}<br><span class="en">${esc(p.note.en)}</span>` : ""}`;
  return "";
}

const kpiCell = (v: KpiValue | undefined, target?: { pass: boolean | null }) => {
  if (!v) return "<td></td>";
  const mark = target === undefined || target.pass === null ? "" : target.pass ? ` <span class="pass">✓</span>` : ` <span class="fail">✗</span>`;
  if (v.kind === "count") return `<td class="num">${esc(showValue(v))}</td>`;
  return `<td class="num">${esc(v.display)}${mark}${v.denominator ? `<div class="frac">${groupDigits(v.numerator!)}/${groupDigits(v.denominator)}</div>` : ""}</td>`;
};

const unitName = (u: { key: string; label: Text }) => (u.key === "*" ? bi(u.label) : u.label.zh === u.key ? esc(u.key) : `${esc(u.key)} ${bi(u.label)}`);

/**
 * One self-contained HTML page of a scorecard that a policy officer would rather look at than
 * read: headline figures, inline SVG charts (scores by unit, cases by level, rates by month), the
 * tables behind them, and every definition with its clause or its `local` note. Labels are
 * Chinese and English. No scripts, no external resources.
 *
 * @example
 * fs.writeFileSync("2022Q3.html", scorecardHtml(engine.score(snapshots, "2022Q3")));
 */
export function scorecardHtml(card: Scorecard): string {
  const docs = new Map(card.documents.map((d) => [d.id, d.number ?? d.title.zh] as const));
  const kpis = new Map(card.kpis.map((k) => [k.id, k] as const));
  const targetsByKpi = new Map(card.targets.map((t) => [t.kpi, t] as const));
  const thresholdOf = (kpi: string) => {
    const t = targetsByKpi.get(kpi);
    const m = t && /^(≥|>|≤|<) ([\d.]+)(%?)$/.exec(t.threshold);
    return m ? { value: Number(m[2]) / (m[3] ? 100 : 1), label: `目标 target ${t!.threshold}` } : undefined;
  };
  const sections: string[] = [];

  // Headline tiles.
  const tiles = card.kpis.map((k) => {
    const v = card.total.kpis[k.id]!;
    const ch = card.total.change?.[k.id];
    let trend = "";
    if (ch?.noBaseline) trend = `<div class="chg muted">无上年数据 <span class="en">no baseline</span></div>`;
    else if (ch && ch.delta !== null && ch.delta !== 0) {
      const good = (ch.delta > 0) === (k.better === "higher");
      trend = `<div class="chg ${good ? "good" : "bad"}">${ch.delta > 0 ? "▲" : "▼"} ${esc(ch.display.en)} <span class="muted">同比 YoY</span></div>`;
    } else if (ch && ch.delta === 0) trend = `<div class="chg muted">= 同比持平 flat YoY</div>`;
    const sub = v.kind === "rate" ? (v.denominator ? `${groupDigits(v.numerator!)} / ${groupDigits(v.denominator)}` : "无案件 no cases") : "";
    return `<div class="tile"><div class="tl">${bi(k.label)}</div><div class="tv">${esc(showValue(v))}</div><div class="ts">${esc(sub)}</div>${trend}<div class="cohort">${k.kind === "rate" ? "分母 of" : "计入 counts"}: ${esc(k.cohort.zh)}<br><span class="en">${esc(k.cohort.en)}</span></div></div>`;
  });
  sections.push(`<section id="totals"><h2>合计 <span class="en">Totals</span></h2><div class="tiles">${tiles.join("")}</div></section>`);

  // Chart 1: scores by unit.
  const a = card.assessment;
  const unitsChart = (() => {
    const withComposite = a?.subjects.filter((s) => s.composite !== null) ?? [];
    if (a && withComposite.length) {
      const bars = [...a.subjects].map((s) => ({ label: s.label.zh === s.subject ? s.subject : `${s.subject} ${s.label.zh}`, value: s.composite, text: s.composite === null ? "— 缺评分 missing" : `${s.display}${s.band ? ` ${biPlain(s.band.label)}` : ""}`, fill: colour(s.band?.colour) }));
      return { title: { zh: "各单位综合得分", en: "Composite score by unit" }, note: a.assessors.map((x) => `${x.label.zh} ${x.weight * 100}%`).join(" + "), svg: hbars(bars, { max: a.scale.max, unit: "points" }) };
    }
    if (a && a.subjects.some((s) => s.assessors.some((x) => x.source === "indicators" && x.score !== null))) {
      const as = a.assessors.find((x) => a.subjects.some((s) => s.assessors.some((y) => y.assessor === x.id && y.source === "indicators")))!;
      const rows = a.subjects.map((s) => ({ s, x: s.assessors.find((y) => y.assessor === as.id)! })).sort((p, q) => (q.x.score ?? -1) - (p.x.score ?? -1));
      const bars = rows.map(({ s, x }) => ({ label: s.label.zh === s.subject ? s.subject : `${s.subject} ${s.label.zh}`, value: x.score, text: x.score === null ? "—" : String(Math.round(x.score * 100) / 100), fill: SERIES[0]! }));
      return { title: { zh: `各单位得分（${as.label.zh}，按指标计算）`, en: `Score by unit (${as.label.en}, from the indicators)` }, note: "未给出考核文件，综合得分待各考核主体评分 · no assessments file: composites need every assessor's score", svg: hbars(bars, { max: a.scale.max, unit: "points" }) };
    }
    const kid = card.charts.units;
    if (kid === undefined || !kpis.has(kid)) return undefined;
    const k = kpis.get(kid)!;
    const th = k.kind === "rate" ? thresholdOf(kid) : undefined;
    const scale = countScale(Math.max(1, ...card.units.map((u) => u.kpis[kid]!.value ?? 0)));
    const bars = card.units
      .map((u) => ({ u, v: u.kpis[kid]! }))
      .sort((p, q) => (q.v.value ?? -1) - (p.v.value ?? -1))
      .map(({ u, v }) => {
        const t = u.targets.find((x) => x.kpi === kid);
        return { label: u.label.zh === u.key ? u.key : `${u.key} ${u.label.zh}`, value: v.value, text: showValue(v), fill: t?.pass === true ? PASS : t?.pass === false ? FAIL : SERIES[0]! };
      });
    return { title: { zh: `各单位${k.label.zh}`, en: `${k.label.en} by unit` }, note: "", svg: hbars(bars, k.kind === "rate" ? { max: 1, unit: "percent", refLine: th } : { max: scale.max, step: scale.step, unit: "count" }) };
  })();

  // Chart 2: cases by level.
  const levelKpi = card.charts.levels === undefined ? undefined : kpis.get(card.charts.levels);
  const levelChart = levelKpi
    ? (() => {
        const by = card.total.kpis[levelKpi.id]!.byLevel ?? {};
        const scale = countScale(Math.max(1, ...Object.values(by)));
        const groups = card.levels.map((l) => ({ label: l.label.zh, sub: l.label.en, values: [{ value: by[l.id] ?? 0, text: groupDigits(by[l.id] ?? 0), fill: colour(l.colour) }] }));
        return { title: { zh: `按等级的${levelKpi.label.zh}`, en: `${levelKpi.label.en} by level` }, note: `计入 counts: ${levelKpi.cohort.zh} · ${levelKpi.cohort.en}`, svg: vbars(groups, { max: scale.max, step: scale.step, unit: "count" }) };
      })()
    : undefined;

  // Chart 3: rates by month.
  const series = card.charts.monthly.filter((id) => kpis.get(id)?.kind === "rate").slice(0, 3);
  const monthChart =
    card.monthly.length > 1 && series.length
      ? (() => {
          const groups = card.monthly.map((m) => ({
            label: m.period.label.zh,
            sub: m.period.label.en,
            values: series.map((id, i) => {
              const v = m.kpis[id]!;
              return { value: v.value, text: v.value === null ? "—" : v.display, fill: SERIES[i]! };
            }),
          }));
          const legend = series.map((id, i) => ({ label: biPlain(kpis.get(id)!.label), fill: SERIES[i]! }));
          const names = series.map((id) => kpis.get(id)!.label);
          return { title: { zh: `各月${names.map((n) => n.zh).join("、")}`, en: `${names.map((n) => n.en).join(", ")} by month` }, svg: vbars(groups, { max: 1, unit: "percent", legend, refLine: thresholdOf(series[0]!) }) };
        })()
      : undefined;

  const charts = [unitsChart, levelChart, monthChart].filter((c): c is NonNullable<typeof c> => c !== undefined);
  if (charts.length) {
    sections.push(
      `<section id="charts"><h2>图表 <span class="en">Charts</span></h2>${charts
        .map((c) => `<figure><figcaption>${bi(c.title)}${"note" in c && c.note ? `<div class="muted small">${esc(c.note)}</div>` : ""}</figcaption>${c.svg}</figure>`)
        .join("")}</section>`,
    );
  }

  // KPI table by unit.
  const units: UnitScore[] = [...card.units, card.total];
  const head = card.kpis.map((k) => `<th>${bi(k.label)}${k.denominator !== "default" ? `<div class="small">[${esc(k.denominator)}]</div>` : ""}<div class="cohort" title="${esc(k.cohort.en)}">${esc(k.cohort.zh)}</div></th>`).join("");
  const body = units
    .map((u) => `<tr${u.key === "*" ? ' class="total"' : ""}><th scope="row">${unitName(u)}</th>${card.kpis.map((k) => kpiCell(u.kpis[k.id], u.targets.find((t) => t.kpi === k.id))).join("")}</tr>`)
    .join("");
  sections.push(`<section id="kpis"><h2>各单位指标 <span class="en">KPIs by unit</span> <span class="muted small">${bi(card.groupBy.label)} · ${esc(card.groupBy.field)}</span></h2><div class="scroll"><table><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`);

  // Targets.
  if (card.targets.length) {
    const rows = card.targets
      .map((t) => {
        const cells = units.map((u) => {
          const r = u.targets.find((x) => x.target === t.id)!;
          return `<tr><th scope="row">${unitName(u)}</th><td>${r.pass === null ? '<span class="muted">—</span>' : r.pass ? '<span class="pass">✓ 达标 pass</span>' : '<span class="fail">✗ 未达标 fail</span>'}</td><td class="num">${esc(r.value)}</td><td class="small">${esc(r.reason.zh)}<br><span class="en">${esc(r.reason.en)}</span></td></tr>`;
        });
        return `<h3>${bi(t.label)} ${esc(t.threshold)} <span class="small">${provenance(t, docs)}</span></h3><table><tbody>${cells.join("")}</tbody></table>`;
      })
      .join("");
    sections.push(`<section id="targets"><h2>目标 <span class="en">Targets</span></h2>${rows}</section>`);
  }

  // Year-on-year goals.
  if (card.trends.length && card.previousPeriod) {
    const rows = card.trends
      .map((t) =>
        units
          .map((u) => {
            const r = u.trends.find((x) => x.trend === t.id)!;
            return `<tr><th scope="row">${unitName(u)}</th><td>${r.noBaseline ? '<span class="muted">无上年数据 <span class="en">no baseline</span></span>' : r.met === null ? '<span class="muted">—</span>' : r.met ? '<span class="pass">✓</span>' : '<span class="fail">✗</span>'}</td><td class="small">${esc(r.reason.zh)}<br><span class="en">${esc(r.reason.en)}</span></td></tr>`;
          })
          .join(""),
      )
      .join("");
    sections.push(`<section id="trends"><h2>同比目标 <span class="en">Year-on-year goals</span> <span class="muted small">${bi(card.previousPeriod.label)} → ${bi(card.period.label)}</span></h2>${card.trends.map((t) => `<p class="small">${bi(t.label)} — ${provenance(t, docs)}</p>`).join("")}<table><tbody>${rows}</tbody></table></section>`);
  }

  // The weighted assessment.
  if (a) {
    const headA = a.assessors.map((x) => `<th>${bi(x.label)}<div class="small">× ${x.weight}</div></th>`).join("");
    const rows = a.subjects
      .map((s) => {
        const cells = s.assessors.map((x) => `<td class="num">${x.score === null ? '<span class="muted">—</span>' : esc(String(Math.round(x.score * 100) / 100))}${x.source === "indicators" ? '<sup title="由指标计算 computed from the indicators">*</sup>' : ""}${x.capped ? `<div class="small">封顶 capped</div>` : ""}</td>`).join("");
        const band = s.band ? `<span class="band" style="background:${colour(s.band.colour)}">${bi(s.band.label)}</span>` : "";
        return `<tr><td class="num">${s.rank ?? "—"}</td><th scope="row">${s.label.zh === s.subject ? esc(s.subject) : `${esc(s.subject)} ${bi(s.label)}`}</th>${cells}<td class="num strong">${esc(s.display)}</td><td>${band}</td><td class="small">${esc(s.reason.zh)}<br><span class="en">${esc(s.reason.en)}</span></td></tr>`;
      })
      .join("");
    const items = a.subjects.flatMap((s) => s.assessors.filter((x) => x.items.length).map((x) => `<li><b>${esc(s.subject)}</b> · ${bi(a.assessors.find((y) => y.id === x.assessor)!.label)}: ${x.items.map((i) => `${esc(i.detail.zh)}`).join("；")}</li>`));
    sections.push(
      `<section id="assessment"><h2>${bi(a.label)}</h2><p class="small">${a.assessors.map((x) => `${bi(x.label)} ${x.weight * 100}% — ${provenance(x, docs)}`).join("<br>")}</p><table><thead><tr><th>名次<br><span class="en">Rank</span></th><th>对象<br><span class="en">Subject</span></th>${headA}<th>综合得分<br><span class="en">Composite</span></th><th>等次<br><span class="en">Band</span></th><th>计算<br><span class="en">How</span></th></tr></thead><tbody>${rows}</tbody></table>${items.length ? `<details><summary>指标得分明细 <span class="en">Indicator points</span></summary><ul class="small">${items.join("")}</ul></details>` : ""}</section>`,
    );
  }

  // Persons.
  if (card.persons && card.persons.scores.length) {
    const p = card.persons;
    const itemHead = p.scores[0]!.items.map((i) => `<th>${bi(i.label)}</th>`).join("");
    const rows = p.scores.map((s) => `<tr><td class="num">${s.rank}</td><th scope="row">${esc(s.person)}</th>${s.items.map((i) => `<td class="num">${i.count}<div class="small">${i.points} 分</div></td>`).join("")}<td class="num strong">${esc(s.display)}${s.capped ? '<div class="small">封顶 capped</div>' : ""}</td></tr>`).join("");
    sections.push(`<section id="persons"><h2>${bi(p.label)}</h2><table><thead><tr><th>名次 <span class="en">Rank</span></th><th>人员 <span class="en">Person</span></th>${itemHead}<th>得分 <span class="en">Points</span></th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }

  // Team schemes (bundled assessment, rewards, per-case subsidies).
  for (const team of card.teams ?? []) {
    if (!team.scores.length) continue;
    const unit = team.unit ?? { zh: "分", en: "points" };
    const itemHead = team.scores[0]!.items.map((i) => `<th>${bi(i.label)}</th>`).join("");
    const roleHead = team.roles ? `<th>成员 <span class="en">Members</span></th>` : "";
    const members = (s: (typeof team.scores)[number]) => (team.roles ? `<td>${(s.members ?? []).map((m) => `${esc(m.person)}（${esc(team.roles!.find((r) => r.id === m.role)?.label.zh ?? m.role)}）`).join("<br>")}${(s.roster ?? []).map((r) => `<div class="small">⚠ ${esc(r.message.zh)} · ${esc(r.message.en)}</div>`).join("")}</td>` : "");
    const rows = team.scores.map((s) => `<tr><td class="num">${s.rank}</td><th scope="row">${esc(s.key)}</th>${members(s)}${s.items.map((i) => `<td class="num">${i.count}<div class="small">${i.points} ${esc(unit.zh)}</div></td>`).join("")}<td class="num strong">${esc(s.display)}${s.capped ? '<div class="small">封顶 capped</div>' : ""}</td></tr>`).join("");
    sections.push(`<section id="team-${esc(team.id)}"><h2>${bi(team.label)}</h2><p class="small">${provenance(team, docs)}</p><table><thead><tr><th>名次 <span class="en">Rank</span></th><th>对象 <span class="en">Object</span></th>${roleHead}${itemHead}<th>${bi(unit)}</th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }

  // Definitions.
  const alts = (k: KpiInfo) => {
    const others = [...(k.denominator !== "default" ? [{ id: "default", label: { zh: "默认口径", en: "the default" } }] : []), ...k.alternatives.filter((x) => x.id !== k.denominator)];
    return others.length ? `<div class="small muted">其他口径 other definitions: ${others.map((x) => `${bi(x.label)} <code>--denominator ${esc(k.id)}=${esc(x.id)}</code>`).join("；")}</div>` : "";
  };
  const defs = card.kpis.map((k: KpiInfo) => `<dt>${bi(k.label)} <code>${esc(k.id)}</code>${k.denominator !== "default" ? ` <span class="small">[${esc(k.denominator)}]</span>` : ""}</dt><dd>${esc(k.definition.zh)}<br><span class="en">${esc(k.definition.en)}</span><div class="small muted">${k.kind === "rate" ? "分母 denominator" : "计入 counts"}: ${esc(k.cohort.zh)} · ${esc(k.cohort.en)}</div><div class="prov">${provenance(k, docs)}</div>${alts(k)}</dd>`).join("");
  const indicatorDefs = (a?.indicators ?? []).map((x) => `<dt>${bi(x.label)} <code>${esc(x.id)}</code> <span class="small muted">→ ${bi(a!.assessors.find((y) => y.id === x.assessor)?.label ?? { zh: x.assessor, en: x.assessor })}</span></dt><dd>${esc(x.rule.zh)}<br><span class="en">${esc(x.rule.en)}</span><div class="prov">${provenance(x, docs)}</div></dd>`).join("");
  const bandDefs = (a?.bands ?? []).length ? `<dt>等次 <span class="en">Bands</span></dt><dd>${a!.bands.map((b) => `<span class="band" style="background:${colour(b.colour)}">${bi(b.label)}</span> ≥ ${b.min}`).join(" ")}<div class="prov">${provenance(a!.bands[0]!, docs)}</div></dd>` : "";
  const onTime = card.onTime === "final-deadline" ? "按期：在最终时限（含经批准的升级、延期）前化解 · on time: resolved before the time limit in force (approved upgrades and extensions included)" : "按期：从未逾期 · on time: never overdue";
  sections.push(`<section id="definitions"><h2>指标口径与出处 <span class="en">Definitions and sources</span></h2><p class="small">${esc(onTime)}</p><dl>${defs}${indicatorDefs}${bandDefs}</dl></section>`);

  const css = `
*{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Hiragino Sans GB",system-ui,sans-serif;color:${INK};background:#f5f6f7;line-height:1.5}
header{background:#1d3a6e;color:#fff;padding:24px 32px}header h1{margin:0 0 4px;font-size:24px}header .en{color:#c9d6ee}header .meta{font-size:13px;color:#dbe4f3}
main{max-width:1100px;margin:0 auto;padding:16px 24px 40px}section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:18px;margin:0 0 12px}h3{font-size:15px;margin:16px 0 8px}.en{color:${MUTED};font-weight:normal}.muted{color:${MUTED}}.small{font-size:12px}.strong{font-weight:700}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}.tile{border:1px solid ${GRID};border-radius:8px;padding:10px 12px}.tl{font-size:13px}.tl .en{display:block;font-size:11px}.tv{font-size:28px;font-weight:700;margin:2px 0}.ts{font-size:12px;color:${MUTED};min-height:18px}
.cohort{font-size:11px;color:${MUTED};margin-top:4px;font-weight:normal;line-height:1.35}.cohort .en{font-size:10px}.chg{font-size:12px}.chg .en{font-size:11px}.good{color:${PASS}}.bad{color:${FAIL}}
figure{margin:0 0 20px}figcaption{font-weight:600;margin-bottom:4px}
svg text{font-family:inherit}svg .lbl{font-size:13px;fill:${INK}}svg .val{font-size:12px;fill:${INK};font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}svg .muted{fill:${MUTED};font-weight:normal}svg .tick{font-size:11px;fill:${MUTED}}svg .ref{font-size:12px;fill:${FAIL};paint-order:stroke;stroke:#fff;stroke-width:3px}
.scroll{overflow-x:auto}table{border-collapse:collapse;min-width:60%;font-size:13px}th,td{border-bottom:1px solid ${GRID};padding:6px 8px;text-align:left;vertical-align:top}thead th{background:#f0f2f5;font-size:12px}
td.num{text-align:right;white-space:nowrap}.frac{font-size:11px;color:${MUTED}}tr.total th,tr.total td{background:#f7f9fc;font-weight:700}
.pass{color:${PASS};font-weight:700}.fail{color:${FAIL};font-weight:700}.band{display:inline-block;color:#fff;border-radius:10px;padding:0 8px;font-size:12px;white-space:nowrap}.band .en{color:#fff}
dt{font-weight:600;margin-top:10px}dd{margin:2px 0 0 0;font-size:13px}.prov{font-size:12px;margin-top:2px}.cite{background:#eef3fb;border-radius:3px;padding:0 4px}.local{background:#fff4e0;border-radius:3px;padding:0 4px}q{color:${MUTED}}code{font-size:11px;color:${MUTED}}
footer{font-size:12px;color:${MUTED};text-align:center;padding:12px}`;

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(card.pack.name.zh)} · ${esc(card.period.label.zh)} 考核评分</title>
<style>${css}</style>
</head>
<body>
<header><h1>${esc(card.pack.name.zh)} · ${esc(card.period.label.zh)}考核评分</h1><div class="en">${esc(card.pack.name.en)} — scorecard, ${esc(card.period.label.en)}</div>
<div class="meta">${esc(zhDateTime(card.period.firstDay).zh)} – ${esc(zhDateTime(card.period.lastDay).zh)} · 数据截至 ${esc(zhDateTime(card.asOf).zh)} <span class="en">data as of ${esc(zhDateTime(card.asOf).en)}</span> · 分组 grouped by ${esc(card.groupBy.label.zh)} ${esc(card.groupBy.label.en)}${card.previousPeriod ? ` · 同比 compared with ${esc(card.previousPeriod.label.zh)}${card.baseline === false ? "（无上年数据 no baseline）" : ""}` : ""}</div>
<div class="meta">数据中共 ${groupDigits(card.cases)} 个案件（不限时段）；每个指标只计入其口径内的案件，见各数字下方 · <span class="en">${groupDigits(card.cases)} case${card.cases === 1 ? "" : "s"} in the data (any period); each KPI counts only its own cases, named under each figure</span>${card.duplicates?.length ? ` · 重复案件 ${card.duplicates.length} 个只计一次 <span class="en">${card.duplicates.length} duplicate case(s) counted once</span>` : ""}</div></header>
<main>
${sections.join("\n")}
</main>
<footer>jiceng（基层）· ${esc(card.pack.id)} ${esc(card.pack.version)} · 比率保留全精度，仅显示时四舍五入 rates keep full precision; rounded for display only</footer>
</body>
</html>
`;
}
