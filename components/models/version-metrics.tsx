/**
 * A version's training metrics (lib/registry/version-metrics.ts) as a list; compared with another version, each beside
 * that version's value and the difference. Neutral colours: whether higher is better depends on the metric.
 */
import { compareMetrics, formatMetric, type VersionMetrics } from "@/lib/registry/version-metrics";

const shown = (x: number | undefined) => (x === undefined ? "—" : formatMetric(x));

export function VersionMetricsList({ metrics, other }: { metrics: VersionMetrics; other?: { version: number; metrics: VersionMetrics } }) {
  const rows = compareMetrics(metrics, other?.metrics);
  if (rows.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        None reported. Send what the training run measured with the upload (<code className="text-xs">ferry upload … --metric auc=0.93</code>, or the upload form&apos;s Training metrics) or later with the version&apos;s PATCH.
      </p>
    );
  }
  return (
    <dl className="divide-y divide-slate-100" data-testid="version-metrics">
      {rows.map(({ name, mine, theirs, diff }) => (
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
      ))}
    </dl>
  );
}

/**
 * One line for a promotion: a version's metrics against those of the version an alias points at now ("accuracy 0.967
 * (+0.014) · log_loss 0.118 (-0.024)"); nothing when neither reports any.
 */
export function MetricsAgainst({ mine, theirs, against }: { mine: VersionMetrics; theirs: VersionMetrics; against: string }) {
  const rows = compareMetrics(mine, theirs).filter((r) => r.mine !== undefined);
  if (rows.length === 0) return null;
  return (
    <p className="text-xs text-slate-600" data-testid="metrics-against">
      Against {against}:{" "}
      {rows.map((r, i) => (
        <span key={r.name}>
          {i ? " · " : ""}
          {r.name} <span className="font-mono tabular-nums">{shown(r.mine)}</span>
          {r.diff ? <span className="font-medium text-slate-800"> ({r.diff})</span> : null}
        </span>
      ))}
    </p>
  );
}
