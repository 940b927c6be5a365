// A reference for the cold-start workload, not the goal's baseline (that is `node -e`): an empty ES
// module script, so the table shows what node's ESM loader costs for the script file itself.
const u = process.cpuUsage();
process.stdout.write(JSON.stringify({ total: (u.user + u.system) / 1000 }) + "\n");
