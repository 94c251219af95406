import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { bodyChunks } from "@/lib/http/body-chunks";
import { uploadVersion } from "@/lib/registry/upload-version";
import { uploadFailedSchema, uploadResponseSchema } from "@/lib/registry/api-schemas";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const length = req.headers.get("content-length");
  const v = await uploadVersion({
    db: await getDb(),
    actor,
    modelName: params.name,
    contentType: req.headers.get("content-type"),
    contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : null,
    body: req.body ? bodyChunks(req.body) : null,
  });
  const location = `/api/models/${v.model}/versions/${v.version}`;
  if (v.status === "failed") {
    return NextResponse.json(uploadFailedSchema.parse({ error: v.statusReason ?? "validation failed", ...v }), { status: 422, headers: { location } });
  }
  return NextResponse.json(uploadResponseSchema.parse(v), { status: 201, headers: { location } });
}, { role: "operator" });
