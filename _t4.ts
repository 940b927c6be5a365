import fc from "fast-check";
import { createEngine, isJicengError } from "@jiceng/core";
import { caseHistoryArbitrary } from "./packages/core/src/testing/lifecycle.ts";
import p from "./packages/rules-xiji/pack.json" with { type: "json" };
const e = createEngine(p);
const counts: Record<string, number> = {};
for (const { intake, events } of fc.sample(caseHistoryArbitrary(e.pack), { numRuns: 100, seed: 1 })) {
  let s = e.start(intake);
  for (const ev of events) {
    try { s = e.transition(s, ev); counts[`ok ${ev.type}`] = (counts[`ok ${ev.type}`] ?? 0) + 1; } catch (err) { if (isJicengError(err)) { const k = `${ev.type} ${err.issues[0]!.code} ${err.issues[0]!.message.en.slice(0, 60)}`; counts[k] = (counts[k] ?? 0) + 1; } }
  }
}
console.log(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 40));
