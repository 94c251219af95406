import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { alertJson } from "@/lib/alerts/alert-json";
import { reviewAlert } from "@/lib/alerts/review-alert";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ id: string }>(async ({ params, actor }) => {
  const alert = await reviewAlert({ db: await getDb(), actor, id: params.id, step: { type: "acknowledge" } });
  return NextResponse.json(alertJson(alert));
}, { role: "operator" });
