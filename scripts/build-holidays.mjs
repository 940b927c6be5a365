#!/usr/bin/env node
// Builds, from the MIT-licensed `chinese-days` package:
//   packages/core/data/holidays-cn.json   every State Council notice so far, one schedule per
//                                         year in the same form a county writes for a new notice
//                                         (packages/core/schema/holiday-schedule.schema.json)
//   packages/core/data/festivals-cn.json  the dates the law fixes without a notice: 正月初一,
//                                         清明 (solar term), 端午 (五月初五), 中秋 (八月十五), 2004–2100
// The schedules come from its data file (dist/chinese-days.json). The festival dates come from its
// functions, run here at build time with TZ=Asia/Shanghai (they read the host's local time zone and
// give the wrong day in UTC−x zones), so @jiceng/core needs no lunar library at run time.
//
//   node scripts/build-holidays.mjs           write both files
//   node scripts/build-holidays.mjs --check   exit 1 if a committed file differs
process.env.TZ = "Asia/Shanghai";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outSchedules = join(root, "packages/core/data/holidays-cn.json");
const outFestivals = join(root, "packages/core/data/festivals-cn.json");
const require = createRequire(join(root, "package.json"));
const pkgDir = dirname(require.resolve("chinese-days/package.json"));
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const src = JSON.parse(readFileSync(join(pkgDir, "dist/chinese-days.json"), "utf8"));
const lib = require("chinese-days");

/**
 * Days the source gets wrong, each checked against the State Council notice.
 * Applied on top of the source and listed in the dataset, so nothing is silently changed.
 */
const CORRECTIONS = [
  {
    date: "2005-12-31",
    status: "workday",
    name: "元旦/New Year's Day",
    reason:
      "国务院办公厅关于2006年部分节假日安排的通知 (2005-12-22): 元旦 1月1日—3日放假，12月31日(星期六)上班. chinese-days quotes this notice but omits the working Saturday.",
  },
];

/** The festival ids of a schedule file and the names the source gives them. */
const FESTIVALS = {
  "元旦/New Year's Day": "new-year",
  "春节/Spring Festival": "spring-festival",
  "清明/Tomb-sweeping Day": "qingming",
  "劳动节/Labour Day": "labour-day",
  "端午/Dragon Boat Festival": "dragon-boat",
  "中秋/Mid-autumn Festival": "mid-autumn",
  "国庆节/National Day": "national-day",
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const die = (msg) => {
  console.error(`build-holidays: ${msg}`);
  process.exit(1);
};
const dayNo = (date) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
const dateOf = (n) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** "National Day,国庆节,3" → "国庆节/National Day" */
function label(value, date) {
  const [en, zh] = String(value).split(",");
  if (!en || !zh) die(`unexpected name ${JSON.stringify(value)} for ${date}`);
  return `${zh.trim()}/${en.trim()}`;
}

const holidays = new Map(Object.entries(src.holidays).map(([d, v]) => [d, label(v, d)]));
const workdays = new Map(Object.entries(src.workdays).map(([d, v]) => [d, label(v, d)]));
const inLieu = new Set(Object.keys(src.inLieuDays));
for (const d of workdays.keys()) if (holidays.has(d)) die(`${d} is both a holiday and a working day`);
for (const d of inLieu) if (!holidays.has(d)) die(`in-lieu day ${d} is not a holiday`);
for (const c of CORRECTIONS) {
  if (c.status === "workday") {
    holidays.delete(c.date);
    inLieu.delete(c.date);
    workdays.set(c.date, c.name);
  } else {
    workdays.delete(c.date);
    holidays.set(c.date, c.name);
  }
}

/**
 * The notice a date belongs to: its own year, except 元旦 days and 元旦 working days in December,
 * which the next year's notice sets (the documented spill-over, e.g. 2018-12-29..31 in the 2019 notice).
 */
const noticeYear = (date, name) => Number(date.slice(0, 4)) + (date.slice(5, 7) === "12" && name.startsWith("元旦") ? 1 : 0);

// The URL of each year's notice, from the comments of the source's own transcription.
const generate = readFileSync(join(pkgDir, "src/holidays/generate.ts"), "utf8");
const urls = new Map();
for (const m of generate.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
  const y = /^\s*\*\s*(\d{4})\s*$/m.exec(m[1]);
  const u = /https?:\/\/[^\s）)]+/.exec(m[1]);
  if (y && u && !urls.has(Number(y[1]))) urls.set(Number(y[1]), u[0]);
}
// Notice numbers only where the source quotes them: none is guessed.
const numbers = new Map();
for (const m of generate.matchAll(/(\d{4})年部分节假日安排通知（(国办发明电〔\d{4}〕\d+号)）/g)) numbers.set(Number(m[1]), m[2]);

const byYear = new Map();
const yearOf = (y) => {
  if (!byYear.has(y)) byYear.set(y, { periods: [], workdays: [] });
  return byYear.get(y);
};
let run;
for (const date of [...holidays.keys()].sort()) {
  const name = holidays.get(date);
  const y = noticeYear(date, name);
  if (run && run.name === name && run.year === y && dayNo(date) === dayNo(run.to) + 1) run.to = date;
  else {
    run = { year: y, name, from: date, to: date, inLieu: [] };
    yearOf(y).periods.push(run);
  }
  if (inLieu.has(date)) run.inLieu.push(date);
}
for (const date of [...workdays.keys()].sort()) yearOf(noticeYear(date, workdays.get(date))).workdays.push({ date, name: workdays.get(date) });

function period(p) {
  const festival = FESTIVALS[p.name];
  const out = festival ? { festival } : { festival: "other", name: { zh: p.name.split("/")[0], en: p.name.split("/")[1] } };
  out.from = p.from;
  out.to = p.to;
  if (p.inLieu.length) out.inLieu = p.inLieu;
  return out;
}

// A year is in the data when its notice is: every festival its schedule had (清明/端午/中秋 from
// 2008; 中秋 may be merged into 国庆, as in 2020). The last year may be a partial transcription.
const required = (y) => (y >= 2008 ? ["new-year", "spring-festival", "qingming", "labour-day", "dragon-boat", "national-day"] : ["new-year", "spring-festival", "labour-day", "national-day"]);
const sorted = [...byYear.keys()].sort((a, b) => a - b);
const covered = [];
for (const y of sorted) {
  const have = new Set(byYear.get(y).periods.map((p) => FESTIVALS[p.name]));
  const missing = required(y).filter((f) => !have.has(f));
  if (missing.length === 0) covered.push(y);
  else if (y === sorted[sorted.length - 1]) console.warn(`build-holidays: ${y} is incomplete (missing ${missing.join(", ")}), left out`);
  else die(`${y} is incomplete (missing ${missing.join(", ")})`);
}
const firstYear = covered[0];
const lastYear = covered[covered.length - 1];
for (let y = firstYear; y <= lastYear; y++) if (!covered.includes(y)) die(`year ${y} missing`);

const schedules = covered.map((y) => {
  const { periods, workdays: wds } = byYear.get(y);
  const notice = { title: `国务院办公厅关于${y}年部分节假日安排的通知` };
  if (numbers.has(y)) notice.number = numbers.get(y);
  if (urls.has(y)) notice.url = urls.get(y);
  return {
    year: y,
    notice,
    holidays: periods.map(period),
    workdays: wds.map((w) => (FESTIVALS[w.name] ? { date: w.date, festival: FESTIVALS[w.name] } : { date: w.date, festival: "other", name: { zh: w.name.split("/")[0], en: w.name.split("/")[1] } })),
  };
});

const dataset = {
  dataset: "cn-state-council",
  version: `chinese-days@${pkg.version}`,
  source:
    "国务院办公厅关于部分节假日安排的通知 (State Council General Office holiday notices, www.gov.cn), as transcribed by chinese-days (https://github.com/vsme/chinese-days, dist/chinese-days.json)",
  license: "MIT (chinese-days)",
  generatedBy: "scripts/build-holidays.mjs",
  firstYear,
  lastYear,
  notes: [
    "schedules: one per notice, in the form of a holiday schedule file (schema/holiday-schedule.schema.json). A holiday period lists the rest days of the source in a row with one name; a weekend day the source leaves out of a block splits it.",
    "元旦 days in December belong to the next year's notice (the spill-over the schema allows).",
    "notice.number is given only where the source quotes it; notice.url is the source's link to the notice.",
    `A notice for ${lastYear + 1} may still move days in late December ${lastYear} (as the 2019 notice did for 2018-12-29..31); load it when it is published.`,
  ],
  corrections: CORRECTIONS,
  schedules,
};

// ── Festival dates fixed by the law (the provisional calendar's input) ─────────
const FIRST_FESTIVAL_YEAR = 2004;
const LAST_FESTIVAL_YEAR = 2100;
const festivalYears = {};
const solar = (y, m, d) => {
  const r = lib.getSolarDateFromLunar(`${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  if (!r || !DATE.test(r.date)) die(`no solar date for lunar ${y}-${m}-${d}`);
  return r.date;
};
for (let y = FIRST_FESTIVAL_YEAR; y <= LAST_FESTIVAL_YEAR; y++) {
  const f = {
    springFestival: solar(y, 1, 1),
    qingming: lib.getSolarTermDate(y, 4, "pure_brightness"),
    dragonBoat: solar(y, 5, 5),
    midAutumn: solar(y, 8, 15),
  };
  for (const [k, v] of Object.entries(f)) if (!DATE.test(v) || !v.startsWith(String(y))) die(`${k} of ${y} is ${v}`);
  festivalYears[String(y)] = f;
}
// Hold the computed dates against every notice in the data: each falls on a rest day of its festival.
const restName = (date) => holidays.get(date);
for (let y = Math.max(2008, firstYear); y <= lastYear; y++) {
  const f = festivalYears[String(y)];
  const eve = dateOf(dayNo(f.springFestival) - 1);
  const checks = [
    [f.springFestival, "春节"],
    [f.qingming, "清明"],
    [f.dragonBoat, "端午"],
    [f.midAutumn, "中秋|国庆节"],
  ];
  // The source leaves some weekend days out of a block (端午 2012: 06-22 and 06-24, not the Saturday).
  const near = (date, names) => [-2, -1, 1, 2].some((k) => new RegExp(`^(${names})/`).test(restName(dateOf(dayNo(date) + k)) ?? ""));
  const weekend = (date) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
  for (const [date, names] of checks) {
    const n = restName(date);
    const ok = n ? new RegExp(`^(${names})/`).test(n) : weekend(date) && !workdays.has(date) && near(date, names);
    if (!ok) die(`${date} (${names}, computed) is not a ${names} rest day in the ${y} notice (${n ?? "not a holiday"})`);
  }
  if (y >= 2025 && !restName(eve)?.startsWith("春节/")) die(`农历除夕 ${eve} is not a 春节 rest day in ${y}`);
}
const festivals = {
  dataset: "cn-festivals",
  version: `chinese-days@${pkg.version}`,
  source: "chinese-days getSolarDateFromLunar (正月初一, 五月初五, 八月十五) and getSolarTermDate (清明), run with TZ=Asia/Shanghai; 农历除夕 is the day before 正月初一",
  license: "MIT (chinese-days)",
  generatedBy: "scripts/build-holidays.mjs",
  firstYear: FIRST_FESTIVAL_YEAR,
  lastYear: LAST_FESTIVAL_YEAR,
  years: festivalYears,
};

// Stable, diff-friendly layout: one period per line, short arrays inline.
function render(value, indent = "") {
  const next = indent + "  ";
  const inline = JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) return inline.replace(/","/g, '", "');
    return `[\n${value.map((v) => next + render(v, next)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    if (inline.length <= 120 && entries.every(([, v]) => typeof v !== "object" || (Array.isArray(v) && v.every((x) => typeof x === "string")) || (v && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string"))))
      return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${render(v, next)}`).join(", ")} }`;
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${render(v, next)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
const outputs = [
  [outSchedules, render(dataset) + "\n"],
  [outFestivals, render(festivals) + "\n"],
];

if (process.argv.includes("--check")) {
  for (const [file, text] of outputs) {
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {}
    if (current !== text) die(`${file} is out of date; run node scripts/build-holidays.mjs`);
  }
  console.log(`build-holidays: up to date (${firstYear}–${lastYear}; festivals ${FIRST_FESTIVAL_YEAR}–${LAST_FESTIVAL_YEAR})`);
} else {
  for (const [file, text] of outputs) writeFileSync(file, text);
  console.log(`build-holidays: wrote ${outSchedules} (${firstYear}–${lastYear}) and ${outFestivals} (${FIRST_FESTIVAL_YEAR}–${LAST_FESTIVAL_YEAR}), ${pkg.name}@${pkg.version}`);
}
