import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { ROLES } from "@/lib/auth/roles";
import { userSummarySchema } from "../route.schema";

export const userIdParams = z.object({ id: z.string() });

export const updateUserBody = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, "give role and/or disabled");

export const updateUserResponse = z.object({ user: userSummarySchema });

export const contracts = defineContracts([
  {
    method: "patch",
    path: "/api/users/{id}",
    summary: "Change a user's role or disable/enable them",
    description: "Takes effect on the user's very next request. Demoting or disabling the last active admin answers 409.",
    tags: ["users"],
    role: "admin",
    params: userIdParams,
    body: updateUserBody,
    responses: { 200: updateUserResponse, 409: z.object({ error: z.string() }) },
  },
]);
