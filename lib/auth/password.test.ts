import { describe, it, expect } from "vitest";
import { verify } from "@node-rs/argon2";
import { DUMMY_HASH, generatePassword, hashPassword, verifyPassword } from "./password";

describe("password hashing", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const h = await hashPassword("correct horse battery");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
    expect(await verifyPassword("correct horse batterx", h)).toBe(false);
  });

  it("answers false for an unknown user (no hash) and for a malformed hash, after doing the work", async () => {
    expect(await verifyPassword("anything", null)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
    // The dummy verification costs what a real one does: a valid argon2id hash (verify reaches the comparison rather
    // than failing to parse it) with the parameters of new hashes. Checked without timing, which shared machines skew.
    await expect(verify(DUMMY_HASH, "anything")).resolves.toBe(false);
    const parameters = (h: string) => h.split("$").slice(1, 4).join("$");
    expect(parameters(DUMMY_HASH)).toBe(parameters(await hashPassword("x".repeat(16))));
  });

  it("generates random passwords of the requested length without look-alike characters", () => {
    const a = generatePassword();
    expect(a).toHaveLength(20);
    expect(a).not.toMatch(/[0O1lI]/);
    expect(generatePassword(32)).toHaveLength(32);
    expect(new Set(Array.from({ length: 50 }, () => generatePassword())).size).toBe(50);
  });
});
