"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { NavIcon } from "./nav-icons";

const LINKS = [
  { href: "/", label: "Overview", icon: "home" },
  { href: "/models", label: "Models", icon: "models" },
  { href: "/endpoints", label: "Endpoints", icon: "endpoints" },
  { href: "/monitoring", label: "Monitoring", icon: "monitoring" },
  { href: "/alerts", label: "Alerts", icon: "alerts" },
  { href: "/audit", label: "Audit", icon: "audit" },
  { href: "/settings", label: "Settings", icon: "settings" },
] as const;

export function SidebarNav({ openAlerts }: { openAlerts: number }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {LINKS.map((l) => {
        const active = l.href === "/" ? pathname === "/" : pathname === l.href || pathname.startsWith(`${l.href}/`);
        return (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active ? "page" : undefined}
            title={l.label}
            className={cn(
              // Below lg the sidebar is a rail of icons (the labels stay for screen readers, the title shows on hover).
              "group relative flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium transition-colors max-lg:justify-center max-lg:py-2",
              active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            <span className={active ? "text-brand-600" : "text-slate-400 group-hover:text-slate-600"}>
              <NavIcon name={l.icon} />
            </span>
            <span className="flex-1 max-lg:sr-only">{l.label}</span>
            {l.href === "/alerts" && openAlerts > 0 ? (
              <span
                className="rounded-full bg-red-50 px-1.5 py-px text-[11px] font-semibold tabular-nums text-red-700 ring-1 ring-inset ring-red-600/20 max-lg:absolute max-lg:-top-1 max-lg:right-0 max-lg:px-1 max-lg:text-[10px]"
                aria-label={`${openAlerts} open`}
              >
                {openAlerts > 99 ? "99+" : openAlerts}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
