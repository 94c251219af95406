import fs from "node:fs";
import { Readable } from "node:stream";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { conflict } from "@/lib/errors";
import { getVersion } from "@/lib/registry/get-version";
import { verifyArtifact, ArtifactIntegrityError } from "@/lib/artifacts/read-artifact-verified";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = withAuth<{ name: string; version: string }>(async ({ params }) => {
  const v = await getVersion({ db: await getDb(), name: params.name, version: params.version });
  let file: { path: string; sizeBytes: number };
  try {
    file = await verifyArtifact(v.storageKey, v.sha256);
  } catch (e) {
    if (e instanceof ArtifactIntegrityError) throw conflict("the stored artifact does not match its recorded sha256; it will not be served");
    throw e;
  }
  const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(file.sizeBytes),
      "content-disposition": `attachment; filename="${v.model}-v${v.version}.onnx"`,
      "x-content-sha256": v.sha256,
      "cache-control": "private, max-age=0",
    },
  });
}, { role: "viewer" });
