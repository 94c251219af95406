import type { Db } from "@/lib/db/client";
import { USER_SUMMARY_SELECT } from "./user-summary";

/** Every user, admins first, then by email. */
export async function listUsers(opts: { db: Db }) {
  const users = await opts.db.user.findMany({ select: USER_SUMMARY_SELECT, orderBy: [{ email: "asc" }] });
  const rank = { admin: 0, operator: 1, viewer: 2 } as const;
  return users.sort((a, b) => rank[a.role] - rank[b.role] || a.email.localeCompare(b.email));
}
