/** Response shapes of the endpoint API (`/api/endpoints/**`), shared by the routes, their contracts and the pages. */
import { z } from "zod";

export const instanceStateSchema = z.object({
  instanceId: z.string(),
  /** loading | warming | ready | failed | draining */
  state: z.string(),
  message: z.string().nullable(),
  /** The endpoint generation this instance routes with (until it serves the endpoint at all: the one it is loading). */
  generation: z.number().int(),
  updatedAt: z.string(),
  /** The instance has not reported for a while (stopped or unreachable). */
  stale: z.boolean(),
});

export const variantViewSchema = z.object({
  name: z.string(),
  version: z.number().int().optional(),
  alias: z.string().optional(),
  weight: z.number(),
  /** weight / sum of weights, 0..1. */
  share: z.number(),
  /** The version the variant routes to now (alias resolved); null when the alias does not exist. */
  resolvedVersion: z.number().int().nullable(),
  states: z.array(instanceStateSchema),
});

export const endpointListItemSchema = z.object({
  name: z.string(),
  model: z.string(),
  description: z.string(),
  generation: z.number().int(),
  variants: z.array(variantViewSchema),
  updatedAt: z.string(),
});

export const endpointDetailSchema = endpointListItemSchema.extend({
  /** The routing config as stored (what PUT accepts, without `generation`). */
  config: z.record(z.string(), z.unknown()),
  shadow: z
    .object({ version: z.number().int().nullable(), percent: z.number(), states: z.array(instanceStateSchema) })
    .nullable(),
  createdAt: z.string(),
  /** The signature of the version most traffic goes to (what "Try it" builds its form from). */
  signature: z
    .object({
      inputs: z.array(z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) })),
      outputs: z.array(z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number()) })),
    })
    .nullable(),
  events: z.array(z.object({ kind: z.string(), message: z.string(), actorLabel: z.string().nullable(), createdAt: z.string() })),
});

/** What `DELETE /api/endpoints/{name}` answers: the endpoint that was removed. */
export const deletedEndpointSchema = z.object({
  deleted: z.object({ name: z.string(), model: z.string(), generation: z.number().int() }),
});

export type EndpointListItem = z.infer<typeof endpointListItemSchema>;
export type EndpointDetail = z.infer<typeof endpointDetailSchema>;
export type VariantView = z.infer<typeof variantViewSchema>;
export type InstanceState = z.infer<typeof instanceStateSchema>;
