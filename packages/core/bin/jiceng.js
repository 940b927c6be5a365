#!/usr/bin/env node
// The `jiceng` command. Runs the built CLI (dist/cli/index.js, an ES module), which `npm install`
// builds via the repository's `prepare` script; from an installed package, dist/ ships in the tarball.
let cli;
try {
  cli = await import("../dist/cli/index.js");
} catch (error) {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli")) {
    process.stderr.write("jiceng: the CLI is not built yet. Run `npm run build` (or `npm install`) first.\n" +
      "jiceng：命令行尚未构建，请先运行 `npm run build`（或 `npm install`）。\n");
    process.exit(1);
  }
  throw error;
}
// A closed pipe (`jiceng schema | head`) ends the command quietly with status 0, as `git log | head` does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error && error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
process.exitCode = await cli.main(process.argv.slice(2));
