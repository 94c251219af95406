/** The session-signing secret: AUTH_SECRET / NEXTAUTH_SECRET, else generated once and kept in the data directory. */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function ensureAuthSecret(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, "auth-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
