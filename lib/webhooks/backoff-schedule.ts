/**
 * When a failed webhook delivery is tried again: after the first failure 10 s, then 30 s, 2 min, 10 min, 30 min;
 * after the sixth failed attempt the delivery is marked failed. Pure.
 */
export const BACKOFF_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000] as const;

export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;

/** Delay before the next attempt after `attempts` failed attempts, or null when the delivery has given up. */
export function backoffSchedule(attempts: number): number | null {
  if (attempts < 1) return 0;
  return BACKOFF_MS[attempts - 1] ?? null;
}
