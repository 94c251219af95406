/** API token secrets: `fry_` + 32 random base62 characters, stored only as their sha256. Pure (node:crypto). */
import crypto from "node:crypto";

const PREFIX = "fry_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function generateTokenSecret(): string {
  const bytes = crypto.randomBytes(32);
  let s = "";
  for (const b of bytes) s += ALPHABET[b % 62];
  return PREFIX + s;
}

export function hashTokenSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The part shown in lists to recognise a token: its first characters. */
export function tokenDisplayPrefix(secret: string): string {
  return secret.slice(0, PREFIX.length + 6);
}
