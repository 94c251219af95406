/**
 * Time ranges of the monitoring charts: presets → { from, to, step }, and the step ladder that keeps every series at
 * no more than ~300 points whatever the range. Pure: the API route (default step), the client range picker and the
 * query validation share it, so the server and the browser always agree on the resolution.
 */

export const RANGE_PRESETS = ["15m", "1h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type RangeChoice = RangePreset | "custom";

const MINUTE_MS = 60_000;
const PRESET_MS: Record<RangePreset, number> = {
  "15m": 15 * MINUTE_MS,
  "1h": 60 * MINUTE_MS,
  "24h": 24 * 60 * MINUTE_MS,
  "7d": 7 * 24 * 60 * MINUTE_MS,
  "30d": 30 * 24 * 60 * MINUTE_MS,
};

export const RANGE_LABELS: Record<RangeChoice, string> = {
  "15m": "15 min",
  "1h": "1 h",
  "24h": "24 h",
  "7d": "7 d",
  "30d": "30 d",
  custom: "Custom",
};

/**
 * Steps in seconds. Each divides a day, so buckets line up with UTC midnight; 180 min is left out on purpose so that
 * 30 days lands on 4 h (180 points) rather than 3 h.
 */
export const STEP_LADDER_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440].map((m) => m * 60);
/** The target density: 24 h at 5 min (288 points) is the densest preset. */
export const MAX_POINTS = 300;
/** The hard limit for an explicit `step` (API callers may ask for finer series than the default). */
export const MAX_POINTS_EXPLICIT = 2000;
/** Rollups are per minute, so nothing finer exists. */
export const MIN_STEP_SECONDS = 60;
/** Retention keeps 30 days of rollups; allow a little more for custom ranges around the edge. */
export const MAX_RANGE_MS = 31 * 24 * 60 * MINUTE_MS + MINUTE_MS;

export interface TimeRange {
  from: Date;
  to: Date;
  /** Bucket width in seconds. */
  step: number;
}

/** The smallest step of the ladder that keeps the range within MAX_POINTS buckets. */
export function chooseStep(from: Date, to: Date): number {
  const seconds = Math.max(0, (to.getTime() - from.getTime()) / 1000);
  for (const s of STEP_LADDER_SECONDS) if (seconds / s <= MAX_POINTS) return s;
  return STEP_LADDER_SECONDS[STEP_LADDER_SECONDS.length - 1];
}

/** Floors a time to a multiple of `step` seconds since the epoch (the buckets' start times). */
export function alignDown(t: Date | number, stepSeconds: number): number {
  const ms = typeof t === "number" ? t : t.getTime();
  const stepMs = stepSeconds * 1000;
  return Math.floor(ms / stepMs) * stepMs;
}

/**
 * A preset ending now, or a custom from/to. Custom ranges with `to` before `from` are swapped rather than refused:
 * the picker lets people type either end first.
 */
export function prepareRange(opts: { range: RangeChoice; now?: Date; from?: Date; to?: Date }): TimeRange {
  const now = opts.now ?? new Date();
  if (opts.range === "custom") {
    const a = opts.from ?? new Date(now.getTime() - PRESET_MS["1h"]);
    const b = opts.to ?? now;
    const [from, to] = a.getTime() <= b.getTime() ? [a, b] : [b, a];
    return { from, to, step: chooseStep(from, to) };
  }
  const from = new Date(now.getTime() - PRESET_MS[opts.range]);
  return { from, to: now, step: chooseStep(from, now) };
}

/** Short ranges refresh live; long ones change too slowly to be worth polling. */
export function refreshIntervalMs(range: RangeChoice): number | false {
  if (range === "15m" || range === "1h") return 10_000;
  if (range === "24h") return 60_000;
  return false;
}

/** Checks a requested window and returns the step to use (the explicit one, or the ladder's). */
export function validateRange(from: Date, to: Date, step?: number): { step: number } | { error: string } {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return { error: "from and to must be ISO 8601 times" };
  const span = to.getTime() - from.getTime();
  if (span <= 0) return { error: "from must be before to" };
  if (span > MAX_RANGE_MS) return { error: "the range may span at most 31 days (rollups are kept for 30)" };
  if (step === undefined) return { step: chooseStep(from, to) };
  if (!Number.isInteger(step) || step < MIN_STEP_SECONDS || step % MIN_STEP_SECONDS !== 0) {
    return { error: "step is in seconds: a whole number of minutes (60, 300, 3600, …)" };
  }
  if (span / 1000 / step > MAX_POINTS_EXPLICIT) return { error: `step too small for this range (at most ${MAX_POINTS_EXPLICIT} points)` };
  return { step };
}

/** "1 min", "5 min", "1 h", "4 h", "1 d": how the UI names a resolution. */
export function formatStep(stepSeconds: number): string {
  const m = stepSeconds / 60;
  if (m < 60) return `${m} min`;
  if (m < 1440) return `${m / 60} h`;
  return `${m / 1440} d`;
}
