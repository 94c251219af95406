import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";

export const healthResponse = z.object({
  status: z.enum(["ok", "degraded", "down"]).describe("down = database unreachable (503); degraded = data plane not ready"),
  database: z.object({ ok: z.boolean(), latencyMs: z.number(), embedded: z.boolean(), error: z.string().optional() }),
  dataPlane: z.object({ ok: z.boolean(), url: z.string(), ready: z.boolean(), error: z.string().optional() }),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/health",
    summary: "Health of the control plane",
    description: "Database round trip and the data plane's /v2/health/ready. 200 unless the database is unreachable.",
    tags: ["system"],
    role: "public",
    responses: { 200: healthResponse, 503: healthResponse },
  },
]);
