import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@jiceng/source"] },
  ssr: { resolve: { conditions: ["@jiceng/source"] } },
  test: {
    // Deep property runs (JICENG_DEEP=1, `npm run test:deep`) take minutes per property.
    testTimeout: process.env["JICENG_DEEP"] ? 1_800_000 : 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
          // `npm run test:stack`: every test in a process whose stack is a fifth of the default, as
          // in a caller already deep in its stack (issue 12: the promise holds at any caller stack).
          ...(process.env["JICENG_STACK_SIZE"] ? { pool: "forks" as const, execArgv: [`--stack-size=${process.env["JICENG_STACK_SIZE"]}`] } : {}),
        },
      },
      {
        // The grading suite once more where code generation is refused (as under a CSP without
        // unsafe-eval, or on Cloudflare Workers): the engine must fall back to its closures.
        extends: true,
        test: {
          name: "no-codegen",
          include: ["packages/core/src/grading/**/*.test.ts", "packages/core/test/issue-17/grading-paths.test.ts", "packages/core/test/issue-17/tables-codegen.test.ts", "packages/rules-*/test/document.test.ts", "packages/rules-*/test/guyuan.test.ts", "packages/rules-*/test/xiji.test.ts"],
          pool: "forks",
          execArgv: ["--disallow-code-generation-from-strings"],
        },
      },
    ],
  },
});
