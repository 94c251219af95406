/**
 * Unresolved alerts (open, acknowledged or muted) per endpoint and severity, for the `ferry_open_alerts` gauge —
 * Prometheus alerting rules see everything not yet resolved; the nav badge (count-open-alerts.ts) is narrower.
 */
import type { Db } from "@/lib/db/client";

export async function openAlertCounts(db: Db): Promise<{ endpoint: string; severity: "warn" | "critical"; count: number }[]> {
  const groups = await db.alert.groupBy({
    by: ["endpointId", "severity"],
    where: { status: { not: "resolved" } },
    _count: { _all: true },
  });
  const ids = [...new Set(groups.map((g) => g.endpointId).filter((x): x is string => !!x))];
  const endpoints = await db.endpoint.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(endpoints.map((e) => [e.id, e.name]));
  return groups.map((g) => ({
    endpoint: g.endpointId ? (names.get(g.endpointId) ?? g.endpointId) : "",
    severity: g.severity,
    count: g._count._all,
  }));
}
