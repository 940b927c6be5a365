import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The desk suite on PostgreSQL (DATABASE_URL required): every PGlite test again, plus the
// PostgreSQL-only ones (*.pgtest.ts: concurrent workers and connections, kill -9).
if (!process.env["DATABASE_URL"]) throw new Error("vitest.pg.config.ts needs DATABASE_URL (see scripts/with-postgres.sh)");

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { conditions: ["@jiceng/source"] },
  ssr: { resolve: { conditions: ["@jiceng/source"] } },
  test: {
    include: ["test/**/*.test.ts", "test/**/*.pgtest.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
