import { NextResponse } from "next/server";
import { allContracts } from "@/lib/openapi/all-contracts";
import { buildOpenApiDocument } from "@/lib/openapi/build-openapi-document";

export const dynamic = "force-dynamic";

let cached: ReturnType<typeof buildOpenApiDocument> | undefined;

// Public: the API's shape is no secret, and clients generate code from it.
export function GET() {
  cached ??= buildOpenApiDocument(allContracts, { version: process.env.npm_package_version });
  return NextResponse.json(cached, { headers: { "cache-control": "public, max-age=60" } });
}
