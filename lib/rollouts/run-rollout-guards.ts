/**
 * The canary guard, one pass: for every running rollout, judge the current step (decideRolloutStep) on the rollups
 * since it started and act — advance a step, promote after the last, or put all traffic back on the stable variant
 * at once with an alert. Every action re-checks the rollout inside its transaction (an operator may have paused or
 * aborted it meanwhile) and is written by the system actor. Callable directly with an injected `now` (tests).
 */
import type { Db } from "@/lib/db/client";
import { SYSTEM_ACTOR } from "@/lib/audit/record-audit";
import type { Rollout } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/logger";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { parseEndpointConfig } from "@/lib/routing/endpoint-config.schema";
import { ROUTING_DEFAULTS, type NormalizedRolloutGuards } from "@/lib/routing/normalize-endpoint-config";
import { resolveVariants } from "@/lib/routing/resolve-variants";
import { decideRolloutStep, type RolloutDecision } from "./decide-rollout-step";
import { endRollout } from "./end-rollout";
import { handOverAlias } from "./hand-over-alias";
import { notifyRollout } from "./notify-rollout";
import { readRolloutMetrics } from "./read-rollout-metrics";
import { candidateVariantName } from "./rollout-config";
import { aliasVersions, lockEndpoint, logRolloutStep, writeRolloutWeights } from "./rollout-store";

export interface GuardOutcome {
  endpoint: string;
  rolloutId: string;
  decision: RolloutDecision;
  /** False when the rollout changed under the job (paused, aborted, advanced) and nothing was done. */
  applied: boolean;
}

export function rolloutGuards(stored: unknown): NormalizedRolloutGuards {
  const given = Object.fromEntries(Object.entries((stored ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "number"));
  return { ...ROUTING_DEFAULTS.guards, ...given } as NormalizedRolloutGuards;
}

export async function runRolloutGuards(o: { db: Db; now?: Date }): Promise<GuardOutcome[]> {
  const now = o.now ?? new Date();
  const running = await o.db.rollout.findMany({ where: { status: "running" }, include: { endpoint: { select: { name: true, config: true, modelId: true } } } });
  const outcomes: GuardOutcome[] = [];
  for (const rollout of running) {
    try {
      const outcome = await guardOne(o.db, rollout, now);
      if (outcome) outcomes.push(outcome);
    } catch (e) {
      logger().error({ err: e, endpoint: rollout.endpoint.name, rollout: rollout.id }, "canary guard failed for this rollout");
    }
  }
  return outcomes;
}

async function guardOne(db: Db, rollout: Rollout & { endpoint: { name: string; config: unknown; modelId: string } }, now: Date): Promise<GuardOutcome | undefined> {
  const config = parseEndpointConfig(rollout.endpoint.config);
  const aliases = await db.$transaction((tx) => aliasVersions(tx, rollout.endpoint.modelId));
  const stableVersion = resolveVariants({ ...config, shadow: undefined, rollout: undefined }, aliases).variantVersions[rollout.stableVariant];
  if (stableVersion === undefined) {
    logger().warn({ endpoint: rollout.endpoint.name }, `the rollout's stable variant "${rollout.stableVariant}" is no longer in the config`);
    return undefined;
  }
  const guards = rolloutGuards(rollout.guards);
  const metrics = await readRolloutMetrics({
    db,
    endpointId: rollout.endpointId,
    candidateVersion: rollout.candidateVersion,
    stableVersion,
    rolloutStartedAt: rollout.createdAt,
    stepStartedAt: rollout.stepStartedAt,
    minRequests: guards.minRequests,
    now,
  });
  const state = { status: rollout.status, steps: rollout.steps, currentStep: rollout.currentStep, bakeSeconds: rollout.bakeSeconds, stepStartedAt: rollout.stepStartedAt, guards };
  const decision = decideRolloutStep(state, metrics, now);
  const base = { endpoint: rollout.endpoint.name, rolloutId: rollout.id, decision };
  if (decision.action === "wait") return { ...base, applied: false };

  const applied = await db.$transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, rollout.endpoint.name);
    const current = await tx.rollout.findUnique({ where: { id: rollout.id } });
    if (!current || current.status !== "running" || current.currentStep !== rollout.currentStep) return false;
    const data = { candidate: metrics.candidate, stable: { ...metrics.stable, version: stableVersion }, driftShare: metrics.driftShare, shadow: metrics.shadow };
    if (decision.action === "advance") {
      const next = current.currentStep + 1;
      const candidateVariant = candidateVariantName(endpoint.config, current.candidateVersion);
      const { generation } = await writeRolloutWeights(tx, endpoint, { candidateVariant, stableVariant: current.stableVariant, candidateVersion: current.candidateVersion }, current.steps[next]);
      await tx.rollout.update({ where: { id: current.id }, data: { currentStep: next, stepStartedAt: now } });
      await logRolloutStep(tx, SYSTEM_ACTOR, {
        endpoint,
        rolloutId: current.id,
        action: "rollout.advance",
        message: `canary of v${current.candidateVersion} advanced to ${current.steps[next]} % (step ${next + 1} of ${current.steps.length}): ${decision.reason}`,
        before: { step: current.currentStep, percent: current.steps[current.currentStep] },
        after: { step: next, percent: current.steps[next], generation },
        reason: decision.reason,
        data: { step: next, percent: current.steps[next], generation, metrics: data },
      });
    } else {
      const outcome = decision.action === "promote" ? "promoted" : "rolled_back";
      await endRollout(tx, SYSTEM_ACTOR, endpoint, current, outcome, { reason: decision.reason, now, data: { metrics: data, breach: decision.breach } });
    }
    return true;
  });
  if (!applied) return { ...base, applied };
  await notifyRollout(rollout.endpoint.name);

  if (decision.action === "promote") {
    await handOverAlias({ db, actor: SYSTEM_ACTOR, endpointName: rollout.endpoint.name, rolloutId: rollout.id });
  }
  if (decision.action === "rollback") {
    try {
      await raiseAlert({
        db,
        endpointId: rollout.endpointId,
        signal: "canary",
        severity: "critical",
        value: decision.breach?.value ?? null,
        threshold: decision.breach?.threshold ?? null,
        title: `Canary of v${rollout.candidateVersion} on ${rollout.endpoint.name} rolled back`,
        message: `All traffic went back to ${rollout.stableVariant} (v${stableVersion}). ${decision.reason}`,
        context: { rolloutId: rollout.id, guard: decision.breach?.guard, candidateVersion: rollout.candidateVersion, stableVersion, metrics },
        chartFrom: rollout.createdAt,
        chartTo: now,
        now,
      });
    } catch (e) {
      logger().error({ err: e, endpoint: rollout.endpoint.name }, "canary rolled back, but the alert could not be raised");
    }
  }
  return { ...base, applied };
}
