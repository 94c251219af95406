/**
 * Where an artifact lives: keys are `sha256/<first two hex>/<sha256>` relative to the store directory. A key is
 * never built from anything a client chose, and one that does not have exactly that form is refused here, so no
 * key can reach outside the store.
 */
import path from "node:path";
import { config } from "@/lib/config";

const KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

export function artifactKeyFor(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256.slice(0, 80)}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

export function isArtifactKey(key: string): boolean {
  const m = KEY.exec(key);
  return !!m && m[2].startsWith(m[1]);
}

/** The absolute path of an artifact (the store directory defaults to `config().artifactDir`). */
export function artifactPath(key: string, dir: string = config().artifactDir): string {
  if (!isArtifactKey(key)) throw new Error(`invalid artifact key: ${key.slice(0, 120)}`);
  return path.join(dir, ...key.split("/"));
}

/** The folder of in-progress uploads (same filesystem as the store, so the final rename is atomic). */
export function artifactTempDir(dir: string = config().artifactDir): string {
  return path.join(dir, "tmp");
}
