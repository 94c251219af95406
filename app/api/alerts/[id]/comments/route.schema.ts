import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { commentSchema, errorSchema, idParams } from "@/lib/alerts/api-schemas";

export const commentBody = z.object({ body: z.string().trim().min(1).max(5000) }).strict();

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/alerts/{id}/comments",
    summary: "Comment on an alert",
    description: "Adds to the alert's thread (any status; up to 5,000 characters). Audited.",
    tags: ["alerts"],
    role: "operator",
    params: idParams,
    body: commentBody,
    responses: { 201: commentSchema, 400: errorSchema, 404: errorSchema },
  },
]);
