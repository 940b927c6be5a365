import { readFileSync, writeFileSync } from "node:fs";
import { createEngine, scorecardHtml, type CaseSnapshot } from "../packages/core/src/index.js";
import { rng } from "../packages/core/test/scoring-fixtures.js";
const pack = JSON.parse(readFileSync("packages/rules-lanxi/pack.json", "utf8"));
const e = createEngine(pack);
const r = rng(5);
const towns = ["云山街道", "兰江街道", "上华街道", "永昌街道", "赤溪街道", "女埠街道"];
const workers = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九"];
const cats = ["dispute", "dispute", "dispute", "petition", "public-security", "city-management", "environment"];
const out: CaseSnapshot[] = [];
for (const [from, n] of [["2021-07-01T00:00:00+08:00", 700], ["2022-07-01T00:00:00+08:00", 600]] as const) {
  for (let i = 0; i < n; i++) {
    const at = Date.parse(from) + Math.floor(r() * 90 * 24) * 3600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
    const town = towns[Math.floor(r() * towns.length)]!;
    const skill = 0.9 + 0.09 * (towns.indexOf(town) / 5);
    let s = e.start({ type: "intake", at: iso(at), by: workers[Math.floor(r() * workers.length)]!, facts: { receivedAt: iso(at), township: town, source: r() < 0.8 ? "grid-worker" : "higher-level", category: cats[Math.floor(r() * cats.length)]! } });
    if (r() < skill) {
      s = e.transition(s, { type: "acknowledge", at: iso(at + 3600_000) });
      s = e.transition(s, { type: "resolve", at: iso(at + Math.floor(r() * 20 * 24) * 3600_000 + 7200_000) });
    }
    out.push(s);
  }
}
const card = e.score(out, "2022Q3", { groupBy: "facts.township", assessments: { persons: workers.map((p, i) => ({ person: p, counts: { visits: 10 + i * 9 } })) } });
writeFileSync("/tmp/sc/lanxi.html", scorecardHtml(card));
console.log(card.total.kpis);
