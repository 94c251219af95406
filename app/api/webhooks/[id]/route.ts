import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";

export const dynamic = "force-dynamic";

export const DELETE = withAuth<{ id: string }>(async ({ params, actor }) => {
  await deleteWebhook({ db: await getDb(), actor, id: params.id });
  return new Response(null, { status: 204 });
}, { role: "admin" });
