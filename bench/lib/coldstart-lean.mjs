// Run in a fresh process by the cold-start workload: the grade-only entry, ESM. Prints the process's
// whole CPU time (user + system, bootstrap included) once the first case is graded, and the CPU
// from this script's first line to then.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const { createGrader } = await import("@jiceng/core/grade");
const { default: compiled } = await import("@jiceng/rules-guyuan/compiled");
const level = createGrader(compiled).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } });
const c1 = cpu();
process.stdout.write(JSON.stringify({ level, total: c1, script: c1 - c0 }) + "\n");
