import type { Lang } from "./i18n.js";

const DAY = 86_400_000;

/** 12,345 / 12,345 (thousands separators in both languages). */
export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);
}

/** 2022年6月20日 in Chinese, 20 Jun 2022 in English, in the pack's time zone. */
export function formatDate(iso: string | null | undefined, lang: Lang, timeZone = "Asia/Shanghai"): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", { timeZone, year: "numeric", month: lang === "zh" ? "numeric" : "short", day: "numeric" }).format(d);
}

/** 2022年6月20日 09:30 / 20 Jun 2022, 09:30. */
export function formatDateTime(iso: string | null | undefined, lang: Lang, timeZone = "Asia/Shanghai"): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
  return `${formatDate(iso, lang, timeZone)} ${time}`;
}

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export function zoneDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));
}

/**
 * Days left until `due` at `now`: calendar days, or working days when `isWorkingDay` is given
 * (the pack counts working days). Negative when overdue.
 */
export function daysLeft(dueIso: string, nowMs: number, timeZone: string, isWorkingDay?: (day: string) => boolean): number {
  const due = new Date(dueIso).getTime();
  const sign = due >= nowMs ? 1 : -1;
  const [from, to] = sign > 0 ? [nowMs, due] : [due, nowMs];
  if (!isWorkingDay) return sign * Math.ceil((to - from) / DAY);
  let n = 0;
  let last = zoneDay(from, timeZone);
  for (let t = from + DAY; t <= to + DAY - 1; t += DAY) {
    const day = zoneDay(Math.min(t, to), timeZone);
    if (day !== last && isWorkingDay(day)) n++;
    last = day;
  }
  return sign * n;
}

export function countdownText(days: number, working: boolean, lang: Lang): string {
  const unit = working ? (lang === "zh" ? "个工作日" : " working day") : lang === "zh" ? "天" : " day";
  const abs = Math.abs(days);
  const plural = lang === "en" && abs !== 1 ? "s" : "";
  if (days < 0) return lang === "zh" ? `超期 ${formatNumber(abs, lang)}${unit}` : `${formatNumber(abs, lang)}${unit}${plural} overdue`;
  if (days === 0) return lang === "zh" ? "今日到期" : "due today";
  return lang === "zh" ? `剩 ${formatNumber(abs, lang)}${unit}` : `${formatNumber(abs, lang)}${unit}${plural} left`;
}
