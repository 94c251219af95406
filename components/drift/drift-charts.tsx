"use client";
/** Draws prepared drift series (prepare-drift-view.ts): a feature's score with its threshold, and the overlaid histogram. */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatLogTick, formatScore, type PreparedHistogram, type PreparedHistory } from "./prepare-drift-view";

const REFERENCE_COLOR = "#94a3b8";
const CURRENT_COLOR = "#0072B2";
const THRESHOLD_COLOR = "#D55E00";

const empty = (testId: string, message: string) => (
  <div data-testid={testId} data-empty="true" className="flex h-56 items-center justify-center rounded-md border border-dashed border-slate-200 text-sm text-slate-500">
    {message}
  </div>
);

const time = (t: number) => new Date(t).toISOString().slice(11, 16);

export function DriftHistoryChart({ history, testId = "drift-history" }: { history: PreparedHistory; testId?: string }) {
  if (!history.hasData) return empty(testId, "No stored reports for this feature in the last 24 hours. The schedule stores one every few minutes once there is traffic; Evaluate now stores one at once.");
  return (
    <div data-testid={testId} data-points={history.points.filter((p) => p.value != null).length} className="h-56">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={history.points} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={time} tick={{ fontSize: 11 }} />
          <YAxis scale={history.log ? "log" : "auto"} domain={history.log ? ["auto", 1] : [0, "auto"]} tickFormatter={(v: number) => (history.log ? formatLogTick(v) : formatScore(v))} tick={{ fontSize: 11 }} width={56} allowDataOverflow={history.log} />
          <Tooltip labelFormatter={(t) => new Date(Number(t)).toISOString().replace("T", " ").slice(0, 16) + " UTC"} formatter={(v) => formatScore(Number(v))} />
          {history.threshold != null ? (
            <ReferenceLine y={history.threshold} stroke={THRESHOLD_COLOR} strokeDasharray="4 4" label={{ value: `threshold ${formatScore(history.threshold)}`, fontSize: 11, fill: THRESHOLD_COLOR, position: "insideTopRight" }} />
          ) : null}
          <Line dataKey="value" name="score" stroke={CURRENT_COLOR} strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function DriftHistogramChart({ histogram, testId = "drift-histogram" }: { histogram: PreparedHistogram | null; testId?: string }) {
  if (!histogram || !histogram.hasData) return empty(testId, "No current values for this feature in the window.");
  return (
    <div data-testid={testId} data-bins={histogram.bars.length} className="h-64">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={histogram.bars} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} barGap={0}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tickFormatter={(v: number) => `${v} %`} tick={{ fontSize: 11 }} width={48} />
          <Tooltip formatter={(v) => `${Number(v).toFixed(2)} %`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="reference" name="reference" fill={REFERENCE_COLOR} isAnimationActive={false} />
          <Bar dataKey="current" name="current window" fill={CURRENT_COLOR} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
