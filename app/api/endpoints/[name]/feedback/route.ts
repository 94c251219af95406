import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { parseFeedbackBody } from "@/lib/feedback/feedback-body";
import { submitFeedback } from "@/lib/feedback/submit-feedback";
import { FEEDBACK_MAX_BYTES, feedbackResultSchema } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const items = parseFeedbackBody(await readJson(req, FEEDBACK_MAX_BYTES));
  const result = await submitFeedback({ db: await getDb(), actor, endpointName: params.name, items });
  return NextResponse.json(feedbackResultSchema.parse(result));
}, { role: "operator" });
