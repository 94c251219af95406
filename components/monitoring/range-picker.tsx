"use client";
/** Preset ranges plus a custom from/to (entered and shown in UTC, like the charts' axes). */
import { RANGE_LABELS, RANGE_PRESETS, type RangeChoice } from "@/lib/metrics/prepare-range";
import { cn } from "@/components/ui/cn";

export interface CustomRange {
  from?: Date;
  to?: Date;
}

const toInput = (d?: Date) => (d ? d.toISOString().slice(0, 16) : "");
const fromInput = (s: string) => (s ? new Date(`${s}:00Z`) : undefined);

export function RangePicker({ range, custom, onRange, onCustom }: {
  range: RangeChoice;
  custom: CustomRange;
  onRange: (r: RangeChoice) => void;
  onCustom: (c: CustomRange) => void;
}) {
  const choices: RangeChoice[] = [...RANGE_PRESETS, "custom"];
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300" role="group" aria-label="Time range">
        {choices.map((c, i) => (
          <button
            key={c}
            type="button"
            data-range={c}
            aria-pressed={range === c}
            onClick={() => {
              if (c === "custom" && !custom.from) onCustom({ from: new Date(Date.now() - 6 * 3600_000), to: new Date() });
              onRange(c);
            }}
            className={cn(
              "px-3 py-1.5 text-xs font-medium",
              i > 0 && "border-l border-slate-300",
              range === c ? "bg-brand-600 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
              i === 0 && "rounded-l-md",
              i === choices.length - 1 && "rounded-r-md",
            )}
          >
            {RANGE_LABELS[c]}
          </button>
        ))}
      </div>
      {range === "custom" ? (
        <div className="flex items-center gap-1.5 text-xs text-slate-600">
          <label className="sr-only" htmlFor="range-from">From (UTC)</label>
          <input id="range-from" type="datetime-local" className="rounded-md px-2 py-1 ring-1 ring-inset ring-slate-300" value={toInput(custom.from)} onChange={(e) => onCustom({ ...custom, from: fromInput(e.target.value) })} />
          <span>to</span>
          <label className="sr-only" htmlFor="range-to">To (UTC)</label>
          <input id="range-to" type="datetime-local" className="rounded-md px-2 py-1 ring-1 ring-inset ring-slate-300" value={toInput(custom.to)} onChange={(e) => onCustom({ ...custom, to: fromInput(e.target.value) })} />
          <span className="text-slate-400">UTC</span>
        </div>
      ) : null}
    </div>
  );
}
