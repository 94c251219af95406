/**
 * API contracts: each `app/api/.../route.schema.ts` exports `contracts: ApiContract[]` describing its routes with the
 * same zod schemas the handler parses with; lib/openapi/all-contracts.ts lists those files and
 * build-openapi-document.ts turns them into GET /api/openapi.json. Pure (zod only).
 */
import type { z } from "zod";
import type { Role } from "@/lib/auth/roles";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface ApiContract {
  method: HttpMethod;
  /** OpenAPI path template, e.g. "/api/models/{name}/versions". */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Minimum role; "public" for unauthenticated routes (health, openapi). */
  role: Role | "public";
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** JSON body schema, or `{ multipart: fields }` for uploads. */
  body?: z.ZodType | { multipart: Record<string, { type: "file" | "string"; required?: boolean; description?: string }> };
  /** Status code → response body schema (null = no body). */
  responses: Record<number, z.ZodType | null>;
}

export function defineContracts(list: ApiContract[]): ApiContract[] {
  return list;
}
