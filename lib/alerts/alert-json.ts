/**
 * The JSON shape of an alert in API answers and webhook payloads (dates as ISO strings, the endpoint by name and a
 * link to the chart as it was when the alert fired).
 */
import type { Alert } from "@/lib/generated/prisma/client";

export type AlertRow = Alert & {
  endpoint?: { name: string } | null;
  assignee?: { id: string; email: string; name: string | null } | null;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** `/monitoring/<endpoint>?from&to` — the CHARTS page reads from/to as ISO timestamps. */
export function chartUrl(a: Pick<AlertRow, "endpoint" | "chartFrom" | "chartTo">): string | null {
  if (!a.endpoint || !a.chartFrom || !a.chartTo) return null;
  const q = new URLSearchParams({ from: a.chartFrom.toISOString(), to: a.chartTo.toISOString() });
  return `/monitoring/${encodeURIComponent(a.endpoint.name)}?${q}`;
}

export function alertJson(a: AlertRow) {
  return {
    id: a.id,
    endpointId: a.endpointId,
    endpoint: a.endpoint?.name ?? null,
    signal: a.signal,
    feature: a.feature,
    severity: a.severity,
    status: a.status,
    title: a.title,
    message: a.message,
    value: a.value,
    threshold: a.threshold,
    context: (a.context ?? null) as Record<string, unknown> | null,
    assignee: a.assignee ? { id: a.assignee.id, email: a.assignee.email, name: a.assignee.name } : null,
    mutedUntil: iso(a.mutedUntil),
    firedAt: a.firedAt.toISOString(),
    lastFiredAt: a.lastFiredAt.toISOString(),
    fireCount: a.fireCount,
    acknowledgedAt: iso(a.acknowledgedAt),
    resolvedAt: iso(a.resolvedAt),
    chartFrom: iso(a.chartFrom),
    chartTo: iso(a.chartTo),
    chartUrl: chartUrl(a),
  };
}

export type AlertJson = ReturnType<typeof alertJson>;

/** The relations alertJson reads; pass as `include` when loading alerts. */
export const ALERT_INCLUDE = {
  endpoint: { select: { name: true } },
  assignee: { select: { id: true, email: true, name: true } },
} as const;
