import { z } from "zod";
import { defineContracts } from "@/lib/openapi/contract";
import { createWebhookBody, createdWebhookSchema, errorSchema, webhookSchema } from "@/lib/alerts/api-schemas";

export { createWebhookBody };

export const contracts = defineContracts([
  {
    method: "get",
    path: "/api/webhooks",
    summary: "List webhooks",
    description: "Secrets are never listed.",
    tags: ["webhooks"],
    role: "admin",
    responses: { 200: z.object({ webhooks: z.array(webhookSchema) }) },
  },
  {
    method: "post",
    path: "/api/webhooks",
    summary: "Create a webhook",
    description:
      "Ferry POSTs alert events as JSON with `x-ferry-signature: sha256=<hex HMAC-SHA256 of the raw body>`, " +
      "`x-ferry-event` and `x-ferry-delivery`; non-2xx answers are retried after 10 s, 30 s, 2 min, 10 min, 30 min. " +
      "The signing secret is in this answer only. With format slack, the body is a Slack (or Mattermost) incoming-webhook message instead: {\"text\": …} saying what fired, with links to the alert and its chart.",
    tags: ["webhooks"],
    role: "admin",
    body: createWebhookBody,
    responses: { 201: createdWebhookSchema, 400: errorSchema },
  },
]);
