import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/registry/api-schemas";
import { SETTING_KINDS } from "@/lib/settings/endpoint-settings";

export const settingsParams = z.object({ name: z.string().describe("endpoint name") });

export const settingViewSchema = z.object({
  kind: z.enum(SETTING_KINDS),
  stored: z.record(z.string(), z.unknown()).nullable().describe("the keys an operator set, or null when the defaults apply"),
  effective: z.unknown().describe("the defaults merged with `stored`: what the drift and alert jobs use"),
  problem: z.string().nullable().describe("why the stored value is ignored, if it no longer validates"),
  updatedAt: z.date().nullable(),
});

export const settingsResponse = z.object({ drift: settingViewSchema, alerts: settingViewSchema });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/settings",
    summary: "Drift and alert settings of an endpoint",
    description:
      "Drift: per-feature method/threshold overrides, dataset drift share, reference window, schedule and alert gates. " +
      "Alerts: error-rate and p95-latency warn/critical bands, window, minimum requests, quiet period. Stored and effective values.",
    tags: ["endpoints"],
    role: "viewer",
    params: settingsParams,
    responses: { 200: settingsResponse, 404: errorSchema },
  },
]);
