import { describe, it, expect } from "vitest";
import { getDb } from "@/lib/db/client";
import { config } from "@/lib/config";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { authenticateCredentials } from "@/lib/auth/authenticate-credentials";
import { inviteUser } from "./invite-user";
import { changeUserRole } from "./change-user-role";
import { setUserDisabled } from "./set-user-disabled";
import { changePassword } from "./change-password";

const uniq = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe("users", () => {
  it("invite → sign in with the one-time password → must change it → new password works, old does not", async () => {
    const db = await getDb();
    const email = `Invitee-${uniq()}@Ferry.test`;
    const { user, oneTimePassword } = await inviteUser({ db, email, role: "viewer", actor: SYSTEM_ACTOR });
    expect(user.email).toBe(email.toLowerCase());
    expect(user.mustChangePassword).toBe(true);
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(16);
    await expect(inviteUser({ db, email, role: "admin", actor: SYSTEM_ACTOR })).rejects.toMatchObject({ code: "conflict" });

    const first = await authenticateCredentials({ db, email, password: oneTimePassword });
    expect(first).toMatchObject({ ok: true, user: { mustChangePassword: true } });
    const tvBefore = first.ok ? first.user.tokenVersion : -1;

    await expect(changePassword({ db, userId: user.id, newPassword: "short", actor: SYSTEM_ACTOR })).rejects.toMatchObject({ code: "bad_request" });
    await changePassword({ db, userId: user.id, newPassword: "a-much-better-password", actor: SYSTEM_ACTOR });
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.mustChangePassword).toBe(false);
    expect(after.tokenVersion).toBe(tvBefore + 1);
    expect((await authenticateCredentials({ db, email, password: oneTimePassword })).ok).toBe(false);
    expect((await authenticateCredentials({ db, email, password: "a-much-better-password" })).ok).toBe(true);
    // From now on a change needs the current password.
    await expect(changePassword({ db, userId: user.id, newPassword: "yet-another-password", actor: SYSTEM_ACTOR }))
      .rejects.toMatchObject({ code: "bad_request" });
  });

  it("role changes and disabling bump tokenVersion", async () => {
    const db = await getDb();
    const { user } = await inviteUser({ db, email: `op-${uniq()}@ferry.test`, role: "viewer", actor: SYSTEM_ACTOR });
    const v0 = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).tokenVersion;
    await changeUserRole({ db, userId: user.id, role: "operator", actor: SYSTEM_ACTOR });
    await setUserDisabled({ db, userId: user.id, disabled: true, actor: SYSTEM_ACTOR });
    const u = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(u).toMatchObject({ role: "operator", disabled: true, tokenVersion: v0 + 2 });
    const actions = (await db.auditEvent.findMany({ where: { objectId: user.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["user.invite", "user.role_change", "user.disable"]);
  });

  it("refuses to demote or disable the last active admin", async () => {
    const db = await getDb();
    // Leave exactly one active admin: this test's own (the others are re-enabled at the end).
    const others = (await db.user.findMany({ where: { role: "admin", disabled: false }, select: { id: true } })).map((u) => u.id);
    await db.user.updateMany({ where: { id: { in: others } }, data: { disabled: true } });
    try {
    const admin = await db.user.create({ data: { email: `admin-${uniq()}@ferry.test`, role: "admin", passwordHash: await hashPassword("irrelevant-pw") } });
    await expect(changeUserRole({ db, userId: admin.id, role: "operator", actor: SYSTEM_ACTOR })).rejects.toMatchObject({ code: "conflict" });
    await expect(setUserDisabled({ db, userId: admin.id, disabled: true, actor: SYSTEM_ACTOR })).rejects.toMatchObject({ code: "conflict" });
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "admin", disabled: false });

    const second = await db.user.create({ data: { email: `admin2-${uniq()}@ferry.test`, role: "admin", passwordHash: "x" } });
    await changeUserRole({ db, userId: admin.id, role: "viewer", actor: SYSTEM_ACTOR });
    await expect(setUserDisabled({ db, userId: second.id, disabled: true, actor: SYSTEM_ACTOR })).rejects.toMatchObject({ code: "conflict" });
    } finally {
      await db.user.updateMany({ where: { id: { in: others } }, data: { disabled: false } });
    }
  });

  it("writes the audit event in the same transaction: a change that fails at commit leaves no audit row", async () => {
    const db = await getDb();
    const email = `rollback-${uniq()}@ferry.test`;
    // A deferred constraint trigger fails the transaction at COMMIT, i.e. after the audit insert has run.
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION ferry_test_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.email = '${email}' THEN RAISE EXCEPTION 'refused at commit for the test'; END IF;
        RETURN NULL;
      END $$`);
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ferry_test_fail_commit ON "User"`);
    await db.$executeRawUnsafe(`
      CREATE CONSTRAINT TRIGGER ferry_test_fail_commit AFTER INSERT ON "User"
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ferry_test_fail_commit()`);
    try {
      const invite = inviteUser({ db, email, role: "viewer", actor: { type: "user", label: "rollback-tester" } });
      // pglite-prisma-adapter 0.7.2 swallows errors raised at COMMIT (its commit() resolves after the rollback), so
      // only Postgres reports the failure; on both, nothing of the transaction stays.
      if (config().embedded) await invite.catch(() => {});
      else await expect(invite).rejects.toThrow(/refused at commit/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ferry_test_fail_commit ON "User"`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ferry_test_fail_commit()`);
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect(await db.auditEvent.count({ where: { actorLabel: "rollback-tester" } })).toBe(0);
    // Control: without the trigger the same call writes both.
    await inviteUser({ db, email, role: "viewer", actor: { type: "user", label: "rollback-tester" } });
    expect(await db.auditEvent.count({ where: { actorLabel: "rollback-tester", action: "user.invite" } })).toBe(1);
  });
});
