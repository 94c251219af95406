/**
 * A data plane in a process of its own, for integration tests that need several planes on one Postgres (started by
 * `startPlaneProcess` in data-plane-test-kit.ts, with `--import tsx`). It inherits the test's environment — the
 * run's DATABASE_URL and the test file's FERRY_DATA_DIR, so it reads the artifacts the test wrote — and serves on
 * a free port.
 *
 * IPC: sends `{ port, instanceId }` once ready (or `{ error }`); answers `{ activeGeneration: endpoint }` with
 * `{ endpoint, generation }` (the generation it routes that endpoint with, null when not served). Stops on
 * SIGTERM (gracefully) or when the parent goes away.
 */
import pino from "pino";

async function main() {
  const { startDataPlane } = await import("./start-data-plane");
  const { closeDb } = await import("@/lib/db/client");
  const instanceId = process.env.FERRY_TEST_INSTANCE_ID;
  let plane: Awaited<ReturnType<typeof startDataPlane>> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      setTimeout(() => process.exit(1), 15_000).unref();
      await plane?.close().catch(() => {});
      await closeDb().catch(() => {});
      process.exit(0);
    })();
  };
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
  process.on("message", (m: { activeGeneration?: string }) => {
    if (m.activeGeneration === undefined || !plane) return;
    const spec = plane.internals.serving.active.get(m.activeGeneration);
    process.send?.({ endpoint: m.activeGeneration, generation: spec?.generation ?? null });
  });

  try {
    plane = await startDataPlane({
      logger: pino({ level: process.env.FERRY_TEST_LOG ?? "silent" }),
      host: "127.0.0.1",
      port: 0,
      workers: 1,
      instanceId,
      // Only NOTIFY brings changes quickly: a test that waits for a change proves it crossed processes.
      resyncMs: Number(process.env.FERRY_TEST_RESYNC_MS ?? 60_000),
      flushMs: 200,
      shutdownGraceMs: 0,
    });
    const until = Date.now() + 60_000;
    while (!plane.ready()) {
      if (Date.now() > until) throw new Error("the data plane was not ready within 60 s");
      await new Promise((r) => setTimeout(r, 25));
    }
    process.send?.({ port: plane.port, instanceId });
  } catch (e) {
    process.send?.({ error: e instanceof Error ? e.stack ?? e.message : String(e) });
    stop();
  }
}

void main();
