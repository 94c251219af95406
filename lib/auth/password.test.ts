import { describe, it, expect } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "./password";

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
    // The dummy verification costs about as much as a real one (same parameters), so timing does not tell.
    const h = await hashPassword("x".repeat(16));
    const t0 = performance.now();
    await verifyPassword("y".repeat(16), h);
    const real = performance.now() - t0;
    const t1 = performance.now();
    await verifyPassword("y".repeat(16), undefined);
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real / 4);
  });

  it("generates random passwords of the requested length without look-alike characters", () => {
    const a = generatePassword();
    expect(a).toHaveLength(20);
    expect(a).not.toMatch(/[0O1lI]/);
    expect(generatePassword(32)).toHaveLength(32);
    expect(new Set(Array.from({ length: 50 }, () => generatePassword())).size).toBe(50);
  });
});
