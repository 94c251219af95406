"use client";
import { useState } from "react";
import { CopyButton } from "./copy-button";
import { TabList } from "./tab-list";

export interface CodeTab {
  label: string;
  code: string;
  /** Wrap long lines anywhere (a one-line JSON body) instead of scrolling sideways (a program). */
  wrap?: boolean;
}

/** Code samples of one thing in several forms (curl, Python over HTTP, over gRPC): one shown at a time, with its copy button. */
export function CodeTabs({ tabs, label }: { tabs: CodeTab[]; label: string }) {
  const [selected, setSelected] = useState(tabs[0].label);
  const tab = tabs.find((t) => t.label === selected) ?? tabs[0];
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <TabList tabs={tabs.map((t) => ({ id: t.label, label: t.label }))} selected={tab.label} onSelect={setSelected} label={label} className="flex flex-wrap gap-1" />
        <CopyButton key={tab.label} text={tab.code} size="sm" />
      </div>
      <pre role="tabpanel" aria-label={tab.label} className={`${tab.wrap ? "whitespace-pre-wrap break-all" : "overflow-x-auto whitespace-pre"} rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100`}>
        {tab.code}
      </pre>
    </div>
  );
}
