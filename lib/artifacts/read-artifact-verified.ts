/**
 * Reads an artifact and checks it against the sha256 recorded at upload: a file changed on disk is never served
 * or loaded. Used by the data plane too (no Next.js, no server-only).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { artifactPath } from "./artifact-path";

export class ArtifactIntegrityError extends Error {
  constructor(readonly key: string, readonly expected: string, readonly actual: string) {
    super(`artifact ${key} does not match its recorded sha256 (expected ${expected.slice(0, 12)}…, found ${actual.slice(0, 12)}…): refusing to use it`);
    this.name = "ArtifactIntegrityError";
  }
}

/** The artifact's bytes, after checking their sha256. */
export async function readArtifactVerified(key: string, sha256: string, dir?: string): Promise<Buffer> {
  const bytes = await fs.promises.readFile(artifactPath(key, dir));
  const actual = crypto.createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new ArtifactIntegrityError(key, sha256, actual);
  return bytes;
}

/** Streams the artifact once to check its sha256 without holding it in memory; returns its absolute path and size. */
export async function verifyArtifact(key: string, sha256: string, dir?: string): Promise<{ path: string; sizeBytes: number }> {
  const file = artifactPath(key, dir);
  const hash = crypto.createHash("sha256");
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const actual = hash.digest("hex");
  if (actual !== sha256) throw new ArtifactIntegrityError(key, sha256, actual);
  return { path: file, sizeBytes: size };
}
