/**
 * A classifier's answer at a glance in the Try-it panel: the highest-scoring classes of a one-row float output, as
 * bars, beside the raw values, named by the serving version's class labels when it has them. The ranking is the
 * classification extension's (lib/oip/classification.ts).
 */
import { classBars, type TryOutput } from "@/lib/oip/class-bars";

export type { TryOutput };

export function TopClasses({ output, labels }: { output: TryOutput; labels?: readonly string[] }) {
  const bars = classBars(output, 5, labels);
  if (!bars) return null;
  return (
    <ol aria-label={`top classes of ${output.name}`} className="mt-2 space-y-1">
      {bars.map((b, rank) => (
        <li key={b.index} className="flex items-center gap-2 text-xs">
          <span
            className={`${labels ? "w-20" : "w-16"} shrink-0 truncate ${rank === 0 ? "font-semibold text-slate-900" : "text-slate-600"}`}
            title={b.label === undefined ? undefined : `class ${b.index}: ${b.label}`}
          >
            {b.label ?? `class ${b.index}`}
          </span>
          <span className="h-2.5 min-w-0 flex-1 rounded-full bg-slate-100" aria-hidden>
            <span className={`block h-2.5 rounded-full ${rank === 0 ? "bg-blue-600" : "bg-blue-300"}`} style={{ width: `${(b.share * 100).toFixed(1)}%` }} />
          </span>
          <span className="w-20 shrink-0 text-right font-mono text-slate-700">{Number.isFinite(b.value) ? b.value.toFixed(4) : String(b.value)}</span>
        </li>
      ))}
    </ol>
  );
}
