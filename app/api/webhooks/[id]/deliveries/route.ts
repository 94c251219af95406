import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { listDeliveries } from "@/lib/webhooks/list-deliveries";
import { deliveryJson } from "@/lib/webhooks/webhook-json";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(async ({ params }) => {
  const deliveries = await listDeliveries({ db: await getDb(), webhookId: params.id });
  return NextResponse.json({ deliveries: deliveries.map(deliveryJson) });
}, { role: "admin" });
