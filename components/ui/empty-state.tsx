/** What a page shows when it has nothing yet: what this is, and what to do next. */
export function EmptyState({ title, description, action, icon }: {
  title: string;
  description: React.ReactNode;
  action?: React.ReactNode;
  icon?: React.ReactNode;
}) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
      {icon ? <div className="mb-3 text-slate-400">{icon}</div> : null}
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <div className="mt-1 max-w-md text-sm text-slate-500">{description}</div>
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
