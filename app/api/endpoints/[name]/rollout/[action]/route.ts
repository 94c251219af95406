import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { getRollout } from "@/lib/rollouts/get-rollout";
import { abortRollout, pauseRollout, promoteRolloutNow, resumeRollout } from "@/lib/rollouts/operate-rollout";
import { rolloutViewSchema } from "../route.schema";
import { rolloutActionBody, rolloutActionParams } from "./route.schema";

export const dynamic = "force-dynamic";

const OPERATIONS = { pause: pauseRollout, resume: resumeRollout, promote: promoteRolloutNow, abort: abortRollout };

export const POST = withAuth<{ name: string; action: string }>(async ({ req, params, actor }) => {
  const { name, action } = rolloutActionParams.parse(params);
  const body = rolloutActionBody.parse(await readJson(req));
  const db = await getDb();
  await OPERATIONS[action]({ db, actor, endpointName: name, reason: body.reason });
  return NextResponse.json(rolloutViewSchema.parse(await getRollout({ db, endpointName: name })));
}, { role: "operator" });
