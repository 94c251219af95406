/** Zod schemas of the alert and webhook API payloads, shared by the route.schema.ts files. Pure (zod only). */
import { z } from "zod";
import { WEBHOOK_FORMATS } from "@/lib/webhooks/slack-message";

export const SIGNALS = ["drift", "data_quality", "error_rate", "latency", "canary"] as const;
export const signalSchema = z.enum(SIGNALS);
export const severitySchema = z.enum(["warn", "critical"]);
export const alertStatusSchema = z.enum(["open", "acknowledged", "resolved", "muted"]);

export const errorSchema = z.object({ error: z.string() });
export const idParams = z.object({ id: z.string().describe("alert id") });

const userRef = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });

export const alertSchema = z.object({
  id: z.string(),
  endpointId: z.string().nullable(),
  endpoint: z.string().nullable(),
  signal: z.string(),
  feature: z.string().describe("empty for endpoint-wide signals"),
  severity: severitySchema,
  status: alertStatusSchema,
  title: z.string(),
  message: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  context: z.record(z.string(), z.unknown()).nullable(),
  assignee: userRef.nullable(),
  mutedUntil: z.string().nullable(),
  firedAt: z.string(),
  lastFiredAt: z.string(),
  fireCount: z.number().int(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  chartFrom: z.string().nullable(),
  chartTo: z.string().nullable(),
  chartUrl: z.string().nullable().describe("dashboard link to the endpoint's chart over the window the alert fired in"),
});

export const commentSchema = z.object({
  id: z.string(),
  body: z.string(),
  author: userRef.nullable(),
  createdAt: z.string(),
});

export const deliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  webhook: z.string().optional().describe("webhook name"),
  alertId: z.string().nullable(),
  event: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const alertDetailSchema = alertSchema.extend({
  comments: z.array(commentSchema),
  deliveries: z.array(deliverySchema),
});

export const alertListQuery = z.object({
  status: alertStatusSchema.optional(),
  severity: severitySchema.optional(),
  endpoint: z.string().optional().describe("endpoint name"),
  signal: signalSchema.optional(),
  assignee: z.string().min(1).max(100).optional().describe("a user's id, 'me' (the caller; a token: the user who created it) or 'none' for unassigned alerts"),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const alertListSchema = z.object({
  alerts: z.array(alertSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const WEBHOOK_EVENTS = ["alert.opened", "alert.escalated", "alert.resolved", "webhook.test"] as const;

export const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe("empty = every event"),
  format: z.enum(WEBHOOK_FORMATS).describe("json: Ferry's signed JSON; slack: a Slack (or Mattermost) incoming-webhook message"),
  enabled: z.boolean(),
  createdAt: z.string(),
});

export const createWebhookBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    url: z
      .url({ protocol: /^https?$/, error: "the URL must start with http:// or https://" })
      .max(2000),
    events: z.array(z.enum(WEBHOOK_EVENTS)).default([]),
    format: z.enum(WEBHOOK_FORMATS).default("json").describe("json: Ferry's signed JSON; slack: {\"text\": …} for a Slack or Mattermost incoming webhook"),
  })
  .strict();

export const createdWebhookSchema = webhookSchema.extend({
  secret: z.string().describe("HMAC-SHA256 signing secret; shown once"),
});
