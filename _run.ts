import { main } from "./packages/core/src/cli/index.ts";
main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
