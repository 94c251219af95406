import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { getRollout } from "@/lib/rollouts/get-rollout";
import { startRollout } from "@/lib/rollouts/start-rollout";
import { rolloutViewSchema, startRolloutBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ params }) => {
  return NextResponse.json(rolloutViewSchema.parse(await getRollout({ db: await getDb(), endpointName: params.name })));
}, { role: "viewer" });

export const POST = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const body = startRolloutBody.parse(await readJson(req));
  const db = await getDb();
  await startRollout({ db, actor, endpointName: params.name, ...body });
  return NextResponse.json(rolloutViewSchema.parse(await getRollout({ db, endpointName: params.name })), { status: 201 });
}, { role: "operator" });
