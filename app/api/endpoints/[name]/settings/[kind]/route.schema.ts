import { z } from "zod";
import { alertSettingsSchema } from "@/lib/alerts/alert-settings";
import { driftSettingsSchema } from "@/lib/drift/drift-settings";
import { defineContracts } from "@/lib/openapi/contract";
import { errorSchema } from "@/lib/registry/api-schemas";
import { SETTING_KINDS } from "@/lib/settings/endpoint-settings";
import { settingViewSchema } from "../route.schema";

export const settingKindParams = z.object({
  name: z.string().describe("endpoint name"),
  kind: z.enum(SETTING_KINDS, { error: `the settings kind must be one of: ${SETTING_KINDS.join(", ")}` }),
});

const bodies = {
  drift: {
    schema: driftSettingsSchema,
    summary: "Replace an endpoint's drift settings",
    description: "Only the keys given override the defaults. Feature overrides must name a feature of a served version. Audited.",
  },
  alerts: {
    schema: alertSettingsSchema,
    summary: "Replace an endpoint's metric alert rules",
    description: "Error-rate (fraction) and p95-latency (ms) warn/critical bands, window, minimum requests, quiet period. Audited.",
  },
};

export const contracts = defineContracts([
  ...SETTING_KINDS.map((kind) => ({
    method: "put" as const,
    path: `/api/endpoints/{name}/settings/${kind}`,
    summary: bodies[kind].summary,
    description: bodies[kind].description,
    tags: [kind],
    role: "operator" as const,
    params: settingKindParams.pick({ name: true }),
    body: bodies[kind].schema,
    responses: { 200: settingViewSchema, 400: errorSchema, 404: errorSchema },
  })),
  {
    method: "delete",
    path: "/api/endpoints/{name}/settings/{kind}",
    summary: "Reset drift or alert settings to the defaults",
    tags: ["endpoints"],
    role: "operator",
    params: settingKindParams,
    responses: { 200: settingViewSchema, 400: errorSchema, 404: errorSchema },
  },
]);
