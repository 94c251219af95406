/* eslint-disable @typescript-eslint/no-explicit-any -- these tests break the body in ways its type forbids */
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { endpointConfigIssues, formatIssuePath, parseEndpointConfig } from "./endpoint-config.schema";
import { ROUTING_DEFAULTS, normalizeEndpointConfig } from "./normalize-endpoint-config";

/** The PUT /api/endpoints/{name} example of DESIGN.md. */
const example = () => ({
  model: "fraud",
  variants: [
    { name: "stable", alias: "production", weight: 80 },
    { name: "candidate", version: 4, weight: 20 },
  ],
  rules: [{ header: "X-Segment", equals: "beta", variant: "candidate" }],
  sticky: { header: "X-User-Id" },
  shadow: { version: 5, percent: 10 },
  generation: 7,
});

/** The example with one change, reported as "path: message" lines. */
function problems(change: (body: ReturnType<typeof example> & Record<string, unknown>) => void): string[] {
  const body = example() as ReturnType<typeof example> & Record<string, unknown>;
  change(body);
  return endpointConfigIssues(body).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
}

describe("endpointConfigSchema", () => {
  it("accepts DESIGN.md's example and lower-cases header names", () => {
    const config = parseEndpointConfig(example());
    expect(config.rules?.[0].header).toBe("x-segment");
    expect(config.sticky).toEqual({ header: "x-user-id" });
    expect(config.variants[1]).toEqual({ name: "candidate", version: 4, weight: 20 });
  });

  it.each([
    ["a negative weight", (b: any) => (b.variants[1].weight = -1), "variants[1].weight: must be ≥ 0"],
    ["a weight that is text", (b: any) => (b.variants[0].weight = "80"), "variants[0].weight: must be a number"],
    ["a missing weight", (b: any) => delete b.variants[0].weight, "variants[0].weight: is required"],
    ["all weights zero", (b: any) => b.variants.forEach((v: any) => (v.weight = 0)), "variants: at least one variant needs a weight above 0"],
    ["both version and alias", (b: any) => (b.variants[0].version = 2), 'variants[0]: give only one of "version", "alias", not both'],
    ["neither version nor alias", (b: any) => delete b.variants[1].version, 'variants[1]: needs one of "version", "alias" (e.g. "version": 3 or "alias": "production")'],
    ["version 0", (b: any) => (b.variants[1].version = 0), "variants[1].version: must be a version number ≥ 1"],
    ["a fractional version", (b: any) => (b.variants[1].version = 1.5), "variants[1].version: must be a whole number"],
    ["duplicate names", (b: any) => { b.variants[1].name = "stable"; b.rules[0].variant = "stable"; }, 'variants[1].name: "stable" is already the name of variants[0]; variant names must be unique'],
    ["no variants", (b: any) => { b.variants = []; b.rules = []; }, "variants: needs at least one variant"],
    ["eleven variants", (b: any) => { b.variants = Array.from({ length: 11 }, (_, i) => ({ name: `v${i}`, version: i + 1, weight: 1 })); b.rules = []; }, "variants: at most 10 variants"],
    ["an uppercase model", (b: any) => (b.model = "Fraud"), "model: the model name 'Fraud' has uppercase letters; use lowercase ('fraud')"],
    ["a rule to an unknown variant", (b: any) => (b.rules[0].variant = "canary"), 'rules[0].variant: "canary" is not one of the variants (stable, candidate)'],
    ["a rule with header and parameter", (b: any) => (b.rules[0].parameter = "segment"), 'rules[0]: give only one of "header", "parameter", not both'],
    ["a rule with no key", (b: any) => delete b.rules[0].header, 'rules[0]: needs one of "header", "parameter" (e.g. "header": "x-segment")'],
    ["a rule with two matchers", (b: any) => (b.rules[0].prefix = "be"), 'rules[0]: give only one of "equals", "prefix", not both'],
    ["a rule with no matcher", (b: any) => delete b.rules[0].equals, 'rules[0]: needs one of "equals", "prefix", "regex", "present" (e.g. "equals": "beta")'],
    ["present: false", (b: any) => { delete b.rules[0].equals; b.rules[0].present = false; }, "rules[0].present: must be true (delete the rule to stop matching on this key)"],
    ["a header name with a space", (b: any) => (b.rules[0].header = "x segment"), "rules[0].header: is not a valid HTTP header name (letters, digits and - only, e.g. x-user-id)"],
    ["an invalid regex", (b: any) => { delete b.rules[0].equals; b.rules[0].regex = "(beta"; }, "rules[0].regex: is not a valid regular expression: /(beta/: Unterminated group"],
    ["a 201-character regex", (b: any) => { delete b.rules[0].equals; b.rules[0].regex = "a".repeat(201); }, "rules[0].regex: is 201 characters long; the limit is 200"],
    ["a backreference", (b: any) => { delete b.rules[0].equals; b.rules[0].regex = "(a)\\1"; }, "rules[0].regex: backreferences (\\1, \\2…) are not supported (at character 4)"],
    ["a typo'd field", (b: any) => (b.rules[0].equal = "x"), "rules[0]: unknown field 'equal'"],
    ["an empty sticky", (b: any) => (b.sticky = {}), 'sticky: needs one of "header", "parameter" (e.g. "header": "x-user-id")'],
    ["a shadow above 100 %", (b: any) => (b.shadow.percent = 101), "shadow.percent: must be between 0 and 100"],
    ["a shadow without a target", (b: any) => delete b.shadow.version, 'shadow: needs one of "version", "alias" (e.g. "version": 5)'],
    ["a batch of 0", (b: any) => (b.batching = { maxBatchSize: 0 }), "batching.maxBatchSize: must be between 1 and 1024"],
    ["a 2 s queue delay", (b: any) => (b.batching = { maxQueueDelayMs: 2000 }), "batching.maxQueueDelayMs: must be between 0 and 1000"],
    ["a zero rate limit", (b: any) => (b.limits = { rateLimitPerSecond: 0 }), "limits.rateLimitPerSecond: must be > 0 (leave it out for no limit)"],
    ["steps not ascending", (b: any) => (b.rollout = { candidateVariant: "candidate", steps: [5, 50, 25, 100], bakeSeconds: 60 }), "rollout.steps[2]: must be above the step before it (50)"],
    ["steps not ending at 100", (b: any) => (b.rollout = { candidateVariant: "candidate", steps: [5, 50], bakeSeconds: 60 }), "rollout.steps: must end at 100"],
    ["an unknown candidate", (b: any) => (b.rollout = { candidateVariant: "canary", steps: [100], bakeSeconds: 60 }), 'rollout.candidateVariant: "canary" is not one of the variants (stable, candidate)'],
    ["candidate = stable", (b: any) => (b.rollout = { candidateVariant: "candidate", stableVariant: "candidate", steps: [100], bakeSeconds: 0 }), "rollout.stableVariant: must differ from candidateVariant"],
    ["a guard below 1", (b: any) => (b.rollout = { candidateVersion: 6, steps: [100], bakeSeconds: 0, guards: { maxErrorRateRatio: 0.5 } }), "rollout.guards.maxErrorRateRatio: must be ≥ 1 (1 = no worse than the stable variant)"],
    ["a drift share above 1", (b: any) => (b.rollout = { candidateVersion: 6, steps: [100], bakeSeconds: 0, guards: { maxDriftShare: 2 } }), "rollout.guards.maxDriftShare: must be between 0 and 1 (the share of features allowed to drift)"],
    ["an unknown top-level field", (b: any) => (b.weights = [80, 20]), "unknown field 'weights'"],
  ])("rejects %s with an actionable message", (_name, change, expected) => {
    expect(problems(change)).toEqual([expected]);
  });

  it("reports every problem at once in a 400", () => {
    const body = example() as any;
    body.variants[1].weight = -1;
    body.shadow.percent = 200;
    try {
      parseEndpointConfig(body);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).message).toBe("variants[1].weight: must be ≥ 0; shadow.percent: must be between 0 and 100");
      expect((e as AppError).details).toEqual({
        issues: [
          { path: "variants[1].weight", message: "must be ≥ 0" },
          { path: "shadow.percent", message: "must be between 0 and 100" },
        ],
      });
    }
    expect(endpointConfigIssues("nope")).toEqual([{ path: "", message: "must be an object" }]);
  });

  it("formats paths the way people write them", () => {
    expect(formatIssuePath(["variants", 1, "weight"])).toBe("variants[1].weight");
    expect(formatIssuePath(["rollout", "steps", 0])).toBe("rollout.steps[0]");
    expect(formatIssuePath([])).toBe("");
  });
});

describe("normalizeEndpointConfig", () => {
  it("fills defaults and keeps what was given", () => {
    const n = normalizeEndpointConfig({ ...parseEndpointConfig(example()), batching: { maxBatchSize: 8 } });
    expect(n.description).toBe("");
    expect(n.batching).toEqual({ maxBatchSize: 8, maxQueueDelayMs: ROUTING_DEFAULTS.batching.maxQueueDelayMs });
    expect(n.limits).toEqual(ROUTING_DEFAULTS.limits);
    expect(n.rules).toEqual([{ header: "x-segment", equals: "beta", variant: "candidate" }]);
    expect(n.rollout).toBeUndefined();
    expect(normalizeEndpointConfig(parseEndpointConfig({ model: "m", variants: [{ name: "a", version: 1, weight: 1 }] })).rules).toEqual([]);
  });

  it("lower-cases header names even on a config that skipped the schema", () => {
    const raw = { model: "m", variants: [{ name: "a", version: 1, weight: 1 }], rules: [{ header: "X-Tier", present: true as const, variant: "a" }], sticky: { header: "X-User" } };
    const n = normalizeEndpointConfig(raw);
    expect(n.rules[0].header).toBe("x-tier");
    expect(n.sticky).toEqual({ header: "x-user" });
  });

  it("picks the heaviest other variant as the canary's stable side and fills guard defaults", () => {
    const config = parseEndpointConfig({
      ...example(),
      variants: [
        { name: "stable", alias: "production", weight: 70 },
        { name: "old", version: 2, weight: 30 },
        { name: "candidate", version: 4, weight: 0 },
      ],
      rollout: { candidateVariant: "candidate", steps: [5, 25, 50, 100], bakeSeconds: 600, guards: { maxP95LatencyRatio: 1.2 } },
    });
    expect(normalizeEndpointConfig(config).rollout).toEqual({
      candidateVariant: "candidate",
      stableVariant: "stable",
      steps: [5, 25, 50, 100],
      bakeSeconds: 600,
      guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.2, minRequests: 100 },
    });
  });
});
