import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { internalInferToken, removeExpiredInternalTokens } from "./internal-infer-token";

describe("internal Try it tokens", () => {
  it("are deleted a day after they expire, with an audit event, and no other token is touched", async () => {
    const db = await getDb();
    const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    // Made far in the past (their clock), so they expired long ago; the current process's token must survive.
    const longAgo = Date.now() - 10 * 86_400_000;
    (globalThis as Record<symbol, unknown>)[Symbol.for("ferry.internal-infer-token")] = undefined;
    await internalInferToken(db, longAgo);
    const old = await db.apiToken.findFirstOrThrow({ where: { name: { startsWith: "internal:try-it:" } }, orderBy: { createdAt: "desc" } });
    (globalThis as Record<symbol, unknown>)[Symbol.for("ferry.internal-infer-token")] = undefined;
    await internalInferToken(db);
    const fresh = await db.apiToken.findFirstOrThrow({ where: { name: { startsWith: "internal:try-it:" }, id: { not: old.id } }, orderBy: { createdAt: "desc" } });
    const user = await db.apiToken.create({ data: { name: `expired-user-token-${tag}`, role: "viewer", scopes: ["read"], hash: `h-${tag}`, prefix: "x", expiresAt: new Date(longAgo) } });

    expect(await removeExpiredInternalTokens(db)).toBeGreaterThanOrEqual(1);
    expect(await db.apiToken.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.apiToken.findUnique({ where: { id: fresh.id } })).not.toBeNull();
    expect(await db.apiToken.findUnique({ where: { id: user.id } })).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "token.delete", objectId: old.id } });
    expect(audit.actorType).toBe("system");
    expect(audit.reason).toBe("expired internal Try it token");
  });
});
