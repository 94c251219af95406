import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/db/client";
import { clearTokenCache } from "@/lib/auth/authenticate-token";
import { createAuthorizer, RateLimitedError } from "./authorize";
import { makeInferToken } from "./data-plane-test-kit";

/** `db` with its API-token reads counted. */
function countingTokenReads(db: Db) {
  const reads = { count: 0 };
  const counted = db.$extends({
    query: {
      apiToken: {
        findUnique({ args, query }) {
          reads.count++;
          return query(args);
        },
      },
    },
  }) as unknown as Db;
  return { db: counted, reads };
}

describe("createAuthorizer", () => {
  it("stops accepting a revoked token within seconds", async () => {
    const db = await getDb();
    const { secret, id } = await makeInferToken();
    let t = Date.now();
    const auth = createAuthorizer(db, () => t);
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id });
    await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    t += 2_000;
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id }); // still cached
    t += 10_001;
    clearTokenCache();
    await expect(auth.authorize(`Bearer ${secret}`, "e")).rejects.toMatchObject({ status: 401 });
  });

  it("makes one database read for a burst of requests with a token it has not seen yet", async () => {
    const db = await getDb();
    const { secret, id } = await makeInferToken();
    const { db: counted, reads } = countingTokenReads(db);
    const auth = createAuthorizer(counted);
    const burst = await Promise.all(Array.from({ length: 20 }, () => auth.authorize(`Bearer ${secret}`, "e")));
    expect(burst.map((p) => p.id)).toEqual(burst.map(() => id));
    expect(reads.count).toBe(1);
  });

  it("bounds the database reads of tokens it has not verified, and keeps checking verified ones", async () => {
    const db = await getDb();
    const { secret, id } = await makeInferToken();
    const { db: counted, reads } = countingTokenReads(db);
    let t = Date.now();
    const auth = createAuthorizer(counted, () => t, 5);
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id }); // one of the 5 lookups
    t += 5_001; // past the cache: the next request with it is checked again
    const made = Array.from({ length: 20 }, () => `fry_${crypto.randomBytes(16).toString("hex")}`);
    const answers = await Promise.all(made.map((s) => auth.authorize(`Bearer ${s}`, "e").catch((e) => e)));
    expect(answers.filter((e) => e.status === 401)).toHaveLength(5);
    const refused = answers.filter((e) => e.status === 503);
    expect(refused).toHaveLength(15);
    expect(refused[0].message).toBe("too many requests with tokens not verified yet; retry shortly");
    expect(reads.count).toBe(6);
    // The bucket is empty, yet the verified token is looked up again and still served.
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id });
    expect(reads.count).toBe(7);
    // Refilled: an unseen token is looked up again.
    t += 1_000;
    await expect(auth.authorize(`Bearer ${made[19]}`, "e")).rejects.toMatchObject({ status: 401 });
    expect(reads.count).toBe(8);
  });

  it("keeps verified tokens known after a revoke clears the cache: not counted as unverified, and in the outage grace", async () => {
    const db = await getDb();
    const { secret, id } = await makeInferToken();
    const down = { now: false };
    const flaky = db.$extends({
      query: {
        apiToken: {
          findUnique({ args, query }) {
            if (down.now) throw new Error("connection refused");
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    let t = Date.now();
    const auth = createAuthorizer(flaky, () => t, 1);
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id });

    // What a revoke of some other token does in this process; the budget is then spent on a made-up token.
    clearTokenCache();
    t += 5_001;
    await expect(auth.authorize(`Bearer fry_${crypto.randomBytes(16).toString("hex")}`, "e")).rejects.toMatchObject({ status: 401 });
    // Read again (the cache was forgotten), but not refused: it is still known valid.
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id });

    clearTokenCache();
    t += 5_001;
    down.now = true;
    await expect(auth.authorize(`Bearer ${secret}`, "e")).resolves.toMatchObject({ id });
    await expect(auth.authorize(`Bearer fry_${crypto.randomBytes(16).toString("hex")}`, "e")).rejects.toMatchObject({
      status: 503,
      message: "cannot verify the token right now (database unreachable); retry shortly",
    });
  });

  it("refills the bucket at the configured rate", async () => {
    const db = await getDb();
    const { secret } = await makeInferToken();
    let t = Date.now();
    const auth = createAuthorizer(db, () => t);
    const call = () => auth.authorize(`Bearer ${secret}`, "e", 5);
    for (let i = 0; i < 5; i++) await call();
    const limited = await call().catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterSeconds).toBe(1);
    t += 200; // one token at 5/s
    await expect(call()).resolves.toBeTruthy();
    await expect(call()).rejects.toBeInstanceOf(RateLimitedError);
    // Another endpoint has its own bucket.
    await expect(auth.authorize(`Bearer ${secret}`, "other", 5)).resolves.toBeTruthy();
  });
});
