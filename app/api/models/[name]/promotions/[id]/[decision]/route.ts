import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { decidePromotion } from "@/lib/registry/decide-promotion";
import { aliasMoveSchema } from "@/lib/registry/api-schemas";
import { decisionBody, decisionParams } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ name: string; id: string; decision: string }>(async ({ req, params, actor }) => {
  const p = decisionParams.parse(params);
  const body = decisionBody.parse(await readJson(req));
  const result = await decidePromotion({ db: await getDb(), actor, model: p.name, requestId: p.id, decision: p.decision, ...body });
  return NextResponse.json(aliasMoveSchema.parse(result));
}, { role: "operator" });
