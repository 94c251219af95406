/**
 * Starts a guarded canary: validates the policy (the arguments, else the endpoint config's `rollout` key), creates
 * the Rollout row, and moves the endpoint to step 0 — the candidate variant (added and pinned to the candidate
 * version when missing) at steps[0] %, the stable variant at the rest — in one transaction with the audit event and
 * the timeline entry. The data plane is told after commit.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/audit/record-audit";
import { badRequest, conflict } from "@/lib/errors";
import { rolloutSchema, type RolloutGuards } from "@/lib/routing/endpoint-config.schema";
import { defaultStableVariant } from "@/lib/routing/normalize-endpoint-config";
import { resolveVariants } from "@/lib/routing/resolve-variants";
import { DEFAULT_CANDIDATE_VARIANT } from "./rollout-config";
import { aliasVersions, findActiveRollout, lockEndpoint, logRolloutStep, writeRolloutWeights } from "./rollout-store";
import { notifyRollout } from "./notify-rollout";

export interface StartRolloutOptions {
  db: Db;
  actor: Actor;
  endpointName: string;
  /** Defaults to the config policy's candidate (its candidateVersion, or its candidateVariant's version). */
  candidateVersion?: number;
  steps?: number[];
  bakeSeconds?: number;
  guards?: RolloutGuards;
  /** Variant names; default: the policy's, else "candidate" and the heaviest other variant. */
  candidateVariant?: string;
  stableVariant?: string;
}

export async function startRollout(o: StartRolloutOptions) {
  const result = await o.db.$transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, o.endpointName);
    const active = await findActiveRollout(tx, endpoint.id);
    if (active) throw conflict(`endpoint '${endpoint.name}' already has a ${active.status} rollout of v${active.candidateVersion}; abort or promote it first`);

    const policy = endpoint.config.rollout;
    const aliases = await aliasVersions(tx, endpoint.model.id);
    const candidateVariant = o.candidateVariant ?? policy?.candidateVariant ?? DEFAULT_CANDIDATE_VARIANT;
    let candidateVersion = o.candidateVersion ?? policy?.candidateVersion;
    if (candidateVersion === undefined && policy?.candidateVariant) {
      candidateVersion = resolveVariants({ ...endpoint.config, shadow: undefined, rollout: undefined }, aliases).variantVersions[policy.candidateVariant];
    }
    if (candidateVersion === undefined) throw badRequest('needs a "candidateVersion" (or a rollout policy on the endpoint that names one)');
    const steps = o.steps ?? policy?.steps;
    const bakeSeconds = o.bakeSeconds ?? policy?.bakeSeconds;
    if (!steps || bakeSeconds === undefined) throw badRequest('needs "steps" and "bakeSeconds" (or a rollout policy on the endpoint)');
    if (steps.some((s) => !Number.isInteger(s))) throw badRequest("steps must be whole percentages, e.g. [5, 25, 50, 100]");
    const guards = o.guards ?? policy?.guards;
    const checked = rolloutSchema.safeParse({ candidateVersion, steps, bakeSeconds, guards });
    if (!checked.success) throw badRequest(checked.error.issues.map((i) => `${["rollout", ...i.path].join(".")}: ${i.message}`).join("; "));

    const version = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: endpoint.model.id, version: candidateVersion } } });
    if (!version) throw badRequest(`model '${endpoint.model.name}' has no version ${candidateVersion}`);
    if (version.status !== "ready") throw conflict(`version ${candidateVersion} of '${endpoint.model.name}' is ${version.status}, not ready`);

    const stableVariant =
      o.stableVariant ?? policy?.stableVariant ?? defaultStableVariant({ candidateVariant }, endpoint.config.variants.filter((v) => v.name !== candidateVariant));
    if (stableVariant === candidateVariant) throw badRequest("the stable variant must differ from the candidate variant");
    if (!endpoint.config.variants.some((v) => v.name === stableVariant)) throw badRequest(`"${stableVariant}" is not one of the endpoint's variants`);
    const stableVersion = resolveVariants({ ...endpoint.config, shadow: undefined, rollout: undefined }, aliases).variantVersions[stableVariant];
    if (stableVersion === candidateVersion) throw conflict(`the stable variant "${stableVariant}" already serves v${candidateVersion}`);

    const target = { candidateVariant, stableVariant, candidateVersion };
    const before = endpoint.config.variants;
    const { generation, config } = await writeRolloutWeights(tx, endpoint, target, steps[0], { steps, bakeSeconds, guards });
    const rollout = await tx.rollout.create({
      data: { endpointId: endpoint.id, candidateVersion, stableVariant, steps, currentStep: 0, bakeSeconds, guards: JSON.parse(JSON.stringify(guards ?? {})), status: "running" },
    });
    await logRolloutStep(tx, o.actor, {
      endpoint,
      rolloutId: rollout.id,
      action: "rollout.start",
      message: `canary of v${candidateVersion} started: ${steps[0]} % to ${candidateVariant}, ${100 - steps[0]} % to ${stableVariant} (v${stableVersion}); steps ${steps.join(" → ")} %, ${bakeSeconds} s each`,
      before: { variants: before },
      after: { variants: config.variants, rollout: config.rollout, generation },
      data: { candidateVersion, stableVersion, step: 0, percent: steps[0], generation },
    });
    return { endpointName: endpoint.name, rolloutId: rollout.id };
  });
  await notifyRollout(result.endpointName);
  return result;
}
