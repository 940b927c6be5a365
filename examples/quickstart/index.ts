// The CLI walkthrough (`npm run demo`): grade, time and number a handful of sample cases with the
// Guyuan "1+1+3" pack, and print a readable table with the reasons.
import { createEngine, describeReason, isJicengError, type RulePackInput } from "@jiceng/core";
import guyuan from "@jiceng/rules-guyuan";
import { samples } from "./samples.js";

const engine = createEngine<RulePackInput>(guyuan);
const seq = new Map<string, number>();

console.log(`\n${engine.pack.name.zh} / ${engine.pack.name.en}`);
console.log(`${engine.pack.source.documents[0]?.number ?? ""}  ·  时区 ${engine.pack.timezone}  ·  节假日：国务院办公厅放假安排\n`);

for (const s of samples) {
  try {
    const a = engine.assess(s.facts);
    const scope = `${a.receivedAt.slice(0, 10)}-${String(s.facts.unitCode)}-${String(s.facts.subunitCode)}`;
    const n = (seq.get(scope) ?? 0) + 1;
    seq.set(scope, n);
    const number = engine.numberCase(s.facts, n);
    console.log(`■ ${number}  ${s.title.zh} / ${s.title.en}`);
    console.log(`  等级 Level    ${a.label.zh} / ${a.label.en}`);
    console.log(`  受理 Received ${a.receivedAt}`);
    console.log(`  时限 Due      ${a.dueAt}   (${a.deadline.explanation.zh})`);
    if (a.warnAt) console.log(`  预警 Warn     ${a.warnAt}`);
    for (const r of a.reasons) {
      const why = describeReason(engine.pack, r);
      console.log(`  依据 Why      ${why.zh}`);
      console.log(`               ${why.en}`);
    }
    console.log("");
  } catch (error) {
    if (!isJicengError(error)) throw error;
    console.log(`✗ ${s.title.zh} / ${s.title.en}`);
    for (const i of error.issues) console.log(`  ${i.code} ${JSON.stringify(i.path)}: ${i.message.zh} / ${i.message.en}`);
    console.log("");
  }
}
