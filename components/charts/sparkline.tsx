"use client";
/** A tiny line without axes for tables (fleet overview). Fixed size, so it needs no measuring parent. */
import { Line, LineChart, YAxis } from "recharts";

export function Sparkline({ points, color = "#0072B2", width = 120, height = 32, testId, label }: {
  /** Prepared with prepareSparkline: null values are gaps. */
  points: { t: number; value: number | null }[];
  color?: string;
  width?: number;
  height?: number;
  testId?: string;
  /** Accessible description, e.g. "p95 latency, last hour". */
  label?: string;
}) {
  const present = points.filter((p) => p.value != null).length;
  if (present === 0) {
    return (
      <div data-testid={testId} data-empty="true" style={{ width, height }} className="flex items-center text-xs text-slate-400">
        no traffic
      </div>
    );
  }
  return (
    <div data-testid={testId} role="img" aria-label={label} style={{ width, height }}>
      <LineChart width={width} height={height} data={points} margin={{ top: 3, right: 2, bottom: 3, left: 2 }}>
        <YAxis hide domain={[0, "auto"]} />
        <Line
          dataKey="value"
          type="linear"
          stroke={color}
          strokeWidth={1.5}
          // A single bucket would draw nothing as a line; show it as a dot instead.
          dot={present === 1 ? { r: 1.5, fill: color } : false}
          connectNulls={false}
          isAnimationActive={false}
          data-series="sparkline"
        />
      </LineChart>
    </div>
  );
}
