import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { rollbackAlias } from "@/lib/registry/rollback-alias";
import { aliasMoveSchema } from "@/lib/registry/api-schemas";
import { rollbackBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ name: string; alias: string }>(async ({ req, params, actor }) => {
  const body = rollbackBody.parse(await readJson(req));
  const result = await rollbackAlias({ db: await getDb(), actor, model: params.name, alias: params.alias, reason: body.reason });
  return NextResponse.json(aliasMoveSchema.parse(result));
}, { role: "operator" });
