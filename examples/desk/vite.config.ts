import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The desk's pages: built into web/dist, which the desk server serves (`npm start`); `npm run dev -w
// @jiceng/desk` runs Vite with the API proxied to a desk server on DESK_API (default :3000).
const api = process.env["DESK_API"] ?? "http://localhost:3000";

export default defineConfig({
  root: "web",
  base: "/",
  plugins: [react()],
  // Core from its TypeScript source, as the monorepo's tests and `npm start` use it (no build step
  // between an edit in core and the page); an app outside the monorepo gets core's browser-clean dist.
  resolve: { conditions: ["@jiceng/source", "module", "browser", "development|production"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { "/api": api, "/healthz": api } },
});
