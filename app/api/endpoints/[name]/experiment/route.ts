import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { experimentWindow } from "@/lib/experiments/experiment-query";
import { getExperiment } from "@/lib/experiments/get-experiment";
import { experimentSchema } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ req, params }) => {
  const { from, to } = experimentWindow(req.nextUrl.searchParams);
  const experiment = await getExperiment({ db: await getDb(), endpointName: params.name, from, to });
  return NextResponse.json(experimentSchema.parse(experiment));
}, { role: "viewer" });
