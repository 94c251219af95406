import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { exportAuditEvents, listAuditEvents, MAX_AUDIT_PAGE } from "@/lib/audit/list-audit-events";
import { checkPageLimit, jsonlFilename, jsonlResponse } from "@/lib/http/jsonl-response";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { listAuditQuery, listAuditResponse, MAX_AUDIT_EXPORT } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ req }) => {
  const { cursor, limit, from, to, format, ...rest } = listAuditQuery.parse(Object.fromEntries(req.nextUrl.searchParams));
  const filters = { ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
  const db = await getDb();
  if (format === "jsonl") {
    // Each line is an event as the JSON pages show it (dates as ISO strings; the log holds no BigInt).
    return jsonlResponse(exportAuditEvents({ db, filters, max: limit ?? 1000 }), jsonlFilename("ferry-audit"));
  }
  checkPageLimit(limit, { maxPage: MAX_AUDIT_PAGE, maxExport: MAX_AUDIT_EXPORT, items: "events" });
  const page = await listAuditEvents({ db, cursor, limit, filters });
  return NextResponse.json(listAuditResponse.parse(toJsonValue(page)));
}, { role: "operator" });
