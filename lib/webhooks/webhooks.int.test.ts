import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { reviewAlert } from "@/lib/alerts/review-alert";
import { makeEndpoint, testActor } from "@/lib/alerts/alerts-test-kit";
import { createWebhook } from "./create-webhook";
import { deleteWebhook } from "./delete-webhook";
import { deliverWebhooks } from "./deliver-webhooks";
import { verifySignature } from "./verify-signature";
import { BACKOFF_MS } from "./backoff-schedule";

interface Received { headers: http.IncomingHttpHeaders; body: string }

/** A real receiver on 127.0.0.1:0 that answers with the next scripted status (200 once the script runs out). */
let server: http.Server;
let url: string;
const received: Received[] = [];
let script: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = script.shift() ?? 200;
      // 0 in the script: answer too late (after the sender's timeout).
      if (status === 0) setTimeout(() => res.end("late"), 1_000);
      else {
        res.statusCode = status;
        res.end("ok");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const actor = testActor();
const base = { severity: "warn" as const, value: 0.05, threshold: 0.02, title: "Error rate high" };

async function freshHook(events: string[] = []) {
  const db = await getDb();
  // Other tests' hooks must not receive this test's events.
  await db.webhook.updateMany({ data: { enabled: false } });
  return createWebhook({ db, actor, name: "test hook", url, events });
}

describe("webhook deliveries", () => {
  it("POSTs a signed alert.opened event that the receiver can verify", async () => {
    const db = await getDb();
    const hook = await freshHook();
    expect(hook.secret).toMatch(/^whsec_/);
    const ep = await makeEndpoint();
    received.length = 0;
    const { alert } = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base });
    const deliveries = await db.webhookDelivery.findMany({ where: { alertId: alert.id } });
    expect(deliveries.map((d) => [d.event, d.webhookId])).toEqual([["alert.opened", hook.id]]);

    const r = await deliverWebhooks({ db, ids: deliveries.map((d) => d.id) });
    expect(r).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-ferry-event"]).toBe("alert.opened");
    expect(got.headers["x-ferry-delivery"]).toBe(deliveries[0].id);
    expect(verifySignature(got.body, got.headers["x-ferry-signature"] as string, hook.secret)).toBe(true);
    expect(verifySignature(got.body, got.headers["x-ferry-signature"] as string, "wrong")).toBe(false);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({ event: "alert.opened", alert: { id: alert.id, endpoint: ep.name, signal: "error_rate", status: "open" } });
    const stored = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveries[0].id } });
    expect(stored).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200, lastError: null });

    // Escalation and resolve notify too; a plain re-fire does not.
    await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base });
    await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base, severity: "critical" });
    await reviewAlert({ db, actor, id: alert.id, step: { type: "resolve" } });
    const events = await db.webhookDelivery.findMany({ where: { alertId: alert.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((d) => d.event)).toEqual(["alert.opened", "alert.escalated", "alert.resolved"]);
    await deleteWebhook({ db, actor, id: hook.id });
  });

  it("sends a Slack hook a chat message built from the same event, linked to the dashboard", async () => {
    const db = await getDb();
    await db.webhook.updateMany({ data: { enabled: false } });
    const hook = await createWebhook({ db, actor, name: "slack room", url, format: "slack" });
    expect(hook.format).toBe("slack");
    const ep = await makeEndpoint();
    received.length = 0;
    const { alert } = await raiseAlert({ db, endpointId: ep.id, signal: "error_rate", ...base, title: `Error rate of ${ep.name}` });
    const deliveries = await db.webhookDelivery.findMany({ where: { alertId: alert.id } });
    expect(await deliverWebhooks({ db, ids: deliveries.map((d) => d.id) })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    const body = JSON.parse(received[0].body) as { text: string };
    expect(Object.keys(body)).toEqual(["text"]);
    const lines = body.text.split("\n");
    expect(lines[0]).toBe(`:rotating_light: *[warn] Error rate of ${ep.name}*`);
    expect(lines).toContain("5 % against a threshold of 2 %");
    expect(lines.at(-1)).toMatch(new RegExp(`^<https?://[^|]+/alerts/${alert.id}\\|Open the alert>`));
    await deleteWebhook({ db, actor, id: hook.id });
  });

  it("retries after a 500 on the backoff schedule, then succeeds; gives up after six failures", async () => {
    const db = await getDb();
    const hook = await freshHook(["alert.opened"]);
    const ep = await makeEndpoint();
    const t0 = new Date(Date.now() + 60_000);
    await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base, now: t0 });
    const [d] = await db.webhookDelivery.findMany({ where: { webhookId: hook.id } });
    const ids = [d.id];
    received.length = 0;

    script = [500];
    expect(await deliverWebhooks({ db, ids, now: t0 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500 });
    expect(row.lastError).toMatch(/HTTP 500/);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 10_000);

    // Not due yet 5 s later; due at 10 s, and then it succeeds.
    expect(await deliverWebhooks({ db, ids, now: new Date(t0.getTime() + 5_000) })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await deliverWebhooks({ db, ids, now: new Date(t0.getTime() + 10_000) })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 2, responseStatus: 200, lastError: null });
    expect(received).toHaveLength(2);
    expect(received[0].headers["x-ferry-delivery"]).toBe(received[1].headers["x-ferry-delivery"]);

    // A receiver that always fails: 10 s, 30 s, 2 min, 10 min, 30 min, then failed.
    const ep2 = await makeEndpoint();
    await raiseAlert({ db, endpointId: ep2.id, signal: "latency", ...base, now: t0 });
    const [d2] = await db.webhookDelivery.findMany({ where: { webhookId: hook.id, status: "pending" } });
    script = [500, 500, 500, 500, 500, 503];
    let now = t0;
    const gaps: number[] = [];
    for (let i = 0; i < 6; i++) {
      await deliverWebhooks({ db, ids: [d2.id], now });
      const r = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d2.id } });
      if (r.status === "pending") gaps.push(r.nextAttemptAt.getTime() - now.getTime());
      now = r.nextAttemptAt;
    }
    expect(gaps).toEqual([...BACKOFF_MS]);
    const failed = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d2.id } });
    expect(failed).toMatchObject({ status: "failed", attempts: 6, responseStatus: 503 });
    await deleteWebhook({ db, actor, id: hook.id });
  });

  it("records a network error and a timeout as failed attempts", async () => {
    const db = await getDb();
    const hook = await freshHook();
    await db.webhook.update({ where: { id: hook.id }, data: { url: "http://127.0.0.1:1/nothing-listens" } });
    const ep = await makeEndpoint();
    const { alert } = await raiseAlert({ db, endpointId: ep.id, signal: "latency", ...base });
    const [d] = await db.webhookDelivery.findMany({ where: { alertId: alert.id } });
    await deliverWebhooks({ db, ids: [d.id] });
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: null });
    expect(row.lastError).toMatch(/ECONNREFUSED|fetch failed/);

    await db.webhook.update({ where: { id: hook.id }, data: { url } });
    script = [0];
    const late = new Date(row.nextAttemptAt.getTime());
    await deliverWebhooks({ db, ids: [d.id], now: late, timeoutMs: 200 });
    const timedOut = await db.webhookDelivery.findUniqueOrThrow({ where: { id: d.id } });
    expect(timedOut).toMatchObject({ status: "pending", attempts: 2 });
    expect(timedOut.lastError).toMatch(/no answer within 0.2 s/);
    expect(timedOut.nextAttemptAt.getTime()).toBe(late.getTime() + 30_000);
    await deleteWebhook({ db, actor, id: hook.id });
  });
});
