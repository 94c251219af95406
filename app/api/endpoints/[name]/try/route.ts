import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { tryEndpoint } from "@/lib/endpoints/try-endpoint";
import { readJson } from "@/lib/http/read-json";
import { tryBody, tryResponse } from "./route.schema";

export const dynamic = "force-dynamic";

/** Runs the model on the caller's input: operators (and operator tokens with the `infer` scope) only. */
export const POST = withAuth<{ name: string }>(async ({ req, params }) => {
  const { request, headers } = tryBody.parse(await readJson(req, 16 * 1024 * 1024));
  const result = await tryEndpoint({ db: await getDb(), name: params.name, body: request, headers });
  return NextResponse.json(tryResponse.parse(result));
}, { role: "operator", scope: "infer" });
