/**
 * The operator's buttons — pause, resume, promote now, abort — each one transaction on the locked endpoint with its
 * audit event and timeline entry, then a NOTIFY when the weights changed.
 *
 * Resume restarts the current step's bake: the minutes spent paused were not watched by the guard's clock.
 */
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import type { Rollout } from "@/lib/generated/prisma/client";
import { conflict } from "@/lib/errors";
import { endRollout } from "./end-rollout";
import { handOverAlias } from "./hand-over-alias";
import { notifyRollout } from "./notify-rollout";
import { toRolloutJson, type RolloutJson } from "./rollout-json";
import { findActiveRollout, lockEndpoint, logRolloutStep, type LockedEndpoint } from "./rollout-store";

export interface OperateRolloutOptions {
  db: Db;
  actor: Actor;
  endpointName: string;
  reason?: string;
  now?: Date;
}

type Step = (tx: Tx, endpoint: LockedEndpoint, rollout: Rollout) => Promise<Rollout>;

async function operate(o: OperateRolloutOptions, verb: string, allowed: string[], step: Step, weightsChange: boolean): Promise<{ rollout: Rollout; endpointName: string }> {
  const result = await o.db.$transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, o.endpointName);
    const rollout = await findActiveRollout(tx, endpoint.id);
    if (!rollout) throw conflict(`endpoint '${endpoint.name}' has no running or paused rollout to ${verb}`);
    if (!allowed.includes(rollout.status)) throw conflict(`the rollout of v${rollout.candidateVersion} is ${rollout.status}; cannot ${verb} it`);
    return { rollout: await step(tx, endpoint, rollout), endpointName: endpoint.name };
  });
  if (weightsChange) await notifyRollout(result.endpointName);
  return result;
}

export async function pauseRollout(o: OperateRolloutOptions): Promise<RolloutJson> {
  const { rollout } = await operate(o, "pause", ["running"], async (tx, endpoint, r) => {
    const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "paused", reason: o.reason ?? null } });
    await logRolloutStep(tx, o.actor, {
      endpoint,
      rolloutId: r.id,
      action: "rollout.pause",
      message: `canary of v${r.candidateVersion} paused at ${r.steps[r.currentStep]} %`,
      before: { status: r.status },
      after: { status: "paused" },
      reason: o.reason,
    });
    return updated;
  }, false);
  return toRolloutJson(rollout);
}

export async function resumeRollout(o: OperateRolloutOptions): Promise<RolloutJson> {
  const { rollout } = await operate(o, "resume", ["paused"], async (tx, endpoint, r) => {
    const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "running", reason: null, stepStartedAt: o.now ?? new Date() } });
    await logRolloutStep(tx, o.actor, {
      endpoint,
      rolloutId: r.id,
      action: "rollout.resume",
      message: `canary of v${r.candidateVersion} resumed at ${r.steps[r.currentStep]} % (the step's bake starts over)`,
      before: { status: r.status },
      after: { status: "running" },
      reason: o.reason,
    });
    return updated;
  }, false);
  return toRolloutJson(rollout);
}

/** 100 % to the candidate now, then the alias hand-over (see hand-over-alias.ts). */
export async function promoteRolloutNow(o: OperateRolloutOptions): Promise<RolloutJson> {
  const { rollout, endpointName } = await operate(o, "promote", ["running", "paused"], (tx, endpoint, r) =>
    endRollout(tx, o.actor, endpoint, r, "promoted", { reason: o.reason ?? "promoted by an operator", now: o.now }), true);
  await handOverAlias({ db: o.db, actor: o.actor, endpointName, rolloutId: rollout.id });
  return toRolloutJson(rollout);
}

/** All weighted traffic back to the stable variant at once. */
export async function abortRollout(o: OperateRolloutOptions): Promise<RolloutJson> {
  const { rollout } = await operate(o, "abort", ["running", "paused"], (tx, endpoint, r) =>
    endRollout(tx, o.actor, endpoint, r, "aborted", { reason: o.reason ?? "aborted by an operator", now: o.now }), true);
  return toRolloutJson(rollout);
}
