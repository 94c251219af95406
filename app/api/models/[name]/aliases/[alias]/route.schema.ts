import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { aliasMoveSchema, errorSchema, nameParam } from "@/lib/registry/api-schemas";

export const aliasParams = z.object({ name: nameParam, alias: z.string().describe("e.g. production, staging") });

export const putAliasBody = z
  .object({
    version: z.number().int().positive(),
    force: z.boolean().optional().describe("promote even when the signature is incompatible with the current target (audited)"),
    reason: z.string().max(1000).optional(),
  })
  .strict();

export const contracts = defineContracts([
  {
    method: "put",
    path: "/api/models/{name}/aliases/{alias}",
    summary: "Promote: move an alias to a version",
    description:
      "Endpoints routing through the alias switch in the same transaction (generation bumped). 409 when the version " +
      "is not ready or its signature is incompatible with the current target (unless force). On a model that " +
      "requires approval, moving `production` answers 202 with a pending promotion request.",
    tags: ["registry"],
    role: "operator",
    params: aliasParams,
    body: putAliasBody,
    responses: { 200: aliasMoveSchema, 202: aliasMoveSchema, 404: errorSchema, 409: errorSchema },
  },
]);
