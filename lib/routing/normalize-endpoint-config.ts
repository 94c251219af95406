/**
 * The endpoint config with every default filled in, which is what the data plane and the canary job read.
 * Defaults live here (not in the schema) so a stored config picks up a changed default without rewriting rows.
 * Pure.
 */
import type {
  BatchingConfig,
  EndpointConfig,
  RolloutGuards,
  RolloutPolicy,
  RoutingRule,
  ShadowConfig,
  StickyKey,
  Variant,
} from "./endpoint-config.schema";

export const ROUTING_DEFAULTS = {
  /**
   * Small models are dominated by per-call overhead, so batching pays; 2 ms of waiting is below notice. 256 rows lets
   * several clients' 64-row requests share a run: each run costs a cross-thread round trip (20–40 µs of CPU to wake
   * a thread on the VMs measured), and at 32 a 64-row request always ran alone (batch-64 bench: +35–70 % rows/s).
   */
  batching: { maxBatchSize: 256, maxQueueDelayMs: 2 },
  limits: { queueSize: 1000, timeoutMs: 30_000 },
  /** Candidate may be up to 2× the stable error rate and 1.5× its p95 latency, judged after 100 requests. */
  guards: { maxErrorRateRatio: 2, maxP95LatencyRatio: 1.5, minRequests: 100 },
} as const;

export type NormalizedRolloutGuards = RolloutGuards & { maxErrorRateRatio: number; maxP95LatencyRatio: number; minRequests: number };
export type NormalizedRollout = Omit<RolloutPolicy, "guards" | "stableVariant"> & {
  stableVariant: string;
  guards: NormalizedRolloutGuards;
};

export interface NormalizedEndpointConfig {
  model: string;
  description: string;
  variants: Variant[];
  rules: RoutingRule[];
  sticky?: StickyKey;
  shadow?: ShadowConfig;
  batching: Required<BatchingConfig>;
  limits: { queueSize: number; timeoutMs: number; rateLimitPerSecond?: number };
  rollout?: NormalizedRollout;
  generation?: number;
}

const lower = (name: string | undefined) => (name === undefined ? undefined : name.toLowerCase());

/**
 * Lower-cases header names (again: a config may come from somewhere other than the schema) and fills defaults.
 * Expects a config that passed `endpointConfigSchema`.
 */
export function normalizeEndpointConfig(config: EndpointConfig): NormalizedEndpointConfig {
  const rules = (config.rules ?? []).map((rule) =>
    rule.header === undefined ? { ...rule } : { ...rule, header: lower(rule.header) },
  );
  const sticky = config.sticky && (config.sticky.header !== undefined ? { header: lower(config.sticky.header) } : { ...config.sticky });
  const normalized: NormalizedEndpointConfig = {
    model: config.model,
    description: config.description ?? "",
    variants: config.variants.map((v) => ({ ...v })),
    rules,
    batching: { ...ROUTING_DEFAULTS.batching, ...definedOnly(config.batching) },
    limits: { ...ROUTING_DEFAULTS.limits, ...definedOnly(config.limits) },
  };
  if (sticky) normalized.sticky = sticky;
  if (config.shadow) normalized.shadow = { ...config.shadow };
  if (config.rollout) normalized.rollout = normalizeRollout(config.rollout, config.variants);
  if (config.generation !== undefined) normalized.generation = config.generation;
  return normalized;
}

function normalizeRollout(rollout: RolloutPolicy, variants: Variant[]): NormalizedRollout {
  const { guards, stableVariant, ...rest } = rollout;
  return {
    ...rest,
    stableVariant: stableVariant ?? defaultStableVariant(rollout, variants),
    guards: { ...ROUTING_DEFAULTS.guards, ...definedOnly(guards) },
  };
}

/**
 * The variant a canary is compared with and falls back to: the heaviest variant that is not the candidate
 * (by name, then version pin), ties broken by name so every replica picks the same one.
 */
export function defaultStableVariant(rollout: Pick<RolloutPolicy, "candidateVariant" | "candidateVersion">, variants: Variant[]): string {
  const others = variants.filter(
    (v) => v.name !== rollout.candidateVariant && (rollout.candidateVersion === undefined || v.version !== rollout.candidateVersion),
  );
  const pool = others.length > 0 ? others : variants;
  return [...pool].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0].name;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
