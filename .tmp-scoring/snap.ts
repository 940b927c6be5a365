import { readFileSync, writeFileSync } from "node:fs";
import { packSnapshotMarkdown } from "../packages/core/src/pack/snapshot.js";
const dir = process.argv[2]!;
writeFileSync(`packages/${dir}/SNAPSHOT.md`, packSnapshotMarkdown(JSON.parse(readFileSync(`packages/${dir}/pack.json`, "utf8"))));
console.log("wrote", dir);
