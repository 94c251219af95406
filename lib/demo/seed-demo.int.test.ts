import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { seedDemo } from "./seed-demo";

// A dashboard that takes the seed's first request and never answers it: the seed is stopped while it waits, as when
// someone presses Ctrl-C during the first `ferry start`.
let server: http.Server;
let received: () => void;
const firstRequest = new Promise<void>((resolve) => (received = resolve));

beforeAll(async () => {
  server = http.createServer(() => received());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("seedDemo", () => {
  it("stops mid-request when aborted, revokes its token and is not marked done", async () => {
    const db = await getDb();
    const before = new Date(Date.now() - 1000);
    const controller = new AbortController();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const seeding = seedDemo({ log: () => {}, dashboardUrl: url, inferenceUrl: url, signal: controller.signal });
    await firstRequest;
    controller.abort();
    await expect(seeding).rejects.toMatchObject({ name: "AbortError" });

    const tokens = await db.apiToken.findMany({ where: { name: "demo-seed", createdAt: { gte: before } } });
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(t.revokedAt).not.toBeNull();
    expect(await db.setting.findUnique({ where: { key: "demo.seeded" } })).toBeNull();
  });
});
