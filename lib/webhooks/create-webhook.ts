/**
 * Registers a webhook (admin). The signing secret is generated here and returned once: the API shows it to the
 * admin who created the hook and never again (it stays in the database because signing needs it).
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { badRequest } from "@/lib/errors";
import { WEBHOOK_SELECT, webhookJson } from "./webhook-json";
import type { WebhookFormat } from "./slack-message";

export function generateWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64url")}`;
}

export async function createWebhook(o: { db: Db; actor: Actor; name: string; url: string; events?: string[]; format?: WebhookFormat }) {
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw badRequest("the webhook URL is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw badRequest("the webhook URL must be http(s)");
  const secret = generateWebhookSecret();
  return o.db.$transaction(async (tx) => {
    const hook = await tx.webhook.create({
      data: { name: o.name, url: url.toString(), secret, events: o.events ?? [], format: o.format ?? "json" },
      select: WEBHOOK_SELECT,
    });
    await recordAudit(tx, o.actor, { action: "webhook.create", objectType: "webhook", objectId: hook.id, after: webhookJson(hook) });
    return { ...webhookJson(hook), secret };
  });
}
