import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { ROLES } from "@/lib/auth/roles";

const isoDate = z.iso.datetime();

export const userSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  disabled: z.boolean(),
  mustChangePassword: z.boolean().describe("true until an invited user replaces the one-time password"),
  lastLoginAt: isoDate.nullable(),
  createdAt: isoDate,
});

export const inviteUserBody = z.object({
  email: z.email().max(254),
  role: z.enum(ROLES),
  name: z.string().trim().max(100).optional(),
});

export const inviteUserResponse = z.object({
  user: userSummarySchema,
  oneTimePassword: z.string().describe("shown once; the user must replace it at first sign-in"),
});

export const listUsersResponse = z.object({ users: z.array(userSummarySchema) });

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/users",
    summary: "List users",
    tags: ["users"],
    role: "admin",
    responses: { 200: listUsersResponse },
  },
  {
    method: "post",
    path: "/api/users",
    summary: "Invite a user",
    description: "Creates the user with a one-time password, returned once.",
    tags: ["users"],
    role: "admin",
    body: inviteUserBody,
    responses: { 201: inviteUserResponse, 409: z.object({ error: z.string() }) },
  },
]);
