import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { putEndpointSettings } from "@/lib/settings/put-endpoint-settings";
import { settingViewSchema } from "../route.schema";
import { settingKindParams } from "./route.schema";

export const dynamic = "force-dynamic";

export const PUT = withAuth<{ name: string; kind: string }>(async ({ req, params, actor }) => {
  const { name, kind } = settingKindParams.parse(params);
  const view = await putEndpointSettings({ db: await getDb(), endpointName: name, kind, body: await readJson(req), actor });
  return NextResponse.json(settingViewSchema.parse(view));
}, { role: "operator" });

export const DELETE = withAuth<{ name: string; kind: string }>(async ({ params, actor }) => {
  const { name, kind } = settingKindParams.parse(params);
  const view = await putEndpointSettings({ db: await getDb(), endpointName: name, kind, body: null, actor });
  return NextResponse.json(settingViewSchema.parse(view));
}, { role: "operator" });
