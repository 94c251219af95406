/** Changes a user's role. Bumps tokenVersion so sessions issued under the old role are refused at once. */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import type { Role } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { assertNotLastAdmin } from "./assert-not-last-admin";
import { USER_SUMMARY_SELECT } from "./user-summary";

export async function changeUserRole(opts: { db: Db; userId: string; role: Role; actor: Actor }) {
  return opts.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: opts.userId }, select: USER_SUMMARY_SELECT });
    if (!before) throw notFound("no such user");
    if (before.role === opts.role) return before;
    if (before.role === "admin") await assertNotLastAdmin(tx, before.id, "demote");
    const after = await tx.user.update({
      where: { id: before.id },
      data: { role: opts.role, tokenVersion: { increment: 1 } },
      select: USER_SUMMARY_SELECT,
    });
    await recordAudit(tx, opts.actor, {
      action: "user.role_change", objectType: "user", objectId: before.id,
      before: { email: before.email, role: before.role }, after: { email: after.email, role: after.role },
    });
    return after;
  });
}
