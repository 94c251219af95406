/** The canary guard as a scheduled job (register it in lib/jobs/job-list.ts); start-jobs runs it under an advisory lock. */
import { getDb } from "@/lib/db/client";
import type { Job } from "@/lib/jobs/job-list";
import { runRolloutGuards } from "./run-rollout-guards";

export const rolloutJob: Job = {
  name: "rollout-guard",
  everyMs: 10_000,
  async run() {
    await runRolloutGuards({ db: await getDb() });
  },
};
