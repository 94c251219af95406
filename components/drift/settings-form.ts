/**
 * Form state ⇄ request body for the endpoint's drift and alert settings (pure, unit-tested). The form edits strings;
 * an empty field means "use the default" and is left out of the body. Keys the form does not show (a reference
 * window, drift alert gates) are carried over from what was stored, so saving the form never drops them.
 */
export interface DriftForm {
  scheduleEnabled: boolean;
  everyMinutes: string;
  windowMinutes: string;
  /** Dataset drift share in percent. */
  driftSharePct: string;
  features: Record<string, { method: string; threshold: string }>;
  /** A window of production traffic to use as the reference instead of the dataset, as `YYYY-MM-DDTHH:mm` in UTC. */
  referenceFrom: string;
  referenceTo: string;
}

export interface AlertForm {
  enabled: boolean;
  errorWarnPct: string;
  errorCriticalPct: string;
  latencyWarnMs: string;
  latencyCriticalMs: string;
  windowMinutes: string;
  minRequests: string;
  quietMinutes: string;
}

type Stored = Record<string, unknown> | null;
type Obj = Record<string, unknown>;

/** An ISO instant as a `datetime-local` value in UTC, and back. */
const utcLocal = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString().slice(0, 16) : "");
const fromUtcLocal = (s: string) => (s.trim() === "" ? undefined : /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(s.trim()) ? `${s.trim()}:00Z` : s.trim());

const str = (v: unknown, scale = 1) => (typeof v === "number" ? String(Math.round(v * scale * 1e6) / 1e6) : "");
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** A number typed in a field, or undefined when empty; NaN is kept so the server names the bad field. */
function num(s: string, scale = 1): number | undefined {
  if (s.trim() === "") return undefined;
  return Number(s.trim()) / scale;
}

function compact(o: Obj): Obj | undefined {
  const kept = Object.entries(o).filter(([, v]) => v !== undefined);
  return kept.length ? Object.fromEntries(kept) : undefined;
}

export function driftFormFrom(stored: Stored): DriftForm {
  const s = obj(stored);
  const schedule = obj(s.schedule);
  const features: DriftForm["features"] = {};
  for (const [name, o] of Object.entries(obj(s.features))) features[name] = { method: String(obj(o).method ?? ""), threshold: str(obj(o).threshold) };
  return {
    scheduleEnabled: schedule.enabled !== false,
    everyMinutes: str(schedule.everyMinutes),
    windowMinutes: str(schedule.windowMinutes),
    driftSharePct: str(s.driftShare, 100),
    features,
    referenceFrom: utcLocal(obj(s.reference).from),
    referenceTo: utcLocal(obj(s.reference).to),
  };
}

export function driftBodyFrom(form: DriftForm, stored: Stored): Obj {
  const s = obj(stored);
  const features = compact(
    Object.fromEntries(
      Object.entries(form.features).map(([name, f]) => [name, compact({ method: f.method || undefined, threshold: num(f.threshold) })]),
    ),
  );
  const schedule = compact({
    ...obj(s.schedule),
    enabled: form.scheduleEnabled ? undefined : false,
    everyMinutes: num(form.everyMinutes),
    windowMinutes: num(form.windowMinutes),
  });
  // Both ends or neither: a half window is sent as typed so the server names what is missing.
  const reference = compact({ from: fromUtcLocal(form.referenceFrom), to: fromUtcLocal(form.referenceTo) });
  return compact({ ...s, features, schedule, driftShare: num(form.driftSharePct, 100), reference }) ?? {};
}

export function alertFormFrom(stored: Stored): AlertForm {
  const s = obj(stored);
  const error = obj(s.errorRate);
  const latency = obj(s.latencyP95Ms);
  return {
    enabled: s.enabled !== false,
    errorWarnPct: str(error.warn, 100),
    errorCriticalPct: str(error.critical, 100),
    latencyWarnMs: str(latency.warn),
    latencyCriticalMs: str(latency.critical),
    windowMinutes: str(s.windowMinutes),
    minRequests: str(s.minRequests),
    quietMinutes: str(s.quietMinutes),
  };
}

/** A band is sent whole or not at all (the API needs warn and critical together); a half-filled band is sent as typed so the server says which half is missing. */
function band(warn: number | undefined, critical: number | undefined): Obj | undefined {
  return warn === undefined && critical === undefined ? undefined : compact({ warn, critical }) ?? undefined;
}

export function alertBodyFrom(form: AlertForm): Obj {
  return (
    compact({
      enabled: form.enabled ? undefined : false,
      errorRate: band(num(form.errorWarnPct, 100), num(form.errorCriticalPct, 100)),
      latencyP95Ms: band(num(form.latencyWarnMs), num(form.latencyCriticalMs)),
      windowMinutes: num(form.windowMinutes),
      minRequests: num(form.minRequests),
      quietMinutes: num(form.quietMinutes),
    }) ?? {}
  );
}
