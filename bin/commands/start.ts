/**
 * `ferry start`: migrate, bootstrap (first admin, bootstrap token, demo data), then run the dashboard and the data
 * plane in this process — or one of them with `--only` (needs a real Postgres: PGlite allows one process).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { config } from "@/lib/config";
import { logger } from "@/lib/logger";
import { migrateDatabase } from "@/lib/db/migrate";
import { openDb, closeDb } from "@/lib/db/client";
import { ensureAuthSecret } from "@/lib/server/ensure-auth-secret";
import { ensureBuild } from "@/lib/server/ensure-build";
import { startDashboard } from "@/lib/server/start-dashboard";
import { ensureFirstAdmin, ensureBootstrapToken } from "@/lib/auth/bootstrap";
import { startDataPlane } from "@/inference/start-data-plane";
import { seedDemo, shouldSeedDemo } from "@/lib/demo/seed-demo";
import { startJobs } from "@/lib/jobs/start-jobs";
import { failInterruptedValidations } from "@/lib/registry/fail-interrupted-validations";
import { removeTempFiles } from "@/lib/artifacts/remove-temp-files";

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: "string" }, dev: { type: "boolean", default: false } },
  });
  const only = values.only as "dashboard" | "inference" | undefined;
  if (only && only !== "dashboard" && only !== "inference") throw new Error("--only must be 'dashboard' or 'inference'");
  const c = config();
  if (only && c.embedded) {
    throw new Error("--only needs DATABASE_URL: the embedded database serves one process, which runs both planes");
  }
  const root = process.cwd();
  const say = (m: string) => console.log(`ferry: ${m}`);
  fs.mkdirSync(c.dataDir, { recursive: true });

  process.env.NEXTAUTH_SECRET = ensureAuthSecret(c.dataDir, c.authSecret);
  process.env.NEXTAUTH_URL ??= `http://${c.host === "0.0.0.0" ? "127.0.0.1" : c.host}:${c.port}`;
  process.env.NEXT_TELEMETRY_DISABLED = "1";

  if (only !== "inference" && !values.dev) ensureBuild(root, say);

  say(c.embedded ? `embedded database at ${c.pgliteDir}` : "using DATABASE_URL");
  await openDb();
  const applied = await migrateDatabase();
  if (applied.length) say(`applied migrations: ${applied.join(", ")}`);

  // A previous process may have died mid-upload: its partial files and 'validating' versions are stale.
  await removeTempFiles();
  await failInterruptedValidations((await openDb()).db);

  const admin = await ensureFirstAdmin();
  if (c.bootstrapToken) await ensureBootstrapToken(c.bootstrapToken);

  const stops: Array<() => Promise<void>> = [];
  if (only !== "dashboard") {
    const plane = await startDataPlane({ host: c.inferenceHost, port: c.inferencePort, grpcPort: c.grpcPort });
    stops.push(() => plane.close());
    say(`inference (Open Inference Protocol) on http://${c.inferenceHost}:${plane.port}/v2`);
    if (plane.grpcPort !== undefined) say(`inference over gRPC (KServe V2, tritonclient.grpc) on ${c.inferenceHost}:${plane.grpcPort}`);
  }
  if (only !== "inference") {
    const dash = await startDashboard({ dir: root, host: c.host, port: c.port, dev: values.dev });
    stops.unshift(() => dash.close());
    say(`dashboard on http://${c.host}:${dash.port}`);
    if (c.jobs) {
      const jobs = startJobs();
      stops.unshift(() => jobs.stop());
    }
  }

  if (admin) {
    const line = "─".repeat(60);
    console.log(`\n${line}\n  First admin created${admin.generated ? " (shown once, write it down)" : ""}:\n` +
      `    email:    ${admin.email}\n    password: ${admin.generated ? admin.password : "(from FERRY_ADMIN_PASSWORD)"}\n${line}\n`);
  }

  // Signals are handled from here on, before the demo seed: stopping during it must not cut a database write short.
  const seedAbort = new AbortController();
  let seeding: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: draining…`);
    seedAbort.abort();
    await seeding;
    for (const stop of stops) await stop().catch((e) => logger().error({ err: e }, "error while stopping"));
    await closeDb().catch(() => {});
    say("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  // After the credentials: the demo seed sends live traffic and takes a while; nobody should wait for the password.
  if (await shouldSeedDemo()) {
    say("seeding the demo model, endpoint and traffic…");
    seeding = seedDemo({ log: say, signal: seedAbort.signal }).catch((e) => {
      if (seedAbort.signal.aborted) say("demo seed stopped; the demo data may be incomplete");
      else logger().error({ err: e }, "demo seed failed");
    });
    await seeding;
  }
  return new Promise<number>(() => {});
}
