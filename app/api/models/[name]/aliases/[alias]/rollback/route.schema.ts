import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { aliasMoveSchema, errorSchema, nameParam } from "@/lib/registry/api-schemas";

export const rollbackParams = z.object({ name: nameParam, alias: z.string() });
export const rollbackBody = z.object({ reason: z.string().max(1000).optional() }).strict();

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/models/{name}/aliases/{alias}/rollback",
    summary: "Roll back an alias to its previous target",
    description: "Moves the alias to the version it pointed at before its latest move (no approval needed).",
    tags: ["registry"],
    role: "operator",
    params: rollbackParams,
    body: rollbackBody,
    responses: { 200: aliasMoveSchema, 404: errorSchema, 409: errorSchema },
  },
]);
