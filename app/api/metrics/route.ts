import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { renderOpenAlertMetrics } from "@/lib/alerts/render-open-alert-metrics";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const { contentType, body } = await renderOpenAlertMetrics(await getDb());
  return new Response(body, { headers: { "content-type": contentType } });
}, { role: "viewer" });
