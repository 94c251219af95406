/**
 * The signed-in user of a dashboard page. Re-checks the session against the database on every render (exists, not
 * disabled, tokenVersion still matches the cookie's `tv`), so a disabled or demoted user's next page view is
 * refused even with a valid cookie. Redirects to /login when there is no valid session, to /account/password while
 * an invited user still holds a one-time password, and to /forbidden when the role is too low.
 * (`forbidden()` from next/navigation would answer a real 403, but needs experimental.authInterrupts.)
 */
import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { roleAtLeast, type Role } from "./roles";

export interface PageUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  mustChangePassword: boolean;
}

/**
 * The session's user re-checked against the database, or null. Does not redirect. Reads the JWT with `getToken`
 * rather than `getServerSession`: same cookie and secret, but it keeps the `tv` claim the session callback drops.
 */
export async function getPageUser(): Promise<PageUser | null> {
  const jwt = await getToken({
    req: { cookies: await cookies(), headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET,
  });
  if (!jwt?.sub) return null;
  const db = await getDb();
  const user = await db.user.findUnique({ where: { id: jwt.sub } });
  if (!user || user.disabled || user.tokenVersion !== jwt.tv) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role, mustChangePassword: user.mustChangePassword };
}

export async function requirePageUser(minRole?: Role, opts: { allowPendingPasswordChange?: boolean } = {}): Promise<PageUser> {
  const user = await getPageUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword && !opts.allowPendingPasswordChange) redirect("/account/password");
  if (minRole && !roleAtLeast(user.role, minRole)) redirect(`/forbidden?role=${minRole}`);
  return user;
}
