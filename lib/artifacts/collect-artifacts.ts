/**
 * Deletes artifacts — model files and reference datasets — that no model version refers to any more: what deleting a
 * version leaves behind (identical content is stored once, so a file is deleted only when no version at all uses it).
 * A file written in the last `graceMs` is kept whatever the database says: an upload stores its file before it creates
 * the version row that refers to it, and an upload of bytes already stored renames a fresh copy over the old one, so
 * the file of an upload in flight is never taken. Runs after each version deletion (on that version's files) and
 * hourly on the whole store (the retention job).
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { logger } from "@/lib/logger";
import { artifactPath, isArtifactKey } from "./artifact-path";

export const ARTIFACT_GRACE_MS = 60 * 60_000;

export interface CollectedArtifacts {
  deleted: number;
  bytes: number;
}

/** A version's files: its model and, when it has one, its reference dataset. */
export function artifactKeysOf(v: { storageKey: string; referenceKey: string | null }): string[] {
  return v.referenceKey ? [v.storageKey, v.referenceKey] : [v.storageKey];
}

/**
 * After deleted versions' rows are committed: their files, unless still used or fresh. A failure is logged and left to
 * the hourly sweep (the deletion itself has happened).
 */
export function collectDeletedFiles(o: { db: Db; dir?: string; versions: readonly { storageKey: string; referenceKey: string | null }[]; what: Record<string, unknown> }): Promise<CollectedArtifacts> {
  return collectArtifacts({ db: o.db, dir: o.dir, onlyKeys: o.versions.flatMap(artifactKeysOf) }).catch((err: unknown) => {
    logger().warn({ err, ...o.what }, "files of deleted versions not removed; the hourly sweep will retry");
    return { deleted: 0, bytes: 0 };
  });
}

export async function collectArtifacts(o: { db: Db; dir?: string; now?: number; graceMs?: number; onlyKeys?: readonly string[] }): Promise<CollectedArtifacts> {
  const dir = o.dir ?? config().artifactDir;
  // Only names of the store's own form: a stray file (an editor's backup, a half-copied restore) is never touched.
  const candidates = (o.onlyKeys ?? (await storedKeys(dir))).filter(isArtifactKey);
  if (candidates.length === 0) return { deleted: 0, bytes: 0 };
  const versions = await o.db.modelVersion.findMany({ select: { storageKey: true, referenceKey: true } });
  const used = new Set(versions.flatMap(artifactKeysOf));
  const oldest = (o.now ?? Date.now()) - (o.graceMs ?? ARTIFACT_GRACE_MS);
  const out: CollectedArtifacts = { deleted: 0, bytes: 0 };
  for (const key of new Set(candidates)) {
    if (used.has(key)) continue;
    const file = artifactPath(key, dir);
    const st = await fs.promises.stat(file).catch(() => undefined);
    if (!st || st.mtimeMs > oldest) continue;
    await fs.promises.rm(file, { force: true });
    out.deleted++;
    out.bytes += st.size;
  }
  return out;
}

/** Every name under the store's `sha256/` folders (`sha256/<ab>/<sha>` for artifacts); uploads in progress live elsewhere. */
async function storedKeys(dir: string): Promise<string[]> {
  const root = path.join(dir, "sha256");
  const prefixes = await fs.promises.readdir(root).catch(() => [] as string[]);
  const keys: string[] = [];
  for (const prefix of prefixes) {
    const names = await fs.promises.readdir(path.join(root, prefix)).catch(() => [] as string[]);
    for (const name of names) keys.push(`sha256/${prefix}/${name}`);
  }
  return keys;
}
