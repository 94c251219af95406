import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { evaluateDriftNow } from "@/lib/drift/evaluate-drift-now";
import { evaluateBody, evaluateResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const body = evaluateBody.parse(await readJson(req));
  const { report, alerts } = await evaluateDriftNow({ db: await getDb(), endpointName: params.name, actor, ...body });
  return NextResponse.json(evaluateResponse.parse({ ...report, alerts: { raised: alerts.raised, resolved: alerts.resolved } }), { status: 201 });
}, { role: "operator" });
