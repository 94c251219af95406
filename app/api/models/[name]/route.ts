import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { getModel } from "@/lib/registry/get-model";
import { updateModel } from "@/lib/registry/update-model";
import { modelDetailSchema } from "@/lib/registry/api-schemas";
import { deleteModel } from "@/lib/registry/delete-model";
import { deleteModelResponse, patchModelBody } from "./route.schema";
import { readJson } from "@/lib/http/read-json";

export const dynamic = "force-dynamic";

export const GET = withAuth<{ name: string }>(async ({ params }) => {
  const model = await getModel({ db: await getDb(), name: params.name });
  return NextResponse.json(modelDetailSchema.parse(model));
}, { role: "viewer" });

export const PATCH = withAuth<{ name: string }>(async ({ req, params, actor }) => {
  const patch = patchModelBody.parse(await readJson(req));
  const db = await getDb();
  await updateModel({ db, actor, name: params.name, patch });
  return NextResponse.json(modelDetailSchema.parse(await getModel({ db, name: params.name })));
}, { role: "operator" });

export const DELETE = withAuth<{ name: string }>(async ({ params, actor }) => {
  const result = await deleteModel({ db: await getDb(), actor, name: params.name });
  return NextResponse.json(deleteModelResponse.parse(result));
}, { role: "operator" });
