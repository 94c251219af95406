"use client";
/**
 * Draws a prepared time series (lib/metrics/prepare-time-series.ts): one line per series, nulls left as gaps,
 * exact values in the tooltip. It decides nothing about buckets, units or colours.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { PreparedChart } from "@/lib/metrics/prepare-time-series";
import { formatAxisTime, formatBucketTime } from "@/lib/metrics/prepare-time-series";
import { formatExact, formatTick } from "@/lib/metrics/prepare-units";
import { formatStep } from "@/lib/metrics/prepare-range";

export const CHART_HEIGHT = 240;

function ChartTooltip({ active, payload, label, chart }: Pick<TooltipContentProps, "active" | "payload" | "label"> & { chart: PreparedChart }) {
  if (!active || !payload?.length || typeof label !== "number") return null;
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-slate-200">
      <div className="mb-1 font-medium text-slate-700">
        {formatBucketTime(label)} <span className="text-slate-400">· {formatStep(chart.step)}</span>
      </div>
      <table>
        <tbody>
          {chart.series.map((s) => {
            const entry = payload.find((p) => p.dataKey === s.key);
            const value = entry?.payload?.[s.key] as number | null | undefined;
            return (
              <tr key={s.key}>
                <td className="pr-3">
                  <span className="mr-1.5 inline-block h-2 w-2 rounded-full align-middle" style={{ background: s.color }} />
                  {s.label}
                </td>
                <td className="text-right font-mono tabular-nums text-slate-900" data-tooltip-value={s.key}>{formatExact(value, chart.unit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** True when the series has a value at `i` and none at either neighbour. */
function isolated(rows: PreparedChart["rows"], key: string, i: number): boolean {
  const has = (j: number) => rows[j]?.[key] != null;
  return has(i) && !has(i - 1) && !has(i + 1);
}

export function TimeSeriesChart({ chart, testId, emptyMessage = "No traffic in this range.", height = CHART_HEIGHT }: {
  chart: PreparedChart;
  testId: string;
  emptyMessage?: string;
  height?: number;
}) {
  if (!chart.hasData) {
    return (
      <div data-testid={testId} data-empty="true" style={{ height }} className="flex items-center justify-center rounded-md border border-dashed border-slate-200 text-sm text-slate-500">
        {emptyMessage}
      </div>
    );
  }
  const range = chart.to - chart.from;
  return (
    // ResponsiveContainer measures its parent: the fixed height here is what gives it a size.
    <div data-testid={testId} data-series-count={chart.series.length} style={{ height }} className="w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={chart.rows} margin={{ top: 8, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[chart.rows[0]?.t ?? chart.from, chart.to]}
            tickFormatter={(t: number) => formatAxisTime(t, range)}
            tick={{ fontSize: 11, fill: "#64748b" }}
            minTickGap={32}
            stroke="#cbd5e1"
          />
          <YAxis
            width={64}
            tickFormatter={(v: number) => formatTick(v, chart.unit)}
            tick={{ fontSize: 11, fill: "#64748b" }}
            stroke="#cbd5e1"
            domain={chart.unit === "%" ? [0, (max: number) => Math.max(1, Math.ceil(max))] : [0, "auto"]}
            allowDecimals
          />
          <Tooltip content={(p) => <ChartTooltip active={p.active} payload={p.payload} label={p.label} chart={chart} />} isAnimationActive={false} />
          <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
          {chart.series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="linear"
              stroke={s.color}
              strokeWidth={1.75}
              strokeDasharray={s.dash}
              // A point with gaps on both sides draws nothing as a line: show it as a dot (traffic that fell in one minute).
              dot={(d: { cx?: number; cy?: number; index?: number }) =>
                d.index !== undefined && d.cx !== undefined && d.cy !== undefined && isolated(chart.rows, s.key, d.index) ? (
                  <circle key={`${s.key}-${d.index}`} cx={d.cx} cy={d.cy} r={2.5} fill={s.color} data-isolated-point={s.key} />
                ) : (
                  <g key={`${s.key}-${d.index}`} />
                )
              }
              activeDot={{ r: 3 }}
              connectNulls={false}
              isAnimationActive={false}
              className={`series-${s.key}`}
              data-series={s.key}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
