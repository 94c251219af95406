"use client";

/** A row of tabs (role="tablist"), the selected one highlighted; the caller keeps which is selected. */
export function TabList<T extends string>({ tabs, selected, onSelect, label, className = "flex gap-2" }: {
  tabs: readonly { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
  label?: string;
  className?: string;
}) {
  return (
    <div className={`${className} text-sm`} role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={t.id === selected}
          onClick={() => onSelect(t.id)}
          className={`rounded-md px-2.5 py-1 ${t.id === selected ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-50"}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
