/** Webhooks (without secrets), each with its latest delivery counts for the settings panel. */
import type { Db } from "@/lib/db/client";
import { WEBHOOK_SELECT } from "./webhook-json";

export async function listWebhooks(db: Db) {
  return db.webhook.findMany({ select: WEBHOOK_SELECT, orderBy: { createdAt: "asc" } });
}
