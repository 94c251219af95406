import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseEndpointConfig } from "./endpoint-config.schema";
import { resolveVariants } from "./resolve-variants";
import { routeRequest } from "./route-request";

const config = parseEndpointConfig({
  model: "fraud",
  variants: [
    { name: "stable", alias: "production", weight: 80 },
    { name: "candidate", version: 4, weight: 20 },
  ],
  shadow: { alias: "staging", percent: 10 },
  rollout: { candidateVariant: "candidate", steps: [10, 100], bakeSeconds: 60 },
});

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an error");
}

describe("resolveVariants", () => {
  it("maps alias and version variants, the shadow and the canary candidate to versions", () => {
    expect(resolveVariants(config, { production: 3, staging: 5 })).toEqual({
      variantVersions: { stable: 3, candidate: 4 },
      shadowVersion: 5,
      candidateVersion: 4,
    });
  });

  it("follows a promotion: the same config routes to the alias's new version", () => {
    const before = resolveVariants(config, { production: 3, staging: 5 });
    const after = resolveVariants(config, { production: 5, staging: 5 });
    const request = { headers: {}, randomKey: 0.9 };
    expect(routeRequest(config, before, request)).toMatchObject({ variant: "stable", version: 3 });
    expect(routeRequest(config, after, request)).toMatchObject({ variant: "stable", version: 5 });
  });

  it("names every missing alias and the aliases that do exist", () => {
    const e = errorOf(() => resolveVariants(config, { prod: 3, constructor: 1 }));
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      'variants[0].alias: model "fraud" has no alias "production" (its aliases: "constructor" → v1, "prod" → v3); ' +
        'shadow.alias: model "fraud" has no alias "staging" (its aliases: "constructor" → v1, "prod" → v3)',
    );
    expect(errorOf(() => resolveVariants(config, {})).message).toContain("it has no aliases yet; promote a version first");
  });

  it("does not mistake inherited object properties for aliases", () => {
    const c = parseEndpointConfig({ model: "m", variants: [{ name: "a", alias: "constructor", weight: 1 }] });
    expect(errorOf(() => resolveVariants(c, {})).message).toMatch(/has no alias "constructor"/);
  });

  it("checks pinned versions against the model's versions when given", () => {
    const e = errorOf(() => resolveVariants(config, { production: 3, staging: 5 }, { versions: [1, 2, 3] }));
    expect(e.message).toBe('variants[1].version: model "fraud" has no version 4 (latest is v3)');
    const byVersion = parseEndpointConfig({ ...config, rollout: { candidateVersion: 9, steps: [100], bakeSeconds: 0 } });
    expect(errorOf(() => resolveVariants(byVersion, { production: 3, staging: 5 }, { versions: [3, 4, 5] })).message).toBe(
      'rollout.candidateVersion: model "fraud" has no version 9',
    );
  });
});
