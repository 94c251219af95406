import Link from "next/link";
import { requirePageUser } from "@/lib/auth/require-page-user";
import { ROLES, type Role } from "@/lib/auth/roles";
import { buttonClass } from "@/components/ui/button";

export const dynamic = "force-dynamic";
export const metadata = { title: "Not allowed" };

export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<{ role?: string }> }) {
  const user = await requirePageUser();
  const { role } = await searchParams;
  const needed: Role = (ROLES as readonly string[]).includes(role ?? "") ? (role as Role) : "admin";
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <div className="mx-auto grid h-12 w-12 place-items-center rounded-full bg-amber-50 text-amber-600 ring-1 ring-amber-600/20">
        <svg viewBox="0 0 24 24" className="h-6 w-6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden="true">
          <rect x="5" y="11" width="14" height="10" rx="2" />
          <path d="M8 11V8a4 4 0 1 1 8 0v3" />
        </svg>
      </div>
      <p className="mt-4 text-sm font-medium text-amber-700">403 · Not allowed</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">You need the {needed} role</h1>
      <p className="mt-2 text-sm text-slate-500">
        This page is for users with the <strong className="font-medium text-slate-700">{needed} role</strong>; you are signed in as{" "}
        <strong className="font-medium text-slate-700">{user.email}</strong> with the {user.role} role. Ask an admin to change your role in
        Settings if you need access.
      </p>
      <Link href="/" className={`${buttonClass("secondary")} mt-6`}>Back to the overview</Link>
    </div>
  );
}
