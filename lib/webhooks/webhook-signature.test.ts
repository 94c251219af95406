import crypto from "node:crypto";
import { describe, it, expect } from "vitest";
import { signPayload } from "./sign-payload";
import { verifySignature } from "./verify-signature";
import { backoffSchedule, MAX_ATTEMPTS } from "./backoff-schedule";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = JSON.stringify({ event: "alert.opened", alert: { id: "a1", value: 0.12 } });

  it("signs with hex HMAC-SHA256 of the raw body", () => {
    const hex = crypto.createHmac("sha256", secret).update(body).digest("hex");
    expect(signPayload(body, secret)).toBe(`sha256=${hex}`);
    // RFC 4231 test case 2 pins the algorithm, independent of this module.
    expect(signPayload("what do ya want for nothing?", "Jefe")).toBe(
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("verifies the right body and secret only", () => {
    const header = signPayload(body, secret);
    expect(verifySignature(body, header, secret)).toBe(true);
    expect(verifySignature(Buffer.from(body), header, secret)).toBe(true);
    expect(verifySignature(body + " ", header, secret)).toBe(false);
    expect(verifySignature(body, header, "other")).toBe(false);
    expect(verifySignature(body, header.replace("sha256=", ""), secret)).toBe(false);
    expect(verifySignature(body, "sha256=abc", secret)).toBe(false);
    expect(verifySignature(body, null, secret)).toBe(false);
  });
});

describe("backoffSchedule", () => {
  it("waits 10 s, 30 s, 2 min, 10 min, 30 min, then gives up", () => {
    expect([1, 2, 3, 4, 5].map(backoffSchedule)).toEqual([10_000, 30_000, 120_000, 600_000, 1_800_000]);
    expect(backoffSchedule(MAX_ATTEMPTS)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(6);
  });
});
