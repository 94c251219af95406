import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { alertJson } from "@/lib/alerts/alert-json";
import { reviewAlert } from "@/lib/alerts/review-alert";
import { muteBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ id: string }>(async ({ req, params, actor }) => {
  const body = muteBody.parse(await readJson(req));
  const alert = await reviewAlert({ db: await getDb(), actor, id: params.id, step: { type: "mute", minutes: body.minutes } });
  return NextResponse.json(alertJson(alert));
}, { role: "operator" });
