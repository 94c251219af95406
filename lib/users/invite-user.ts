/**
 * Invites a user with a one-time password, returned once and stored only as its argon2id hash; the user must set a
 * new password at first sign-in.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { conflict } from "@/lib/errors";
import { USER_SUMMARY_SELECT } from "./user-summary";

export async function inviteUser(opts: { db: Db; email: string; role: Role; name?: string; actor: Actor }) {
  const email = opts.email.trim().toLowerCase();
  const oneTimePassword = generatePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const user = await opts.db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw conflict(`a user with the email ${email} already exists`);
    }
    const created = await tx.user.create({
      data: { email, name: opts.name || null, role: opts.role, passwordHash, mustChangePassword: true },
      select: USER_SUMMARY_SELECT,
    });
    await recordAudit(tx, opts.actor, {
      action: "user.invite", objectType: "user", objectId: created.id,
      after: { email: created.email, role: created.role, name: created.name },
    });
    return created;
  });
  return { user, oneTimePassword };
}
