import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/password";

export const changePasswordBody = z.object({
  currentPassword: z.string().max(1000).optional().describe("required unless the account still has its one-time password"),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH).max(1000),
});

export const changePasswordResponse = z.object({ ok: z.literal(true), email: z.string() });

export const contracts = defineContracts([
  {
    method: "post",
    path: "/api/account/password",
    summary: "Set your own password",
    description: "For a signed-in user (not a token). Ends every other session of the user; sign in again with the new password.",
    tags: ["users"],
    role: "viewer",
    body: changePasswordBody,
    responses: { 200: changePasswordResponse },
  },
]);
