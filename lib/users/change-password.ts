/**
 * Sets a user's own password. An invited user replacing the one-time password has just proven it by signing in;
 * anyone else must give the current password. Bumps tokenVersion so every other session ends.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@/lib/auth/password";
import { badRequest, notFound } from "@/lib/errors";

export async function changePassword(opts: { db: Db; userId: string; newPassword: string; currentPassword?: string; actor: Actor }) {
  const user = await opts.db.user.findUnique({ where: { id: opts.userId }, omit: { passwordHash: false } });
  if (!user || user.disabled) throw notFound("no such user");
  if (opts.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw badRequest(`the new password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (!user.mustChangePassword) {
    if (!opts.currentPassword || !(await verifyPassword(opts.currentPassword, user.passwordHash))) {
      throw badRequest("the current password is incorrect");
    }
  }
  if (await verifyPassword(opts.newPassword, user.passwordHash)) {
    throw badRequest("the new password must differ from the current one");
  }
  const passwordHash = await hashPassword(opts.newPassword);
  await opts.db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false, tokenVersion: { increment: 1 } },
    });
    await recordAudit(tx, opts.actor, {
      action: "user.password_change", objectType: "user", objectId: user.id,
      before: { mustChangePassword: user.mustChangePassword }, after: { mustChangePassword: false },
    });
  });
  return { email: user.email };
}
