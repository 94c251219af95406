import { NextResponse } from "next/server";
import { principalUserId } from "@/lib/auth/roles";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { alertJson } from "@/lib/alerts/alert-json";
import { assigneeFilter, listAlerts } from "@/lib/alerts/list-alerts";
import { alertListQuery } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req, principal }) => {
  const { page, pageSize, assignee, ...filters } = alertListQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const r = await listAlerts({ db: await getDb(), filters: { ...filters, assignee: assigneeFilter(assignee, principalUserId(principal)) }, page, pageSize });
  return NextResponse.json({ ...r, alerts: r.alerts.map(alertJson) });
}, { role: "viewer" });
