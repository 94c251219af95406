import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { explainEndpointRoute } from "@/lib/experiments/explain-endpoint-route";
import { explainBody, explanationSchema } from "./route.schema";

export const dynamic = "force-dynamic";

// A POST that changes nothing: viewers may use it, with a token's read scope.
export const POST = withAuth<{ name: string }>(async ({ req, params }) => {
  const body = explainBody.parse(await readJson(req));
  const explanation = await explainEndpointRoute({ db: await getDb(), endpointName: params.name, ...body });
  return NextResponse.json(explanationSchema.parse(explanation));
}, { role: "viewer", scope: "read" });
