import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { deletedEndpointSchema, endpointDetailSchema } from "@/lib/endpoints/api-schemas";
import { endpointConfigSchema } from "@/lib/routing/endpoint-config.schema";

export const endpointParams = z.object({ name: z.string().describe("endpoint name: lowercase letters, digits, '.', '_', '-'") });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}",
    summary: "Get an endpoint",
    description: "The routing config, its generation, each variant's share and state on every data-plane instance, and the recent timeline.",
    tags: ["endpoints"],
    role: "viewer",
    params: endpointParams,
    responses: { 200: endpointDetailSchema, 404: null },
  },
  {
    method: "put",
    path: "/api/endpoints/{name}",
    summary: "Create or replace an endpoint's routing",
    description:
      "Weighted variants (by version or alias), header/parameter rules, sticky key, shadow, batching, limits and rollout. " +
      "When replacing, send the `generation` you edited: a stale one gets 409. Versions must exist and be ready.",
    tags: ["endpoints"],
    role: "operator",
    params: endpointParams,
    body: endpointConfigSchema,
    responses: { 200: endpointDetailSchema, 201: endpointDetailSchema, 400: null, 409: null },
  },
  {
    method: "delete",
    path: "/api/endpoints/{name}",
    summary: "Delete an endpoint",
    description:
      "Removes the endpoint with its timeline, rollouts, alerts and drift and alert settings (the audit log keeps its last config). " +
      "Data planes stop serving it at once (404); its versions are unloaded once their last request has finished unless another endpoint serves them. " +
      "The model and its versions stay. Metric history is left to the retention job; a new endpoint of the same name starts empty.",
    tags: ["endpoints"],
    role: "operator",
    params: endpointParams,
    responses: { 200: deletedEndpointSchema, 404: null },
  },
]);
