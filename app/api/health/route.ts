import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { healthResponse } from "./route.schema";

export const dynamic = "force-dynamic";

// Public on purpose (load balancers, `ferry start`'s readiness wait): it reveals no data, only up/down.
export async function GET() {
  const c = config();
  const report = await checkHealth({ getDb, embedded: c.embedded, inferenceUrl: c.inferenceUrl });
  return NextResponse.json(healthResponse.parse(report), {
    status: report.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
