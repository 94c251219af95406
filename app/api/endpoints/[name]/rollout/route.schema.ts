import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { rolloutGuardsSchema } from "@/lib/routing/endpoint-config.schema";
import { rolloutJsonSchema } from "@/lib/rollouts/rollout-json";

export const endpointParams = z.object({ name: z.string().describe("endpoint name") });
export const errorSchema = z.object({ error: z.string(), details: z.unknown().optional() });

export const startRolloutBody = z
  .object({
    candidateVersion: z.number().int().positive().optional().describe("default: the endpoint policy's candidate"),
    steps: z.array(z.number().int().positive().max(100)).min(1).max(20).optional().describe("percentages ending at 100, e.g. [5, 25, 50, 100]"),
    bakeSeconds: z.number().int().min(0).max(604_800).optional(),
    guards: rolloutGuardsSchema.optional(),
    candidateVariant: z.string().optional().describe('default "candidate" (added, pinned to the version, when missing)'),
    stableVariant: z.string().optional().describe("default: the heaviest other variant"),
  })
  .strict();

export const rolloutViewSchema = z.object({
  rollout: rolloutJsonSchema.nullable(),
  policy: z.unknown(),
  events: z.array(z.object({ id: z.string(), kind: z.string(), message: z.string(), actor: z.string().nullable(), createdAt: z.string(), data: z.unknown() })),
});

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/endpoints/{name}/rollout",
    summary: "The endpoint's latest canary rollout, its policy and the last rollout steps",
    tags: ["rollouts"],
    role: "viewer",
    params: endpointParams,
    responses: { 200: rolloutViewSchema, 404: errorSchema },
  },
  {
    method: "post",
    path: "/api/endpoints/{name}/rollout",
    summary: "Start a guarded canary rollout",
    description:
      "Fields left out come from the endpoint config's `rollout` policy. Sets the candidate to the first step's share at " +
      "once (generation bumped); the guard job advances it step by step and rolls it back on any breached guard. " +
      "409 when a rollout is already running or paused, or the version is not ready.",
    tags: ["rollouts"],
    role: "operator",
    params: endpointParams,
    body: startRolloutBody,
    responses: { 201: rolloutViewSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
  },
]);
