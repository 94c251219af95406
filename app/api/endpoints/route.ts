import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/endpoints/list-endpoints";
import { listEndpointsResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const endpoints = await listEndpoints({ db: await getDb() });
  return NextResponse.json(listEndpointsResponse.parse({ endpoints }));
}, { role: "viewer" });
