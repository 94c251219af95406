/**
 * Ferry's configuration, read from the environment once through a zod schema with DESIGN.md's defaults.
 * Pure (no Next.js, no Prisma): both planes and the CLI import the typed result.
 */
import path from "node:path";
import os from "node:os";
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v === "true"));

const port = z.coerce.number().int().min(0).max(65535);

/** A rate: a number of things per second (0 or more), or "all" for no limit (Infinity). */
const perSecondOrAll = z.union([z.literal("all").transform(() => Infinity), z.coerce.number().min(0, "expected 0 or more, or all")], {
  error: "expected a number per second (0 or more), or all",
});

export const configSchema = z.object({
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  FERRY_DATA_DIR: z.string().default(".ferry"),
  PORT: port.default(3000),
  HOST: z.string().default("127.0.0.1"),
  FERRY_INFERENCE_PORT: port.default(8000),
  FERRY_INFERENCE_HOST: z.string().default("127.0.0.1"),
  /** The Open Inference Protocol over gRPC, on FERRY_INFERENCE_HOST; "off" for none. */
  FERRY_GRPC_PORT: z
    .union([z.literal("off").transform(() => null), port], { error: "expected a port number (0–65535) or off" })
    .default(8001),
  FERRY_BOOTSTRAP_TOKEN: z.string().min(16, "FERRY_BOOTSTRAP_TOKEN must be at least 16 characters").optional(),
  FERRY_ADMIN_EMAIL: z.string().email().optional(),
  FERRY_ADMIN_PASSWORD: z.string().min(8, "FERRY_ADMIN_PASSWORD must be at least 8 characters").optional(),
  FERRY_DEMO: bool,
  AUTH_SECRET: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  FERRY_MAX_MODEL_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
  FERRY_MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  FERRY_INFERENCE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  FERRY_LOG_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.1),
  /** Prediction log rows per second at most, per data plane process; "all" for no cap. */
  FERRY_LOG_MAX_PER_SECOND: perSecondOrAll.default(100),
  /** Values (rows × input values per row) the drift sketches take per second per version; "all" for every row. */
  FERRY_DRIFT_VALUES_PER_SECOND: perSecondOrAll.default(500_000),
  FERRY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** URL the control plane uses to reach the data plane (health, "Try it"). */
  FERRY_INFERENCE_URL: z.string().url().optional(),
  /** Jobs (drift, canary guard, rollups, retention) run in this process unless 0. */
  FERRY_JOBS: bool,
});

export type FerryConfig = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid Ferry configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const dataDir = path.resolve(c.FERRY_DATA_DIR);
  return {
    databaseUrl: c.DATABASE_URL,
    embedded: !c.DATABASE_URL,
    dataDir,
    pgliteDir: path.join(dataDir, "pg"),
    artifactDir: path.join(dataDir, "artifacts"),
    port: c.PORT,
    host: c.HOST,
    inferencePort: c.FERRY_INFERENCE_PORT,
    inferenceHost: c.FERRY_INFERENCE_HOST,
    grpcPort: c.FERRY_GRPC_PORT ?? undefined,
    inferenceUrl: c.FERRY_INFERENCE_URL ?? `http://${c.FERRY_INFERENCE_HOST}:${c.FERRY_INFERENCE_PORT}`,
    bootstrapToken: c.FERRY_BOOTSTRAP_TOKEN,
    adminEmail: c.FERRY_ADMIN_EMAIL,
    adminPassword: c.FERRY_ADMIN_PASSWORD,
    demo: c.FERRY_DEMO,
    authSecret: c.AUTH_SECRET ?? c.NEXTAUTH_SECRET,
    maxModelBytes: c.FERRY_MAX_MODEL_BYTES,
    maxRequestBytes: c.FERRY_MAX_REQUEST_BYTES,
    inferenceWorkers: c.FERRY_INFERENCE_WORKERS ?? Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    logSampleRate: c.FERRY_LOG_SAMPLE_RATE,
    logMaxPerSecond: c.FERRY_LOG_MAX_PER_SECOND,
    driftValuesPerSecond: c.FERRY_DRIFT_VALUES_PER_SECOND,
    logLevel: c.FERRY_LOG_LEVEL,
    jobs: c.FERRY_JOBS ?? true,
  };
}

let cached: FerryConfig | undefined;

/** The process's configuration, parsed on first use. */
export function config(): FerryConfig {
  cached ??= loadConfig();
  return cached;
}

/** The dashboard's address as people and scripts reach it: NEXTAUTH_URL (`ferry start` sets it), else host and port. */
export function dashboardUrl(c: FerryConfig = config()): string {
  return process.env.NEXTAUTH_URL ?? `http://${c.host}:${c.port}`;
}
