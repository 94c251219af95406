import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call, makeToken } from "@/lib/registry/registry-test-kit";
import { makeEndpoint } from "@/lib/rollouts/rollout-test-kit";
import { GET as getRolloutRoute, POST as startRolloutRoute } from "./route";
import { POST as rolloutActionRoute } from "./[action]/route";

describe("rollout routes", () => {
  it("serves the routes: viewers read, operators start and operate", async () => {
    const db = await getDb();
    const { endpoint } = await makeEndpoint(db);
    const viewer = await makeToken("viewer");
    const op = await makeToken("operator");
    const path = `/api/endpoints/${endpoint.name}/rollout`;
    const params = { name: endpoint.name };
    expect((await call(getRolloutRoute, { path, params, token: viewer })).body).toMatchObject({ rollout: null, events: [] });
    expect((await call(startRolloutRoute, { path, params, method: "POST", token: viewer, json: { candidateVersion: 2, steps: [100], bakeSeconds: 0 } })).status).toBe(403);
    const started = await call(startRolloutRoute, { path, params, method: "POST", token: op, json: { candidateVersion: 2, steps: [25, 100], bakeSeconds: 30 } });
    expect(started.status).toBe(201);
    expect(started.body.rollout).toMatchObject({ status: "running", currentPercent: 25, candidateVersion: 2 });
    expect(started.body.events[0]).toMatchObject({ kind: "rollout_start" });
    const bad = await call(startRolloutRoute, { path, params, method: "POST", token: op, json: { candidateVersion: 2, steps: [100], bakeSeconds: 0, extra: 1 } });
    expect(bad.status).toBe(400);
    const paused = await call(rolloutActionRoute, { path: `${path}/pause`, params: { ...params, action: "pause" }, method: "POST", token: op, json: {} });
    expect(paused.status).toBe(200);
    expect(paused.body.rollout.status).toBe("paused");
    const again = await call(rolloutActionRoute, { path: `${path}/pause`, params: { ...params, action: "pause" }, method: "POST", token: op, json: {} });
    expect(again.status).toBe(409);
    const aborted = await call(rolloutActionRoute, { path: `${path}/abort`, params: { ...params, action: "abort" }, method: "POST", token: op, json: { reason: "test" } });
    expect(aborted.body.rollout).toMatchObject({ status: "aborted", reason: "test" });
  });
});
