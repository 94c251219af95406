import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { changeUserRole } from "@/lib/users/change-user-role";
import { setUserDisabled } from "@/lib/users/set-user-disabled";
import { updateUserBody, updateUserResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const PATCH = withAuth<{ id: string }>(async ({ req, params, actor }) => {
  const body = updateUserBody.parse(await readJson(req));
  const db = await getDb();
  let user = body.role !== undefined ? await changeUserRole({ db, userId: params.id, role: body.role, actor }) : undefined;
  if (body.disabled !== undefined) user = await setUserDisabled({ db, userId: params.id, disabled: body.disabled, actor });
  return NextResponse.json(updateUserResponse.parse(toJsonValue({ user })));
}, { role: "admin" });
