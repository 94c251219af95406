import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { alertJson } from "@/lib/alerts/alert-json";
import { listAlerts } from "@/lib/alerts/list-alerts";
import { alertListQuery } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const { page, pageSize, ...filters } = alertListQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const r = await listAlerts({ db: await getDb(), filters, page, pageSize });
  return NextResponse.json({ ...r, alerts: r.alerts.map(alertJson) });
}, { role: "viewer" });
