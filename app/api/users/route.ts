import { NextResponse } from "next/server";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { toJsonValue } from "@/lib/openapi/to-json-value";
import { inviteUser } from "@/lib/users/invite-user";
import { listUsers } from "@/lib/users/list-users";
import { inviteUserBody, inviteUserResponse, listUsersResponse } from "./route.schema";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => {
  const users = await listUsers({ db: await getDb() });
  return NextResponse.json(listUsersResponse.parse(toJsonValue({ users })));
}, { role: "admin" });

export const POST = withAuth(async ({ req, actor }) => {
  const body = inviteUserBody.parse(await readJson(req));
  const invited = await inviteUser({ db: await getDb(), ...body, actor });
  return NextResponse.json(inviteUserResponse.parse(toJsonValue(invited)), { status: 201 });
}, { role: "admin" });
