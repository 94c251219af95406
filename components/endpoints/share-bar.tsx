/** A variant's traffic share as a small bar with its percentage. */
export function ShareBar({ share }: { share: number }) {
  const pct = Math.round(share * 1000) / 10;
  return (
    <span className="inline-flex items-center gap-2" aria-label={`${pct}% of traffic`}>
      <span className="h-2 w-24 overflow-hidden rounded-full bg-slate-100">
        <span className="block h-full rounded-full bg-brand-600" style={{ width: `${Math.min(100, pct)}%` }} />
      </span>
      <span className="tabular-nums text-xs text-slate-600">{pct}%</span>
    </span>
  );
}
