import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError, lockDataDir } from "./data-dir-lock";

const dirs: string[] = [];
function dataDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-lock-"));
  dirs.push(root);
  return path.join(root, "pg");
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("lockDataDir", () => {
  it("writes this process's pid beside the directory and removes it on release", () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    expect(lock.path).toBe(`${dir}.lock`);
    expect(fs.readFileSync(lock.path, "utf8")).toBe(`${process.pid}\n`);
    lockDataDir(dir); // the same process may open it again
    lock.release();
    expect(fs.existsSync(lock.path)).toBe(false);
  });

  it("refuses while another live process holds it, saying which and what to do", async () => {
    const dir = dataDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      fs.writeFileSync(`${dir}.lock`, `${other.pid}\n`);
      let error: unknown;
      try {
        lockDataDir(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataDirInUseError);
      expect((error as Error).message).toBe(
        `the embedded database in ${dir} is in use by another Ferry process (pid ${other.pid}), and PGlite allows one process at a time: ` +
          "stop that process first, or do this through the running Ferry (an API token: Settings → API tokens in the dashboard, or POST /api/tokens)",
      );
      expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(`${other.pid}\n`);
    } finally {
      other.kill();
    }
  });

  it("takes over a lock left by a process that is gone", () => {
    const dir = dataDir();
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!;
    fs.writeFileSync(`${dir}.lock`, `${gone}\n`);
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(lock.path, "utf8")).toBe(`${process.pid}\n`);
    lock.release();
  });
});
