import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { renderOpenAlertMetrics } from "@/lib/alerts/render-open-alert-metrics";
import { driftGaugeValues, renderDriftGauges } from "@/lib/drift/drift-gauge-values";

export const dynamic = "force-dynamic";

/** The control plane's Prometheus gauges: open alerts and the latest drift score per endpoint and feature. */
export const GET = withAuth(async () => {
  const db = await getDb();
  const [{ contentType, body }, drift] = await Promise.all([renderOpenAlertMetrics(db), driftGaugeValues(db)]);
  return new Response(`${body.trimEnd()}\n${renderDriftGauges(drift)}`, { headers: { "content-type": contentType } });
}, { role: "viewer" });
