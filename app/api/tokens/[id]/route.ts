import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { revokeTokenResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const DELETE = withAuth<{ id: string }>(async ({ params, actor }) => {
  const token = await revokeApiToken({ db: await getDb(), id: params.id, actor });
  return NextResponse.json(revokeTokenResponse.parse(toJsonValue({ token })));
}, { role: "admin" });
