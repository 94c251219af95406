/**
 * Creates an API token and returns its secret once; only the sha256 is stored. A token's role may not exceed the
 * role of whoever creates it, so a token cannot be used to mint a more powerful one.
 */
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from "@/lib/auth/api-token-secret";
import { roleAtLeast, SCOPES, type Role, type Scope } from "@/lib/auth/roles";
import { badRequest, forbidden } from "@/lib/errors";
import { TOKEN_SUMMARY_SELECT, tokenStatus } from "./token-summary";

export interface CreateApiTokenOptions {
  db: Db;
  name: string;
  role: Role;
  scopes: Scope[];
  expiresInDays?: number;
  actor: Actor;
  /** Role of the user or token creating it (the ceiling). */
  actorRole: Role;
  /** The user the token belongs to (a token creating a token passes its own creator); null for system tokens. */
  createdById?: string | null;
  /** For bootstrap: register this secret instead of generating one. */
  secret?: string;
  now?: Date;
}

export async function createApiToken(opts: CreateApiTokenOptions) {
  const name = opts.name.trim();
  if (!name) throw badRequest("a token needs a name");
  if (!roleAtLeast(opts.actorRole, opts.role)) {
    throw forbidden(`a ${opts.actorRole} cannot create a token with the ${opts.role} role`);
  }
  const scopes = [...new Set(opts.scopes)].filter((s) => (SCOPES as readonly string[]).includes(s));
  if (!scopes.length) throw badRequest(`choose at least one scope (${SCOPES.join(", ")})`);
  const now = opts.now ?? new Date();
  const expiresAt = opts.expiresInDays ? new Date(now.getTime() + opts.expiresInDays * 86_400_000) : null;
  const secret = opts.secret ?? generateTokenSecret();

  const token = await opts.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name, role: opts.role, scopes, expiresAt,
        hash: hashTokenSecret(secret),
        // A registered (bootstrap) secret may be short: show less of it than of a generated one.
        prefix: opts.secret ? `${secret.slice(0, 4)}…` : tokenDisplayPrefix(secret),
        createdById: opts.createdById ?? null,
      },
      select: TOKEN_SUMMARY_SELECT,
    });
    await recordAudit(tx, opts.actor, {
      action: "token.create", objectType: "token", objectId: created.id,
      after: { name, role: opts.role, scopes, prefix: created.prefix, expiresAt },
    });
    return created;
  });
  return { token: { ...token, status: tokenStatus(token, now.getTime()) }, secret };
}
