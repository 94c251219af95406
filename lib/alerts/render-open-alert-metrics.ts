/**
 * Prometheus text for the control plane's GET /api/metrics: `ferry_open_alerts{endpoint,severity}`. A fresh
 * prom-client Registry per scrape, because the values come from the database (shared by all replicas), not from
 * this process's counters — every replica answers the same numbers.
 */
import { Gauge, Registry } from "prom-client";
import type { Db } from "@/lib/db/client";
import { openAlertCounts } from "./open-alert-gauge";

export async function renderOpenAlertMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const gauge = new Gauge({
    name: "ferry_open_alerts",
    help: "Unresolved alerts (open, acknowledged or muted) per endpoint and severity",
    labelNames: ["endpoint", "severity"] as const,
    registers: [registry],
  });
  for (const row of await openAlertCounts(db)) gauge.set({ endpoint: row.endpoint, severity: row.severity }, row.count);
  return { contentType: registry.contentType, body: await registry.metrics() };
}
