import { NextResponse } from "next/server";
import { principalUserId } from "@/lib/auth/roles";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";
import { createTokenBody, createTokenResponse, listTokensResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const tokens = await listApiTokens({ db: await getDb() });
  return NextResponse.json(listTokensResponse.parse(toJsonValue({ tokens })));
}, { role: "admin" });

export const POST = withAuth(async ({ req, principal, actor }) => {
  const body = createTokenBody.parse(await readJson(req));
  const created = await createApiToken({
    db: await getDb(), ...body, actor, actorRole: principal.role,
    createdById: principalUserId(principal) ?? null,
  });
  return NextResponse.json(createTokenResponse.parse(toJsonValue(created)), { status: 201 });
}, { role: "admin" });
