/** Before/after of an audit event, folded away until asked for (a native <details>: no client JS). */
export function AuditJson({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="text-slate-300">—</span>;
  const show = (label: string, v: unknown) => (
    <div className="min-w-0 flex-1">
      <div className="mb-1 text-[11px] font-medium uppercase tracking-wide text-slate-500">{label}</div>
      <pre className="max-h-64 overflow-auto rounded-md bg-slate-900 p-2.5 text-xs leading-relaxed text-slate-100">
        {v == null ? "—" : JSON.stringify(v, null, 2)}
      </pre>
    </div>
  );
  return (
    <details className="group">
      <summary className="cursor-pointer select-none text-xs font-medium text-brand-700 hover:underline">
        <span className="group-open:hidden">Show changes</span>
        <span className="hidden group-open:inline">Hide changes</span>
      </summary>
      <div className="mt-2 flex w-[36rem] max-w-[60vw] gap-3 whitespace-normal">
        {show("Before", before)}
        {show("After", after)}
      </div>
    </details>
  );
}
