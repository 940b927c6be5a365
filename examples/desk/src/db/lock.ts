import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Raised when another live process holds the PGlite data directory. */
export class DataDirLockedError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `数据目录 ${dir} 已被进程 ${pid} 占用：同一个 PGlite 数据目录只能由一个进程打开（两个进程同时写会悄悄丢数据）。请先停止那个进程，或用 DESK_DATA_DIR 指定另一个目录，或用 DATABASE_URL 连接 PostgreSQL 以运行多个进程。\n` +
        `The data directory ${dir} is in use by process ${pid}: a PGlite data directory can be opened by one process only (two writers lose data silently). Stop that process, point DESK_DATA_DIR elsewhere, or set DATABASE_URL to run several processes on PostgreSQL.`,
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<dir>/desk.lock` for this process (O_EXCL create). A lock left by a dead process is taken
 * over; one held by a live process is refused with {@link DataDirLockedError}. Returns the release.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "desk.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (Number(readFileSync(file, "utf8")) === process.pid) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, "utf8").trim());
      } catch {
        continue;
      }
      if (pid === process.pid) throw new DataDirLockedError(dir, pid);
      if (alive(pid)) throw new DataDirLockedError(dir, pid);
      try {
        unlinkSync(file); // stale: its process is gone
      } catch {
        /* someone else removed it first */
      }
    }
  }
  throw new DataDirLockedError(dir, NaN);
}
