import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { getVersion } from "@/lib/registry/get-version";
import { updateVersion } from "@/lib/registry/update-version";
import { MAX_LABEL_FILE_BYTES } from "@/lib/registry/class-labels";
import { deleteVersion } from "@/lib/registry/delete-version";
import { versionDetailSchema } from "@/lib/registry/api-schemas";
import { deleteVersionResponse, patchVersionBody } from "./route.schema";

export const dynamic = "force-dynamic";

type Params = { name: string; version: string };

export const GET = withAuth<Params>(async ({ params }) => {
  const v = await getVersion({ db: await getDb(), name: params.name, version: params.version });
  return NextResponse.json(versionDetailSchema.parse(v));
}, { role: "viewer" });

export const PATCH = withAuth<Params>(async ({ req, params, actor }) => {
  const patch = patchVersionBody.parse(await readJson(req, MAX_LABEL_FILE_BYTES + 64 * 1024));
  const db = await getDb();
  await updateVersion({ db, actor, name: params.name, version: params.version, patch });
  return NextResponse.json(versionDetailSchema.parse(await getVersion({ db, name: params.name, version: params.version })));
}, { role: "operator" });

export const DELETE = withAuth<Params>(async ({ params, actor }) => {
  const result = await deleteVersion({ db: await getDb(), actor, name: params.name, version: params.version });
  return NextResponse.json(deleteVersionResponse.parse(result));
}, { role: "operator" });
