import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { tokenSummarySchema } from "../route.schema";

export const tokenIdParams = z.object({ id: z.string() });
export const revokeTokenResponse = z.object({ token: tokenSummarySchema });

export const contracts = defineContracts([
  {
    method: "delete",
    path: "/api/tokens/{id}",
    summary: "Revoke an API token",
    description: "The token stops working at once in this process and within a few seconds on the data plane. Revoking twice is a no-op.",
    tags: ["tokens"],
    role: "admin",
    params: tokenIdParams,
    responses: { 200: revokeTokenResponse },
  },
]);
