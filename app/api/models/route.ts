import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { listModels } from "@/lib/registry/list-models";
import { listModelsQuery, listModelsResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const query = listModelsQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const models = await listModels({ db: await getDb(), q: query.q, limit: query.limit });
  return NextResponse.json(listModelsResponse.parse({ models }));
}, { role: "viewer" });
