/**
 * The transactional pieces every rollout mutation shares: lock the endpoint row (so a routing save, an operator's
 * click and the guard job never interleave), write a step's weights into the config with a generation bump, and
 * leave the same step on the endpoint's timeline and in the audit log.
 */
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { conflict, notFound } from "@/lib/errors";
import { parseEndpointConfig, type EndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { resolveVariants } from "@/lib/routing/resolve-variants";
import { withRolloutWeights, type RolloutPolicyWrite, type RolloutTarget } from "./rollout-config";

export const ACTIVE_STATUSES = ["running", "paused"] as const;

export interface LockedEndpoint {
  id: string;
  name: string;
  generation: number;
  config: EndpointConfig;
  model: { id: string; name: string };
}

/** SELECT … FOR UPDATE on the endpoint, then its config parsed (a config that no longer parses is a 409). */
export async function lockEndpoint(tx: Tx, endpointName: string): Promise<LockedEndpoint> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Endpoint" WHERE name = ${endpointName} FOR UPDATE`;
  if (rows.length === 0) throw notFound(`endpoint '${endpointName}' does not exist`);
  const e = await tx.endpoint.findUniqueOrThrow({ where: { id: rows[0].id }, include: { model: { select: { id: true, name: true } } } });
  let config: EndpointConfig;
  try {
    config = parseEndpointConfig(e.config);
  } catch (err) {
    throw conflict(`endpoint '${endpointName}' has a routing config that no longer validates: ${(err as Error).message}`);
  }
  return { id: e.id, name: e.name, generation: e.generation, config, model: e.model };
}

/** The model's aliases as name → version number. */
export async function aliasVersions(tx: Tx, modelId: string): Promise<Record<string, number>> {
  const aliases = await tx.alias.findMany({ where: { modelId }, select: { name: true, version: { select: { version: true } } } });
  return Object.fromEntries(aliases.map((a) => [a.name, a.version.version]));
}

export async function findActiveRollout(tx: Tx, endpointId: string) {
  return tx.rollout.findFirst({ where: { endpointId, status: { in: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: "desc" } });
}

/**
 * Writes the step's weights (validated like any routing save, and resolved against the registry so a vanished
 * alias is a clear 400), bumps the generation, and returns the new config and generation.
 */
export async function writeRolloutWeights(
  tx: Tx,
  endpoint: LockedEndpoint,
  target: RolloutTarget,
  candidatePercent: number,
  policy?: RolloutPolicyWrite,
): Promise<{ config: EndpointConfig; generation: number }> {
  const next = parseEndpointConfig(withRolloutWeights(endpoint.config, target, candidatePercent, policy));
  resolveVariants(next, await aliasVersions(tx, endpoint.model.id));
  const updated = await tx.endpoint.update({
    where: { id: endpoint.id },
    data: { config: next as unknown as Prisma.InputJsonValue, generation: { increment: 1 } },
    select: { generation: true },
  });
  return { config: next, generation: updated.generation };
}

export interface RolloutStepLog {
  endpoint: { id: string; name: string };
  rolloutId: string;
  /** e.g. rollout.start, rollout.advance, rollout.rollback. The timeline kind is the same with "_" (rollout_start). */
  action: string;
  message: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  data?: Record<string, unknown>;
}

export async function logRolloutStep(tx: Tx, actor: Actor, s: RolloutStepLog): Promise<void> {
  await tx.endpointEvent.create({
    data: {
      endpointId: s.endpoint.id,
      kind: s.action.replace(".", "_"),
      message: s.message,
      data: JSON.parse(JSON.stringify({ rolloutId: s.rolloutId, ...s.data, ...(s.reason ? { reason: s.reason } : {}) })),
      actorLabel: actor.label,
    },
  });
  await recordAudit(tx, actor, {
    action: s.action,
    objectType: "endpoint",
    objectId: s.endpoint.name,
    before: s.before,
    after: s.after,
    reason: s.reason,
  });
}
