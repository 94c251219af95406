import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { getDriftReport } from "@/lib/drift/get-drift-report";
import { storedDriftReportSchema } from "@/lib/drift/drift-api-schemas";
import { driftQuery } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ req, params }) => {
  const q = driftQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const report = await getDriftReport({ db: await getDb(), endpointName: params.name, ...q });
  return NextResponse.json(storedDriftReportSchema.parse(report));
}, { role: "viewer" });
