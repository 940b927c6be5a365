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

/** 2022年6月20日 09:30 / 20 Jun 2022, 09:30 (24-hour clock, in the pack's zone). */
export function formatDateTime(iso: string | null | undefined, lang: Lang, timeZone = "Asia/Shanghai"): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDate(iso, lang, timeZone)}${lang === "en" ? "," : ""} ${hhmm(d.getTime(), timeZone)}`;
}

/**
 * A deadline: a period ends at 24:00 of its last day (民法典第二百零三条), which core stores as 00:00 of
 * the next day — shown as that last day at 24:00 (2022年6月20日 24:00), never as the day after.
 */
export function formatDue(iso: string | null | undefined, lang: Lang, timeZone = "Asia/Shanghai"): string {
  if (!iso) return "—";
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  if (hhmm(ms, timeZone) !== "00:00") return formatDateTime(iso, lang, timeZone);
  return `${formatDate(new Date(ms - 1).toISOString(), lang, timeZone)}${lang === "en" ? "," : ""} 24:00`;
}

/** A meeting's period [from, to) — `to` is exclusive — with its last day inclusive: 2022年6月20日 – 2022年6月26日. */
export function formatRange(fromIso: string, toIso: string, lang: Lang, timeZone = "Asia/Shanghai"): string {
  const to = new Date(toIso).getTime();
  if (Number.isNaN(to)) return `${formatDate(fromIso, lang, timeZone)} – ${toIso}`;
  return `${formatDate(fromIso, lang, timeZone)} – ${formatDate(new Date(to - 1).toISOString(), lang, timeZone)}`;
}

const ISO_INSTANT = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g;
const ISO_DAY = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * Text written by core or the server (a timeline summary) with its ISO dates and instants in the
 * reader's format: instants as deadlines (formatDue, so 00:00 reads as 24:00 of the day before),
 * plain days as 2022年6月20日. A user's own note is never rewritten.
 */
export function humanizeDates(text: string, lang: Lang, timeZone = "Asia/Shanghai"): string {
  const out = text.replace(ISO_INSTANT, (m) => formatDue(m, lang, timeZone));
  return out.replace(ISO_DAY, (m, y: string, mo: string, d: string) => {
    const t = Date.parse(`${m}T12:00:00Z`);
    if (Number.isNaN(t)) return m;
    return lang === "en" ? new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }).format(t) : `${Number(y)}年${Number(mo)}月${Number(d)}日`;
  });
}

function hhmm(ms: number, timeZone: string): string {
  const t = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
  return t;
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
