import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@jiceng/source"] },
  ssr: { resolve: { conditions: ["@jiceng/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
