import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { deletedEndpointSchema, endpointDetailSchema } from "@/lib/endpoints/api-schemas";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { putEndpoint } from "@/lib/endpoints/put-endpoint";
import { readJson } from "@/lib/http/read-json";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ params }) => {
  const endpoint = await getEndpoint({ db: await getDb(), name: params.name });
  return NextResponse.json(endpointDetailSchema.parse(endpoint));
}, { role: "viewer" });

export const PUT = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const body = await readJson(req);
  const { endpoint, created } = await putEndpoint({ db: await getDb(), name: params.name, body, actor });
  return NextResponse.json(endpointDetailSchema.parse(endpoint), { status: created ? 201 : 200 });
}, { role: "operator" });

export const DELETE = withAuth<{ name: string }>(async ({ params, actor }) => {
  const deleted = await deleteEndpoint({ db: await getDb(), name: params.name, actor });
  return NextResponse.json(deletedEndpointSchema.parse({ deleted }));
}, { role: "operator" });
