/**
 * The delivery job: POSTs due deliveries as signed JSON and records the outcome. Failures (non-2xx, network error,
 * 5 s timeout) are retried on the backoff-schedule.ts schedule, then marked failed. Each delivery is claimed with a
 * conditional update (a short lease on nextAttemptAt) so a concurrent "send test" or a second runner never sends it
 * twice at once. `now` and `fetchImpl` are injectable for tests.
 */
import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { backoffSchedule } from "./backoff-schedule";
import { signPayload, SIGNATURE_HEADER } from "./sign-payload";
import { slackMessage } from "./slack-message";
import { dashboardUrl } from "@/lib/config";

export const DELIVERY_TIMEOUT_MS = 5_000;
const LEASE_MS = 60_000;

export interface DeliverOptions {
  db: Db;
  now?: Date;
  fetchImpl?: typeof fetch;
  limit?: number;
  timeoutMs?: number;
  /** Only these deliveries (send-test uses it to send its own delivery right away). */
  ids?: string[];
}

export async function deliverWebhooks(o: DeliverOptions): Promise<{ delivered: number; retried: number; failed: number }> {
  const now = o.now ?? new Date();
  const due = await o.db.webhookDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now }, id: o.ids ? { in: o.ids } : undefined },
    orderBy: { nextAttemptAt: "asc" },
    take: o.limit ?? 20,
    include: { webhook: { select: { url: true, secret: true, enabled: true, format: true } } },
  });
  const outcomes = await Promise.all(due.map((d) => deliverOne(o, d, now)));
  return {
    delivered: outcomes.filter((x) => x === "delivered").length,
    retried: outcomes.filter((x) => x === "pending").length,
    failed: outcomes.filter((x) => x === "failed").length,
  };
}

type Due = Awaited<ReturnType<Db["webhookDelivery"]["findMany"]>>[number] & {
  webhook: { url: string; secret: string; enabled: boolean; format: string };
};

async function deliverOne(o: DeliverOptions, d: Due, now: Date): Promise<"delivered" | "pending" | "failed" | "skipped"> {
  const claim = await o.db.webhookDelivery.updateMany({
    where: { id: d.id, status: "pending", attempts: d.attempts, nextAttemptAt: d.nextAttemptAt },
    data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
  });
  if (claim.count !== 1) return "skipped";

  const attempts = d.attempts + 1;
  let responseStatus: number | null = null;
  let error: string | null = null;
  if (!d.webhook.enabled) {
    error = "the webhook is disabled";
  } else {
    // A Slack hook gets a chat message built from the same payload (still signed: receivers that check can).
    const body = JSON.stringify(d.webhook.format === "slack" ? slackMessage(d.payload, dashboardUrl()) : d.payload);
    try {
      const res = await (o.fetchImpl ?? fetch)(d.webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Ferry-Webhooks/1",
          [SIGNATURE_HEADER]: signPayload(body, d.webhook.secret),
          "x-ferry-event": d.event,
          "x-ferry-delivery": d.id,
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(o.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      });
      responseStatus = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status >= 300) error = `the receiver answered HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.cause?.code ?? err.cause?.message;
      error = err.name === "TimeoutError" ? `no answer within ${(o.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000} s` : `${err.message}${why ? ` (${why})` : ""}`;
    }
  }

  if (!error) {
    await o.db.webhookDelivery.update({
      where: { id: d.id },
      data: { status: "delivered", attempts, responseStatus, lastError: null, deliveredAt: new Date() },
    });
    return "delivered";
  }
  const delay = d.webhook.enabled ? backoffSchedule(attempts) : null;
  const status = delay == null ? "failed" : "pending";
  await o.db.webhookDelivery.update({
    where: { id: d.id },
    data: { status, attempts, responseStatus, lastError: error, nextAttemptAt: delay == null ? d.nextAttemptAt : new Date(now.getTime() + delay) },
  });
  if (status === "failed") logger().warn({ delivery: d.id, error }, "webhook delivery failed for good");
  return status;
}
