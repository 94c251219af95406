/**
 * The data plane keeps serving from its last good state while its database is unreachable, and catches up when the
 * database returns. The outage is real: the plane talks to Postgres through a TCP proxy this test cuts and restores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { clearTokenCache } from "@/lib/auth/authenticate-token";
import { notifyDesiredState } from "@/lib/endpoints/notify-desired-state";
import { buildMlp } from "@/lib/onnx/build-model";
import { startDataPlane, type DataPlane } from "./start-data-plane";
import { addVersion, cuttableDatabase, inferBody, makeInferToken, planeFetch, putEndpointRow, unique, waitFor, quietLogger } from "./data-plane-test-kit";

const url = process.env.DATABASE_URL;

describe.skipIf(!url)("database outage", () => {
  let database: Awaited<ReturnType<typeof cuttableDatabase>>;
  let plane: DataPlane;
  let token: string;
  const model = unique("outage");
  const ep = unique("outage-ep");

  const infer = (secret = token) =>
    planeFetch(plane.port, `/v2/models/${ep}/infer`, {
      method: "POST",
      token: secret,
      body: inferBody([{ name: "x", datatype: "FP32", shape: [1, 32], data: new Array(32).fill(0.5) }]),
    });

  beforeAll(async () => {
    await addVersion(model, buildMlp({ seed: 1 }), { alias: "production" });
    await putEndpointRow(ep, { model, variants: [{ name: "main", alias: "production", weight: 1 }] });
    token = (await makeInferToken()).secret;
    database = await cuttableDatabase(url!);
    plane = await startDataPlane({ logger: quietLogger, shutdownGraceMs: 200, host: "127.0.0.1", port: 0, workers: 1, db: database.db, databaseUrl: database.url, resyncMs: 200, flushMs: 200 });
  });

  afterAll(async () => {
    await plane?.close();
    await database?.close();
  });

  it("keeps serving known tokens and endpoints while the database is down, then catches up", async () => {
    expect((await infer()).status).toBe(200);
    const newcomer = (await makeInferToken()).secret;

    database.cut();
    clearTokenCache();
    await plane.refresh();
    const during = await infer();
    expect(during.status).toBe(200);
    expect(during.json.model_version).toBe("1");
    expect(plane.ready()).toBe(true);
    // A token never seen before cannot be checked: 503, not 401, so the client retries.
    const unknown = await infer(newcomer);
    expect(unknown.status).toBe(503);
    expect(unknown.json.error).toBe("cannot verify the token right now (database unreachable); retry shortly");

    // The control plane (its own connection) promotes v2 while the data plane cannot hear about it.
    const v2 = await addVersion(model, buildMlp({ seed: 5 }), { alias: "production" });
    await notifyDesiredState(ep);
    await new Promise((r) => setTimeout(r, 500));
    expect((await infer()).json.model_version).toBe("1");

    database.restore();
    await waitFor(async () => (await infer()).json?.model_version === String(v2), 15_000, "the plane to catch up");
    const db = await getDb();
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { name: ep } });
    await plane.internals.recorder.flush();
    const rolls = await db.metricRollup.findMany({ where: { endpointId: endpoint.id } });
    // Requests served during the outage were kept and written once the database returned.
    expect(rolls.filter((r) => r.version === 1).reduce((n, r) => n + r.count, 0)).toBeGreaterThanOrEqual(3);
  });
});
