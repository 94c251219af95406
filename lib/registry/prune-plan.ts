/**
 * Which versions `ferry prune NAME --keep N` tries to remove: every version older than the newest N, except those an
 * alias names (moving an alias is a decision, not housekeeping) and those still validating. Whether an endpoint routes
 * to a candidate is the server's to say: archiving one refuses with 409 and the reason, and prune keeps it. Pure.
 */
import { quotedNames } from "./model-name";

export interface PrunableVersion {
  version: number;
  status: string;
  aliases: string[];
}

export interface PrunePlan {
  /** Oldest first. */
  candidates: PrunableVersion[];
  /** Older than the newest N but kept, with why. */
  kept: { version: number; reason: string }[];
}

export function prunePlan(versions: readonly PrunableVersion[], keep: number): PrunePlan {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const plan: PrunePlan = { candidates: [], kept: [] };
  for (const v of newestFirst.slice(keep).reverse()) {
    if (v.aliases.length) plan.kept.push({ version: v.version, reason: `alias ${quotedNames(v.aliases)} names it` });
    else if (v.status === "validating") plan.kept.push({ version: v.version, reason: "still validating" });
    else plan.candidates.push(v);
  }
  return plan;
}
