/**
 * Start-up bootstrap, called by `ferry start` after migrations (runs under tsx, not Next.js: no "server-only").
 * No default password exists: the first admin comes from FERRY_ADMIN_EMAIL / FERRY_ADMIN_PASSWORD or gets a
 * generated password that is printed once.
 */
import { getDb } from "@/lib/db/client";
import { config } from "@/lib/config";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { createApiToken } from "@/lib/tokens/create-api-token";
import { hashTokenSecret } from "./api-token-secret";
import { generatePassword, hashPassword } from "./password";

export const DEFAULT_ADMIN_EMAIL = "admin@ferry.local";

/** Creates the first admin when no user exists; returns its credentials (to print once) or null. */
export async function ensureFirstAdmin(): Promise<{ email: string; password: string; generated: boolean } | null> {
  const db = await getDb();
  if ((await db.user.count()) > 0) return null;
  const c = config();
  const email = (c.adminEmail ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const generated = !c.adminPassword;
  const password = c.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await db.$transaction(async (tx) => {
      // Another replica starting at the same moment may win; the unique email makes the loser fail here.
      const user = await tx.user.create({ data: { email, role: "admin", passwordHash }, select: { id: true } });
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "user.bootstrap", objectType: "user", objectId: user.id,
        after: { email, role: "admin", generatedPassword: generated },
      });
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return null;
    throw e;
  }
  return { email, password, generated };
}

/** Registers FERRY_BOOTSTRAP_TOKEN as an admin token (read, write, infer) unless a token with its hash exists. */
export async function ensureBootstrapToken(secret: string): Promise<boolean> {
  const db = await getDb();
  if (await db.apiToken.findUnique({ where: { hash: hashTokenSecret(secret) }, select: { id: true } })) return false;
  try {
    await createApiToken({
      db, secret, name: "bootstrap (FERRY_BOOTSTRAP_TOKEN)", role: "admin", scopes: ["read", "write", "infer"],
      actor: SYSTEM_ACTOR, actorRole: "admin", createdById: null,
    });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return false;
    throw e;
  }
  return true;
}
