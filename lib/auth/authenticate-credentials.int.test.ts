import { describe, it, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { hashPassword } from "./password";
import { authenticateCredentials } from "./authenticate-credentials";
import { ACCOUNT_FAILURE_LIMIT, IP_FAILURE_LIMIT, THROTTLE_WINDOW_MS, MAX_BLOCK_MS } from "./login-throttle";

const uniq = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

async function makeUser(password: string) {
  const db = await getDb();
  const email = `login-${uniq()}@ferry.test`;
  const user = await db.user.create({ data: { email, role: "operator", passwordHash: await hashPassword(password) } });
  return { db, email, user };
}

describe("authenticateCredentials", () => {
  it("gives an unknown account and a wrong password the same answer, and audits both", async () => {
    const { db, email, user } = await makeUser("right-password-1");
    const wrong = await authenticateCredentials({ db, email, password: "nope", ip: `10.1.${uniq()}` });
    const unknown = await authenticateCredentials({ db, email: `ghost-${uniq()}@ferry.test`, password: "nope", ip: `10.2.${uniq()}` });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);

    const ok = await authenticateCredentials({ db, email: email.toUpperCase(), password: "right-password-1", ip: "10.0.0.9" });
    expect(ok).toMatchObject({ ok: true, user: { id: user.id, role: "operator" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeInstanceOf(Date);
    const events = await db.auditEvent.findMany({ where: { action: "user.login", actorLabel: email }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.outcome)).toEqual(["failed", "success"]);
  });

  it("refuses a disabled user with the same answer", async () => {
    const { db, email, user } = await makeUser("right-password-2");
    await db.user.update({ where: { id: user.id }, data: { disabled: true } });
    expect(await authenticateCredentials({ db, email, password: "right-password-2" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("blocks an account after N failures — even the right password — and unblocks after a capped, growing time", async () => {
    const { db, email } = await makeUser("right-password-3");
    const t0 = new Date("2030-01-01T00:00:00Z");
    const at = (ms: number) => new Date(t0.getTime() + ms);
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
      expect(await authenticateCredentials({ db, email, password: `guess-${i}`, ip: `198.51.100.${i}`, now: at(i * 1000) }))
        .toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = await authenticateCredentials({ db, email, password: "right-password-3", ip: "198.51.100.77", now: at(10_000) });
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    const retry = (blocked as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retry).toBeGreaterThan(0);
    expect(retry * 1000).toBeLessThanOrEqual(MAX_BLOCK_MS);
    const denied = await db.auditEvent.count({ where: { action: "user.login", actorLabel: email, outcome: "denied" } });
    expect(denied).toBe(1);

    // Once the block has passed, one more wrong guess in the same window blocks for longer…
    const afterFirst = 4000 + 60_000 + 1000;
    expect(await authenticateCredentials({ db, email, password: "guess-x", now: at(afterFirst) })).toEqual({ ok: false, reason: "invalid" });
    const second = await authenticateCredentials({ db, email, password: "right-password-3", now: at(afterFirst + 1000) });
    expect(second).toMatchObject({ reason: "throttled" });
    expect((second as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(60);
    // …and after the window and the block, the right password works and resets the account's count.
    const later = at(THROTTLE_WINDOW_MS + MAX_BLOCK_MS + 60_000);
    expect(await authenticateCredentials({ db, email, password: "right-password-3", now: later })).toMatchObject({ ok: true });
    expect(await db.loginThrottle.findUnique({ where: { key: `account:${email}` } })).toBeNull();
  });

  it("blocks an address that guesses across many accounts", async () => {
    const db = await getDb();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}-${uniq()}`;
    const now = new Date("2031-06-01T00:00:00Z");
    for (let i = 0; i < IP_FAILURE_LIMIT; i++) {
      await authenticateCredentials({ db, email: `spray-${i}-${uniq()}@ferry.test`, password: "123456", ip, now });
    }
    const { email } = await makeUser("right-password-4");
    expect(await authenticateCredentials({ db, email, password: "right-password-4", ip, now })).toMatchObject({ reason: "throttled" });
    expect(await authenticateCredentials({ db, email, password: "right-password-4", ip: "192.0.2.1", now })).toMatchObject({ ok: true });
  });
});
