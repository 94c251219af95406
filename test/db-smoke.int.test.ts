import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { config } from "@/lib/config";

describe("database", () => {
  it("is migrated and round-trips a row, omitting secret columns by default", async () => {
    const db = await getDb();
    const email = `smoke-${Date.now()}@ferry.test`;
    const u = await db.user.create({ data: { email, passwordHash: "not-a-real-hash", role: "viewer" } });
    expect(u.email).toBe(email);
    expect("passwordHash" in u).toBe(false);
    const withHash = await db.user.findUnique({ where: { id: u.id }, omit: { passwordHash: false } });
    expect(withHash?.passwordHash).toBe("not-a-real-hash");
    const rows = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    expect(config().embedded).toBe(process.env.FERRY_TEST_DB === "pglite");
  });
});
