import { contextRows } from "./context-rows";

/** An alert's context as labelled rows (context-rows.ts), with the stored JSON one click away. */
export function AlertContext({ context, signal }: { context: unknown; signal: string }) {
  const rows = contextRows(context && typeof context === "object" && !Array.isArray(context) ? (context as Record<string, unknown>) : { value: context }, signal);
  return (
    <div className="space-y-3">
      <dl className="divide-y divide-slate-100 text-sm" data-testid="alert-context">
        {rows.map((r) => (
          <div key={r.path.join("\u0000")} className="flex items-baseline justify-between gap-3 py-1.5" style={{ paddingLeft: `${r.depth * 0.75}rem` }}>
            <dt className={`min-w-0 ${r.value ? "text-slate-500" : "font-medium text-slate-700"}`}>{r.path[r.path.length - 1]}</dt>
            {r.value ? <dd className="max-w-[65%] shrink-0 text-right tabular-nums break-words text-slate-900">{r.value}</dd> : null}
          </div>
        ))}
      </dl>
      <details className="text-xs">
        <summary className="cursor-pointer text-slate-500 hover:text-slate-700">Stored JSON</summary>
        <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-50 p-3 text-slate-700">{JSON.stringify(context, null, 2)}</pre>
      </details>
    </div>
  );
}
