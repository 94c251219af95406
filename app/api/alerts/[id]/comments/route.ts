import { NextResponse } from "next/server";
import { principalUserId } from "@/lib/auth/roles";
import { withAuth } from "@/lib/auth/with-auth";
import { getDb } from "@/lib/db/client";
import { readJson } from "@/lib/http/read-json";
import { commentAlert } from "@/lib/alerts/comment-alert";
import { commentBody } from "./route.schema";

export const dynamic = "force-dynamic";

export const POST = withAuth<{ id: string }>(async ({ req, params, actor, principal }) => {
  const { body } = commentBody.parse(await readJson(req));
  // A token comments on behalf of the user who created it.
  const authorId = principalUserId(principal) ?? null;
  const c = await commentAlert({ db: await getDb(), actor, id: params.id, body, authorId });
  return NextResponse.json({ id: c.id, body: c.body, author: c.author, createdAt: c.createdAt.toISOString() }, { status: 201 });
}, { role: "operator" });
