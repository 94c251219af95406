import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { alertDetailJson, getAlert } from "@/lib/alerts/get-alert";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ id: string }>(async ({ params }) => {
  return NextResponse.json(alertDetailJson(await getAlert({ db: await getDb(), id: params.id })));
}, { role: "viewer" });
