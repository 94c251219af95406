/**
 * Builds what the API and pages show of an endpoint from its row, its model's aliases and the data planes'
 * EndpointState rows: each variant's share, the version it resolves to, and each instance's state for that version.
 */
import type { Db } from "@/lib/db/client";
import { weightRanges } from "@/lib/routing/route-request";
import type { EndpointListItem, InstanceState, VariantView } from "./api-schemas";

/** Data planes rewrite their rows every 30 s; older ones are from instances that stopped or cannot reach us. */
export const STALE_AFTER_MS = 90_000;

export const endpointViewInclude = {
  model: { select: { name: true, aliases: { select: { name: true, version: { select: { version: true } } } } } },
  states: true,
} as const;

type Row = Awaited<ReturnType<Db["endpoint"]["findMany"]>>[number] & {
  model: { name: string; aliases: { name: string; version: { version: number } }[] };
  states: { instanceId: string; version: number; state: string; message: string | null; generation: number; updatedAt: Date }[];
};

interface StoredVariant {
  name: string;
  version?: number;
  alias?: string;
  weight: number;
}

export function readVariants(config: unknown): StoredVariant[] {
  const variants = (config as { variants?: unknown })?.variants;
  return Array.isArray(variants) ? (variants as StoredVariant[]).filter((v) => v && typeof v.name === "string") : [];
}

export function statesFor(row: Row, version: number | null, now = Date.now()): InstanceState[] {
  if (version === null) return [];
  return row.states
    .filter((s) => s.version === version)
    .map((s) => ({
      instanceId: s.instanceId,
      state: s.state,
      message: s.message,
      generation: s.generation,
      updatedAt: s.updatedAt.toISOString(),
      stale: now - s.updatedAt.getTime() > STALE_AFTER_MS,
    }))
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}

export function resolveTarget(row: Row, t: { version?: number; alias?: string }): number | null {
  if (typeof t.version === "number") return t.version;
  return row.model.aliases.find((a) => a.name === t.alias)?.version.version ?? null;
}

export function endpointListItem(row: Row): EndpointListItem {
  const variants = readVariants(row.config);
  const shares = new Map(weightRanges(variants.map((v) => ({ ...v, weight: Number(v.weight) || 0 }))).map((r) => [r.variant, r.share]));
  const views: VariantView[] = variants.map((v) => {
    const resolvedVersion = resolveTarget(row, v);
    return {
      name: v.name,
      ...(v.version !== undefined && { version: v.version }),
      ...(v.alias !== undefined && { alias: v.alias }),
      weight: v.weight,
      share: shares.get(v.name) ?? 0,
      resolvedVersion,
      states: statesFor(row, resolvedVersion),
    };
  });
  return {
    name: row.name,
    model: row.model.name,
    description: row.description,
    generation: row.generation,
    variants: views,
    updatedAt: row.updatedAt.toISOString(),
  };
}
