import * as z from "zod";
import { IssueCode, JicengError, formatPath, issue, type IssuePath, type JicengIssue, type Text } from "../errors/index.js";
import { fromZodIssues } from "../vocabulary/zod-issues.js";
import { daysFromCivil, formatDay, readDate, weekdayOf } from "./days.js";
import { festivalDates } from "./festivals.js";

/** JSON Schema description in both languages: `中文 / English`. */
const d = (zh: string, en: string) => ({ description: `${zh} / ${en}` });

/** The festivals of 《全国年节及纪念日放假办法》, and `other` for a one-off holiday a notice adds. */
export const FESTIVALS = ["new-year", "spring-festival", "qingming", "labour-day", "dragon-boat", "mid-autumn", "national-day", "other"] as const;
export type Festival = (typeof FESTIVALS)[number];

/** The name each festival has in the holiday data (`other` takes the schedule's own `name`). */
export const FESTIVAL_NAMES: Record<Exclude<Festival, "other">, Text> = {
  "new-year": { zh: "元旦", en: "New Year's Day" },
  "spring-festival": { zh: "春节", en: "Spring Festival" },
  qingming: { zh: "清明", en: "Tomb-sweeping Day" },
  "labour-day": { zh: "劳动节", en: "Labour Day" },
  "dragon-boat": { zh: "端午", en: "Dragon Boat Festival" },
  "mid-autumn": { zh: "中秋", en: "Mid-autumn Festival" },
  "national-day": { zh: "国庆节", en: "National Day" },
};

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta(d("日期 YYYY-MM-DD", "Date YYYY-MM-DD"));
const NameSchema = z.strictObject({ zh: z.string().min(1).max(100).meta(d("中文名", "Chinese name")), en: z.string().min(1).max(100).meta(d("英文名", "English name")) });
const FestivalSchema = z.enum(FESTIVALS).meta(d("节日：new-year 元旦、spring-festival 春节、qingming 清明、labour-day 劳动节、dragon-boat 端午、mid-autumn 中秋、national-day 国庆节；other 为通知另行安排的假日（须写 name）", "Festival: new-year, spring-festival, qingming, labour-day, dragon-boat, mid-autumn, national-day; other for a one-off holiday the notice adds (give its name)"));

export const HolidayPeriodSchema = z
  .strictObject({
    festival: FestivalSchema,
    name: NameSchema.optional().meta(d("名称；省略时取节日的通用名称（元旦、春节……），festival 为 other 时必填", "Name; defaults to the festival's usual name (元旦, 春节…); required for other")),
    from: DateText.meta(d("放假第一天（含）", "First day off (inclusive)")),
    to: DateText.meta(d("放假最后一天（含）", "Last day off (inclusive)")),
    inLieu: z.array(DateText).max(31).optional().meta(d("其中的调休放假日（以周末上班换来的工作日休息），仅供参考", "Of these, the days off in lieu (weekdays off, paid for by working a weekend day); informational")),
  })
  .meta({ id: "HolidayPeriod", ...d("一段放假（通知中“某月某日至某日放假”）", "A holiday period (\"off from … to …\" in the notice)") });

export const AdjustedWorkdaySchema = z
  .strictObject({
    date: DateText.meta(d("调休上班的日期（须为周六或周日）", "The adjusted working day (a Saturday or Sunday)")),
    festival: FestivalSchema,
    name: NameSchema.optional().meta(d("名称，festival 为 other 时必填", "Name; required for other")),
  })
  .meta({ id: "AdjustedWorkday", ...d("调休上班日", "An adjusted working day (调休上班)") });

export const HolidayScheduleSchema = z
  .strictObject({
    $schema: z.string().optional(),
    year: z.number().int().min(1950).max(2199).meta(d("放假安排所属年份", "The year the schedule is for")),
    notice: z
      .strictObject({
        title: z.string().min(1).max(200).meta(d("通知标题，如“国务院办公厅关于2026年部分节假日安排的通知”；示例或测试文件须在标题中写明", "Title of the notice, e.g. 国务院办公厅关于2026年部分节假日安排的通知; an example or test file must say so in its title")),
        number: z.string().min(1).max(100).optional().meta(d("文号，如“国办发明电〔2024〕12号”", "Document number, e.g. 国办发明电〔2024〕12号")),
        date: DateText.optional().meta(d("发布日期", "Date published")),
        url: z.string().max(500).optional().meta(d("原文链接", "Link to the text")),
        note: z.string().max(1000).optional().meta(d("说明（谁据何录入）", "Note (who transcribed it, from what)")),
      })
      .meta(d("国务院办公厅的通知", "The State Council General Office notice")),
    holidays: z.array(HolidayPeriodSchema).min(1).max(40).meta(d("放假安排：每段假期的节日与起止日期", "Holiday periods: festival and first/last day of each")),
    workdays: z.array(AdjustedWorkdaySchema).max(40).default([]).meta(d("调休上班日", "Adjusted working days (调休上班)")),
  })
  .meta({ id: "HolidaySchedule", title: "jiceng holiday schedule", ...d("一年的放假安排（国务院办公厅关于某年部分节假日安排的通知）", "One year's holiday schedule (the State Council notice on the year's public holidays)") });

/** A schedule file as written. */
export type HolidayScheduleInput = z.input<typeof HolidayScheduleSchema>;
/** A validated schedule: {@link parseSchedule}. */
export type HolidaySchedule = z.output<typeof HolidayScheduleSchema>;

const MAX_PERIOD_DAYS = 31;

/** 清明/端午/中秋 became statutory in 2008 (2007 办法); before, 元旦, 春节, 劳动节, 国庆节. */
export function requiredFestivals(year: number): Array<Exclude<Festival, "other">> {
  return year >= 2008 ? ["new-year", "spring-festival", "qingming", "labour-day", "dragon-boat", "mid-autumn", "national-day"] : ["new-year", "spring-festival", "labour-day", "national-day"];
}

/** The name a period or working day shows: its own, else its festival's. */
export function periodName(p: { festival: Festival; name?: Text | undefined }): Text {
  return p.name ?? (p.festival === "other" ? { zh: "假日", en: "Holiday" } : FESTIVAL_NAMES[p.festival]);
}

/**
 * Everything wrong with a schedule beyond its shape: dates that do not exist or lie outside the
 * year (only 元旦 may start in the December before: the spill-over), periods backwards, too long
 * or overlapping, adjusted working days that are not weekend days or fall in a period, festivals
 * of the law missing, a festival's period that misses the festival's own day.
 */
function scheduleIssues(s: HolidaySchedule, base: IssuePath): JicengIssue[] {
  const out: JicengIssue[] = [];
  const y = s.year;
  const bad = (path: IssuePath, zh: string, en: string) => out.push(issue(IssueCode.INVALID_SCHEDULE, [...base, ...path], `${y}年放假安排：${zh}`, `${y} holiday schedule: ${en}`));
  const yearStart = daysFromCivil(y, 1, 1);
  const yearEnd = daysFromCivil(y, 12, 31);
  const spillStart = daysFromCivil(y - 1, 12, 1);
  const day = (text: string, path: IssuePath, festival: Festival): number | undefined => {
    const n = readDate(text);
    if (Number.isNaN(n)) {
      bad(path, `${text} 不是真实存在的日期`, `${text} is not a real date`);
      return undefined;
    }
    if (n >= yearStart && n <= yearEnd) return n;
    if (festival === "new-year" && n >= spillStart && n < yearStart) return n;
    bad(path, `${text} 不在 ${y} 年内（只有元旦假期及其调休可从上一年12月开始）`, `${text} is not in ${y} (only the New Year's Day period and its working days may begin in the December before)`);
    return undefined;
  };
  const taken = new Map<number, number>();
  const spans: Array<{ festival: Festival; from: number; to: number }> = [];
  s.holidays.forEach((p, i) => {
    const path: IssuePath = ["holidays", i];
    if (p.festival === "other" && p.name === undefined) bad([...path, "name"], "另行安排的假日（other）须写明名称 name", "a one-off holiday (other) needs a name");
    const from = day(p.from, [...path, "from"], p.festival);
    const to = day(p.to, [...path, "to"], p.festival);
    if (from === undefined || to === undefined) return;
    if (to < from) return bad([...path, "to"], `结束日 ${p.to} 早于开始日 ${p.from}`, `the last day ${p.to} is before the first day ${p.from}`);
    if (to - from + 1 > MAX_PERIOD_DAYS) return bad([...path, "to"], `一段假期超过 ${MAX_PERIOD_DAYS} 天（${p.from} 至 ${p.to}），请检查日期`, `a period of more than ${MAX_PERIOD_DAYS} days (${p.from} to ${p.to}); check the dates`);
    for (let n = from; n <= to; n++) {
      const other = taken.get(n);
      if (other !== undefined) {
        const at = formatPath([...base, "holidays", other]);
        bad([...path, "from"], `与 ${at} 的假期重叠（${formatDay(n)}）`, `overlaps the period at ${at} (${formatDay(n)})`);
        break;
      }
      taken.set(n, i);
    }
    p.inLieu?.forEach((t, k) => {
      const n = readDate(t);
      if (Number.isNaN(n) || n < from || n > to) bad([...path, "inLieu", k], `调休放假日 ${t} 不在本段假期 ${p.from} 至 ${p.to} 之内`, `the day off in lieu ${t} is not inside this period (${p.from} to ${p.to})`);
    });
    spans.push({ festival: p.festival, from, to });
  });
  const seen = new Map<number, number>();
  s.workdays.forEach((w, i) => {
    const path: IssuePath = ["workdays", i];
    if (w.festival === "other" && w.name === undefined) bad([...path, "name"], "另行安排的调休（other）须写明名称 name", "a one-off working day (other) needs a name");
    const n = day(w.date, [...path, "date"], w.festival);
    if (n === undefined) return;
    const wd = weekdayOf(n);
    if (wd !== 0 && wd !== 6) bad([...path, "date"], `调休上班日 ${w.date} 不是周六或周日`, `the adjusted working day ${w.date} is not a Saturday or Sunday`);
    if (taken.has(n)) {
      const at = formatPath([...base, "holidays", taken.get(n)!]);
      bad([...path, "date"], `调休上班日 ${w.date} 在 ${at} 的假期之内`, `the adjusted working day ${w.date} is inside the holiday period at ${at}`);
    }
    const first = seen.get(n);
    if (first !== undefined) {
      const at = formatPath([...base, "workdays", first, "date"]);
      bad([...path, "date"], `调休上班日 ${w.date} 重复（${at} 已列出）`, `the adjusted working day ${w.date} is listed twice (already at ${at})`);
    } else seen.set(n, i);
  });
  if (out.length) return out;

  // Every festival of the law, each covering (or, across a weekend the list left out, touching) its own day.
  const f = festivalDates(y);
  const covers = (festival: Festival, n: number) => spans.some((p) => p.festival === festival && n >= p.from - 2 && n <= p.to + 2 && (n >= p.from && n <= p.to ? true : weekdayOf(n) === 0 || weekdayOf(n) === 6));
  const anchor: Partial<Record<Festival, number>> = { "new-year": yearStart, "labour-day": daysFromCivil(y, 5, 1), "national-day": daysFromCivil(y, 10, 1) };
  if (f) Object.assign(anchor, { "spring-festival": f.springFestival, qingming: f.qingming, "dragon-boat": f.dragonBoat, "mid-autumn": f.midAutumn });
  for (const festival of requiredFestivals(y)) {
    const name = FESTIVAL_NAMES[festival];
    const has = spans.some((p) => p.festival === festival);
    const at = anchor[festival];
    // 中秋 may be merged into the National Day period (2020: 八月十五 was 10月1日).
    if (!has && festival === "mid-autumn" && at !== undefined && covers("national-day", at)) continue;
    if (!has) {
      bad(["holidays"], `缺少${name.zh}（《全国年节及纪念日放假办法》规定的节日）`, `${name.en} is missing (a festival of the national holidays regulation)`);
      continue;
    }
    if (at !== undefined && !covers(festival, at) && !(festival === "mid-autumn" && covers("national-day", at))) {
      const i = s.holidays.findIndex((p) => p.festival === festival);
      bad(["holidays", i], `${name.zh}的放假日期不含${name.zh}当天（${formatDay(at)}）`, `the ${name.en} period does not include the festival itself (${formatDay(at)})`);
    }
  }
  return out;
}

/** Result of {@link safeParseSchedule}. */
export type ScheduleResult = { success: true; data: HolidaySchedule; warnings: JicengIssue[] } | { success: false; issues: JicengIssue[] };

/**
 * Validates one year's schedule file strictly: its shape (JSON Schema
 * `schema/holiday-schedule.schema.json`), then every date and rule, each issue with a JSON path
 * and a zh/en message (code `INVALID_SCHEDULE`). A notice without a number or date is accepted
 * with a warning.
 *
 * @example
 * const r = safeParseSchedule(JSON.parse(text));
 * if (!r.success) for (const i of r.issues) console.log(formatPath(i.path), i.message.zh);
 * @see 国务院办公厅关于部分节假日安排的通知; 《全国年节及纪念日放假办法》
 */
export function safeParseSchedule(raw: unknown, path: IssuePath = []): ScheduleResult {
  const r = HolidayScheduleSchema.safeParse(raw);
  if (!r.success) return { success: false, issues: fromZodIssues(r.error.issues, path).map((i) => ({ ...i, code: IssueCode.INVALID_SCHEDULE })) };
  const issues = scheduleIssues(r.data, path);
  if (issues.length) return { success: false, issues };
  const warnings: JicengIssue[] = [];
  if (r.data.notice.number === undefined || r.data.notice.date === undefined) {
    warnings.push(issue(IssueCode.INVALID_SCHEDULE, [...path, "notice"], `${r.data.year}年放假安排未写明通知的文号或发布日期（notice.number、notice.date）`, `The ${r.data.year} holiday schedule does not give the notice's number or date (notice.number, notice.date)`, { severity: "warning" }));
  }
  return { success: true, data: r.data, warnings };
}

/** {@link safeParseSchedule}, throwing a {@link JicengError} with every issue. */
export function parseSchedule(raw: unknown, path: IssuePath = []): HolidaySchedule {
  const r = safeParseSchedule(raw, path);
  if (!r.success) throw new JicengError(r.issues);
  return r.data;
}

/**
 * The JSON Schema (draft-07) of a holiday schedule file, with zh / en descriptions. Editors
 * validate a schedule through its `"$schema"` property.
 *
 * @example
 * fs.writeFileSync("holiday-schedule.schema.json", JSON.stringify(holidayScheduleJsonSchema(), null, 2));
 */
export function holidayScheduleJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(HolidayScheduleSchema, { io: "input", target: "draft-07", unrepresentable: "any" }) as Record<string, unknown>;
  return { $schema: "http://json-schema.org/draft-07/schema#", ...schema };
}
