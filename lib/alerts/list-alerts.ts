/** Alerts for the list page and GET /api/alerts: filters, newest activity first, paged. */
import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ALERT_INCLUDE, type AlertRow } from "./alert-json";

export interface AlertFilters {
  status?: "open" | "acknowledged" | "resolved" | "muted";
  severity?: "warn" | "critical";
  /** Endpoint name. */
  endpoint?: string;
  signal?: string;
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
