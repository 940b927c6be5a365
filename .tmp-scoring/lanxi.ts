import { readFileSync } from "node:fs";
import { createEngine } from "../packages/core/src/index.js";
const pack = JSON.parse(readFileSync("packages/rules-lanxi/pack.json", "utf8"));
const e = createEngine(pack);
let s = e.start({ type: "intake", at: "2022-03-01T09:00:00+08:00", by: "网格员张三", facts: { receivedAt: "2022-03-01T09:00:00+08:00", township: "云山街道", source: "grid-worker", category: "dispute" } });
console.log(s.state, s.context.level, s.context.dueAt);
console.log(JSON.stringify(s.context.assignment));
console.log(s.state);
try { s = e.transition(s, { type: "acknowledge", at: "2022-03-01T11:00:00+08:00" } as any); } catch (x) { console.log(String(x)); }
s = e.transition(s, { type: "resolve", at: "2022-03-03T10:00:00+08:00" });
console.log(s.state);
const card = e.score([s], "2022Q1", { assessments: { persons: [{ person: "网格员张三", counts: { visits: 10 } }] } });
console.log(card.total.kpis, card.total.targets, card.persons);
