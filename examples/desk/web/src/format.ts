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
  if (lang === "en") return new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "short", day: "numeric" }).format(d);
  const [y, m, day] = zoneDay(d.getTime(), timeZone).split("-").map(Number);
  return `${y}年${m}月${day}日`;
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
 * Days left until `due` at `now`: the days after today up to the last day of the period (the day of
 * `due` − 1 ms: a period ends at 24:00), counting working days only when `isWorkingDay` is given
 * (the pack counts working days). 0 when the period ends today; negative (days since) when overdue.
 */
export function daysLeft(dueIso: string, nowMs: number, timeZone: string, isWorkingDay?: (day: string) => boolean): number {
  const dayNo = (ms: number) => Date.parse(`${zoneDay(ms, timeZone)}T00:00:00Z`) / DAY;
  const today = dayNo(nowMs);
  const last = dayNo(new Date(dueIso).getTime() - 1);
  const count = (from: number, to: number) => {
    let n = 0;
    for (let d = from + 1; d <= to; d++) if (!isWorkingDay || isWorkingDay(new Date(d * DAY).toISOString().slice(0, 10))) n++;
    return n;
  };
  if (new Date(dueIso).getTime() > nowMs) return count(today, last);
  return -Math.max(1, count(last, today));
}

export function countdownText(days: number, working: boolean, lang: Lang): string {
  const unit = working ? (lang === "zh" ? "个工作日" : " working day") : lang === "zh" ? "天" : " day";
  const abs = Math.abs(days);
  const plural = lang === "en" && abs !== 1 ? "s" : "";
  if (days < 0) return lang === "zh" ? `超期 ${formatNumber(abs, lang)}${unit}` : `${formatNumber(abs, lang)}${unit}${plural} overdue`;
  if (days === 0) return lang === "zh" ? "今日到期" : "due today";
  return lang === "zh" ? `剩 ${formatNumber(abs, lang)}${unit}` : `${formatNumber(abs, lang)}${unit}${plural} left`;
}
