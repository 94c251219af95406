import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { listAuditQuery, listAuditResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const { cursor, limit, from, to, ...filters } = listAuditQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const page = await listAuditEvents({
    db: await getDb(), cursor, limit,
    filters: { ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
  });
  return NextResponse.json(listAuditResponse.parse(toJsonValue(page)));
}, { role: "operator" });
