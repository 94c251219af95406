import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/metrics",
    summary: "Control-plane Prometheus metrics",
    description:
      "Prometheus text format: `ferry_open_alerts{endpoint,severity}` (unresolved alerts). Needs a viewer token " +
      "(`authorization: Bearer …` in the scrape config) because endpoint names are not public. The data plane's " +
      "own `/metrics` carries request and latency series.",
    tags: ["alerts"],
    role: "viewer",
    responses: { 200: z.string().describe("text/plain; version=0.0.4") },
  },
]);
