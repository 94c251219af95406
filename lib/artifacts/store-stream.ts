/**
 * Streams bytes into the content-addressed artifact store: written to a temporary file in the store while the
 * sha256 is computed, refused with 413 as soon as the cap is crossed (the temporary file is deleted), then renamed
 * to `sha256/<ab>/<sha>`. Identical content is stored once. Used by uploads; never holds the whole body in memory.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { config } from "@/lib/config";
import { artifactKeyFor, artifactPath, artifactTempDir } from "./artifact-path";

export interface StoredArtifact {
  key: string;
  sha256: string;
  sizeBytes: number;
}

export interface StoreStreamOptions {
  maxBytes: number;
  /** Store directory; defaults to `config().artifactDir`. */
  dir?: string;
  /** Names the content in the 413 message ("the model file"). */
  label?: string;
}

export async function storeStream(source: AsyncIterable<Uint8Array>, opts: StoreStreamOptions): Promise<StoredArtifact> {
  const dir = opts.dir ?? config().artifactDir;
  const tmpDir = artifactTempDir(dir);
  await fs.promises.mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${Date.now()}-${crypto.randomBytes(8).toString("hex")}.part`);
  const hash = crypto.createHash("sha256");
  let size = 0;
  const fh = await fs.promises.open(tmp, "wx", 0o600);
  try {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > opts.maxBytes) {
        throw new AppError(
          "payload_too_large",
          `${opts.label ?? "the upload"} is larger than the limit of ${opts.maxBytes} bytes (FERRY_MAX_MODEL_BYTES)`,
        );
      }
      hash.update(chunk);
      await fh.write(chunk);
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  const sha256 = hash.digest("hex");
  const key = artifactKeyFor(sha256);
  const final = artifactPath(key, dir);
  try {
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    // Renaming over an existing copy is harmless (same bytes) and repairs one that was tampered with.
    await fs.promises.rename(tmp, final);
    await fs.promises.chmod(final, 0o444).catch(() => {});
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  return { key, sha256, sizeBytes: size };
}
