import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { ROLES, SCOPES } from "@/lib/auth/roles";

const isoDate = z.iso.datetime();

export const tokenSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(SCOPES)),
  prefix: z.string().describe("first characters of the secret, to recognise it"),
  status: z.enum(["active", "revoked", "expired"]),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  expiresAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  createdBy: z.object({ email: z.string() }).nullable(),
});

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(SCOPES)).min(1).describe("read = GET /api, write = mutations, infer = the data plane"),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe("omit for a token that does not expire"),
});

export const createTokenResponse = z.object({
  token: tokenSummarySchema,
  secret: z.string().describe("shown once; only its sha256 is stored"),
});

export const listTokensResponse = z.object({ tokens: z.array(tokenSummarySchema) });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/tokens",
    summary: "List API tokens",
    description: "Every token with its role, scopes, prefix and status. Secrets are never returned after creation.",
    tags: ["tokens"],
    role: "admin",
    responses: { 200: listTokensResponse },
  },
  {
    method: "post",
    path: "/api/tokens",
    summary: "Create an API token",
    description: "Returns the secret once. The token's role may not exceed the creator's.",
    tags: ["tokens"],
    role: "admin",
    body: createTokenBody,
    responses: { 201: createTokenResponse },
  },
]);
