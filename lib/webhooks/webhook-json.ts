/** API shapes of webhooks and deliveries. The secret is never part of them (only createWebhook returns it, once). */
import type { WebhookDelivery } from "@/lib/generated/prisma/client";
import type { WebhookFormat } from "./slack-message";

export const WEBHOOK_SELECT = { id: true, name: true, url: true, events: true, format: true, enabled: true, createdAt: true } as const;

export function webhookJson(h: { id: string; name: string; url: string; events: string[]; format: string; enabled: boolean; createdAt: Date }) {
  return { id: h.id, name: h.name, url: h.url, events: h.events, format: h.format as WebhookFormat, enabled: h.enabled, createdAt: h.createdAt.toISOString() };
}

export function deliveryJson(d: WebhookDelivery & { webhook?: { name: string } | null }) {
  return {
    id: d.id,
    webhookId: d.webhookId,
    webhook: d.webhook?.name,
    alertId: d.alertId,
    event: d.event,
    status: d.status as "pending" | "delivered" | "failed",
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}
