import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { reviewAlerts, type BulkStep } from "@/lib/alerts/review-alerts";
import { reviewAlertsBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req, actor }) => {
  const body = reviewAlertsBody.parse(await readJson(req));
  const step: BulkStep = body.step === "mute" ? { type: "mute", minutes: body.minutes! } : { type: body.step };
  const results = await reviewAlerts({ db: await getDb(), actor, ids: body.ids, step });
  return NextResponse.json({ changed: results.filter((r) => r.ok).length, results });
}, { role: "operator" });
