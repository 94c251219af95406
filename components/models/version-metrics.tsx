/**
 * A version's training metrics (lib/registry/version-metrics.ts) as a list; compared with another version, each beside
 * that version's value and the difference. Neutral colours: whether higher is better depends on the metric.
 */
import { formatMetric, type VersionMetrics } from "@/lib/registry/version-metrics";

const shown = (x: number | undefined) => (x === undefined ? "—" : formatMetric(x));

function delta(a: number | undefined, b: number | undefined): string | undefined {
  if (a === undefined || b === undefined || a === b) return undefined;
  const d = Number((a - b).toPrecision(4));
  return d > 0 ? `+${d}` : String(d);
}

export function VersionMetricsList({ metrics, other }: { metrics: VersionMetrics; other?: { version: number; metrics: VersionMetrics } }) {
  const names = [...new Set([...Object.keys(metrics), ...Object.keys(other?.metrics ?? {})])];
  if (names.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        None reported. Send what the training run measured with the upload (<code className="text-xs">ferry upload … --metric auc=0.93</code>, or the upload form&apos;s Training metrics) or later with the version&apos;s PATCH.
      </p>
    );
  }
  return (
    <dl className="divide-y divide-slate-100" data-testid="version-metrics">
      {names.map((name) => {
        const mine = metrics[name];
        const theirs = other?.metrics[name];
        const diff = delta(mine, theirs);
        return (
          <div key={name} className="grid grid-cols-3 gap-2 py-1.5 text-sm">
            <dt className="break-words text-slate-500">{name}</dt>
            <dd className="col-span-2 text-slate-800">
              <span className="font-mono tabular-nums">{shown(mine)}</span>
              {other ? (
                <span className="ml-2 text-xs text-slate-500">
                  v{other.version} {shown(theirs)}
                  {diff ? <span className="ml-1 font-medium text-slate-700">({diff})</span> : null}
                </span>
              ) : null}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
