import { describe, it, expect } from "vitest";
import { blockDurationMs, throttleKeys, ACCOUNT_FAILURE_LIMIT, MAX_BLOCK_MS } from "./login-throttle";

describe("blockDurationMs", () => {
  it("does not block below the limit, then blocks for a growing time that is capped", () => {
    expect(blockDurationMs(ACCOUNT_FAILURE_LIMIT - 1, ACCOUNT_FAILURE_LIMIT)).toBe(0);
    const steps = [0, 1, 2, 3, 4, 10, 1000].map((k) => blockDurationMs(ACCOUNT_FAILURE_LIMIT + k, ACCOUNT_FAILURE_LIMIT));
    expect(steps[0]).toBe(60_000);
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]);
    expect(steps[1]).toBeGreaterThan(steps[0]);
    expect(Math.max(...steps)).toBe(MAX_BLOCK_MS);
    expect(MAX_BLOCK_MS).toBeLessThanOrEqual(15 * 60_000);
  });
});

describe("throttleKeys", () => {
  it("normalises the email so case does not buy extra attempts", () => {
    expect(throttleKeys(" Alice@Example.COM ", "10.0.0.1")).toEqual({ account: "account:alice@example.com", ip: "ip:10.0.0.1" });
    expect(throttleKeys("a@b.c", undefined).ip).toBeUndefined();
  });
});
