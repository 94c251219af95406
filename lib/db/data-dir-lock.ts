/**
 * One process per embedded database. PGlite keeps the data directory's state in its process's memory: a second
 * process that opens the same directory (a `ferry token create` while `ferry start` runs) works on its own copy, so
 * what it writes is not seen by the first and may be overwritten, or corrupt the files. `<dir>.lock` holds the pid
 * of the process that has the directory open; another live process is refused with a message that says what to do,
 * and a lock left by a process that died is taken over.
 */
import fs from "node:fs";

export class DataDirInUseError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `the embedded database in ${dir} is in use by another Ferry process (pid ${pid}), and PGlite allows one process at a time: ` +
        "stop that process first, or do this through the running Ferry (an API token: Settings → API tokens in the dashboard, or POST /api/tokens)",
    );
    this.name = "DataDirInUseError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Takes the lock for `dir` (released when the process exits, or by `release`). Throws DataDirInUseError. */
export function lockDataDir(dir: string): { path: string; release(): void } {
  const path = `${dir.replace(/[/\\]+$/, "")}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw e;
      const pid = Number.parseInt(fs.readFileSync(path, "utf8"), 10);
      if (pid === process.pid) break;
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUseError(dir, pid);
      fs.rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  const release = () => {
    try {
      if (Number.parseInt(fs.readFileSync(path, "utf8"), 10) === process.pid) fs.rmSync(path, { force: true });
    } catch {
      // already gone
    }
    process.off("exit", release);
  };
  process.on("exit", release);
  return { path, release };
}
