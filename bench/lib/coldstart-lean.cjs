// The same as coldstart-lean.mjs, CommonJS: require of the CJS entries (the ES modules, through require(esm)).
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const { createGrader } = require("@jiceng/core/grade");
const compiled = require("@jiceng/rules-guyuan/compiled");
const level = createGrader(compiled).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } });
const c1 = cpu();
process.stdout.write(JSON.stringify({ level, total: c1, script: c1 - c0 }) + "\n");
