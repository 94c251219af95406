/**
 * The canary guard's judgement for one running rollout, given what its variants did since the current step
 * started. Pure, so every threshold is tested without a database; run-rollout-guards.ts gathers the numbers and
 * acts on the answer.
 *
 * Order of judgement: guards first (a breach rolls back even before the bake time is over), then "enough data?",
 * then "baked long enough?". A candidate that receives no traffic never advances: the job will not promote what it
 * has not seen.
 */
import type { NormalizedRolloutGuards } from "@/lib/routing/normalize-endpoint-config";

/** Error-rate differences below one percentage point never trip (0 % vs 0.1 % is noise, not a regression). */
export const ERROR_RATE_FLOOR = 0.01;
/** p95 differences below 5 ms never trip: the histogram buckets are coarse and small models are sub-millisecond. */
export const LATENCY_FLOOR_MS = 5;

export interface RolloutState {
  status: string;
  steps: readonly number[];
  currentStep: number;
  bakeSeconds: number;
  stepStartedAt: Date;
  guards: NormalizedRolloutGuards;
}

export interface VariantMetrics {
  requests: number;
  errors: number;
  /** From merged latency buckets; null with no requests. */
  p95Ms: number | null;
}

export interface RolloutMetrics {
  candidate: VariantMetrics;
  stable: VariantMetrics;
  /** Share of drifted features in the latest drift report since the rollout started (null: none yet). */
  driftShare?: number | null;
  /** Shadow comparisons recorded on the candidate version's rows. */
  shadow?: { count: number; agree: number };
}

export type RolloutGuardName = "error_rate" | "p95_latency" | "drift" | "shadow_disagreement";

export interface RolloutDecision {
  action: "wait" | "advance" | "promote" | "rollback";
  reason: string;
  /** Set on rollback: which guard, the observed value and the limit it crossed (for the alert). */
  breach?: { guard: RolloutGuardName; value: number; threshold: number };
}

const pct = (x: number) => `${(Math.round(x * 10_000) / 100).toString()} %`;
const ms = (x: number) => `${Math.round(x * 100) / 100} ms`;

export function decideRolloutStep(state: RolloutState, metrics: RolloutMetrics, now: Date): RolloutDecision {
  if (state.status !== "running") return { action: "wait", reason: `the rollout is ${state.status}` };
  const g = state.guards;
  const { candidate, stable } = metrics;

  if (g.maxDriftShare !== undefined && metrics.driftShare != null && metrics.driftShare > g.maxDriftShare) {
    return {
      action: "rollback",
      reason: `drift: ${pct(metrics.driftShare)} of features drifted, above the limit of ${pct(g.maxDriftShare)}`,
      breach: { guard: "drift", value: metrics.driftShare, threshold: g.maxDriftShare },
    };
  }

  const shadow = metrics.shadow;
  if (g.maxShadowDisagreement !== undefined && shadow && shadow.count > 0 && shadow.count >= g.minRequests) {
    const disagreement = 1 - shadow.agree / shadow.count;
    if (disagreement > g.maxShadowDisagreement) {
      return {
        action: "rollback",
        reason: `shadow disagreement: the candidate disagreed with the primary on ${pct(disagreement)} of ${shadow.count} mirrored requests, above the limit of ${pct(g.maxShadowDisagreement)}`,
        breach: { guard: "shadow_disagreement", value: disagreement, threshold: g.maxShadowDisagreement },
      };
    }
  }

  if (candidate.requests > 0 && candidate.requests >= g.minRequests) {
    const candRate = candidate.errors / candidate.requests;
    const stableRate = stable.requests > 0 ? stable.errors / stable.requests : 0;
    const allowed = Math.max(stableRate * g.maxErrorRateRatio, stableRate + ERROR_RATE_FLOOR);
    if (candRate > allowed) {
      return {
        action: "rollback",
        reason: `error rate: the candidate failed ${pct(candRate)} of ${candidate.requests} requests against ${pct(stableRate)} on the stable variant (limit ${pct(allowed)}: ${g.maxErrorRateRatio}× stable, at least ${pct(ERROR_RATE_FLOOR)} above it)`,
        breach: { guard: "error_rate", value: candRate, threshold: allowed },
      };
    }
    // Latency is judged only against a baseline with enough requests of its own.
    if (candidate.p95Ms !== null && stable.p95Ms !== null && stable.requests >= Math.max(1, g.minRequests)) {
      const allowedMs = Math.max(stable.p95Ms * g.maxP95LatencyRatio, stable.p95Ms + LATENCY_FLOOR_MS);
      if (candidate.p95Ms > allowedMs) {
        return {
          action: "rollback",
          reason: `p95 latency: the candidate's p95 is ${ms(candidate.p95Ms)} against ${ms(stable.p95Ms)} on the stable variant (limit ${ms(allowedMs)}: ${g.maxP95LatencyRatio}× stable, at least ${LATENCY_FLOOR_MS} ms above it)`,
          breach: { guard: "p95_latency", value: candidate.p95Ms, threshold: allowedMs },
        };
      }
    }
  }

  const stepPercent = state.steps[state.currentStep];
  if (candidate.requests < g.minRequests) {
    return { action: "wait", reason: `step ${state.currentStep + 1} (${stepPercent} %): ${candidate.requests} of ${g.minRequests} requests needed before judging` };
  }
  const elapsed = (now.getTime() - state.stepStartedAt.getTime()) / 1000;
  if (elapsed < state.bakeSeconds) {
    return { action: "wait", reason: `step ${state.currentStep + 1} (${stepPercent} %): healthy, baking ${Math.ceil(state.bakeSeconds - elapsed)} s more` };
  }
  const last = state.currentStep >= state.steps.length - 1;
  if (last) {
    return { action: "promote", reason: `healthy at ${stepPercent} % for ${Math.round(elapsed)} s over ${candidate.requests} requests` };
  }
  return {
    action: "advance",
    reason: `healthy at ${stepPercent} % for ${Math.round(elapsed)} s over ${candidate.requests} requests; next ${state.steps[state.currentStep + 1]} %`,
  };
}
