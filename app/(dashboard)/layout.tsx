import { requirePageUser } from "@/lib/auth/require-page-user";
import { getDb } from "@/lib/db/client";
import { Providers } from "@/components/providers";
import { FerryWordmark } from "@/components/shell/ferry-wordmark";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { NavIcon } from "@/components/shell/nav-icons";
import { SignOutButton } from "@/components/shell/sign-out-button";
import Link from "next/link";

export const dynamic = "force-dynamic";

const ROLE_STYLE = {
  admin: "bg-violet-50 text-violet-700 ring-violet-700/10",
  operator: "bg-brand-50 text-brand-700 ring-brand-700/10",
  viewer: "bg-slate-100 text-slate-600 ring-slate-500/10",
} as const;

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const openAlerts = await (await getDb()).alert.count({ where: { status: "open" } });

  return (
    <Providers>
      <div className="flex min-h-screen">
        {/* Below lg (a narrow or split-screen window) the sidebar is a rail of icons, so the pages keep their width. */}
        <aside className="fixed inset-y-0 left-0 z-20 flex w-16 flex-col border-r border-slate-200 bg-white lg:w-60">
          <div className="flex h-14 items-center px-4 max-lg:justify-center max-lg:px-2">
            <Link href="/" aria-label="Ferry home"><FerryWordmark textClassName="max-lg:hidden" /></Link>
          </div>
          <div className="flex-1 overflow-y-auto px-3 py-2 max-lg:px-2">
            <SidebarNav openAlerts={openAlerts} />
          </div>
          <div className="border-t border-slate-200 p-3 max-lg:px-2">
            <div className="flex items-center gap-2.5 max-lg:justify-center">
              <span className="grid h-8 w-8 shrink-0 place-items-center rounded-full bg-slate-100 text-xs font-semibold uppercase text-slate-600" title={`${user.email} (${user.role})`}>
                {user.email.slice(0, 2)}
              </span>
              <div className="min-w-0 flex-1 max-lg:hidden">
                <div className="truncate text-sm font-medium text-slate-900" title={user.email}>{user.name || user.email}</div>
                <span className={`mt-0.5 inline-flex rounded px-1.5 text-[11px] font-medium ring-1 ring-inset ${ROLE_STYLE[user.role]}`}>
                  {user.role}
                </span>
              </div>
            </div>
            <div className="mt-3 flex items-center justify-between max-lg:flex-col max-lg:gap-2">
              <Link href="/account/password" title="Change password" className="text-xs text-slate-500 hover:text-slate-900">
                <span className="max-lg:sr-only">Change password</span>
                <span className="lg:hidden"><NavIcon name="key" /></span>
              </Link>
              <SignOutButton />
            </div>
          </div>
        </aside>
        <main className="min-w-0 flex-1 pl-16 lg:pl-60">
          <div className="mx-auto max-w-7xl px-4 py-6 sm:px-8 sm:py-8">{children}</div>
        </main>
      </div>
    </Providers>
  );
}
