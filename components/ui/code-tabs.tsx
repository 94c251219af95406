"use client";
import { useState } from "react";
import { CopyButton } from "./copy-button";

export interface CodeTab {
  label: string;
  code: string;
  /** Wrap long lines anywhere (a one-line JSON body) instead of scrolling sideways (a program). */
  wrap?: boolean;
}

/** Code samples of one thing in several forms (curl, Python over HTTP, over gRPC): one shown at a time, with its copy button. */
export function CodeTabs({ tabs, label }: { tabs: CodeTab[]; label: string }) {
  const [selected, setSelected] = useState(0);
  const tab = tabs[Math.min(selected, tabs.length - 1)];
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap gap-1 text-sm" role="tablist" aria-label={label}>
          {tabs.map((t, i) => (
            <button
              key={t.label}
              type="button"
              role="tab"
              aria-selected={i === selected}
              onClick={() => setSelected(i)}
              className={`rounded-md px-2.5 py-1 ${i === selected ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-50"}`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <CopyButton key={tab.label} text={tab.code} size="sm" />
      </div>
      <pre role="tabpanel" aria-label={tab.label} className={`${tab.wrap ? "whitespace-pre-wrap break-all" : "overflow-x-auto whitespace-pre"} rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100`}>
        {tab.code}
      </pre>
    </div>
  );
}
