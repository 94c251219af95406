/**
 * Queues one delivery per enabled webhook that listens to `event` (an empty event list means every event). Call it
 * inside the transaction that changes the alert, so a notification exists exactly when the change does; the
 * delivery job (deliver-webhooks.ts) sends them.
 */
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { alertJson, type AlertRow } from "@/lib/alerts/alert-json";

export type WebhookEvent = "alert.opened" | "alert.escalated" | "alert.resolved" | "webhook.test";

export function alertPayload(alert: AlertRow, event: WebhookEvent, at = new Date()) {
  return { event, occurredAt: at.toISOString(), alert: alertJson(alert) };
}

export async function enqueueDeliveries(tx: Tx | Db, alert: AlertRow, event: WebhookEvent, now = new Date()): Promise<number> {
  const hooks = await tx.webhook.findMany({
    where: { enabled: true, OR: [{ events: { isEmpty: true } }, { events: { has: event } }] },
    select: { id: true },
  });
  if (!hooks.length) return 0;
  const payload = JSON.parse(JSON.stringify(alertPayload(alert, event, now))) as Prisma.InputJsonValue;
  const r = await tx.webhookDelivery.createMany({
    data: hooks.map((h) => ({ webhookId: h.id, alertId: alert.id, event, payload, nextAttemptAt: now })),
  });
  return r.count;
}
