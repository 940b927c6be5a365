import { createEngine } from "../packages/core/src/index.js";
const T = (zh: string, en = zh) => ({ zh, en });
const LOCAL = { local: true, note: T("n") } as const;
const p: any = { id: "t", version: "0.0.1", name: T("t"), source: { documents: [{ id: "d", title: T("d") }] }, facts: [{ name: "receivedAt", type: "datetime", label: T("r") }],
 levels: [{ id: "yellow", rank: 1, label: T("y"), colour: "yellow", deadline: { amount: 7, ...LOCAL }, ...LOCAL }], grading: { default: { level: "yellow", ...LOCAL }, rules: [] },
 lifecycle: { acknowledge: { label: T("部门报到", "Reporting in"), deadline: { amount: 1, unit: "calendar-days", ...LOCAL }, ...LOCAL } } };
const e = createEngine(p);
let s = e.start({ type: "intake", at: "2022-07-01T09:00:00+08:00", facts: { receivedAt: "2022-07-01T09:00:00+08:00" } });
s = e.transition(s, { type: "assign", at: "2022-07-01T10:00:00+08:00", responsibleUnit: "x" } as any);
console.log(s.context.ackDueAt);
s = e.transition(s, { type: "tick", at: "2022-07-03T09:00:00+08:00" });
console.log(s.context.ackOverdue);
s = e.transition(s, { type: "acknowledge", at: "2022-07-03T10:00:00+08:00" } as any);
console.log(s.context.ackOverdue, s.context.history.map(h => h.type));
