import { describe, expect, it } from "vitest";
import { endpointConfigIssues, parseEndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { configFromDraft, draftFromConfig, formatShare, moveItem, parseHeaderLines, variantShares } from "./routing-draft";

const config = {
  model: "fraud",
  variants: [
    { name: "stable", alias: "production", weight: 80 },
    { name: "candidate", version: 4, weight: 20 },
  ],
  rules: [
    { header: "x-segment", equals: "beta", variant: "candidate" },
    { parameter: "tier", present: true as const, variant: "stable" },
  ],
  sticky: { header: "x-user-id" },
  shadow: { version: 5, percent: 10 },
  rollout: { candidateVersion: 4, steps: [5, 25, 100], bakeSeconds: 120, guards: { maxErrorRateRatio: 1.5 } },
  batching: { maxBatchSize: 8 },
};

describe("routing draft", () => {
  it("round-trips a full config, keeping fields the editor does not show", () => {
    const draft = draftFromConfig(config, "fraud");
    expect(draft.variants.map((v) => v.target)).toEqual(["a:production", "v:4"]);
    expect(draft.rules[1]).toMatchObject({ source: "parameter", name: "tier", match: "present" });
    const back = configFromDraft(draft);
    expect(parseEndpointConfig(back)).toEqual(parseEndpointConfig(config));
  });

  it("turns typed mistakes into schema issues the editor shows inline", () => {
    const draft = draftFromConfig(config, "fraud");
    draft.rules[0].variant = "nope";
    draft.rollout.steps = "50, 20";
    const issues = endpointConfigIssues(configFromDraft(draft));
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(["rollout.steps[1]", "rollout.steps"]));
    draft.rollout.steps = "5, 100";
    expect(endpointConfigIssues(configFromDraft(draft)).map((i) => i.path)).toEqual(["rules[0].variant"]);
  });

  it("computes live shares like the router", () => {
    expect(variantShares([{ name: "a", weight: 80 }, { name: "b", weight: 20 }])).toEqual({ a: 0.8, b: 0.2 });
    expect(variantShares([{ name: "a", weight: 1 }, { name: "b", weight: 2 }, { name: "c", weight: 0 }]).b).toBeCloseTo(2 / 3);
    expect(variantShares([{ name: "a", weight: 0 }])).toEqual({ a: 0 });
    expect(formatShare(0.8)).toBe("80 %");
    expect(formatShare(1 / 3)).toBe("33.3 %");
  });

  it("moves rules and parses header lines", () => {
    expect(moveItem([1, 2, 3], 2, -1)).toEqual([1, 3, 2]);
    expect(moveItem([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    expect(parseHeaderLines("X-Segment: beta\nbad line\nx-user-id:  42 \n")).toEqual({ "x-segment": "beta", "x-user-id": "42" });
  });
});
