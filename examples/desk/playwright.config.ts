import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// The desk's pages in a real browser: Debian's Chromium (Playwright's own browser download does not
// work here), against the desk started on a fresh PGlite directory and serving the built pages.
const port = Number(process.env["E2E_PORT"] ?? 8790);
const baseURL = `http://127.0.0.1:${port}`;
// Playwright loads this file in its runner and in each worker: one fresh directory per run, shared.
const dataDir = (process.env["E2E_DATA_DIR"] ??= mkdtempSync(join(tmpdir(), "desk-e2e-")));
export const chromium = process.env["CHROMIUM"] ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/artifacts",
  // One desk, one database: the scenarios run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    viewport: { width: 1366, height: 900 },
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: { executablePath: chromium, args: ["--no-sandbox", "--disable-dev-shm-usage"] },
  },
  webServer: {
    command: "npx vite build --logLevel warn && npx tsx --conditions=@jiceng/source src/main.ts",
    url: `${baseURL}/api/openapi.json`,
    env: { PORT: String(port), DESK_DATA_DIR: dataDir, HOST: "127.0.0.1" },
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
