/**
 * The control plane's scheduled jobs. Each tick of each job runs under an advisory lock (with-advisory-lock.ts) and
 * records its last run in JobRun. Jobs register here; later work adds drift evaluation and the canary guard.
 */
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { withAdvisoryLock } from "./with-advisory-lock";
import { JOBS, type Job } from "./job-list";

async function tick(job: Job) {
  const started = Date.now();
  try {
    const r = await withAdvisoryLock(`job:${job.name}`, job.run);
    if (!r.ran) return;
    const db = await getDb();
    await db.jobRun.upsert({
      where: { name: job.name },
      create: { name: job.name, lastRunAt: new Date(started), lastStatus: "ok", durationMs: Date.now() - started },
      update: { lastRunAt: new Date(started), lastStatus: "ok", lastError: null, durationMs: Date.now() - started },
    });
  } catch (e) {
    logger().error({ err: e, job: job.name }, "job failed");
    const db = await getDb().catch(() => undefined);
    await db?.jobRun
      .upsert({
        where: { name: job.name },
        create: { name: job.name, lastRunAt: new Date(started), lastStatus: "error", lastError: String(e) },
        update: { lastRunAt: new Date(started), lastStatus: "error", lastError: String(e) },
      })
      .catch(() => {});
  }
}

export function startJobs(jobs: Job[] = JOBS) {
  const timers = jobs.map((job) => {
    let running = false;
    const run = async () => {
      if (running) return; // never overlap a slow tick with the next one
      running = true;
      await tick(job);
      running = false;
    };
    const t = setInterval(run, job.everyMs);
    t.unref();
    return t;
  });
  return {
    async stop() {
      for (const t of timers) clearInterval(t);
    },
  };
}
