import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { deliveryJson } from "@/lib/webhooks/webhook-json";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ id: string }>(async ({ params, actor }) => {
  const delivery = await sendTestWebhook({ db: await getDb(), actor, id: params.id });
  return NextResponse.json(deliveryJson(delivery));
}, { role: "admin" });
