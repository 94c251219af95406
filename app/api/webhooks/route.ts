import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { webhookJson } from "@/lib/webhooks/webhook-json";
import { createWebhookBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const hooks = await listWebhooks(await getDb());
  return NextResponse.json({ webhooks: hooks.map(webhookJson) });
}, { role: "admin" });

export const POST = withAuth(async ({ req, actor }) => {
  const body = createWebhookBody.parse(await readJson(req));
  const created = await createWebhook({ db: await getDb(), actor, ...body });
  return NextResponse.json(created, { status: 201 });
}, { role: "admin" });
