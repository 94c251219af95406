/** Alerts for the list page and GET /api/alerts: filters, newest activity first, paged. */
import type { Db } from "@/lib/db/client";
import { badRequest } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ALERT_INCLUDE, type AlertRow } from "./alert-json";

export interface AlertFilters {
  status?: "open" | "acknowledged" | "resolved" | "muted";
  severity?: "warn" | "critical";
  /** Endpoint name. */
  endpoint?: string;
  signal?: string;
  /** A user's id, or "none" for alerts nobody is assigned to ("me" is made an id by assigneeFilter first). */
  assignee?: string;
}

/** The assignee filter as given, with "me" made the caller's user id (a token counts as the user who created it). */
export function assigneeFilter(raw: string | undefined, me: string | undefined): string | undefined {
  if (raw !== "me") return raw;
  if (!me) throw badRequest("assignee=me: this token was created by no user; give a user's id instead");
  return me;
}

export async function listAlerts(o: { db: Db; filters?: AlertFilters; page?: number; pageSize?: number }): Promise<{
  alerts: AlertRow[];
  total: number;
  page: number;
  pageSize: number;
}> {
  const f = o.filters ?? {};
  const page = Math.max(1, o.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, o.pageSize ?? 50));
  const where: Prisma.AlertWhereInput = {
    status: f.status,
    severity: f.severity,
    signal: f.signal,
    endpoint: f.endpoint ? { name: f.endpoint } : undefined,
    assigneeId: f.assignee === "none" ? null : f.assignee,
  };
  const [alerts, total] = await Promise.all([
    o.db.alert.findMany({
      where,
      include: ALERT_INCLUDE,
      orderBy: [{ lastFiredAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    o.db.alert.count({ where }),
  ]);
  return { alerts, total, page, pageSize };
}
