import { safeLoadPack } from "../packages/core/src/index.js";
const T = (zh: string, en = zh) => ({ zh, en });
const LOCAL = { local: true, note: T("n") } as const;
const p: any = { id: "t", version: "0.0.1", name: T("t"), source: { documents: [{ id: "d", title: T("d") }] }, facts: [{ name: "receivedAt", type: "datetime", label: T("r") }],
 levels: [{ id: "yellow", rank: 1, label: T("y"), colour: "yellow", deadline: { amount: 7, ...LOCAL }, ...LOCAL }], grading: { default: { level: "yellow", ...LOCAL }, rules: [] },
 scoring: { groupBy: { field: "facts.unitCode", label: T("u") }, kpis: [{ id: "found", label: T("f"), kind: "count", definition: T("d"), count: { event: "received" }, ...LOCAL }],
 targets: [{ id: "t", kpi: "nope", op: ">=", value: 95, unit: "percent", ...LOCAL }, { id: "t", kpi: "found", op: ">=", value: 95, unit: "percent", ...LOCAL }] } };
let r = safeLoadPack(p); console.log(!r.success && r.issues.map(i => [i.code, i.path.join(".")]));
p.scoring.kpis.push({ id: "found", label: T("x"), kind: "rate", definition: T("x"), denominator: { event: "received" }, ...LOCAL });
r = safeLoadPack(p); console.log(!r.success && r.issues.map(i => [i.code, i.path.join(".")]));
