/** Disables or re-enables a user. Bumps tokenVersion so a disabled user's cookie is refused on the next request. */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { notFound } from "@/lib/errors";
import { assertNotLastAdmin } from "./assert-not-last-admin";
import { USER_SUMMARY_SELECT } from "./user-summary";

export async function setUserDisabled(opts: { db: Db; userId: string; disabled: boolean; actor: Actor }) {
  return opts.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: opts.userId }, select: USER_SUMMARY_SELECT });
    if (!before) throw notFound("no such user");
    if (before.disabled === opts.disabled) return before;
    if (opts.disabled && before.role === "admin") await assertNotLastAdmin(tx, before.id, "disable");
    const after = await tx.user.update({
      where: { id: before.id },
      data: { disabled: opts.disabled, tokenVersion: { increment: 1 } },
      select: USER_SUMMARY_SELECT,
    });
    await recordAudit(tx, opts.actor, {
      action: opts.disabled ? "user.disable" : "user.enable", objectType: "user", objectId: before.id,
      before: { email: before.email, disabled: before.disabled }, after: { email: after.email, disabled: after.disabled },
    });
    return after;
  });
}
