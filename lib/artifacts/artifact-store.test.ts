import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { storeStream } from "./store-stream";
import { artifactPath, isArtifactKey } from "./artifact-path";
import { readArtifactVerified, verifyArtifact, ArtifactIntegrityError } from "./read-artifact-verified";
import { removeTempFiles } from "./remove-temp-files";
import { AppError } from "@/lib/errors";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ferry-artifacts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function* chunks(buf: Buffer, size = 1000) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe("artifact store", () => {
  it("stores content under its sha256, once", async () => {
    const data = crypto.randomBytes(5000);
    const sha = crypto.createHash("sha256").update(data).digest("hex");
    const a = await storeStream(chunks(data), { maxBytes: 10_000, dir });
    const b = await storeStream(chunks(data, 333), { maxBytes: 10_000, dir });
    expect(a).toEqual({ key: `sha256/${sha.slice(0, 2)}/${sha}`, sha256: sha, sizeBytes: 5000 });
    expect(b.key).toBe(a.key);
    expect(fs.readFileSync(artifactPath(a.key, dir)).equals(data)).toBe(true);
    expect(fs.readdirSync(path.join(dir, "tmp"))).toEqual([]);
    expect((await readArtifactVerified(a.key, sha, dir)).equals(data)).toBe(true);
    expect(await verifyArtifact(a.key, sha, dir)).toMatchObject({ sizeBytes: 5000 });
  });

  it("refuses content over the cap with 413 and leaves no temporary file", async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }
    const err = await storeStream(endless(), { maxBytes: 4096, dir, label: "the model file" }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect(pulled).toBe(5);
    expect(fs.readdirSync(path.join(dir, "tmp"))).toEqual([]);
  });

  it("detects a tampered artifact", async () => {
    const data = Buffer.from("original bytes");
    const a = await storeStream(chunks(data), { maxBytes: 100, dir });
    const file = artifactPath(a.key, dir);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, "tampered bytes");
    await expect(readArtifactVerified(a.key, a.sha256, dir)).rejects.toBeInstanceOf(ArtifactIntegrityError);
    await expect(verifyArtifact(a.key, a.sha256, dir)).rejects.toBeInstanceOf(ArtifactIntegrityError);
    // Storing the same content again repairs it.
    await storeStream(chunks(data), { maxBytes: 100, dir });
    expect((await readArtifactVerified(a.key, a.sha256, dir)).toString()).toBe("original bytes");
  });

  it("refuses keys that are not content addresses", () => {
    for (const key of ["../../etc/passwd", "sha256/ab/../../x", "sha256/00/" + "a".repeat(64), "/etc/passwd"]) {
      expect(isArtifactKey(key)).toBe(false);
      expect(() => artifactPath(key, dir)).toThrow(/invalid artifact key/);
    }
  });

  it("removes stale temporary files", async () => {
    const tmp = path.join(dir, "tmp", "old.part");
    fs.writeFileSync(tmp, "x");
    const past = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(tmp, past, past);
    fs.writeFileSync(path.join(dir, "tmp", "fresh.part"), "y");
    expect(await removeTempFiles({ dir })).toBe(1);
    expect(fs.readdirSync(path.join(dir, "tmp"))).toEqual(["fresh.part"]);
  });
});
