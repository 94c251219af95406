import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { call, makeToken } from "@/lib/alerts/alerts-test-kit";
import { verifySignature } from "@/lib/webhooks/verify-signature";
import * as webhooksRoute from "./route";
import * as webhookRoute from "./[id]/route";
import * as deliveriesRoute from "./[id]/deliveries/route";
import * as testRoute from "./[id]/test/route";

/** A real receiver on 127.0.0.1:0 that records what it gets and answers 200. */
let server: http.Server;
let url: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("webhook routes", () => {
  it("creates (secret shown once), lists, tests, shows deliveries and deletes — admin only", async () => {
    const db = await getDb();
    await db.webhook.updateMany({ data: { enabled: false } });
    const admin = await makeToken("admin");
    const operator = await makeToken("operator");

    expect((await call(webhooksRoute.GET, { path: "/api/webhooks", token: operator })).status).toBe(403);
    const bad = await call(webhooksRoute.POST, { path: "/api/webhooks", method: "POST", token: admin, json: { name: "x", url: "ftp://example.com" } });
    expect(bad.status).toBe(400);

    const created = await call(webhooksRoute.POST, { path: "/api/webhooks", method: "POST", token: admin, json: { name: "ops", url } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const list = await call(webhooksRoute.GET, { path: "/api/webhooks", token: admin });
    const listed = list.body.webhooks.find((w: { id: string }) => w.id === created.body.id);
    expect(listed).toMatchObject({ name: "ops", url });
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    received.length = 0;
    const params = { id: created.body.id };
    const tested = await call(testRoute.POST, { path: `/api/webhooks/${params.id}/test`, method: "POST", token: admin, params });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ event: "webhook.test", status: "delivered", responseStatus: 200, attempts: 1 });
    expect(verifySignature(received[0].body, received[0].headers["x-ferry-signature"] as string, created.body.secret)).toBe(true);

    const deliveries = await call(deliveriesRoute.GET, { path: `/api/webhooks/${params.id}/deliveries`, token: admin, params });
    expect(deliveries.body.deliveries.map((d: { id: string }) => d.id)).toEqual([tested.body.id]);

    const del = await call(webhookRoute.DELETE, { path: `/api/webhooks/${params.id}`, method: "DELETE", token: admin, params });
    expect(del.status).toBe(204);
    expect((await call(webhookRoute.DELETE, { path: `/api/webhooks/${params.id}`, method: "DELETE", token: admin, params })).status).toBe(404);
    const audit = await db.auditEvent.findMany({ where: { objectId: params.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.test", "webhook.delete"]);
  });
});
