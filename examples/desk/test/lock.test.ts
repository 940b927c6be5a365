import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "../src/db/lock.js";
import { openStore } from "../src/db/store.js";

const dir = mkdtempSync(join(tmpdir(), "desk-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the PGlite data directory belongs to one process", () => {
  it("a second process on the same directory is refused with a clear message; a dead owner's lock is taken over", async () => {
    // Another process takes the directory and holds it.
    const holder = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `
      import { lockDataDir } from ${JSON.stringify(new URL("../src/db/lock.ts", import.meta.url).href)};
      lockDataDir(${JSON.stringify(dir)}); console.log("locked"); setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (d: Buffer) => String(d).includes("locked") && resolve());
      holder.on("exit", (c: number | null) => reject(new Error(`holder exited ${c}`)));
    });
    try {
      expect(Number(readFileSync(join(dir, "desk.lock"), "utf8"))).toBe(holder.pid);
      let err: unknown;
      try {
        await openStore({ dataDir: dir });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataDirLockedError);
      expect(String((err as Error).message)).toContain(`进程 ${holder.pid}`);
      expect(String((err as Error).message)).toContain(`in use by process ${holder.pid}`);
      expect(String((err as Error).message)).toContain("DATABASE_URL");
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.on("exit", r));
    }
    // Its owner is gone (killed, no cleanup): the lock is stale and this process takes it.
    const release = lockDataDir(dir);
    expect(Number(readFileSync(join(dir, "desk.lock"), "utf8"))).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
  }, 60_000);
});
