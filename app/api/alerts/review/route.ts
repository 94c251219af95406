import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { reviewAlerts } from "@/lib/alerts/review-alerts";
import type { ReviewStep } from "@/lib/alerts/review-alert";
import { reviewAlertsBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req, actor }) => {
  const body = reviewAlertsBody.parse(await readJson(req));
  const step: ReviewStep =
    body.step === "mute" ? { type: "mute", minutes: body.minutes! } : body.step === "assign" ? { type: "assign", userId: body.userId ?? null } : { type: body.step };
  const results = await reviewAlerts({ db: await getDb(), actor, ids: body.ids, step });
  return NextResponse.json({ changed: results.filter((r) => r.ok).length, results });
}, { role: "operator" });
