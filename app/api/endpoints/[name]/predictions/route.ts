import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { checkPageLimit, jsonlFilename, jsonlResponse } from "@/lib/http/jsonl-response";
import { exportPredictions, listPredictions, MAX_PAGE, type PredictionFilters } from "@/lib/predictions/list-predictions";
import { MAX_EXPORT, predictionsQuery, predictionsResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ req, params }) => {
  const { version, outcome, requestId, from, to, cursor, limit, format } = predictionsQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const filters: PredictionFilters = { version, outcome, requestId, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
  const db = await getDb();
  if (format === "jsonl") {
    const rows = await exportPredictions({ db, endpointName: params.name, filters, max: limit ?? 1000 });
    return jsonlResponse(rows, jsonlFilename(`${params.name}-predictions`));
  }
  checkPageLimit(limit, { maxPage: MAX_PAGE, maxExport: MAX_EXPORT, items: "rows" });
  const page = await listPredictions({ db, endpointName: params.name, filters, cursor, limit });
  return NextResponse.json(predictionsResponse.parse(page), { headers: { "cache-control": "no-store" } });
}, { role: "operator" });
