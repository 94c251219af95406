import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { endpointConfigSchema, type EndpointConfigInput } from "./endpoint-config.schema";
import { hashToUnit } from "./hash-to-unit";
import { routeRequest, shouldShadow, weightRanges } from "./route-request";
import { explainRoute } from "./explain-route";

const config = (input: Omit<EndpointConfigInput, "model">) => endpointConfigSchema.parse({ model: "fraud", ...input });
const split = (stable: number, candidate: number) =>
  config({
    variants: [
      { name: "stable", alias: "production", weight: stable },
      { name: "candidate", version: 4, weight: candidate },
    ],
    rules: [{ header: "X-Segment", equals: "beta", variant: "candidate" }],
    sticky: { header: "x-user-id" },
  });
const resolved = { variantVersions: { stable: 3, candidate: 4 } };
const keys = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe("routeRequest", () => {
  it("lands an 80/20 split within ±2 % over 10,000 random draws", () => {
    const cfg = split(80, 20);
    let candidate = 0;
    for (let i = 0; i < 10_000; i++) {
      const d = routeRequest(cfg, resolved, { headers: {} });
      expect(d.reason).toBe("weight");
      if (d.variant === "candidate") candidate++;
    }
    expect(Math.abs(candidate / 10_000 - 0.2)).toBeLessThanOrEqual(0.02);
  });

  it("gives every variant exactly its share of evenly spread draws, whatever the weights", () => {
    const weights = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 10 }).filter((w) => w.some((x) => x > 0));
    fc.assert(
      fc.property(weights, (ws) => {
        const cfg = config({ variants: ws.map((weight, i) => ({ name: `v${i}`, version: i + 1, weight })) });
        const versions = Object.fromEntries(ws.map((_, i) => [`v${i}`, i + 1]));
        const counts = new Map<string, number>();
        const n = 2000;
        for (let i = 0; i < n; i++) {
          const d = routeRequest(cfg, { variantVersions: versions }, { headers: {}, randomKey: (i + 0.5) / n });
          counts.set(d.variant, (counts.get(d.variant) ?? 0) + 1);
        }
        const total = ws.reduce((a, b) => a + b, 0);
        ws.forEach((w, i) => {
          expect(Math.abs((counts.get(`v${i}`) ?? 0) / n - w / total)).toBeLessThanOrEqual(1 / n + 1e-9);
          if (w === 0) expect(counts.has(`v${i}`)).toBe(false);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("never sends weighted or sticky traffic to a zero-weight variant", () => {
    const cfg = config({
      variants: [
        { name: "a", version: 1, weight: 0 },
        { name: "b", version: 2, weight: 1 },
        { name: "c", version: 3, weight: 0 },
      ],
      sticky: { parameter: "user" },
    });
    const versions = { variantVersions: { a: 1, b: 2, c: 3 } };
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.string(), (point, user) => {
        expect(routeRequest(cfg, versions, { headers: {}, randomKey: point }).variant).toBe("b");
        expect(routeRequest(cfg, versions, { headers: {}, parameters: { user } }).variant).toBe("b");
      }),
    );
  });

  it("lets rules win over weights, in order, even towards a zero-weight variant", () => {
    const cfg = config({
      variants: [
        { name: "stable", alias: "production", weight: 100 },
        { name: "candidate", version: 4, weight: 0 },
      ],
      rules: [
        { header: "x-segment", equals: "beta", variant: "candidate" },
        { header: "x-segment", prefix: "be", variant: "stable" },
        { parameter: "tier", equals: "2", variant: "candidate" },
        { header: "user-agent", regex: "(iPhone|Android)", variant: "candidate" },
      ],
    });
    const route = (headers: Record<string, string>, parameters?: Record<string, unknown>) =>
      routeRequest(cfg, resolved, { headers, parameters, randomKey: 0.99 });
    expect(route({ "X-Segment": "beta" })).toEqual({ variant: "candidate", version: 4, reason: "rule", ruleIndex: 0 });
    expect(route({ "x-segment": "bet" })).toMatchObject({ variant: "stable", reason: "rule", ruleIndex: 1 });
    expect(route({}, { tier: 2 })).toMatchObject({ variant: "candidate", ruleIndex: 2 });
    expect(route({ "user-agent": "Mozilla/5.0 (Linux; Android 14)" })).toMatchObject({ variant: "candidate", ruleIndex: 3 });
    expect(route({ "user-agent": "a".repeat(2000) + "Android" })).toMatchObject({ variant: "stable", reason: "weight" });
    expect(route({ "x-segment": "alpha" })).toEqual({ variant: "stable", version: 3, reason: "weight" });
  });

  it("keeps a sticky key on the same variant whatever the draw and however the variants are listed", () => {
    const cfg = split(50, 50);
    const reversed = { ...cfg, variants: [...cfg.variants].reverse() };
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (user, draw) => {
        const first = routeRequest(cfg, resolved, { headers: { "x-user-id": user } });
        expect(first.reason).toBe("sticky");
        expect(routeRequest(cfg, resolved, { headers: { "x-user-id": user }, randomKey: draw })).toEqual(first);
        expect(routeRequest(reversed, resolved, { headers: { "x-user-id": user } })).toEqual(first);
      }),
    );
  });

  it("moves about 10 % of sticky keys when 50/50 becomes 60/40, not half", () => {
    const before = split(50, 50);
    const after = split(60, 40);
    const moved = keys.filter((k) => {
      const headers = { "x-user-id": k };
      return routeRequest(before, resolved, { headers }).variant !== routeRequest(after, resolved, { headers }).variant;
    }).length;
    expect(moved / keys.length).toBeGreaterThanOrEqual(0.08);
    expect(moved / keys.length).toBeLessThanOrEqual(0.12);
  });

  it("hashes keys to the same frozen points on every machine", () => {
    // Changing these re-shuffles every sticky user in production: do not, without a migration plan.
    expect(hashToUnit("user-1")).toBe(0.4670340372249484);
    expect(hashToUnit("été")).toBe(0.6308185562957078);
    expect(hashToUnit("user-1", "shadow")).toBe(0.20513166161254048);
    const buckets = new Array(10).fill(0);
    for (const k of keys) buckets[Math.floor(hashToUnit(k) * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });

  it("falls back to a random draw when the sticky key is missing or empty", () => {
    const cfg = split(50, 50);
    expect(routeRequest(cfg, resolved, { headers: { "x-user-id": "" }, randomKey: 0.1 }).reason).toBe("weight");
    expect(routeRequest(cfg, resolved, { headers: {}, randomKey: 0.1 }).variant).toBe("candidate"); // name order: candidate first
    expect(routeRequest(cfg, resolved, { headers: {}, randomKey: 0.9 }).variant).toBe("stable");
  });

  it("lays the weight ranges out in variant-name order", () => {
    expect(weightRanges(split(80, 20).variants)).toEqual([
      { variant: "candidate", weight: 20, share: 0.2, from: 0, to: 0.2 },
      { variant: "stable", weight: 80, share: 0.8, from: 0.2, to: 1 },
    ]);
  });
});

describe("shouldShadow", () => {
  const withShadow = (percent: number) => config({ variants: [{ name: "a", version: 1, weight: 1 }], shadow: { version: 2, percent } });

  it("mirrors about the configured share, stably per key", () => {
    let mirrored = 0;
    for (let i = 0; i < 10_000; i++) if (shouldShadow(withShadow(10))) mirrored++;
    expect(Math.abs(mirrored / 10_000 - 0.1)).toBeLessThanOrEqual(0.02);
    const byKey = keys.filter((k) => shouldShadow(withShadow(10), k));
    expect(Math.abs(byKey.length / keys.length - 0.1)).toBeLessThanOrEqual(0.02);
    expect(byKey.every((k) => shouldShadow(withShadow(10), k))).toBe(true);
  });

  it("never mirrors at 0 % or without a shadow, always at 100 %", () => {
    expect(shouldShadow(withShadow(0), 0)).toBe(false);
    expect(shouldShadow(config({ variants: [{ name: "a", version: 1, weight: 1 }] }), 0)).toBe(false);
    expect(shouldShadow(withShadow(100), 0.999)).toBe(true);
    expect(shouldShadow(withShadow(10), 0.05)).toBe(true);
    expect(shouldShadow(withShadow(10), 0.15)).toBe(false);
  });
});

describe("explainRoute", () => {
  it("says which rule matched, or why none did, and where the request goes", () => {
    const cfg = split(80, 20);
    const byRule = explainRoute(cfg, resolved, { headers: { "x-segment": "beta" } });
    expect(byRule.summary).toBe('this request goes to candidate (v4): rule 1 matched (header x-segment equals "beta")');
    expect(byRule.deterministic).toBe(true);

    const sticky = explainRoute(cfg, resolved, { headers: { "x-segment": "alpha", "x-user-id": "u-7" } });
    expect(sticky.rules).toEqual([
      { index: 0, variant: "candidate", outcome: "mismatch", detail: 'header x-segment is "alpha", not "beta"' },
    ]);
    expect(sticky.reason).toBe("sticky");
    expect(sticky.summary).toMatch(/^this request goes to (stable \(v3\)|candidate \(v4\)): no rule matched, and the sticky key \(header x-user-id = "u-7"\) always lands on /);
    expect(sticky.sticky).toMatchObject({ source: "header", name: "x-user-id", value: "u-7", point: hashToUnit("u-7") });

    const random = explainRoute(cfg, resolved, { headers: {} });
    expect(random.deterministic).toBe(false);
    expect(random.rules[0].detail).toBe("header x-segment is not in the request");
    expect(random.summary).toBe(
      "no rule matched and the request has no sticky key (header x-user-id), so the weights decide: 20 % to candidate (v4), 80 % to stable (v3)",
    );
  });

  it("names the single variant when all weighted traffic goes to one", () => {
    const cfg = config({ variants: [{ name: "only", version: 7, weight: 5 }] });
    expect(explainRoute(cfg, { variantVersions: { only: 7 } }, { headers: {} }).summary).toBe(
      "this request goes to only (v7): there are no rules, and all weighted traffic goes to only",
    );
  });
});
