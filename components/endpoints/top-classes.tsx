/**
 * A classifier's answer at a glance in the Try-it panel: the highest-scoring classes of a one-row float output, as
 * bars, beside the raw values, named by the serving version's class labels when it has them. The ranking is the
 * classification extension's (lib/oip/classification.ts).
 */
import { topClasses } from "@/lib/oip/classification";

export interface TryOutput {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

export interface ClassBar {
  index: number;
  /** The class's label, when the version was uploaded with labels for this output. */
  label?: string;
  value: number;
  /** Bar length, 0–1: the score itself when every score is a probability (0–1), else its share of the top score. */
  share: number;
}

const FLOATS = new Set(["FP16", "FP32", "FP64"]);

/** The top `k` classes of an output that holds one row of class scores ([N] or [1, N], N ≥ 2); else undefined. */
export function classBars(output: TryOutput, k = 5, labels?: readonly string[]): ClassBar[] | undefined {
  const classes = output.shape.length === 1 ? output.shape[0] : output.shape.length === 2 && output.shape[0] === 1 ? output.shape[1] : 0;
  if (!FLOATS.has(output.datatype) || classes < 2 || output.data.length !== classes) return undefined;
  const values = output.data.map((v) => (typeof v === "number" ? v : NaN));
  const probabilities = values.every((v) => v >= 0 && v <= 1);
  const top = topClasses((i) => values[i], classes, k);
  const best = Math.max(...top.map((i) => Math.abs(values[i])).filter(Number.isFinite), 0);
  return top.map((index) => {
    const value = values[index];
    const share = !Number.isFinite(value) ? 0 : probabilities ? value : best > 0 ? Math.max(0, value) / best : 0;
    const label = labels?.[index];
    return label === undefined ? { index, value, share } : { index, label, value, share };
  });
}

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
