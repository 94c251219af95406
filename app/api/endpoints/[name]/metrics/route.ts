import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { queryEndpointMetrics } from "@/lib/metrics/query-endpoint-metrics";
import { metricsParams, metricsQuery, metricsResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ req, params }) => {
  const { name } = metricsParams.parse(params);
  const query = metricsQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const metrics = await queryEndpointMetrics({
    db: await getDb(),
    endpointName: name,
    from: new Date(query.from),
    to: query.to ? new Date(query.to) : new Date(),
    step: query.step,
  });
  return NextResponse.json(metricsResponse.parse(metrics), { headers: { "cache-control": "no-store" } });
}, { role: "viewer" });
