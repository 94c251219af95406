import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { getEndpointSettings } from "@/lib/settings/get-endpoint-settings";
import { settingsResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ params }) => {
  const settings = await getEndpointSettings({ db: await getDb(), endpointName: params.name });
  return NextResponse.json(settingsResponse.parse(settings));
}, { role: "viewer" });
