/**
 * How a rollout step is written into an endpoint's routing config: the candidate variant (pinned to the candidate
 * version, added when missing) gets the step's percentage, the stable variant the rest, and every other variant 0,
 * so "5 %" means 5 % of the weighted traffic, whatever the weights were before. Header rules still win over weights
 * (a "beta testers → candidate" rule keeps working during the canary). Pure.
 */
import type { EndpointConfig, RolloutGuards, Variant } from "@/lib/routing/endpoint-config.schema";

export const DEFAULT_CANDIDATE_VARIANT = "candidate";

export interface RolloutTarget {
  candidateVariant: string;
  stableVariant: string;
  candidateVersion: number;
}

export interface RolloutPolicyWrite {
  steps: number[];
  bakeSeconds: number;
  guards?: RolloutGuards;
}

/** The config with the step's weights (and, when given, the policy that the rollout runs) applied. */
export function withRolloutWeights(
  config: EndpointConfig,
  target: RolloutTarget,
  candidatePercent: number,
  policy?: RolloutPolicyWrite,
): EndpointConfig {
  const { generation: _generation, ...rest } = config;
  const variants: Variant[] = config.variants.map((v) => ({ ...v }));
  let candidate = variants.find((v) => v.name === target.candidateVariant);
  if (!candidate) {
    candidate = { name: target.candidateVariant, version: target.candidateVersion, weight: 0 };
    variants.push(candidate);
  } else if (candidate.version !== target.candidateVersion || candidate.alias !== undefined) {
    delete candidate.alias;
    candidate.version = target.candidateVersion;
  }
  for (const v of variants) {
    if (v.name === target.candidateVariant) v.weight = candidatePercent;
    else if (v.name === target.stableVariant) v.weight = 100 - candidatePercent;
    else v.weight = 0;
  }
  const next: EndpointConfig = { ...rest, variants };
  if (policy) {
    next.rollout = {
      candidateVariant: target.candidateVariant,
      stableVariant: target.stableVariant,
      steps: [...policy.steps],
      bakeSeconds: policy.bakeSeconds,
      ...(policy.guards ? { guards: { ...policy.guards } } : {}),
    };
  }
  return next;
}

/**
 * The name of the rollout's candidate variant in a stored config: the policy's `candidateVariant`, else the variant
 * pinned to the candidate version, else "candidate" (what startRollout adds).
 */
export function candidateVariantName(config: Pick<EndpointConfig, "variants" | "rollout">, candidateVersion: number): string {
  if (config.rollout?.candidateVariant) return config.rollout.candidateVariant;
  return config.variants.find((v) => v.version === candidateVersion && v.name !== config.rollout?.stableVariant)?.name ?? DEFAULT_CANDIDATE_VARIANT;
}
