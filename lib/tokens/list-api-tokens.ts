import type { Db } from "@/lib/db/client";
import { TOKEN_SUMMARY_SELECT, tokenStatus } from "./token-summary";

/** Every token, newest first, with its derived status (active, revoked, expired). */
export async function listApiTokens(opts: { db: Db; now?: number }) {
  const tokens = await opts.db.apiToken.findMany({ select: TOKEN_SUMMARY_SELECT, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return tokens.map((t) => ({ ...t, status: tokenStatus(t, opts.now) }));
}
