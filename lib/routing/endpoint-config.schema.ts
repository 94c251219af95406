/**
 * The routing configuration of an endpoint (`PUT /api/endpoints/{name}`, stored in `Endpoint.config`), one schema
 * for the control plane that saves it, the dashboard that edits it and the data plane that obeys it. Pure.
 *
 * Messages are written for the person who sent the body: each issue has a path like `variants[1].weight` and a
 * message like `must be ≥ 0`. Header names are lower-cased while parsing (HTTP header names are
 * case-insensitive). Defaults are not written into the parsed value: they are filled at use time by
 * `normalizeEndpointConfig`, so a stored config picks up a better default without a migration.
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import { nameProblem } from "@/lib/registry/model-name";
import { rulePatternProblem } from "./rule-pattern";

export const MAX_VARIANTS = 10;
export const MAX_RULES = 50;
export const MAX_MATCH_TEXT_LENGTH = 1024;

type RawIssue = { code?: string; input?: unknown; keys?: string[] };

/** "is required" when the field is missing, otherwise "must be <kind>". */
const expected = (kind: string) => ({
  error: (issue: RawIssue) => (issue.input === undefined ? "is required" : `must be ${kind}`),
});

function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue: RawIssue) => {
      if (issue.code === "unrecognized_keys" && issue.keys) {
        const names = issue.keys.map((k) => `'${k}'`).join(", ");
        return issue.keys.length === 1 ? `unknown field ${names}` : `unknown fields ${names}`;
      }
      return issue.input === undefined ? "is required" : "must be an object";
    },
  });
}

const nameOf = (what: string) =>
  z.string(expected("a string")).superRefine((name, ctx) => {
    const problem = nameProblem(name, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const versionNumber = z.int(expected("a whole number")).min(1, "must be a version number ≥ 1");

/** RFC 9110 token characters; lower-cased because header names are case-insensitive. */
const headerName = z
  .string(expected("a string"))
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "is not a valid HTTP header name (letters, digits and - only, e.g. x-user-id)")
  .toLowerCase(); // an in-place overwrite, not a transform: the schema stays representable in OpenAPI

const parameterName = z
  .string(expected("a string"))
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters");

const matchText = z.string(expected("a string")).max(MAX_MATCH_TEXT_LENGTH, `must be at most ${MAX_MATCH_TEXT_LENGTH} characters`);

const fraction = (what: string) =>
  z.number(expected("a number")).min(0, `must be between 0 and 1 (${what})`).max(1, `must be between 0 and 1 (${what})`);

function exactlyOne(value: Record<string, unknown>, keys: string[], ctx: z.RefinementCtx, example: string) {
  const given = keys.filter((k) => value[k] !== undefined);
  const quoted = keys.map((k) => `"${k}"`);
  if (given.length === 0) ctx.addIssue({ code: "custom", message: `needs one of ${quoted.join(", ")} (${example})` });
  if (given.length > 1) {
    ctx.addIssue({ code: "custom", message: `give only one of ${given.map((k) => `"${k}"`).join(", ")}, not ${given.length === 2 ? "both" : "several"}` });
  }
}

export const variantSchema = strictObject({
  name: nameOf("variant name"),
  version: versionNumber.optional(),
  alias: nameOf("alias name").optional(),
  weight: z.number(expected("a number")).min(0, "must be ≥ 0").max(1_000_000, "must be ≤ 1000000"),
}).superRefine((v, ctx) => exactlyOne(v, ["version", "alias"], ctx, 'e.g. "version": 3 or "alias": "production"'));

export const routingRuleSchema = strictObject({
  header: headerName.optional(),
  parameter: parameterName.optional(),
  equals: matchText.optional(),
  prefix: matchText.min(1, "must not be empty; use `present: true` to match any value").optional(),
  regex: z
    .string(expected("a string"))
    .superRefine((pattern, ctx) => {
      const problem = rulePatternProblem(pattern);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  present: z.literal(true, { error: "must be true (delete the rule to stop matching on this key)" }).optional(),
  variant: z.string(expected("a variant name")),
}).superRefine((rule, ctx) => {
  exactlyOne(rule, ["header", "parameter"], ctx, 'e.g. "header": "x-segment"');
  exactlyOne(rule, ["equals", "prefix", "regex", "present"], ctx, 'e.g. "equals": "beta"');
});

export const stickySchema = strictObject({
  header: headerName.optional(),
  parameter: parameterName.optional(),
}).superRefine((s, ctx) => exactlyOne(s, ["header", "parameter"], ctx, 'e.g. "header": "x-user-id"'));

export const shadowSchema = strictObject({
  version: versionNumber.optional(),
  alias: nameOf("alias name").optional(),
  percent: z.number(expected("a number")).min(0, "must be between 0 and 100").max(100, "must be between 0 and 100"),
}).superRefine((s, ctx) => exactlyOne(s, ["version", "alias"], ctx, 'e.g. "version": 5'));

export const batchingSchema = strictObject({
  maxBatchSize: z.int(expected("a whole number")).min(1, "must be between 1 and 1024").max(1024, "must be between 1 and 1024").optional(),
  maxQueueDelayMs: z.number(expected("a number")).min(0, "must be between 0 and 1000").max(1000, "must be between 0 and 1000").optional(),
});

export const limitsSchema = strictObject({
  queueSize: z.int(expected("a whole number")).min(1, "must be ≥ 1").max(100_000, "must be ≤ 100000").optional(),
  timeoutMs: z.int(expected("a whole number")).min(1, "must be ≥ 1").max(600_000, "must be ≤ 600000 (10 minutes)").optional(),
  rateLimitPerSecond: z.number(expected("a number")).positive("must be > 0 (leave it out for no limit)").max(1_000_000, "must be ≤ 1000000").optional(),
});

export const rolloutGuardsSchema = strictObject({
  maxErrorRateRatio: z.number(expected("a number")).min(1, "must be ≥ 1 (1 = no worse than the stable variant)").optional(),
  maxP95LatencyRatio: z.number(expected("a number")).min(1, "must be ≥ 1 (1 = no slower than the stable variant)").optional(),
  maxDriftShare: fraction("the share of features allowed to drift").optional(),
  maxShadowDisagreement: fraction("the share of requests allowed to disagree").optional(),
  minRequests: z.int(expected("a whole number")).min(0, "must be ≥ 0").optional(),
});

export const rolloutSchema = strictObject({
  candidateVariant: z.string(expected("a variant name")).optional(),
  candidateVersion: versionNumber.optional(),
  stableVariant: z.string(expected("a variant name")).optional(),
  steps: z
    .array(z.number(expected("a number")).gt(0, "must be a percentage above 0").max(100, "must be ≤ 100"), expected("a list of percentages"))
    .min(1, "needs at least one step, e.g. [5, 25, 50, 100]")
    .max(20, "at most 20 steps"),
  bakeSeconds: z.int(expected("a whole number of seconds")).min(0, "must be ≥ 0").max(604_800, "must be ≤ 604800 (7 days)"),
  guards: rolloutGuardsSchema.optional(),
}).superRefine((r, ctx) => {
  exactlyOne(r, ["candidateVariant", "candidateVersion"], ctx, 'e.g. "candidateVariant": "candidate"');
  r.steps.forEach((step, i) => {
    if (i > 0 && step <= r.steps[i - 1]) {
      ctx.addIssue({ code: "custom", path: ["steps", i], message: `must be above the step before it (${r.steps[i - 1]})` });
    }
  });
  if (r.steps.at(-1) !== 100) ctx.addIssue({ code: "custom", path: ["steps"], message: "must end at 100" });
});

export const endpointConfigSchema = strictObject({
  model: nameOf("model name"),
  description: z.string(expected("a string")).max(2000, "must be at most 2000 characters").optional(),
  variants: z
    .array(variantSchema, expected("a list of variants"))
    .min(1, "needs at least one variant")
    .max(MAX_VARIANTS, `at most ${MAX_VARIANTS} variants`),
  rules: z.array(routingRuleSchema, expected("a list of rules")).max(MAX_RULES, `at most ${MAX_RULES} rules`).optional(),
  sticky: stickySchema.optional(),
  shadow: shadowSchema.optional(),
  batching: batchingSchema.optional(),
  limits: limitsSchema.optional(),
  rollout: rolloutSchema.optional(),
  generation: z.int(expected("a whole number")).min(1, "must be ≥ 1").optional(),
}).superRefine((config, ctx) => {
  const names = config.variants.map((v) => v.name);
  const known = `(${[...new Set(names)].join(", ")})`;
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first !== i) {
      ctx.addIssue({ code: "custom", path: ["variants", i, "name"], message: `"${name}" is already the name of variants[${first}]; variant names must be unique` });
    }
  });
  if (config.variants.length > 0 && !config.variants.some((v) => v.weight > 0)) {
    ctx.addIssue({ code: "custom", path: ["variants"], message: "at least one variant needs a weight above 0" });
  }
  config.rules?.forEach((rule, i) => {
    if (!names.includes(rule.variant)) {
      ctx.addIssue({ code: "custom", path: ["rules", i, "variant"], message: `"${rule.variant}" is not one of the variants ${known}` });
    }
  });
  const rollout = config.rollout;
  if (rollout) {
    for (const key of ["candidateVariant", "stableVariant"] as const) {
      const name = rollout[key];
      if (name !== undefined && !names.includes(name)) {
        ctx.addIssue({ code: "custom", path: ["rollout", key], message: `"${name}" is not one of the variants ${known}` });
      }
    }
    if (rollout.stableVariant !== undefined && rollout.stableVariant === rollout.candidateVariant) {
      ctx.addIssue({ code: "custom", path: ["rollout", "stableVariant"], message: "must differ from candidateVariant" });
    }
    if (rollout.candidateVariant !== undefined && rollout.stableVariant === undefined && names.length < 2) {
      ctx.addIssue({ code: "custom", path: ["rollout"], message: "a canary needs a stable variant besides the candidate" });
    }
  }
});

export type EndpointConfigInput = z.input<typeof endpointConfigSchema>;
export type EndpointConfig = z.output<typeof endpointConfigSchema>;
export type Variant = EndpointConfig["variants"][number];
export type RoutingRule = NonNullable<EndpointConfig["rules"]>[number];
export type StickyKey = NonNullable<EndpointConfig["sticky"]>;
export type ShadowConfig = NonNullable<EndpointConfig["shadow"]>;
export type BatchingConfig = NonNullable<EndpointConfig["batching"]>;
export type LimitsConfig = NonNullable<EndpointConfig["limits"]>;
export type RolloutPolicy = NonNullable<EndpointConfig["rollout"]>;
export type RolloutGuards = NonNullable<RolloutPolicy["guards"]>;

export interface ConfigIssue {
  /** e.g. "variants[1].weight" ("" for the whole body). */
  path: string;
  message: string;
}

/** `["variants", 1, "weight"]` → `variants[1].weight`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** Every problem of a body, or an empty list; what the dashboard shows inline. */
export function endpointConfigIssues(input: unknown): ConfigIssue[] {
  const result = endpointConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
}

/** The parsed config, or a 400 whose message lists every problem ("variants[1].weight: must be ≥ 0"). */
export function parseEndpointConfig(input: unknown): EndpointConfig {
  const result = endpointConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
  throw badRequest(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), { issues });
}
