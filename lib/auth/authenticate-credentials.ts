/**
 * The credentials check behind the sign-in form: throttle, then password, then audit. An unknown account and a wrong
 * password cost the same argon2 verification and get the same answer; a blocked attempt is told when to retry.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import type { Role } from "./roles";
import { verifyPassword } from "./password";
import { clearLoginFailures, loginBlockedFor, recordLoginFailure, throttleKeys } from "./login-throttle";

export const INVALID_CREDENTIALS_MESSAGE = "Email or password is incorrect";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  tokenVersion: number;
  mustChangePassword: boolean;
}

export type CredentialsResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export async function authenticateCredentials(opts: {
  db: Db;
  email: string;
  password: string;
  ip?: string;
  now?: Date;
}): Promise<CredentialsResult> {
  const { db, ip } = opts;
  const now = opts.now ?? new Date();
  const email = opts.email.trim().toLowerCase();
  const keys = throttleKeys(email, ip);
  const anonymous: Actor = { type: "anonymous", label: email || "(no email)", ip };

  const blockedFor = await loginBlockedFor(db, keys, now);
  if (blockedFor > 0) {
    await recordAudit(db, anonymous, {
      action: "user.login", objectType: "user", objectId: null, outcome: "denied",
      reason: `throttled: too many failed attempts (retry in ${blockedFor} s)`,
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: blockedFor };
  }

  const user = email
    ? await db.user.findUnique({ where: { email }, omit: { passwordHash: false } })
    : null;
  const passwordOk = await verifyPassword(opts.password, user?.passwordHash);

  if (!user || !passwordOk || user.disabled) {
    const reason = !user ? "unknown account" : !passwordOk ? "wrong password" : "account disabled";
    await db.$transaction(async (tx) => {
      await recordLoginFailure(tx, keys, now);
      await recordAudit(tx, user ? { ...anonymous, id: user.id } : anonymous, {
        action: "user.login", objectType: "user", objectId: user?.id ?? null,
        outcome: user?.disabled && passwordOk ? "denied" : "failed", reason,
      });
    });
    return { ok: false, reason: "invalid" };
  }

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
    await clearLoginFailures(tx, keys);
    await recordAudit(tx, { type: "user", id: user.id, label: user.email, ip }, {
      action: "user.login", objectType: "user", objectId: user.id,
    });
  });
  return {
    ok: true,
    user: {
      id: user.id, email: user.email, name: user.name, role: user.role as Role,
      tokenVersion: user.tokenVersion, mustChangePassword: user.mustChangePassword,
    },
  };
}
