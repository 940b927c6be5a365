// For comparison: the main entry (zod, XState and all), createEngine of a pack as written or compiled.
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const { createEngine } = await import("@jiceng/core");
const pack = process.argv[2] === "compiled" ? (await import("@jiceng/rules-guyuan/compiled")).default : (await import("@jiceng/rules-guyuan")).default;
const level = createEngine(pack).gradeLevel({ receivedAt: "2022-06-20T10:00:00+08:00", unitCode: "01", subunitCode: "01", risks: { homicide: true } });
const c1 = cpu();
process.stdout.write(JSON.stringify({ level, total: c1, script: c1 - c0 }) + "\n");
