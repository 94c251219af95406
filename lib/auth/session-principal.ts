/**
 * The principal behind a next-auth session cookie, re-checked against the database on every request so a disabled
 * or demoted user's very next request is refused even with a still-valid cookie (the cookie carries tokenVersion).
 */
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import type { Db } from "@/lib/db/client";
import type { Principal, Role } from "./roles";
import { SCOPES } from "./roles";

export async function sessionPrincipal(req: NextRequest, db: Db): Promise<Principal | null> {
  const jwt = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  if (!jwt?.sub) return null;
  const user = await db.user.findUnique({ where: { id: jwt.sub } });
  if (!user || user.disabled) return null;
  if ((jwt as { tv?: number }).tv !== user.tokenVersion) return null;
  return { type: "user", id: user.id, label: user.email, role: user.role as Role, scopes: SCOPES };
}
