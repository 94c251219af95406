/** Deletes leftovers of uploads that never finished (a crash between write and rename). Run at start. */
import fs from "node:fs";
import path from "node:path";
import { artifactTempDir } from "./artifact-path";

export async function removeTempFiles(opts: { dir?: string; olderThanMs?: number } = {}): Promise<number> {
  const tmpDir = artifactTempDir(opts.dir);
  const olderThan = Date.now() - (opts.olderThanMs ?? 60 * 60 * 1000);
  let removed = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(tmpDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const file = path.join(tmpDir, name);
    try {
      const st = await fs.promises.stat(file);
      if (st.isFile() && st.mtimeMs < olderThan) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    } catch {
      // Gone already (a concurrent upload finished): nothing to do.
    }
  }
  return removed;
}
