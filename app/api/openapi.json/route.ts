import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/openapi/openapi-document";

export const dynamic = "force-dynamic";

// Public: the API's shape is no secret, and clients generate code from it.
export function GET() {
  return NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=60" } });
}
