/**
 * Password hashing with argon2id (@node-rs/argon2 defaults: m=19 MiB, t=2, p=1 — OWASP's minimum for argon2id).
 * `verifyPassword` without a stored hash still runs one full verification against a fixed dummy hash, so an unknown
 * account costs the same time and gets the same answer as a wrong password.
 */
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// argon2id, same parameters as new hashes; the password behind it is random and was thrown away.
export const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$fexLHwKgzrP5Zv6notgYhQ$qpnwYw7izvOGd9bzHW0NwTatAcZSR2QyMFdOJwBp458";

export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  // Algorithm 2 = Argon2id (const enum in the typings; spelled out to stay compatible with isolatedModules).
  return hash(password, { algorithm: 2 });
}

/** True when `password` matches `storedHash`; with no hash (unknown user) always false, after the same work. */
export async function verifyPassword(password: string, storedHash: string | null | undefined): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? DUMMY_HASH, password);
    return storedHash ? ok : false;
  } catch {
    // A malformed stored hash is a failed login, never a 500 that tells the account exists.
    return false;
  }
}

const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A random password for invites and the generated first admin: 20 characters without look-alikes (~115 bits). */
export function generatePassword(length = 20): string {
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely.
  while (out.length < length) {
    for (const b of crypto.randomBytes(length * 2)) {
      if (b < 256 - (256 % PASSWORD_ALPHABET.length) && out.length < length) out.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]);
    }
  }
  return out.join("");
}
