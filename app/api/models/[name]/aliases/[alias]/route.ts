import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { promoteVersion } from "@/lib/registry/promote-version";
import { aliasMoveSchema } from "@/lib/registry/api-schemas";
import { putAliasBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const PUT = withAuth<{ name: string; alias: string }>(async ({ req, params, actor }) => {
  const body = putAliasBody.parse(await readJson(req));
  const result = await promoteVersion({ db: await getDb(), actor, model: params.name, alias: params.alias, ...body });
  return NextResponse.json(aliasMoveSchema.parse(result), { status: result.status === "pending" ? 202 : 200 });
}, { role: "operator" });
