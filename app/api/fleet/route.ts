import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { queryFleetOverview } from "@/lib/metrics/query-fleet-overview";
import { fleetResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const overview = await queryFleetOverview({ db: await getDb() });
  return NextResponse.json(fleetResponse.parse(overview), { headers: { "cache-control": "no-store" } });
}, { role: "viewer" });
