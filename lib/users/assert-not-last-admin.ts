/**
 * Refuses a change that would leave no active admin. Locks the active admins' rows for the rest of the transaction,
 * so two admins demoting each other at the same moment cannot both succeed.
 */
import type { Tx } from "@/lib/db/client";
import { conflict } from "@/lib/errors";

export async function assertNotLastAdmin(tx: Tx, userId: string, change: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "User" WHERE "role" = 'admin' AND "disabled" = false ORDER BY "id" FOR UPDATE`;
  if (admins.length === 1 && admins[0].id === userId) {
    throw conflict(`cannot ${change} the last active admin; make another user an admin first`);
  }
}
