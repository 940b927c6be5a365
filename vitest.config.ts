import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@jiceng/source"] },
  ssr: { resolve: { conditions: ["@jiceng/source"] } },
  test: {
    include: ["test/**/*.test.ts", "packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    // Deep property runs (JICENG_DEEP=1, `npm run test:deep`) take minutes per property.
    testTimeout: process.env["JICENG_DEEP"] ? 1_800_000 : 60_000,
  },
});
