import type { Scorecard, UnitScore } from "./score.js";

/**
 * One CSV cell. Text that a spreadsheet would read as a formula (a leading `=`, `+`, `-`, `@`, tab
 * or carriage return: OWASP "CSV injection") gets a leading `'`, which Excel and WPS show as text;
 * quoting alone does not stop them evaluating it. Numbers stay numbers.
 */
export const csvCell = (v: unknown): string => {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const cell = csvCell;

/**
 * The scorecard as CSV: one row per unit and a total row; for each KPI its count, or its
 * numerator, denominator, full-precision value and rounded display; then target results and,
 * when there is a weighted assessment, each assessor's score, the composite, rank and band.
 * Headers are bilingual (`化解率 Resolution rate`). Starts with a UTF-8 byte-order mark so that
 * Excel and WPS open Chinese text correctly.
 *
 * @example
 * fs.writeFileSync("2022Q3.csv", scorecardCsv(engine.score(snapshots, "2022Q3")));
 */
export function scorecardCsv(card: Scorecard, options: { bom?: boolean } = {}): string {
  const head: string[] = ["unit", `${card.groupBy.label.zh} ${card.groupBy.label.en}`];
  for (const k of card.kpis) {
    const name = `${k.label.zh} ${k.label.en}`;
    if (k.kind === "count") head.push(`${name} [${k.id}]`);
    else head.push(`${name} [${k.id}] numerator`, `${name} [${k.id}] denominator`, `${name} [${k.id}] value`, `${name} [${k.id}] display`);
  }
  for (const t of card.targets) head.push(`${t.label.zh} ${t.threshold} [target ${t.id}] pass`);
  for (const t of card.trends) head.push(`${t.label.zh} [trend ${t.id}] met`);
  const a = card.assessment;
  if (a) {
    for (const as of a.assessors) head.push(`${as.label.zh} ${as.label.en} (${as.weight}) [${as.id}]`);
    head.push("综合得分 composite", "排名 rank", "等次 band");
  }
  const subjects = new Map((a?.subjects ?? []).map((s) => [s.subject, s] as const));
  const row = (u: UnitScore): unknown[] => {
    const r: unknown[] = [u.key, u.label.zh === u.label.en ? u.label.zh : `${u.label.zh} / ${u.label.en}`];
    for (const k of card.kpis) {
      const v = u.kpis[k.id]!;
      if (v.kind === "count") r.push(v.value);
      else r.push(v.numerator, v.denominator, v.value === null ? "" : v.value, v.display);
    }
    for (const t of u.targets) r.push(t.pass === null ? "" : t.pass ? "pass" : "fail");
    for (const t of u.trends) r.push(t.met === null ? "" : t.met ? "met" : "missed");
    if (a) {
      const s = subjects.get(u.key);
      for (const as of a.assessors) {
        const x = s?.assessors.find((y) => y.assessor === as.id);
        r.push(x?.score === null || x?.score === undefined ? "" : x.score);
      }
      r.push(s?.composite === null || s?.composite === undefined ? "" : s.composite, s?.rank ? s.rank : "", s?.band ? s.band.label.zh : "");
    }
    return r;
  };
  const lines = [head, ...card.units.map(row), row(card.total)];
  // Subjects of the assessment that are not units (given only in the assessments file).
  if (a) {
    const units = new Set(card.units.map((u) => u.key));
    for (const s of a.subjects) {
      if (units.has(s.subject)) continue;
      const r: unknown[] = [s.subject, s.label.zh];
      for (const k of card.kpis) r.push(...(k.kind === "count" ? [""] : ["", "", "", ""]));
      for (const _ of card.targets) r.push("");
      for (const _ of card.trends) r.push("");
      for (const as of a.assessors) {
        const x = s.assessors.find((y) => y.assessor === as.id);
        r.push(x?.score === null || x?.score === undefined ? "" : x.score);
      }
      r.push(s.composite === null ? "" : s.composite, s.rank ? s.rank : "", s.band ? s.band.label.zh : "");
      lines.push(r);
    }
  }
  return (options.bom === false ? "" : "\uFEFF") + lines.map((l) => l.map(cell).join(",")).join("\r\n") + "\r\n";
}
