#!/usr/bin/env node
// Builds packages/core/data/holidays-cn.json from the data files of the MIT-licensed
// `chinese-days` package (dist/chinese-days.json). Only its JSON is read, never its functions
// (they format dates in the host's local time zone and give wrong days in UTC−x zones).
//
//   node scripts/build-holidays.mjs           write the dataset
//   node scripts/build-holidays.mjs --check   exit 1 if the committed file differs
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "packages/core/data/holidays-cn.json");
const require = createRequire(join(root, "package.json"));
const pkgDir = dirname(require.resolve("chinese-days/package.json"));
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const src = JSON.parse(readFileSync(join(pkgDir, "dist/chinese-days.json"), "utf8"));

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

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const die = (msg) => {
  console.error(`build-holidays: ${msg}`);
  process.exit(1);
};
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** "National Day,国庆节,3" → "国庆节/National Day" */
function label(value, date) {
  const [en, zh] = String(value).split(",");
  if (!en || !zh) die(`unexpected name ${JSON.stringify(value)} for ${date}`);
  return `${zh.trim()}/${en.trim()}`;
}

const years = new Map();
const yearOf = (date) => {
  const m = DATE.exec(date);
  if (!m) die(`bad date ${date}`);
  const y = Number(m[1]);
  if (!years.has(y)) years.set(y, { holidays: new Map(), workdays: new Map(), inLieu: new Set() });
  return years.get(y);
};
for (const [date, value] of Object.entries(src.holidays)) yearOf(date).holidays.set(date, label(value, date));
for (const [date, value] of Object.entries(src.workdays)) {
  if (date in src.holidays) die(`${date} is both a holiday and a working day`);
  yearOf(date).workdays.set(date, label(value, date));
}
for (const date of Object.keys(src.inLieuDays)) {
  if (!(date in src.holidays)) die(`in-lieu day ${date} is not a holiday`);
  yearOf(date).inLieu.add(date);
}
for (const c of CORRECTIONS) {
  const y = yearOf(c.date);
  if (c.status === "workday") {
    y.holidays.delete(c.date);
    y.inLieu.delete(c.date);
    y.workdays.set(c.date, c.name);
  } else {
    y.workdays.delete(c.date);
    y.holidays.set(c.date, c.name);
  }
}

// A year is covered when its notice is in the data: every festival of that year's schedule.
// 清明/端午/中秋 became public holidays in 2008; 中秋 may be merged into 国庆 (2020).
const required = (y) => (y >= 2008 ? ["元旦", "春节", "清明", "劳动节", "端午", "国庆节"] : ["元旦", "春节", "劳动节", "国庆节"]);
const sorted = [...years.keys()].sort((a, b) => a - b);
const covered = [];
for (const y of sorted) {
  const names = new Set([...years.get(y).holidays.values()].map((n) => n.split("/")[0]));
  const missing = required(y).filter((n) => !names.has(n));
  if (missing.length === 0) covered.push(y);
  else if (y === sorted[sorted.length - 1]) console.warn(`build-holidays: ${y} is incomplete (missing ${missing.join(", ")}), left out`);
  else die(`${y} is incomplete (missing ${missing.join(", ")})`);
}
const firstYear = covered[0];
const lastYear = covered[covered.length - 1];
for (let y = firstYear; y <= lastYear; y++) if (!covered.includes(y)) die(`year ${y} missing`);
for (const y of covered)
  for (const date of years.get(y).workdays.keys()) {
    const wd = weekday(date);
    if (wd !== 0 && wd !== 6) die(`adjusted working day ${date} is not a weekend day`);
  }

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
    "holidays: every rest day of the schedule that falls on a listed date (statutory days, in-lieu days and the weekend days inside a holiday block), with its festival name 中文/English.",
    "workdays: adjusted working days (调休上班), all on Saturdays or Sundays.",
    "inLieu: the holidays that are in-lieu days (调休放假), for information.",
    `A notice for ${lastYear + 1} may still move days in late December ${lastYear} (as the 2019 notice did for 2018-12-29..31); rebuild when it is published.`,
  ],
  corrections: CORRECTIONS,
  years: Object.fromEntries(
    covered.map((y) => {
      const { holidays, workdays, inLieu } = years.get(y);
      return [
        String(y),
        {
          holidays: Object.fromEntries([...holidays].sort(([a], [b]) => a.localeCompare(b))),
          workdays: [...workdays.keys()].sort(),
          inLieu: [...inLieu].sort(),
        },
      ];
    }),
  ),
};

// Stable, diff-friendly layout: one holiday per line, short arrays inline.
function render(value, indent = "") {
  const next = indent + "  ";
  if (Array.isArray(value)) {
    const inline = JSON.stringify(value);
    if (inline.length <= 100 || value.every((v) => typeof v === "string" && DATE.test(v))) return inline.replace(/","/g, '", "');
    return `[\n${value.map((v) => next + render(v, next)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${render(v, next)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}
const text = render(dataset) + "\n";

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {}
  if (current !== text) die(`${out} is out of date; run node scripts/build-holidays.mjs`);
  console.log(`build-holidays: up to date (${firstYear}–${lastYear})`);
} else {
  writeFileSync(out, text);
  console.log(`build-holidays: wrote ${out} (${firstYear}–${lastYear}, ${pkg.name}@${pkg.version})`);
}
