import crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { GET as listModels } from "@/app/api/models/route";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { unverifiedTokenLookups } from "@/lib/auth/with-auth";

/** Takes every read the control plane's budget has left; returns how many there were. */
function exhaust(): number {
  let taken = 0;
  try {
    for (;;) {
      unverifiedTokenLookups.take();
      taken++;
    }
  } catch {
    return taken;
  }
}

// The data plane's side is in inference/authorize.int.test.ts.
describe("the control plane's bound on reads of unverified tokens", () => {
  it("refuses a made-up token past it with 503 and Retry-After, and keeps serving a token known valid", async () => {
    const known = await makeToken("viewer");
    const madeUp = () => `fry_${crypto.randomBytes(16).toString("hex")}`;
    const list = (token: string) => call(listModels, { path: "/api/models", params: {}, token });
    expect((await list(known)).status).toBe(200);
    expect((await list(madeUp())).status).toBe(401);

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      expect(exhaust()).toBeLessThanOrEqual(100);
      const refused = await list(madeUp());
      expect(refused.status).toBe(503);
      expect(refused.res.headers.get("retry-after")).toBe("1");
      expect(refused.body).toEqual({ error: "too many requests with tokens not verified yet; retry shortly" });

      // Past its cache the known token is read again, and that read is not counted.
      vi.setSystemTime(Date.now() + 6_000);
      exhaust();
      expect((await list(known)).status).toBe(200);
      // A second later the budget has refilled: a made-up token is read, and refused as unknown.
      vi.setSystemTime(Date.now() + 1_000);
      expect((await list(madeUp())).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
