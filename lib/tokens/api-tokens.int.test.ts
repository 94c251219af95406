import { describe, it, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { authenticateToken, clearTokenCache } from "@/lib/auth/authenticate-token";
import { ensureBootstrapToken } from "@/lib/auth/bootstrap";
import { hashTokenSecret } from "@/lib/auth/api-token-secret";
import { createApiToken } from "./create-api-token";
import { listApiTokens } from "./list-api-tokens";
import { revokeApiToken } from "./revoke-api-token";

const uniq = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe("API tokens", () => {
  it("create → authenticate → revoke → refused once the cache is cleared", async () => {
    const db = await getDb();
    const name = `ci-${uniq()}`;
    const { token, secret } = await createApiToken({ db, name, role: "operator", scopes: ["read", "write"], actor: SYSTEM_ACTOR, actorRole: "admin" });
    expect(secret).toMatch(/^fry_[0-9A-Za-z]{32}$/);
    expect(token.status).toBe("active");
    expect(token.prefix).toBe(secret.slice(0, 10));
    const stored = await db.apiToken.findUnique({ where: { id: token.id }, omit: { hash: false } });
    expect(stored?.hash).toBe(hashTokenSecret(secret));
    expect(JSON.stringify(await listApiTokens({ db }))).not.toContain(secret);

    const p = await authenticateToken(db, secret);
    expect(p).toMatchObject({ type: "token", id: token.id, role: "operator", scopes: ["read", "write"] });

    const revoked = await revokeApiToken({ db, id: token.id, actor: SYSTEM_ACTOR });
    expect(revoked.status).toBe("revoked");
    // revokeApiToken cleared this process's cache; the same secret is refused at once.
    expect(await authenticateToken(db, secret)).toBeNull();
    clearTokenCache();
    expect(await authenticateToken(db, secret)).toBeNull();

    const audit = await db.auditEvent.findMany({ where: { objectId: token.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["token.create", "token.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("expired tokens are refused", async () => {
    const db = await getDb();
    const { secret } = await createApiToken({
      db, name: `old-${uniq()}`, role: "viewer", scopes: ["read"], expiresInDays: 1, actor: SYSTEM_ACTOR, actorRole: "admin",
      now: new Date(Date.now() - 2 * 86_400_000),
    });
    clearTokenCache();
    expect(await authenticateToken(db, secret)).toBeNull();
  });

  it("a token's role may not exceed its creator's", async () => {
    const db = await getDb();
    const name = `up-${uniq()}`;
    await expect(createApiToken({ db, name, role: "admin", scopes: ["read"], actor: SYSTEM_ACTOR, actorRole: "operator" }))
      .rejects.toMatchObject({ code: "forbidden" });
    await expect(createApiToken({ db, name, role: "operator", scopes: ["read"], actor: SYSTEM_ACTOR, actorRole: "viewer" }))
      .rejects.toMatchObject({ code: "forbidden" });
    expect(await db.apiToken.count({ where: { name } })).toBe(0);
    const ok = await createApiToken({ db, name, role: "operator", scopes: ["read"], actor: SYSTEM_ACTOR, actorRole: "operator" });
    expect(ok.token.role).toBe("operator");
  });

  it("registers the bootstrap token once", async () => {
    const db = await getDb();
    const secret = `bootstrap-${uniq()}-secret`;
    expect(await ensureBootstrapToken(secret)).toBe(true);
    expect(await ensureBootstrapToken(secret)).toBe(false);
    clearTokenCache();
    const p = await authenticateToken(db, secret);
    expect(p).toMatchObject({ role: "admin", scopes: ["read", "write", "infer"] });
    const listed = (await listApiTokens({ db })).find((t) => t.id === p!.id)!;
    expect(secret.startsWith(listed.prefix.replace("…", ""))).toBe(true);
    expect(listed.prefix.length).toBeLessThan(8);
  });
});
