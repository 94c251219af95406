/**
 * The token the control plane uses to call the data plane for the dashboard's "Try it" panel. Why a real API token
 * rather than a shared secret: the planes may be separate processes (or machines) that share only the database,
 * and the data plane already validates tokens against it. One token per control-plane process, with the `infer`
 * scope only, expiring after an hour and replaced ten minutes before that; creating it is audited as a system
 * action. The secret lives only in this process's memory.
 */
import crypto from "node:crypto";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import type { Db } from "@/lib/db/client";

const LIFETIME_MS = 60 * 60_000;
const RENEW_BEFORE_MS = 10 * 60_000;

const key = Symbol.for("ferry.internal-infer-token");
type G = typeof globalThis & { [key]?: Promise<{ secret: string; expiresAt: number }> };

export async function internalInferToken(db: Db, now = Date.now()): Promise<string> {
  const g = globalThis as G;
  const current = await g[key]?.catch(() => undefined);
  if (current && current.expiresAt - now > RENEW_BEFORE_MS) return current.secret;
  g[key] = (async () => {
    const secret = generateTokenSecret();
    const expiresAt = now + LIFETIME_MS;
    await db.$transaction(async (tx) => {
      const token = await tx.apiToken.create({
        data: {
          name: `internal:try-it:${crypto.randomBytes(3).toString("hex")}`,
          role: "operator",
          scopes: ["infer"],
          hash: hashTokenSecret(secret),
          prefix: tokenDisplayPrefix(secret),
          expiresAt: new Date(expiresAt),
        },
      });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "token.create",
        objectType: "token",
        objectId: token.id,
        after: { name: token.name, role: token.role, scopes: token.scopes, expiresAt: token.expiresAt, purpose: "dashboard Try it panel" },
      });
    });
    return { secret, expiresAt };
  })();
  return (await g[key]).secret;
}
