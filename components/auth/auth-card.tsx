import { FerryWordmark } from "@/components/shell/ferry-wordmark";

/** The centred card of the sign-in and password pages. */
export function AuthCard({ title, subtitle, children, footer }: {
  title: string;
  subtitle?: React.ReactNode;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <div className="relative flex min-h-screen items-center justify-center overflow-hidden bg-slate-50 px-4 py-12">
      <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 top-0 h-72 bg-gradient-to-b from-brand-50 to-transparent" />
      <div className="relative w-full max-w-sm">
        <div className="mb-8 flex justify-center"><FerryWordmark className="scale-110" /></div>
        <div className="rounded-xl bg-white px-7 py-8 shadow-sm ring-1 ring-slate-200">
          <h1 className="text-lg font-semibold tracking-tight text-slate-900">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-slate-500">{subtitle}</p> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-xs text-slate-500">{footer}</div> : null}
      </div>
    </div>
  );
}
