/**
 * The routing decision for one inference request: ordered rules first, then the weights, drawn either from the
 * request's sticky key (the same key always lands on the same variant, on every replica, across restarts) or at
 * random. Pure and synchronous; the data plane calls it on the request path.
 *
 * Why ranges in name order: each variant owns a slice of [0, 1) proportional to its weight, laid out in variant
 * name order (not list order, which an editor may shuffle). A key's point never moves, so a weight change only
 * moves the keys whose point falls in a slice that changed owner: 50/50 → 60/40 moves 10 % of keys, not half.
 */
import type { EndpointConfig, Variant } from "./endpoint-config.schema";
import { hashToUnit } from "./hash-to-unit";
import { matchRule, readStickyKey, type RoutableRequest } from "./match-rule";

export type { RoutableRequest } from "./match-rule";

export type RouteReason = "rule" | "sticky" | "weight";

export interface RouteDecision {
  variant: string;
  version: number;
  reason: RouteReason;
  /** Index into `config.rules` of the rule that decided (reason "rule"). */
  ruleIndex?: number;
}

export interface WeightRange {
  variant: string;
  weight: number;
  /** weight / total weight. */
  share: number;
  /** The variant's slice of [0, 1): from ≤ point < to. */
  from: number;
  to: number;
}

type RoutingConfig = Pick<EndpointConfig, "variants" | "rules" | "sticky">;

/**
 * Each variant's slice of [0, 1), in the fixed (name) order the router uses. Recomputed per call on purpose: at
 * most 10 variants, and no cache to go stale when an editor changes a weight in place.
 */
export function weightRanges(variants: readonly Variant[]): WeightRange[] {
  const ordered = [...variants].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const total = ordered.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  let from = 0;
  let cumulative = 0;
  return ordered.map((v) => {
    cumulative += Math.max(0, v.weight);
    const to = total > 0 ? cumulative / total : 0;
    const range = { variant: v.name, weight: v.weight, share: total > 0 ? Math.max(0, v.weight) / total : 0, from, to };
    from = to;
    return range;
  });
}

/** The variant whose slice holds the point; zero-weight variants have empty slices and are never chosen. */
export function pickVariant(variants: readonly Variant[], point: number): string {
  const ranges = weightRanges(variants);
  let last: string | undefined;
  for (const r of ranges) {
    if (r.share <= 0) continue;
    last = r.variant;
    if (point < r.to) return r.variant;
  }
  // Only reached for a point at 1 or past the last boundary by rounding.
  if (last === undefined) throw new Error("no variant has a weight above 0");
  return last;
}

function clampUnit(x: number | undefined): number {
  if (x === undefined || !Number.isFinite(x)) return Math.random();
  return Math.min(Math.max(x, 0), 1 - Number.EPSILON);
}

export function versionOf(resolved: { variantVersions: Readonly<Record<string, number>> }, variant: string): number {
  if (!Object.hasOwn(resolved.variantVersions, variant)) {
    throw new Error(`variant "${variant}" has no resolved version (resolveVariants was not run on this config)`);
  }
  return resolved.variantVersions[variant];
}

export function routeRequest(
  config: RoutingConfig,
  resolved: { variantVersions: Readonly<Record<string, number>> },
  request: RoutableRequest,
): RouteDecision {
  const rules = config.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    if (matchRule(rules[i], request) === "match") {
      const variant = rules[i].variant;
      return { variant, version: versionOf(resolved, variant), reason: "rule", ruleIndex: i };
    }
  }
  const key = readStickyKey(config.sticky, request);
  if (key !== undefined) {
    const variant = pickVariant(config.variants, hashToUnit(key));
    return { variant, version: versionOf(resolved, variant), reason: "sticky" };
  }
  const variant = pickVariant(config.variants, clampUnit(request.randomKey));
  return { variant, version: versionOf(resolved, variant), reason: "weight" };
}

/**
 * Whether to mirror this request to the shadow version. A string (e.g. the sticky key or request id) gives a
 * stable answer for that key, salted so it is independent of which variant the key routes to; a number in
 * [0, 1) is used as the draw; nothing means Math.random().
 */
export function shouldShadow(config: Pick<EndpointConfig, "shadow">, keyOrRandom?: string | number): boolean {
  const percent = config.shadow?.percent ?? 0;
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const point = typeof keyOrRandom === "string" ? hashToUnit(keyOrRandom, "shadow") : clampUnit(keyOrRandom);
  return point < percent / 100;
}
