import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { driftHistorySchema } from "@/lib/drift/drift-api-schemas";
import { queryDriftHistory } from "@/lib/drift/query-drift-history";
import { historyQuery } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ req, params }) => {
  const q = historyQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - 86_400_000);
  const history = await queryDriftHistory({ db: await getDb(), endpointName: params.name, feature: q.feature, from, to });
  return NextResponse.json(driftHistorySchema.parse(history));
}, { role: "viewer" });
