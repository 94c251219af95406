import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { forbidden } from "@/lib/errors";
import { readJson } from "@/lib/http/read-json";
import { changePassword } from "@/lib/users/change-password";
import { changePasswordBody, changePasswordResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req, principal, actor }) => {
  if (principal.type !== "user") throw forbidden("only a signed-in user can change their password");
  const body = changePasswordBody.parse(await readJson(req));
  const { email } = await changePassword({ db: await getDb(), userId: principal.id, ...body, actor });
  return NextResponse.json(changePasswordResponse.parse({ ok: true, email }));
}, { role: "viewer" });
